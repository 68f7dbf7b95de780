/// Per-epoch metrics of a `Trainer.fit` run, shaped like Keras's `history.history`.
public struct TrainingHistory: Codable, Equatable, Sendable {
    /// Mean training loss over each epoch's batches (weighted by batch size).
    public var loss: [Double] = []
    /// Training accuracy over each epoch.
    public var accuracy: [Double] = []
    /// Validation loss after each epoch; empty without validation data.
    public var validationLoss: [Double] = []
    /// Validation accuracy after each epoch; empty without validation data.
    public var validationAccuracy: [Double] = []
    /// Wall-clock seconds of each epoch's training (validation excluded).
    public var seconds: [Double] = []

    public init() {}

    /// Number of completed epochs.
    public var epochCount: Int { loss.count }

    enum CodingKeys: String, CodingKey {
        case loss, accuracy, seconds
        case validationLoss = "val_loss"
        case validationAccuracy = "val_accuracy"
    }
}

/// The result of `Trainer.evaluate`: metrics plus every prediction, for confusion matrices.
public struct Evaluation: Codable, Equatable, Sendable {
    /// Mean loss over all samples.
    public var loss: Double
    /// Fraction of samples whose arg-max class equals the label.
    public var accuracy: Double
    /// Arg-max class per sample.
    public var predictions: [Int32]
    /// Softmax probabilities, `count · classCount` values row by row.
    public var probabilities: [Float]
    /// Number of classes (columns of `probabilities`).
    public var classCount: Int
}
