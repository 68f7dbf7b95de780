import AtomicFiles
import Foundation

/// A report run's resolver: a cell the cache holds is read back, one it lacks is computed,
/// here or (for a batch, with an `executor`) by worker processes, then read from the cache, so
/// the keys and results are the same whichever computed them. Under `--force` nothing is read
/// from the cache that this run did not compute itself. One resolver serves a whole run, so a
/// cell two questions share is computed once.
public final class ComputingResolver: CellResolver {
    public let forceRecompute: Bool
    /// Where batches of cells the cache lacks go; nil computes them here, one by one.
    public let executor: (any CellExecutor)?
    /// What a worker request needs besides the cell (project and dataset folders).
    let requestContext: RequestContext?
    /// Keys of the cells this run computed here, and of those an executor's workers computed, with its name.
    private var computedHere: Set<String> = []
    private var computedByWorkers: [String: String] = [:]

    /// Where workers find the project and its dataset.
    public struct RequestContext {
        public var projectRoot: URL
        public var datasetDirectory: String?

        public init(projectRoot: URL, datasetDirectory: String?) {
            self.projectRoot = projectRoot
            self.datasetDirectory = datasetDirectory
        }
    }

    public init(forceRecompute: Bool = false, executor: (any CellExecutor)? = nil, requestContext: RequestContext? = nil) {
        self.forceRecompute = forceRecompute
        self.executor = executor
        self.requestContext = requestContext
    }

    public var writesReport: Bool { true }

    public func resolve<Config: Codable, Result: Codable>(_ calls: [CellCall<Config, Result>], batch: Bool,
                                        session: NotebookSession) throws -> [Computed<Result>] {
        let keys = try calls.map { try session.key(of: $0.definition, $0.config) }
        if batch, let executor, let requestContext {
            try handToWorkers(calls, keys: keys, executor: executor, context: requestContext, session: session)
        }
        return try zip(calls, keys).map { call, key in
            try resolveOne(call.definition, config: call.config, key: key, session: session)
        }
    }

    private func computedThisRun(_ key: CellKey) -> Bool {
        computedHere.contains(key.hex) || computedByWorkers[key.hex] != nil
    }

    private func mayReuse(_ key: CellKey) -> Bool {
        !forceRecompute || computedThisRun(key)
    }

    private func resolveOne<Config: Codable, Result: Codable>(_ definition: CellDefinition<Config, Result>, config: Config, key: CellKey,
                                            session: NotebookSession) throws -> Computed<Result> {
        if mayReuse(key), let hit = session.cached(definition, key: key) {
            let status: CellStatus = computedByWorkers[key.hex].map { .computedBy($0, seconds: hit.seconds) }
                ?? .cached(seconds: hit.seconds)
            session.note(definition, key: key, status: status)
            return hit.computed
        }
        let computed = try definition.computeAndStore(config, key: key, askedBy: session.questionID, cache: session.cache,
                                                      console: session.console, code: session.code)
        computedHere.insert(key.hex)
        session.note(definition, key: key, status: .computed(seconds: computed.seconds))
        return Computed(result: computed.result, key: key, artifacts: session.artifacts(of: definition, key: key))
    }

    /// Sends the batch's cells that must be computed to the executor as one batch (worker
    /// processes, or a Slurm job array) and checks that each is in the cache afterwards.
    private func handToWorkers<Config: Codable, Result: Codable>(_ calls: [CellCall<Config, Result>], keys: [CellKey],
                                               executor: any CellExecutor, context: RequestContext,
                                               session: NotebookSession) throws {
        var seen = Set<String>()
        let missing = zip(calls, keys).filter { call, key in
            seen.insert(key.hex).inserted && !computedThisRun(key)
                && (forceRecompute || session.cached(call.definition, key: key) == nil)
        }
        guard !missing.isEmpty else { return }
        let requests = try missing.map { call, key in
            try CellRequest(call.definition, config: call.config, key: key, session: session, context: context)
        }
        let files = requests.map { $0.file(in: session.cache.directory) }
        for (request, file) in zip(requests, files) {
            try AtomicFile.write(try JSONEncoder.labbook.encode(request), to: file)
        }
        defer {
            for file in files { try? FileManager.default.removeItem(at: file) }
            // This driver's folder goes once its last batch is done (rmdir: only if empty).
            if let folder = files.first?.deletingLastPathComponent() { rmdir(folder.path) }
        }
        try executor.run(requests, requestFiles: files, console: session.console)
        for (call, key) in missing {
            // Never fall back to computing here what a worker should have stored.
            guard session.cached(call.definition, key: key) != nil else {
                let label = call.definition.label(askedBy: session.questionID)
                throw NotebookError.io("\(executor.name) finished, but cell \(label) (key \(key.short)) is not in the cache \(session.cache.directory.path); is it on a filesystem the workers share?")
            }
            computedByWorkers[key.hex] = executor.name
        }
    }
}
