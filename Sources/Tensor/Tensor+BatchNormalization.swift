// Batch normalisation over the channels of NCHW images (Ioffe & Szegedy, 2015), with the
// per-channel scale and shift folded in: the existing elementwise broadcasting only lines up
// suffix shapes, and a channel axis in the middle of NCHW is not one.

/// Per-channel statistics of a batch, over the batch and both spatial axes.
public struct ChannelStatistics: Sendable {
    /// Mean of each channel.
    public var mean: [Float]
    /// Biased variance (divided by `N·H·W`) of each channel, the one normalisation uses.
    public var variance: [Float]
    /// Values averaged per channel, `N·H·W` (for the unbiased running-variance correction).
    public var sampleCount: Int
}

/// Training-mode batch normalisation: normalises each channel with the batch's own mean and
/// variance, then scales and shifts it.
///
/// ```
/// x̂ = (x − μ_B) / sqrt(σ²_B + ε)        y = γ x̂ + β
/// dγ = Σ dy x̂        dβ = Σ dy        dx = γ / (M sqrt(σ²_B + ε)) · (M dy − Σ dy − x̂ Σ dy x̂)
/// ```
/// with sums over the `M = N·H·W` values of a channel.
///
/// - Parameters:
///   - x: `[N, C, H, W]` (or `[N, C]`, treated as H = W = 1).
///   - scale: γ, `[C]`.
///   - shift: β, `[C]`.
/// - Returns: The normalised tensor and the batch statistics (for running averages).
public func batchNormalized(_ x: Tensor, scale: Tensor, shift: Tensor, epsilon: Float = 1e-5) -> (output: Tensor, statistics: ChannelStatistics) {
    let layout = ChannelLayout(x, scale: scale, shift: shift)
    let statistics = x.data.withUnsafeBufferPointer { layout.statistics($0) }
    let inverseDeviations = statistics.variance.map { 1 / ($0 + epsilon).squareRoot() }
    // x̂ is kept for the pullback; y = γ x̂ + β.
    let (normalized, values) = layout.normalize(x.data, mean: statistics.mean, inverseDeviations: inverseDeviations,
                                                scale: scale.data, shift: shift.data)
    let output = Tensor.result(values, shape: x.shape, inputs: [x, scale, shift]) { output in
        withBuffers(output.grad!, normalized) { dy, xHat in
            let sums = scale.data.withUnsafeBufferPointer { gamma in
                let factors = (0..<layout.channels).map { gamma[$0] * inverseDeviations[$0] / Float(layout.valuesPerChannel) }
                guard x.requiresGradient else {
                    return layout.backward(dy: dy, normalized: xHat, factors: factors, into: nil, adding: false)
                }
                var sums: GradientSums?
                x.accumulateGradient { g, beta in
                    sums = layout.backward(dy: dy, normalized: xHat, factors: factors, into: g, adding: beta != 0)
                }
                return sums!
            }
            scale.accumulateGradient { g in for c in 0..<layout.channels { g[c] += sums.projected[c] } }
            shift.accumulateGradient { g in for c in 0..<layout.channels { g[c] += sums.gradient[c] } }
        }
    }
    return (output, statistics)
}

/// Inference-mode batch normalisation: a fixed per-channel affine map built from stored
/// (running) statistics, so each image's output depends on that image alone.
///
/// ```
/// y = γ (x − μ) / sqrt(σ² + ε) + β        dx = γ dy / sqrt(σ² + ε)        dγ = Σ dy x̂        dβ = Σ dy
/// ```
public func batchNormalized(_ x: Tensor, scale: Tensor, shift: Tensor, mean: [Float], variance: [Float],
                            epsilon: Float = 1e-5) -> Tensor {
    let layout = ChannelLayout(x, scale: scale, shift: shift)
    precondition(mean.count == layout.channels && variance.count == layout.channels,
                 "batchNormalized: \(mean.count) means and \(variance.count) variances for \(layout.channels) channels")
    let inverseDeviations = variance.map { 1 / ($0 + epsilon).squareRoot() }
    let (normalized, values) = layout.normalize(x.data, mean: mean, inverseDeviations: inverseDeviations,
                                                scale: scale.data, shift: shift.data)
    return Tensor.result(values, shape: x.shape, inputs: [x, scale, shift]) { output in
        withBuffers(output.grad!, normalized) { dy, xHat in
            var gradientSums = [Float](repeating: 0, count: layout.channels)
            var projectedSums = [Float](repeating: 0, count: layout.channels)
            layout.forEachPlane { channel, range in
                for i in range { gradientSums[channel] += dy[i]; projectedSums[channel] += dy[i] * xHat[i] }
            }
            scale.accumulateGradient { g in for c in 0..<g.count { g[c] += projectedSums[c] } }
            shift.accumulateGradient { g in for c in 0..<g.count { g[c] += gradientSums[c] } }
            x.accumulateGradient { g in
                layout.forEachPlane { channel, range in
                    let factor = scale.data[channel] * inverseDeviations[channel]
                    for i in range { g[i] += factor * dy[i] }
                }
            }
        }
    }
}
