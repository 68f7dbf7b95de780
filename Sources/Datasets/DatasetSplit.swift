/// A dataset ready for an experiment: training and test images plus what a report needs to
/// say where they came from.
///
/// Creating one is the validation step every dataset passes where it enters Labbook: both sets
/// hold images, of one size, and every label names one of `classNames`. Release builds are
/// compiled with `-Ounchecked`, so the engine's preconditions are no check at all: a label of
/// 255 for a 10-class model would write past a buffer instead of stopping the run.
/// What a particular model needs on top (image size, a full mini-batch) is
/// `DatasetRequirements`.
public struct DatasetSplit {
    /// "mnist", "fashion-mnist", "mnist-5k", or the folder path for a directory source.
    public let name: String
    public let train: ImageSet
    public let test: ImageSet
    /// Human-readable name of each label, indexed by label; its count is the declared number
    /// of classes.
    public let classNames: [String]
    /// The files the sets were read from, named in errors.
    public let files: DatasetFiles
    /// One sentence for reports: origin, sizes and how the split was made.
    public let description: String
    /// SHA-256 hex of the raw file bytes as stored (several files: concatenated in load order),
    /// so caches are invalidated when the data changes.
    public let contentHash: String

    /// - Throws: `DatasetError.noImages` when either set is empty, `.imageSizeMismatch` when
    ///   the training and test images differ in size, `.labelOutOfRange` for the first label
    ///   outside `0..<classNames.count`.
    public init(name: String, train: ImageSet, test: ImageSet, classNames: [String], files: DatasetFiles,
                description: String, contentHash: String) throws {
        guard train.count > 0 else { throw DatasetError.noImages(path: files.trainingImages, set: "training") }
        guard test.count > 0 else { throw DatasetError.noImages(path: files.testImages, set: "test") }
        guard train.rows == test.rows && train.columns == test.columns else {
            throw DatasetError.imageSizeMismatch(trainingPath: files.trainingImages, trainingSize: [train.rows, train.columns],
                                                 testPath: files.testImages, testSize: [test.rows, test.columns])
        }
        try Self.checkLabels(train.labels, classCount: classNames.count, path: files.trainingLabels)
        try Self.checkLabels(test.labels, classCount: classNames.count, path: files.testLabels)
        self.name = name
        self.train = train
        self.test = test
        self.classNames = classNames
        self.files = files
        self.description = description
        self.contentHash = contentHash
    }

    /// The first label at or above `classCount`, with how many there are in all.
    private static func checkLabels(_ labels: [UInt8], classCount: Int, path: String) throws {
        guard let index = labels.firstIndex(where: { Int($0) >= classCount }) else { return }
        let outside = labels[index...].reduce(0) { $0 + (Int($1) >= classCount ? 1 : 0) }
        throw DatasetError.labelOutOfRange(path: path, index: index, label: Int(labels[index]), classCount: classCount,
                                           outOfRangeCount: outside, labelCount: labels.count)
    }
}
