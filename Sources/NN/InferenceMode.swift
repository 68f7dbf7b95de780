import Tensor

/// Wraps a model so that it always runs in evaluation mode, whatever `train(_:)` asks: batch
/// normalisation then uses its running statistics and never updates them.
///
/// Curvature and loss-landscape code differentiates a fixed function of the parameters; a
/// batch-normalised network in training mode is not one (its output depends on the batch, and
/// every call moves the running statistics). The parameters are the wrapped model's, under the
/// prefix `model.`.
public final class InferenceMode: Module, UnaryLayer {
    public let model: any UnaryLayer

    public init(_ model: any UnaryLayer) {
        self.model = model
        super.init()
        model.train(false)
    }

    /// Ignores the request: the wrapped model stays in evaluation mode.
    public override func train(_ isTraining: Bool = true) {
        model.train(false)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor { model(input) }
}
