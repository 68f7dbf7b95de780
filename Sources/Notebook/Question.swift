import Foundation

/// A question of the assignment, written as the report it produces: `build` adds
/// cells to the session in the order a reader sees them.
public protocol Question {
    /// Short id used on the command line and as the report folder, e.g. "q1".
    var id: String { get }
    var title: String { get }
    func build(_ session: NotebookSession) throws
}
