// The passes of batch normalisation over `[N, C, H, W]`, in two loop orders.
//
// Where a channel's plane is long (LeNet's 28×28, a ResNet's first stage), the loops run plane
// by plane with the channel's constants in registers. The last ResNet stages on 28×28 digits
// have planes of 4×4, 2×2 and 1×1 values: plane by plane, every pass was a loop of one to
// sixteen values and its set-up, sixty-four thousand times. There the loops run instead along
// a whole image's block of channels (`C·H·W` values in a row), with each per-channel constant
// spread to a row of `|channels|·H·W` values once per pass, and per-channel sums collected
// element by element across the images, then over each plane's few values.
//
// Either way each core takes a block of channels, and every channel's sums run in an order
// fixed by the shape alone, so results do not depend on the number of cores.

/// Sums over the values of each channel that the batch-normalisation pullback needs.
struct GradientSums {
    /// Σ dy per channel.
    var gradient: [Float]
    /// Σ dy x̂ per channel.
    var projected: [Float]
}

/// How an `[N, C, ...]` tensor splits into contiguous per-channel planes, and the passes of
/// batch normalisation over it.
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

    /// Planes shorter than this run along image rows (see the top of the file).
    static let shortPlane = 32

    /// Whether the passes run along image rows rather than plane by plane.
    var runsAlongRows: Bool { planeSize < Self.shortPlane }

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

    /// Calls `body` with where each image's values of `channels` start, images in order; each
    /// row holds `channels.count · planeSize` values.
    @inline(__always)
    func forEachRow(channels block: Range<Int>, _ body: (_ start: Int) -> Void) {
        for image in 0..<batch { body((image * channels + block.lowerBound) * planeSize) }
    }

    /// `values[c]` for the channels of `block`, each repeated `planeSize` times.
    func spread(_ values: UnsafePointer<Float>, channels block: Range<Int>) -> [Float] {
        [Float](unsafeUninitializedCapacity: block.count * planeSize) { row, initialized in
            for (k, channel) in block.enumerated() {
                (row.baseAddress! + k * planeSize).initialize(repeating: values[channel], count: planeSize)
            }
            initialized = block.count * planeSize
        }
    }

    /// Adds each plane's `planeSize` values of a row of per-element sums into `totals[channel]`.
    func addPlaneSums(_ row: [Float], channels block: Range<Int>, into totals: UnsafeMutablePointer<Float>) {
        for (k, channel) in block.enumerated() {
            var total: Float = 0
            for p in 0..<planeSize { total += row[k * planeSize + p] }
            totals[channel] += total
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
                    if runsAlongRows {
                        rowStatistics(x.baseAddress!, channels: block, means: means.baseAddress!, variances: variances.baseAddress!)
                        return
                    }
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

    /// `statistics` for the channels of `block`, along image rows.
    private func rowStatistics(_ x: UnsafePointer<Float>, channels block: Range<Int>, means: UnsafeMutablePointer<Float>,
                               variances: UnsafeMutablePointer<Float>) {
        let width = block.count * planeSize, count = Float(valuesPerChannel)
        var sums = [Float](repeating: 0, count: width)
        forEachRow(channels: block) { start in BatchNormalizationKernels.add(width, x + start, into: &sums) }
        addPlaneSums(sums, channels: block, into: means)
        for c in block { means[c] /= count }
        let spreadMeans = spread(means, channels: block)
        sums = [Float](repeating: 0, count: width)
        forEachRow(channels: block) { start in
            BatchNormalizationKernels.addSquaredDeviations(width, x + start, from: spreadMeans, into: &sums)
        }
        addPlaneSums(sums, channels: block, into: variances)
        for c in block { variances[c] /= count }
    }

    /// `x̂ = (x − μ) s` and `y = γ x̂ + β` per channel, with `s` the inverse deviations.
    func normalize(_ x: [Float], mean: [Float], inverseDeviations: [Float], scale: [Float], shift: [Float])
        -> (normalized: [Float], output: [Float]) {
        let count = x.count
        var normalized = [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        let output = [Float](unsafeUninitializedCapacity: count) { output, initialized in
            withBuffers(x, scale) { input, gamma in
                withBuffers(shift, mean) { beta, mean in
                    inverseDeviations.withUnsafeBufferPointer { s in
                        normalized.withUnsafeMutableBufferPointer { xHat in
                            let constants = ChannelConstants(mean: mean.baseAddress!, inverseDeviation: s.baseAddress!,
                                                             scale: gamma.baseAddress!, shift: beta.baseAddress!)
                            forEachChannelBlock { block in
                                normalize(block, input.baseAddress!, constants, normalized: xHat.baseAddress!,
                                          output: output.baseAddress!)
                            }
                        }
                    }
                }
            }
            initialized = count
        }
        return (normalized, output)
    }

    /// The per-channel constants of `normalize`.
    struct ChannelConstants {
        let mean, inverseDeviation, scale, shift: UnsafePointer<Float>
    }

    /// `normalize` for the channels of `block`.
    private func normalize(_ block: Range<Int>, _ input: UnsafePointer<Float>, _ constants: ChannelConstants,
                           normalized xHat: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        guard runsAlongRows else {
            forEachPlane(channels: block) { c, range in
                BatchNormalizationKernels.normalize(range, input: input, mean: constants.mean[c],
                                                    inverseDeviation: constants.inverseDeviation[c], scale: constants.scale[c],
                                                    shift: constants.shift[c], normalized: xHat, output: output)
            }
            return
        }
        let width = block.count * planeSize
        let rows = [constants.mean, constants.inverseDeviation, constants.scale, constants.shift].map { spread($0, channels: block) }
        forEachRow(channels: block) { start in
            BatchNormalizationKernels.normalizeRow(width, input: input + start, mean: rows[0], inverseDeviation: rows[1],
                                                   scale: rows[2], shift: rows[3], normalized: xHat + start, output: output + start)
        }
    }

    /// The training-mode pullback: each channel's Σ dy and Σ dy x̂, then (given `gradient`)
    /// `dx = f (M dy − Σdy − x̂ Σdy x̂)` with `f = factors[c]` (γ s / M), added onto the
    /// gradient when `adding`, written over it otherwise. Both run block by block, so a
    /// block's `dy` and `x̂` are read back for `dx` while still in cache.
    func backward(dy: UnsafeBufferPointer<Float>, normalized xHat: UnsafeBufferPointer<Float>, factors: [Float],
                  into gradient: UnsafeMutablePointer<Float>?, adding: Bool) -> GradientSums {
        var sums = GradientSums(gradient: [Float](repeating: 0, count: channels), projected: [Float](repeating: 0, count: channels))
        let total = Float(valuesPerChannel)
        sums.gradient.withUnsafeMutableBufferPointer { gradientSums in
            sums.projected.withUnsafeMutableBufferPointer { projectedSums in
                forEachChannelBlock { block in
                    let terms = InputGradientTerms(dy: dy.baseAddress!, normalized: xHat.baseAddress!, count: total,
                                                   gradientSums: gradientSums.baseAddress!, projectedSums: projectedSums.baseAddress!)
                    if runsAlongRows {
                        rowBackward(block, terms, factors: factors, into: gradient, adding: adding)
                    } else {
                        planeBackward(block, terms, factors: factors, into: gradient, adding: adding)
                    }
                }
            }
        }
        return sums
    }

    /// The buffers of `backward`.
    struct InputGradientTerms {
        let dy, normalized: UnsafePointer<Float>
        let count: Float
        let gradientSums, projectedSums: UnsafeMutablePointer<Float>
    }

    private func planeBackward(_ block: Range<Int>, _ terms: InputGradientTerms, factors: [Float],
                               into gradient: UnsafeMutablePointer<Float>?, adding: Bool) {
        let dy = terms.dy, xHat = terms.normalized
        forEachPlane(channels: block) { channel, range in
            var total: Float = 0, projected: Float = 0
            for i in range { total += dy[i]; projected += dy[i] * xHat[i] }
            terms.gradientSums[channel] += total
            terms.projectedSums[channel] += projected
        }
        guard let gradient else { return }
        forEachPlane(channels: block) { channel, range in
            BatchNormalizationKernels.inputGradient(range, factor: factors[channel], count: terms.count, outputGradient: dy,
                                                    gradientSum: terms.gradientSums[channel], normalized: xHat,
                                                    projectedSum: terms.projectedSums[channel], adding: adding, into: gradient)
        }
    }

    private func rowBackward(_ block: Range<Int>, _ terms: InputGradientTerms, factors: [Float],
                             into gradient: UnsafeMutablePointer<Float>?, adding: Bool) {
        let width = block.count * planeSize
        var gradientRow = [Float](repeating: 0, count: width), projectedRow = [Float](repeating: 0, count: width)
        forEachRow(channels: block) { start in
            BatchNormalizationKernels.addGradientSums(width, dy: terms.dy + start, normalized: terms.normalized + start,
                                                      gradientSums: &gradientRow, projectedSums: &projectedRow)
        }
        addPlaneSums(gradientRow, channels: block, into: terms.gradientSums)
        addPlaneSums(projectedRow, channels: block, into: terms.projectedSums)
        guard let gradient else { return }
        let spreadFactors = factors.withUnsafeBufferPointer { spread($0.baseAddress!, channels: block) }
        let spreadGradientSums = spread(terms.gradientSums, channels: block)
        let spreadProjectedSums = spread(terms.projectedSums, channels: block)
        forEachRow(channels: block) { start in
            BatchNormalizationKernels.inputGradientRow(width, factor: spreadFactors, count: terms.count,
                                                       outputGradient: terms.dy + start, gradientSum: spreadGradientSums,
                                                       normalized: terms.normalized + start, projectedSum: spreadProjectedSums,
                                                       adding: adding, into: gradient + start)
        }
    }
}
