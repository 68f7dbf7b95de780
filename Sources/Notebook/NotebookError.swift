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
    /// `labbook figure export` needs a cell that has not been computed with these settings.
    case notCached(question: String, cell: String, profile: String)

    public var description: String {
        switch self {
        case .io(let message): return message
        case .corruptCache(let file, let reason): return "cache entry \(file) is unreadable (\(reason)); it will be recomputed"
        case .template(let name, let reason): return "template \(name): \(reason)"
        case .cell(let question, let cell, let underlying): return "\(question)/\(cell): \(underlying)"
        case .invalidInput(let message): return message
        case .unusableInput(let question, let underlying): return "\(question): \(underlying)"
        case .notCached(let question, let cell, let profile):
            return "\(question): cell \(cell) is not cached for the \(profile) profile, and figure export never computes; run `labbook run \(question) --profile \(profile)` first"
        }
    }
}
