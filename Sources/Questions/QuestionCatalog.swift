import Datasets
import Foundation
import Notebook

/// Every question Labbook can run, in report order.
public enum QuestionCatalog {
    /// - Parameter digits: the dataset for the digit questions; nil chooses each question's default
    ///   (full MNIST for Q3 and Q4 when present, mnist-5k for Q1 and Q2 and the quick profile).
    /// All four share one load of each dataset they read (see `SharedDataset`): a run loads and
    /// hashes mnist-5k and full MNIST at most once each.
    public static func all(projectRoot: URL, digits: DatasetSource? = nil) -> [Question] {
        let shared = SharedDataset(requested: digits, projectRoot: projectRoot)
        return [Question1(sharing: shared), Question2(sharing: shared),
                Question3(sharing: shared), Question4(projectRoot: projectRoot, sharing: shared)]
    }

    /// The questions named on the command line (all when none), or an error naming the unknown ones.
    public static func select(_ ids: [String], projectRoot: URL, digits: DatasetSource? = nil) throws -> [Question] {
        let questions = all(projectRoot: projectRoot, digits: digits)
        if ids.isEmpty { return questions }
        let known = Set(questions.map(\.id))
        let unknown = ids.map { $0.lowercased() }.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw NotebookError.invalidInput(
                "unknown question \(unknown.joined(separator: ", ")); choose from \(questions.map(\.id).joined(separator: ", "))")
        }
        let wanted = Set(ids.map { $0.lowercased() })
        return questions.filter { wanted.contains($0.id) }
    }
}
