// A convolution on a feature map so small that every window covers all of it, computed as a
// dense layer over the flattened images: no im2col, no col2im, no regrouping of the outputs.

/// A convolution in which every output window covers the whole input image: a 3x3, padding-1
/// kernel on a 2x2 or a 1x1 map, or at stride 2 from a 2x2 map to a 1x1 one (ResNet's last two
/// stages on 28x28 digits), and a 1x1 kernel on a 1x1 map.
///
/// Each output position `p` then reads each input position `q` through exactly one tap,
/// `t(p, q)`, so with the images as rows `X [N, C·Pin]` and the outputs as rows `Y [N, O·Pout]`
/// (both simply their NCHW layout) the convolution is one dense product with the expanded
/// weight `Ŵ [O·Pout, C·Pin]`, `Ŵ[(o, p), (c, q)] = W[o, c, t(p, q)]`:
///
/// ```
/// Y = X · Ŵᵀ        dX = dY · Ŵ        dŴ = dYᵀ · X,   dW[o, c, t] = Σ_{p, q: t(p, q) = t} dŴ[(o, p), (c, q)]
/// ```
/// It multiplies exactly the taps inside the image, as a split into tap regions does, but as one
/// product per core as wide as the filter bank. The general path would either multiply every tap
/// of the kernel (on a 2x2 map, 9 where each output uses 4) or make one narrow product per
/// region, and it copies the images into columns and the outputs back out.
struct WholeMapConvolution {
    let geometry: ConvolutionGeometry
    let outputChannels: Int
    /// `t(p, q)` (row-major in the kernel) for every output position `p` and input position `q`.
    let taps: [Int]

    /// Floats `Ŵ` may hold (16 MB); larger expansions stay on the general path.
    static let largestExpandedWeight = 1 << 22

    /// The plan for `geometry`, or `nil` when some window misses part of the input or `Ŵ`
    /// would be too large.
    init?(geometry: ConvolutionGeometry, outputChannels: Int) {
        let g = geometry
        guard Self.windowsCover(outputs: g.outputHeight, input: g.height, kernel: g.kernelHeight, stride: g.stride, padding: g.padding),
              Self.windowsCover(outputs: g.outputWidth, input: g.width, kernel: g.kernelWidth, stride: g.stride, padding: g.padding),
              outputChannels * g.outputPositions * g.channels * g.height * g.width <= Self.largestExpandedWeight
        else { return nil }
        self.geometry = geometry
        self.outputChannels = outputChannels
        taps = (0..<g.outputPositions).flatMap { p in
            (0..<(g.height * g.width)).map { q in
                let row = q / g.width - (p / g.outputWidth) * g.stride + g.padding
                let column = q % g.width - (p % g.outputWidth) * g.stride + g.padding
                return row * g.kernelWidth + column
            }
        }
    }

    /// Whether every window along one axis spans the whole input: the first window starts at
    /// or before it and reaches past its end, and the last one starts at or before it too.
    static func windowsCover(outputs: Int, input: Int, kernel: Int, stride: Int, padding: Int) -> Bool {
        kernel - padding >= input && (outputs - 1) * stride - padding <= 0
    }

    var inputPositions: Int { geometry.height * geometry.width }
    /// Columns of `Ŵ` and of `X`: one per (channel, input position).
    var inputWidth: Int { geometry.channels * inputPositions }
    /// Rows of `Ŵ`, columns of `Y`: one per (filter, output position).
    var outputWidth: Int { outputChannels * geometry.outputPositions }

    /// Whether `Ŵ` is the weight as it is: a 1x1 kernel on a 1x1 map.
    var usesWeightInPlace: Bool { geometry.kernelHeight * geometry.kernelWidth == 1 && inputPositions == 1 }

    /// Cores to split the products over (see `ConvolutionPlan.cores(splitting:)`).
    func cores(splitting count: Int) -> Int {
        ConvolutionPlan.cores(splitting: count, work: geometry.batch * outputWidth * inputWidth)
    }

