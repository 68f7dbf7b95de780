import Tensor

/// Batch normalisation of NCHW images per channel (Ioffe & Szegedy, "Batch Normalization",
/// 2015), PyTorch's `BatchNorm2d`.
///
/// In training mode (`isTraining`) each channel is normalised with the batch's statistics, and
/// running estimates are updated:
///
/// ```
/// running_mean ← (1 − momentum) running_mean + momentum μ_B
/// running_var  ← (1 − momentum) running_var  + momentum σ²_B · M / (M − 1)     (unbiased)
/// ```
/// In evaluation mode the running estimates are used instead. `weight` (γ) and `bias` (β) are
/// trainable parameters; the running statistics are buffers: saved with the weights, but not
/// parameters (they do not require gradients, so `parameters()` leaves them out).
public final class BatchNorm2D: Module, UnaryLayer {
    /// γ, `[channels]`, initialised to ones.
    public let weight: Tensor
    /// β, `[channels]`, initialised to zeros.
    public let bias: Tensor
    /// Running mean, `[channels]`; a buffer.
    public let runningMean: Tensor
    /// Running (unbiased) variance, `[channels]`; a buffer.
    public let runningVariance: Tensor
    public let momentum: Float
    public let epsilon: Float

    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        precondition(channels > 0 && momentum >= 0 && momentum <= 1 && epsilon > 0,
                     "BatchNorm2D: channels \(channels), momentum \(momentum), epsilon \(epsilon)")
        weight = Tensor(shape: [channels], repeating: 1, requiresGradient: true)
        bias = Tensor.zeros([channels], requiresGradient: true)
        runningMean = Tensor.zeros([channels])
        runningVariance = Tensor(shape: [channels], repeating: 1)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard isTraining else {
            return batchNormalized(input, scale: weight, shift: bias, mean: runningMean.data,
                                   variance: runningVariance.data, epsilon: epsilon)
        }
        let (output, statistics) = batchNormalized(input, scale: weight, shift: bias, epsilon: epsilon)
        let correction = Float(statistics.sampleCount) / Float(max(statistics.sampleCount - 1, 1))
        let momentum = momentum
        runningMean.withUnsafeMutableData { mean in
            for c in 0..<mean.count { mean[c] += momentum * (statistics.mean[c] - mean[c]) }
        }
        runningVariance.withUnsafeMutableData { variance in
            for c in 0..<variance.count { variance[c] += momentum * (statistics.variance[c] * correction - variance[c]) }
        }
        return output
    }
}
