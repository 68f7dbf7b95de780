/// The files a `DatasetSplit` was read from, so a problem found after reading (a label out of
/// range, an image size a model cannot take) names the file to replace.
public struct DatasetFiles: Equatable, Sendable {
    public var trainingImages: String
    public var trainingLabels: String
    public var testImages: String
    public var testLabels: String

    public init(trainingImages: String, trainingLabels: String, testImages: String, testLabels: String) {
        self.trainingImages = trainingImages
        self.trainingLabels = trainingLabels
        self.testImages = testImages
        self.testLabels = testLabels
    }

    /// One file holding everything (mnist-5k's CSV: pixels and labels, split after reading).
    init(singleFile path: String) {
        self.init(trainingImages: path, trainingLabels: path, testImages: path, testLabels: path)
    }
}