    /// Writes rows `filters` of `Ŵ` (each filter's `Pout` rows) from `weight` `[O, C, KH, KW]`.
    func expandWeight(_ weight: UnsafePointer<Float>, filters: Range<Int>, into expanded: UnsafeMutablePointer<Float>) {
        let channels = geometry.channels, kernelSize = geometry.kernelHeight * geometry.kernelWidth
        let inputs = inputPositions, outputs = geometry.outputPositions, width = inputWidth
        taps.withUnsafeBufferPointer { table in
            for filter in filters {
                for p in 0..<outputs {
                    let tapsOfP = table.baseAddress! + p * inputs
                    var source = weight + filter * channels * kernelSize
                    var target = expanded + (filter * outputs + p) * width
                    for _ in 0..<channels {
                        for q in 0..<inputs { target[q] = source[tapsOfP[q]] }
                        source += kernelSize
                        target += inputs
                    }
                }
            }
        }
    }

    /// Columns `filters` of `Y = X · Ŵᵀ (+ bias)`: the outputs of those filters for every image.
    func forward(filters: Range<Int>, x: UnsafePointer<Float>, expanded: UnsafePointer<Float>, bias: [Float]?,
                 output: UnsafeMutablePointer<Float>) {
        let outputs = geometry.outputPositions, first = filters.lowerBound * outputs
        ConvolutionProduct.gemm(transposeA: false, transposeB: true, m: geometry.batch, n: filters.count * outputs, k: inputWidth,
                                a: x, rowStrideA: inputWidth, b: expanded + first * inputWidth, rowStrideB: inputWidth,
                                beta: 0, c: output + first, rowStrideC: outputWidth)
        guard let bias else { return }
        for image in 0..<geometry.batch {
            for filter in filters {
                let plane = output + image * outputWidth + filter * outputs
                for p in 0..<outputs { plane[p] += bias[filter] }
            }
        }
    }

    /// Columns `channels` of `dX = dY · Ŵ`, added onto `gradient` when `adding`, written over it
    /// otherwise.
    func inputGradient(channels: Range<Int>, outputGradient dy: UnsafePointer<Float>, expanded: UnsafePointer<Float>,
                       adding: Bool, into gradient: UnsafeMutablePointer<Float>) {
        let first = channels.lowerBound * inputPositions
        ConvolutionProduct.gemm(transposeA: false, transposeB: false, m: geometry.batch, n: channels.count * inputPositions,
                                k: outputWidth, a: dy, rowStrideA: outputWidth, b: expanded + first, rowStrideB: inputWidth,
                                beta: adding ? 1 : 0, c: gradient + first, rowStrideC: inputWidth)
    }

    /// Filters `filters` of `dW`, summed tap by tap from `dŴ = dYᵀ · X`, into `gradient`
    /// (`[O, C, KH, KW]`) scaled by `beta` (0: its old contents are garbage). Taps no output
    /// position uses get a zero gradient.
    func weightGradient(filters: Range<Int>, outputGradient dy: UnsafePointer<Float>, x: UnsafePointer<Float>,
                        beta: Float, into gradient: UnsafeMutablePointer<Float>) {
        let outputs = geometry.outputPositions, first = filters.lowerBound * outputs
        if usesWeightInPlace {
            ConvolutionProduct.gemm(transposeA: true, transposeB: false, m: filters.count, n: inputWidth, k: geometry.batch,
                                    a: dy + first, rowStrideA: outputWidth, b: x, rowStrideB: inputWidth,
                                    beta: beta, c: gradient + filters.lowerBound * inputWidth, rowStrideC: inputWidth)
            return
        }
        let rows = filters.count * outputs
        withUnsafeTemporaryAllocation(of: Float.self, capacity: rows * inputWidth) { partial in
            let expanded = partial.baseAddress!
            ConvolutionProduct.gemm(transposeA: true, transposeB: false, m: rows, n: inputWidth, k: geometry.batch,
                                    a: dy + first, rowStrideA: outputWidth, b: x, rowStrideB: inputWidth,
                                    beta: 0, c: expanded, rowStrideC: inputWidth)
            foldTaps(expanded, filters: filters, beta: beta, into: gradient)
        }
    }

