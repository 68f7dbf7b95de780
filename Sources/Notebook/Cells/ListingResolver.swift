import Foundation

/// `labbook list`'s resolver: computes nothing and notes each cell's state. A cell older engine
/// code computed is noted stale, with the modules that changed, and its old result stands in for
/// it so the walk goes on to the cells after it (whose keys may then differ from a real run's
/// where they depend on its numbers). The walk stops only at a cell never computed at all:
/// what comes after it depends on numbers nobody has.
public final class ListingResolver: CellResolver {
    public init() {}

    public var writesReport: Bool { false }

    public func resolve<Config: Codable, Result: Codable>(_ calls: [CellCall<Config, Result>], batch: Bool,
                                        session: NotebookSession) throws -> [Computed<Result>] {
        // Every cell of a batch is noted before the walk may stop at one of them.
        let found = try calls.map { call -> Computed<Result>? in
            let definition = call.definition, config = call.config
            let key = try session.key(of: definition, config)
            if let hit = session.cached(definition, key: key) {
                session.note(definition, key: key, status: .cached(seconds: hit.seconds))
                return hit.computed
            }
            let codeFree = try definition.codeFreeKey(config, askedBy: session.questionID)
            let stale = session.code.flatMap { code in
                session.cache.stale(Result.self, question: definition.question(askedBy: session.questionID), cell: definition.name,
                                    codeFreeKey: codeFree, code: code)
            }
            let note = stale.map { $0.reason(runPrecision: session.code?.precision ?? "fp32", runKernels: session.code?.kernels) }
            session.note(definition, key: key, status: .missing(note: note))
            return stale.map { Computed(result: $0.result, key: key, artifacts: $0.artifacts) }
        }
        if let missing = zip(calls, found).first(where: { $0.1 == nil }) {
            throw ProbeStopped(cell: missing.0.definition.label(askedBy: session.questionID))
        }
        return found.compactMap { $0 }
    }
}

/// Thrown by `labbook list`'s walk at the first cell nobody has computed.
public struct ProbeStopped: Error {
    public let cell: String
}
