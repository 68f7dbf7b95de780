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
    /// Loads actually done (each reads and hashes every file of a dataset), for tests.
    private(set) var loadCount = 0
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
        try split(of: source(for: profile), for: requirements)
    }

    /// The requested dataset, else `fallback` (Questions 1 and 2 use mnist-5k), loaded once.
    public func split(preferring fallback: DatasetSource,
                      for requirements: DatasetRequirements = DatasetRequirements(consumer: "")) throws -> DatasetSplit {
        try split(of: requested ?? fallback, for: requirements)
    }

    private func split(of source: DatasetSource, for requirements: DatasetRequirements) throws -> DatasetSplit {
        let split = try lock.withLock {
            if loaded[source.name] == nil {
                loadCount += 1
                loaded[source.name] = Result { try source.load(projectRoot: projectRoot) }
            }
            return try loaded[source.name]!.get()
        }
        try requirements.check(split)
        return split
    }
}
