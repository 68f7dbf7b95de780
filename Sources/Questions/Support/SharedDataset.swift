import Datasets
import Foundation

/// A dataset loaded at most once and shared by the questions of one run. `labbook run` checks
/// every question's inputs before it writes anything (`Question.checkInputs()`) and then builds
/// the questions; reading and checking 60,000 images takes most of a second, so the check and
/// every build after it reuse one load (its failure too).
public final class SharedDataset: @unchecked Sendable {
    public let source: DatasetSource
    let projectRoot: URL
    private var loaded: Result<DatasetSplit, Error>?
    private let lock = NSLock()

    public init(_ source: DatasetSource, projectRoot: URL) {
        self.source = source
        self.projectRoot = projectRoot
    }

    /// The dataset, loaded on first use, checked against `requirements`.
    /// - Throws: the `DatasetError` of the load or of the check, naming the file.
    public func split(for requirements: DatasetRequirements) throws -> DatasetSplit {
        let split = try lock.withLock {
            if loaded == nil { loaded = Result { try source.load(projectRoot: projectRoot) } }
            return try loaded!.get()
        }
        try requirements.check(split)
        return split
    }
}
