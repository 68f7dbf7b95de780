import Datasets
import Foundation
import Notebook

/// A dataset loaded at most once and shared by the questions of one run. `labbook run` checks
/// every question's inputs before it writes anything (`Question.checkInputs(profile:)`) and then builds
/// the questions; reading and checking 60,000 images takes most of a second, so the check and
/// every build after it reuse one load (its failure too).
public final class SharedDataset: @unchecked Sendable {
    /// What `--dataset-dir` asked for; nil means the default digits.
    public let requested: DatasetSource?
    let projectRoot: URL
    private var loaded: [String: Result<DatasetSplit, Error>] = [:]
    private let lock = NSLock()

    public init(requested: DatasetSource?, projectRoot: URL) {
        self.requested = requested
        self.projectRoot = projectRoot
    }

    /// The requested dataset, else full MNIST (the assignment's data) when `data/mnist/` holds
    /// it and mnist-5k when not; the quick profile (CI) uses mnist-5k, whose small subsets it trains on.
    public func source(for profile: Profile) -> DatasetSource {
        requested ?? (profile == .quick ? .mnist5k : .defaultDigits(projectRoot: projectRoot))
    }

    /// The profile's dataset, loaded on first use, checked against `requirements`.
    /// - Throws: the `DatasetError` of the load or of the check, naming the file.
    public func split(for requirements: DatasetRequirements, profile: Profile) throws -> DatasetSplit {
        let source = source(for: profile)
        let split = try lock.withLock {
            if loaded[source.name] == nil { loaded[source.name] = Result { try source.load(projectRoot: projectRoot) } }
            return try loaded[source.name]!.get()
        }
        try requirements.check(split)
        return split
    }
}
