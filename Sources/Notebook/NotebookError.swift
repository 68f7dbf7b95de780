import Foundation

/// Errors the notebook reports to the user; each message says what failed and where.
public enum NotebookError: Error, CustomStringConvertible {
    case io(String)
    case corruptCache(file: String, reason: String)
    case template(name: String, reason: String)
    case cell(question: String, cell: String, underlying: Error)
    case invalidInput(String)
    /// A question's input (its dataset) failed `Question.checkInputs(profile:)`; nothing was written.
    case unusableInput(question: String, underlying: Error)

    public var description: String {
        switch self {
        case .io(let message): return message
        case .corruptCache(let file, let reason): return "cache entry \(file) is unreadable (\(reason)); it will be recomputed"
        case .template(let name, let reason): return "template \(name): \(reason)"
        case .cell(let question, let cell, let underlying): return "\(question)/\(cell): \(underlying)"
        case .invalidInput(let message): return message
        case .unusableInput(let question, let underlying): return "\(question): \(underlying)"
        }
    }
}
