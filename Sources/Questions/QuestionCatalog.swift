import Foundation
import Notebook

/// Every question Labbook can run, in report order.
public enum QuestionCatalog {
    public static func all(projectRoot: URL) -> [Question] {
        [Question1(projectRoot: projectRoot), Question2(projectRoot: projectRoot), Question3(projectRoot: projectRoot),
         Question4(projectRoot: projectRoot)]
    }

    /// The questions named on the command line (all when none), or an error naming the unknown ones.
    public static func select(_ ids: [String], projectRoot: URL) throws -> [Question] {
        let questions = all(projectRoot: projectRoot)
        if ids.isEmpty { return questions }
        let known = Set(questions.map(\.id))
        let unknown = ids.map { $0.lowercased() }.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw NotebookError.invalidInput("unknown question \(unknown.joined(separator: ", ")); choose from \(questions.map(\.id).joined(separator: ", "))")
        }
        let wanted = Set(ids.map { $0.lowercased() })
        return questions.filter { wanted.contains($0.id) }
    }
}
