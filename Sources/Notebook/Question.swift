import Foundation

/// A question of the assignment, written as the report it produces: `build` adds
/// cells to the session in the order a reader sees them.
public protocol Question {
    /// Short id used on the command line and as the report folder, e.g. "q1".
    var id: String { get }
    var title: String { get }
    /// Checks what the question reads (its dataset) before the run writes anything, so input
    /// the question cannot use fails the run with the input's own error and leaves reports and
    /// cache as they were; `profile` may choose the inputs. The default checks nothing.
    func checkInputs(profile: Profile) throws
    func build(_ session: NotebookSession) throws
    /// The definition of a batch cell (`computeAll`) named `name`, built as `build` builds it,
    /// for a worker that runs one cell of the batch without the page; nil for a name the
    /// question has no batch of. The default names none.
    func workerCell(named name: String, context: WorkerContext) throws -> WorkerCell?
}

extension Question {
    public func checkInputs(profile: Profile) throws {}
    public func workerCell(named name: String, context: WorkerContext) throws -> WorkerCell? { nil }
}
