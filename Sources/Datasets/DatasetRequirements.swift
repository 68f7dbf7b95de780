/// What one experiment needs from a dataset beyond what every dataset must be (see
/// `DatasetSplit`): the image size its model's first layers were built for, and enough training
/// images for a step. `DatasetSource.load(projectRoot:for:)` checks them once, where the data
/// enters, so a 20x20 set fails with the file's name instead of making a 784-input layer read
/// past its buffer.
public struct DatasetRequirements: Sendable {
    /// The image size a model takes.
    public enum ImageShape: Equatable, Sendable {
        /// Any size: the model is built from the data (Q3's MLP, the ResNets' global pooling).
        case any
        /// This many pixels per image, in any arrangement: a dense first layer.
        case pixelCount(Int)
        /// Exactly `rows` x `columns`: convolutions whose output feeds a fixed-size dense layer.
        case size(rows: Int, columns: Int)
    }

    /// Who needs the data, as the error names it: "bench mlp", "q4".
    public var consumer: String
    public var imageShape: ImageShape
    /// Why the shape, for the error: "its first dense layer takes 784 inputs".
    public var shapeReason: String
    public var minimumTrainingImages: Int
    /// Why that many, for the error: "a mini-batch takes 64".
    public var countReason: String

    public init(consumer: String, imageShape: ImageShape = .any, shapeReason: String = "",
                minimumTrainingImages: Int = 1, countReason: String = "") {
        self.consumer = consumer
        self.imageShape = imageShape
        self.shapeReason = shapeReason
        self.minimumTrainingImages = minimumTrainingImages
        self.countReason = countReason
    }

    /// Nothing beyond a valid dataset.
    public static let none = DatasetRequirements(consumer: "")

    /// - Throws: `DatasetError.wrongImageSize` or `.tooFewImages`, naming the training images file.
    public func check(_ split: DatasetSplit) throws {
        let (rows, columns) = (split.train.rows, split.train.columns)
        let because = shapeReason.isEmpty ? "" : " (\(shapeReason))"
        switch imageShape {
        case .any:
            break
        case .pixelCount(let pixels) where rows * columns != pixels:
            throw DatasetError.wrongImageSize(path: split.files.trainingImages, size: [rows, columns], consumer: consumer,
                                              needed: "\(pixels) pixels per image\(because)")
        case .size(let neededRows, let neededColumns) where rows != neededRows || columns != neededColumns:
            throw DatasetError.wrongImageSize(path: split.files.trainingImages, size: [rows, columns], consumer: consumer,
                                              needed: "\(neededRows)x\(neededColumns) images\(because)")
        case .pixelCount, .size:
            break
        }
        if split.train.count < minimumTrainingImages {
            throw DatasetError.tooFewImages(path: split.files.trainingImages, count: split.train.count, consumer: consumer,
                                            minimum: minimumTrainingImages, reason: countReason)
        }
    }
}
