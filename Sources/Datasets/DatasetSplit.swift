/// A dataset ready for an experiment: training and test images plus what a report needs to
/// say where they came from.
public struct DatasetSplit {
    /// "mnist", "fashion-mnist", "mnist-5k", or the folder path for a directory source.
    public let name: String
    public let train: ImageSet
    public let test: ImageSet
    /// Human-readable name of each label, indexed by label.
    public let classNames: [String]
    /// One sentence for reports: origin, sizes and how the split was made.
    public let description: String
    /// SHA-256 hex of the raw file bytes as stored (several files: concatenated in load order),
    /// so caches are invalidated when the data changes.
    public let contentHash: String

    public init(name: String, train: ImageSet, test: ImageSet, classNames: [String],
                description: String, contentHash: String) {
        self.name = name
        self.train = train
        self.test = test
        self.classNames = classNames
        self.description = description
        self.contentHash = contentHash
    }
}