    /// `dW[o, c, t] = beta · dW[o, c, t] + Σ_p dŴ[(o, p), (c, q)]` over the pairs with
    /// `t(p, q) = t`, in increasing `p` (each `p` reads at most one `q` through a tap), for
    /// `filters`, whose rows of `dŴ` start at `partial`.
    private func foldTaps(_ partial: UnsafePointer<Float>, filters: Range<Int>, beta: Float, into gradient: UnsafeMutablePointer<Float>) {
        let channels = geometry.channels, kernelSize = geometry.kernelHeight * geometry.kernelWidth
        let inputs = inputPositions, outputs = geometry.outputPositions, width = inputWidth
        taps.withUnsafeBufferPointer { table in
            for filter in filters {
                let block = gradient + filter * channels * kernelSize
                scaleForAccumulation(block, count: channels * kernelSize, beta: beta)
                for p in 0..<outputs {
                    let tapsOfP = table.baseAddress! + p * inputs
                    var source = partial + ((filter - filters.lowerBound) * outputs + p) * width
                    var target = block
                    for _ in 0..<channels {
                        for q in 0..<inputs { target[tapsOfP[q]] += source[q] }
                        source += inputs
                        target += kernelSize
                    }
                }
            }
        }
    }
}

/// `conv2d` through `WholeMapConvolution`: the images and the outputs keep their NCHW layout,
/// the cores split the filters (forward, weight gradient) or the channels (input gradient).
func wholeMapConv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, plan: WholeMapConvolution) -> Tensor {
    let geometry = plan.geometry, outputChannels = plan.outputChannels, batch = geometry.batch
    let expanded = plan.usesWeightInPlace ? weight.data : expandedWeight(weight, plan: plan)
    let filterCores = plan.cores(splitting: outputChannels)
    let values = [Float](unsafeUninitializedCapacity: batch * plan.outputWidth) { output, initialized in
        withBuffers(x.data, expanded) { input, w in
            parallelTasks(filterCores) { core in
                plan.forward(filters: core * outputChannels / filterCores ..< (core + 1) * outputChannels / filterCores,
                             x: input.baseAddress!, expanded: w.baseAddress!, bias: bias?.data, output: output.baseAddress!)
            }
        }
        initialized = batch * plan.outputWidth
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.result(values, shape: [batch, outputChannels, geometry.outputHeight, geometry.outputWidth],
                         inputs: inputs) { output in
        output.grad!.withUnsafeBufferPointer { dy in
            if let bias {
                accumulateBiasGradient(bias, outputGradient: dy.baseAddress!, batch: batch, channels: outputChannels,
                                       positions: geometry.outputPositions, cores: filterCores)
            }
            withBuffers(x.data, expanded) { input, w in
                if batch > 0 {
                    weight.accumulateGradient { g, beta in
                        parallelTasks(filterCores) { core in
                            plan.weightGradient(filters: core * outputChannels / filterCores ..< (core + 1) * outputChannels / filterCores,
                                                outputGradient: dy.baseAddress!, x: input.baseAddress!, beta: beta, into: g)
                        }
                    }
                }
                guard x.requiresGradient else { return }
                x.accumulateGradient { g, beta in
                    let channels = geometry.channels, channelCores = plan.cores(splitting: channels)
                    parallelTasks(channelCores) { core in
                        plan.inputGradient(channels: core * channels / channelCores ..< (core + 1) * channels / channelCores,
                                           outputGradient: dy.baseAddress!, expanded: w.baseAddress!, adding: beta != 0, into: g)
                    }
                }
            }
        }
    }
}

/// `Ŵ` for `weight`, the cores expanding a block of filters each.
private func expandedWeight(_ weight: Tensor, plan: WholeMapConvolution) -> [Float] {
    let count = plan.outputWidth * plan.inputWidth, filters = plan.outputChannels
    return [Float](unsafeUninitializedCapacity: count) { expanded, initialized in
        weight.data.withUnsafeBufferPointer { w in
            let cores = count >= 1 << 16 ? plan.cores(splitting: filters) : 1
            parallelTasks(cores) { core in
                plan.expandWeight(w.baseAddress!, filters: core * filters / cores ..< (core + 1) * filters / cores,
                                  into: expanded.baseAddress!)
            }
        }
        initialized = count
    }
}
