import Foundation

/// What a question is told when a worker asks it for a definition by name: the run's profile and
/// seed, and the request's input keys with the cache that holds their results and artifacts.
public struct WorkerContext {
    public let profile: Profile
    public let seed: UInt64
    /// The keys of the cells the requested cell reads, as the driver's definition had them.
    public let inputs: [CellKey]
    public let cache: ResultCache
}

/// A definition as a worker runs it: the config arrives as JSON in a `CellRequest`.
public struct WorkerCell {
    private let runRequest: (CellRequest, ResultCache, CodeFingerprint?) throws -> Void

    public init<Config: Codable, Result: Codable>(_ definition: CellDefinition<Config, Result>) {
        runRequest = { request, cache, code in
            let config: Config
            do {
                config = try JSONDecoder().decode(Config.self, from: Data(request.config.utf8))
            } catch {
                throw NotebookError.invalidInput("the request for \(request.cell) holds no config of that cell: \(error)")
            }
            let key = try definition.key(config, askedBy: request.question, code: code)
            guard key.hex == request.key else {
                throw NotebookError.invalidInput("cell \(request.question)/\(request.cell) gives key \(key.short) here, the request has \(request.key.prefix(12)) (profile \(request.profile), seed \(request.seed)): the driver runs other code or settings")
            }
            _ = try definition.computeAndStore(config, key: key, askedBy: request.question, cache: cache,
                                               console: Console(quiet: true), code: code)
        }
    }

    /// Computes the request's cell and stores it in `cache`.
    public func run(_ request: CellRequest, cache: ResultCache, code: CodeFingerprint?) throws {
        try runRequest(request, cache, code)
    }
}

extension WorkerContext {
    init(request: CellRequest, profile: Profile, cache: ResultCache) {
        self.init(profile: profile, seed: request.seed, inputs: request.inputs.map { CellKey(hex: $0) }, cache: cache)
    }
}
