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
    let channels = layout.channels, count = x.count
    let statistics = x.data.withUnsafeBufferPointer { layout.statistics($0) }
    let inverseDeviations = statistics.variance.map { 1 / ($0 + epsilon).squareRoot() }
    // x̂ is kept for the pullback; y = γ x̂ + β. Each core takes a block of channels, so every
    // channel's sums run in the same order whatever the number of cores.
    var normalized = [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    let values = [Float](unsafeUninitializedCapacity: count) { output, initialized in
        withBuffers(x.data, scale.data) { input, gamma in
            shift.data.withUnsafeBufferPointer { beta in
                normalized.withUnsafeMutableBufferPointer { xHat in
                    layout.forEachChannelBlock { block in
                        layout.forEachPlane(channels: block) { channel, range in
                            BatchNormalizationKernels.normalize(range, input: input.baseAddress!, mean: statistics.mean[channel],
                                                                inverseDeviation: inverseDeviations[channel], scale: gamma[channel],
                                                                shift: beta[channel], normalized: xHat.baseAddress!,
                                                                output: output.baseAddress!)
                        }
                    }
                }
            }
        }
        initialized = count
    }
    let output = Tensor.result(values, shape: x.shape, inputs: [x, scale, shift]) { output in
        withBuffers(output.grad!, normalized) { dy, xHat in
            var gradientSums = [Float](repeating: 0, count: channels)       // Σ dy
            var projectedSums = [Float](repeating: 0, count: channels)      // Σ dy x̂
            gradientSums.withUnsafeMutableBufferPointer { gradientSums in
                projectedSums.withUnsafeMutableBufferPointer { projectedSums in
                    layout.forEachChannelBlock { block in
                        layout.forEachPlane(channels: block) { channel, range in
                            var total: Float = 0, projected: Float = 0
                            for i in range { total += dy[i]; projected += dy[i] * xHat[i] }
                            gradientSums[channel] += total
                            projectedSums[channel] += projected
                        }
                    }
                }
            }
            scale.accumulateGradient { g in for c in 0..<channels { g[c] += projectedSums[c] } }
            shift.accumulateGradient { g in for c in 0..<channels { g[c] += gradientSums[c] } }
            x.accumulateGradient { g in
                let total = Float(layout.valuesPerChannel)
                scale.data.withUnsafeBufferPointer { gamma in
                    layout.forEachChannelBlock { block in
                        layout.forEachPlane(channels: block) { channel, range in
                            BatchNormalizationKernels.addInputGradient(
                                range, factor: gamma[channel] * inverseDeviations[channel] / total, count: total,
                                outputGradient: dy.baseAddress!, gradientSum: gradientSums[channel],
                                normalized: xHat.baseAddress!, projectedSum: projectedSums[channel], into: g.baseAddress!)
                        }
                    }
                }
            }
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
    let normalized = x.data.withUnsafeBufferPointer { input in
        [Float](unsafeUninitializedCapacity: input.count) { output, initialized in
            layout.forEachPlane { channel, range in
                let m = mean[channel], s = inverseDeviations[channel]
                for i in range { output[i] = (input[i] - m) * s }
            }
            initialized = input.count
        }
    }
    let values = layout.affine(normalized, scale: scale.data, shift: shift.data)
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

/// How an `[N, C, ...]` tensor splits into contiguous per-channel planes.
struct ChannelLayout {
    let batch: Int
    let channels: Int
    /// Values per (image, channel) plane, `H·W`.
    let planeSize: Int

    init(_ x: Tensor, scale: Tensor, shift: Tensor) {
        precondition(x.rank >= 2, "batch normalisation needs [N, C, ...], got \(x.shape)")
        batch = x.shape[0]
        channels = x.shape[1]
        planeSize = x.shape.dropFirst(2).reduce(1, *)
        precondition(scale.shape == [channels] && shift.shape == [channels],
                     "batch normalisation: scale \(scale.shape) and shift \(shift.shape) for \(channels) channels")
        precondition(batch * planeSize > 0, "batch normalisation of an empty batch")
    }

    var valuesPerChannel: Int { batch * planeSize }

    /// Calls `body` for each plane, images in order, channels in order within an image.
    @inline(__always)
    func forEachPlane(_ body: (_ channel: Int, _ range: Range<Int>) -> Void) {
        forEachPlane(channels: 0..<channels, body)
    }

    /// Calls `body` for the planes of `channels`, images in order, channels in order within an image.
    @inline(__always)
    func forEachPlane(channels block: Range<Int>, _ body: (_ channel: Int, _ range: Range<Int>) -> Void) {
        for image in 0..<batch {
            for channel in block {
                let start = (image * channels + channel) * planeSize
                body(channel, start..<(start + planeSize))
            }
        }
    }

    /// Values below which a pass stays on one core (a hand-off costs about a microsecond).
    static let minimumParallelCount = 1 << 15

    /// Runs `body` on contiguous blocks of channels, one per core when the tensor is big
    /// enough. Per-channel results then do not depend on the number of cores.
    @inline(__always)
    func forEachChannelBlock(_ body: (Range<Int>) -> Void) {
        let cores = batch * channels * planeSize >= Self.minimumParallelCount ? min(Parallelism.usableCoreCount, channels) : 1
        if cores <= 1 { body(0..<channels); return }
        parallelTasks(cores) { core in body(core * channels / cores ..< (core + 1) * channels / cores) }
    }

    /// Two-pass mean and biased variance per channel (no cancellation from E[x²] − E[x]²).
    func statistics(_ x: UnsafeBufferPointer<Float>) -> ChannelStatistics {
        var means = [Float](repeating: 0, count: channels)
        var variances = [Float](repeating: 0, count: channels)
        let count = Float(valuesPerChannel)
        means.withUnsafeMutableBufferPointer { means in
            variances.withUnsafeMutableBufferPointer { variances in
                forEachChannelBlock { block in
                    forEachPlane(channels: block) { channel, range in
                        means[channel] += orderedSum(UnsafeBufferPointer(rebasing: x[range]))
                    }
                    for c in block { means[c] /= count }
                    forEachPlane(channels: block) { channel, range in
                        let m = means[channel]
                        var total: Float = 0
                        for i in range { let d = x[i] - m; total += d * d }
                        variances[channel] += total
                    }
                    for c in block { variances[c] /= count }
                }
            }
        }
        return ChannelStatistics(mean: means, variance: variances, sampleCount: valuesPerChannel)
    }

    /// `γ[c] x̂ + β[c]` per plane.
    func affine(_ normalized: [Float], scale: [Float], shift: [Float]) -> [Float] {
        normalized.withUnsafeBufferPointer { xHat in
            [Float](unsafeUninitializedCapacity: xHat.count) { output, initialized in
                forEachPlane { channel, range in
                    let g = scale[channel], b = shift[channel]
                    for i in range { output[i] = g * xHat[i] + b }
                }
                initialized = xHat.count
            }
        }
    }
}

/// The element-wise loops of training-mode batch normalisation, eight lanes at a time. Written
/// with SIMD types because the compiler leaves them scalar: it cannot prove that the output
/// buffers do not overlap the inputs. Each element gets exactly the scalar arithmetic (a
/// multiply, then an add: no fused multiply-add), so results are bit-identical to the plain
/// loops, and the tail of a plane runs those plain loops.
enum BatchNormalizationKernels {
    typealias Lanes = SIMD8<Float>

    /// `x̂ = (x − μ) s` and `y = γ x̂ + β` over `range`.
    @inline(__always)
    static func normalize(_ range: Range<Int>, input: UnsafePointer<Float>, mean m: Float, inverseDeviation s: Float,
                          scale g: Float, shift b: Float, normalized xHat: UnsafeMutablePointer<Float>,
                          output: UnsafeMutablePointer<Float>) {
        var i = range.lowerBound
        while i + Lanes.scalarCount <= range.upperBound {
            let value = (UnsafeRawPointer(input + i).loadUnaligned(as: Lanes.self) - m) * s
            UnsafeMutableRawPointer(xHat + i).storeBytes(of: value, as: Lanes.self)
            UnsafeMutableRawPointer(output + i).storeBytes(of: g * value + b, as: Lanes.self)
            i += Lanes.scalarCount
        }
        while i < range.upperBound {
            let value = (input[i] - m) * s
            xHat[i] = value
            output[i] = g * value + b
            i += 1
        }
    }

    /// `dx += f (M dy − Σdy − x̂ Σdy x̂)` over `range`, with `f = γ s / M`.
    @inline(__always)
    static func addInputGradient(_ range: Range<Int>, factor: Float, count total: Float, outputGradient dy: UnsafePointer<Float>,
                                 gradientSum: Float, normalized xHat: UnsafePointer<Float>, projectedSum: Float,
                                 into g: UnsafeMutablePointer<Float>) {
        var i = range.lowerBound
        while i + Lanes.scalarCount <= range.upperBound {
            let gradient = UnsafeRawPointer(dy + i).loadUnaligned(as: Lanes.self)
            let normalized = UnsafeRawPointer(xHat + i).loadUnaligned(as: Lanes.self)
            let update = factor * (total * gradient - gradientSum - normalized * projectedSum)
            let sum = UnsafeRawPointer(g + i).loadUnaligned(as: Lanes.self) + update
            UnsafeMutableRawPointer(g + i).storeBytes(of: sum, as: Lanes.self)
            i += Lanes.scalarCount
        }
        while i < range.upperBound {
            g[i] += factor * (total * dy[i] - gradientSum - xHat[i] * projectedSum)
            i += 1
        }
    }
}
