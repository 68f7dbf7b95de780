import Foundation

/// How a session obtains the cells its page asks for: the mode of a run. A report run computes
/// what the cache lacks (`ComputingResolver`, here or through an executor's workers); a figure
/// export reads the cache only (`CacheOnlyResolver`); `labbook list` notes what each cell's
/// state is (`ListingResolver`). A worker needs no session: it runs its request's cell
/// (`WorkerCell`).
public protocol CellResolver: AnyObject {
    /// Whether the page's figures and data files are written: a report run, not a listing or an export.
    var writesReport: Bool { get }
    /// The results of the `calls`' cells, in order, each noted in the session's records. A
    /// `batch` (`computeAll`: independent cells the question also names for workers, see
    /// `Question.workerCell`) may be handed to an executor; single cells are not.
    func resolve<Config: Codable, Result: Codable>(_ calls: [CellCall<Config, Result>], batch: Bool,
                                 session: NotebookSession) throws -> [Computed<Result>]
}

/// Reads the cache only (`labbook figure export`): a missing cell stops the export with the
/// command that computes it.
public final class CacheOnlyResolver: CellResolver {
    public init() {}

    public var writesReport: Bool { false }

    public func resolve<Config: Codable, Result: Codable>(_ calls: [CellCall<Config, Result>], batch: Bool,
                                        session: NotebookSession) throws -> [Computed<Result>] {
        try calls.map { call in
            let definition = call.definition
            let key = try session.key(of: definition, call.config)
            guard let hit = session.cached(definition, key: key) else {
                throw NotebookError.notCached(question: session.questionID, cell: definition.label(askedBy: session.questionID),
                                              profile: session.profile.rawValue)
            }
            session.note(definition, key: key, status: .cached(seconds: hit.seconds))
            return hit.computed
        }
    }
}
