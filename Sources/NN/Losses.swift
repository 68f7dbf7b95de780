import Tensor

/// How per-sample losses become the returned tensor.
public enum LossReduction: String, Codable, Sendable {
    /// Per-sample losses, shape `[batch]` (or the element-wise shape for MSE).
    case none
    /// Their sum, a scalar.
    case sum
    /// Their mean, a scalar (Keras's and PyTorch's default).
    case mean
}

/// Applies `reduction` (a free function: inside `LossReduction`, `sum` would name the case).
private func reduce(_ losses: Tensor, _ reduction: LossReduction) -> Tensor {
    switch reduction {
    case .none: return losses
    case .sum: return sum(losses)
    case .mean: return mean(losses)
    }
}

/// Cross-entropy of softmax(logits) against integer class targets, computed with a stable
/// log-sum-exp (see `softmaxCrossEntropy(logits:labels:)`).
///
/// ```
/// lossᵢ = -log softmax(logitsᵢ)[targetᵢ]
/// ```
/// - Parameters:
///   - logits: `[batch, classes]`.
///   - targets: `batch` class indices.
///   - reduction: Defaults to `.mean`.
public func crossEntropy(logits: Tensor, targets: [Int32], reduction: LossReduction = .mean) -> Tensor {
    reduce(softmaxCrossEntropy(logits: logits, labels: targets), reduction)
}

/// Mean squared error between predictions and targets of the same shape.
///
/// ```
/// loss = mean((predictions - targets)²)
/// ```
/// With `.none` the element-wise squared errors are returned.
public func meanSquaredError(predictions: Tensor, targets: Tensor, reduction: LossReduction = .mean) -> Tensor {
    precondition(predictions.shape == targets.shape,
                 "meanSquaredError: shapes \(predictions.shape) and \(targets.shape) differ")
    return reduce(square(predictions - targets), reduction)
}

/// One-hot rows `[labels.count, classCount]`.
public func oneHot(_ labels: [Int32], classCount: Int) -> Tensor {
    var values = [Float](repeating: 0, count: labels.count * classCount)
    for (row, label) in labels.enumerated() { values[row * classCount + Int(label)] = 1 }
    return Tensor(values, shape: [labels.count, classCount])
}

/// A classification loss as a value, so an experiment swaps losses by changing an argument:
/// `Trainer(..., loss: .meanSquaredError)`. Both take logits and integer labels.
public struct Loss: Sendable {
    /// Short name for logs and reports.
    public let name: String
    private let compute: @Sendable (_ logits: Tensor, _ labels: [Int32]) -> Tensor

    public init(name: String, _ compute: @escaping @Sendable (_ logits: Tensor, _ labels: [Int32]) -> Tensor) {
        self.name = name
        self.compute = compute
    }

    /// The mean loss of a batch.
    public func callAsFunction(logits: Tensor, labels: [Int32]) -> Tensor { compute(logits, labels) }

    /// Softmax cross-entropy (Keras `sparse_categorical_crossentropy(from_logits=True)`).
    public static let crossEntropy = Loss(name: "cross_entropy") { logits, labels in
        NN.crossEntropy(logits: logits, targets: labels)
    }

    /// MSE between softmax probabilities and one-hot targets, averaged over all elements
    /// (Keras `mse` on a softmax output with one-hot labels).
    public static let meanSquaredError = Loss(name: "mean_squared_error") { logits, labels in
        NN.meanSquaredError(predictions: softmax(logits),
                            targets: oneHot(labels, classCount: logits.shape[1]))
    }
}
