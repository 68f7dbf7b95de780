// 2-D convolution over NCHW images as matrix products over the whole batch (im2col + sgemm).
//
// The whole mini-batch is unfolded into one column matrix per tap region, so even the last
// ResNet stages, where an image has a single output position, make one large sgemm instead of
// sixty-four tiny ones. With OpenBLAS single-threaded, each core unfolds and multiplies its own
// block of images (and its own block of filters for the weight gradient), so the cores never
// wait on each other inside a product and never write the same output rows.

/// Output extent of a convolution or pooling window along one axis.
///
/// ```
/// output = ⌊(input + 2·padding − kernel) / stride⌋ + 1
/// ```
@inlinable
public func convolutionOutputExtent(input: Int, kernel: Int, stride: Int, padding: Int) -> Int {
    (input + 2 * padding - kernel) / stride + 1
}

/// Cross-correlation of `[N, C, H, W]` images with `[O, C, KH, KW]` filters (what every
/// framework calls convolution), plus an optional per-filter bias.
///
/// The outputs are split into regions whose windows overlap the image in the same taps (see
/// `TapRegion`; usually a single region with the whole kernel). With each region `r` unfolded
/// into `cols_r` of shape `[C·|taps_r|, N·P_r]` (im2col) and `W_r` the weight's columns for
/// those taps:
///
/// ```
/// Y_r = W_r · cols_r  (+ b per row)     dW_r = dY_r · cols_rᵀ     dcols_r = W_rᵀ · dY_r → col2im → dx
/// ```
/// where `Y_r` is `[O, N·P_r]`, scattered into `[N, O, OH, OW]` on the way out.
///
/// - Parameters:
///   - x: `[N, C, H, W]`.
///   - weight: `[O, C, KH, KW]`.
///   - bias: `[O]`, or `nil` (layers followed by batch normalisation need none).
///   - stride: Step between windows, both axes.
///   - padding: Zeros added on every side, both axes.
/// - Returns: `[N, O, OH, OW]`; see `convolutionOutputExtent(input:kernel:stride:padding:)`.
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding,
           regionSplitThreshold: ConvolutionGeometry.regionSplitThreshold)
}

/// `conv2d` with the tap-region split threshold chosen by the caller (tests use 1 to split
/// wherever a tap is unused, so the region code is checked on small shapes).
///
/// Two shapes take a specialised path unless `allowsSpecialisedPaths` is false (tests compare
/// each with the general path): a convolution whose every window covers the whole input
/// (ResNet's 2x2 and 1x1 maps) runs as a dense layer over the flattened images
/// (`WholeMapConvolution`), and one with few channels and filters (LeNet-5's) runs the direct
/// kernels (`DirectConvolution`). For any one shape exactly one path runs.
func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int, regionSplitThreshold: Double,
            allowsSpecialisedPaths: Bool = true) -> Tensor {
    let geometry = convolutionGeometry(x, weight: weight, bias: bias, stride: stride, padding: padding,
                                       regionSplitThreshold: regionSplitThreshold)
    let outputChannels = weight.shape[0]
    if allowsSpecialisedPaths, let plan = WholeMapConvolution(geometry: geometry, outputChannels: outputChannels) {
        return wholeMapConv2d(x, weight: weight, bias: bias, plan: plan)
    }
    if allowsSpecialisedPaths, let plan = DirectConvolution(geometry: geometry, outputChannels: outputChannels) {
        return directConv2d(x, weight: weight, bias: bias, plan: plan)
    }
    let plan = ConvolutionPlan(geometry: geometry, outputChannels: outputChannels, weight: weight.data)
    let batch = geometry.batch, outputCount = batch * outputChannels * geometry.outputPositions
    let cores = plan.cores(splitting: batch)
    // The whole batch's columns are kept only for a weight gradient split by filters; the
    // image-chunked one unfolds its chunk again, and evaluation needs no columns afterwards.
    let chunks = plan.weightGradientChunks
    let keepsColumns = GradientMode.isRecording && weight.requiresGradient && chunks == 1
    let sharedCount = keepsColumns ? plan.columnCount : 0

    var columns = [Float](unsafeUninitializedCapacity: sharedCount) { _, initialized in initialized = sharedCount }
    let values = [Float](unsafeUninitializedCapacity: outputCount) { output, initialized in
        withBuffers(x.data, plan.gatheredWeights) { input, gathered in
            weight.data.withUnsafeBufferPointer { w in
                columns.withUnsafeMutableBufferPointer { cols in
                    parallelTasks(cores) { core in
                        let images = core * batch / cores ..< (core + 1) * batch / cores
                        let local = keepsColumns ? nil
                            : UnsafeMutablePointer<Float>.allocate(capacity: plan.localColumnCount(images: plan.imagesPerPiece))
                        defer { local?.deallocate() }
                        plan.forEachPiece(of: images) { piece in
                            plan.forward(images: piece, x: input.baseAddress!, weight: w.baseAddress!,
                                         gathered: gathered.baseAddress ?? w.baseAddress!, bias: bias?.data,
                                         columns: local ?? cols.baseAddress!, sharesColumns: keepsColumns,
                                         output: output.baseAddress!)
                        }
                    }
                }
            }
        }
        initialized = outputCount
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.result(values, shape: [batch, outputChannels, geometry.outputHeight, geometry.outputWidth],
                         inputs: inputs) { output in
        // dY regrouped region by region, each `[O, N·P_r]` like the products.
        var regionGradients = [Float](unsafeUninitializedCapacity: outputCount) { _, initialized in initialized = outputCount }
        output.grad!.withUnsafeBufferPointer { dy in
            regionGradients.withUnsafeMutableBufferPointer { gathered in
                parallelTasks(cores) { core in
                    plan.gatherOutputGradient(dy.baseAddress!, images: core * batch / cores ..< (core + 1) * batch / cores,
                                              into: gathered.baseAddress!)
                }
            }
            if let bias {
                accumulateBiasGradient(bias, outputGradient: dy.baseAddress!, batch: batch, channels: outputChannels,
                                       positions: geometry.outputPositions, cores: plan.cores(splitting: outputChannels))
            }
        }
        withBuffers(regionGradients, x.data) { dy, input in
            if batch > 0 {
                weight.accumulateGradient { g, beta in
                    guard chunks > 1 else {
                        let filterCores = plan.cores(splitting: outputChannels)
                        columns.withUnsafeMutableBufferPointer { cols in
                            parallelTasks(filterCores) { core in
                                plan.weightGradient(filters: core * outputChannels / filterCores ..< (core + 1) * outputChannels / filterCores,
                                                    outputGradient: dy.baseAddress!, columns: cols.baseAddress!, sharesColumns: true,
                                                    beta: beta, into: g)
                            }
                        }
                        return
                    }
                    let size = weight.count
                    var partials = [Float](unsafeUninitializedCapacity: chunks * size) { _, initialized in initialized = chunks * size }
                    partials.withUnsafeMutableBufferPointer { partials in
                        // Each core unfolds its chunks again into one buffer of its own.
                        let chunkCores = plan.cores(splitting: chunks)
                        parallelTasks(chunkCores) { core in
                            let local = UnsafeMutablePointer<Float>.allocate(capacity: plan.localColumnCount(images: (batch + chunks - 1) / chunks))
                            defer { local.deallocate() }
                            for chunk in Swift.stride(from: core, to: chunks, by: chunkCores) {
                                let images = chunk * batch / chunks ..< (chunk + 1) * batch / chunks
                                plan.unfoldLocally(images: images, x: input.baseAddress!, into: local)
                                plan.weightGradient(filters: 0..<outputChannels, images: images, outputGradient: dy.baseAddress!,
                                                    columns: local, sharesColumns: false, beta: 0, into: partials.baseAddress! + chunk * size)
                            }
                        }
                        // Σ over the chunks in chunk order, element by element (vectorised along the elements).
                        let total = partials.baseAddress!
                        for chunk in 1..<chunks {
                            let part = total + chunk * size
                            for i in 0..<size { total[i] += part[i] }
                        }
                        if beta == 0 {
                            g.update(from: total, count: size)
                        } else {
                            for i in 0..<size { g[i] += total[i] }
                        }
                    }
                }
            }
            if x.requiresGradient {
                withBuffers(weight.data, plan.gatheredWeights) { w, gathered in
                    x.accumulateGradient { g, beta in
                        parallelTasks(cores) { core in
                            plan.forEachPiece(of: core * batch / cores ..< (core + 1) * batch / cores) { piece in
                                plan.inputGradient(images: piece, outputGradient: dy.baseAddress!, weight: w.baseAddress!,
                                                   gathered: gathered.baseAddress ?? w.baseAddress!, adding: beta != 0, into: g)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The geometry of `conv2d(x, weight:bias:stride:padding:)`, after checking that the shapes fit.
func convolutionGeometry(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int,
                         regionSplitThreshold: Double) -> ConvolutionGeometry {
    precondition(x.rank == 4 && weight.rank == 4, "conv2d needs x [N, C, H, W] and weight [O, C, KH, KW], got \(x.shape) and \(weight.shape)")
    precondition(x.shape[1] == weight.shape[1], "conv2d: \(x.shape[1]) input channels, weight expects \(weight.shape[1])")
    precondition(stride > 0 && padding >= 0, "conv2d: stride must be positive and padding non-negative")
    if let bias { precondition(bias.shape == [weight.shape[0]], "conv2d: bias \(bias.shape) for \(weight.shape[0]) filters") }
    return ConvolutionGeometry(input: x.shape, kernel: Array(weight.shape[2...]), stride: stride, padding: padding,
                               regionSplitThreshold: regionSplitThreshold)
}

/// Adds `Σ` over images and positions of `dy` (`[N, O, P]`) to `bias`'s gradient, each plane in
/// `orderedSum`'s fixed lane order, so the cores (a block of channels each) cannot change the
/// result.
func accumulateBiasGradient(_ bias: Tensor, outputGradient dy: UnsafePointer<Float>, batch: Int, channels: Int,
                            positions: Int, cores: Int) {
    bias.accumulateGradient { g in
        parallelTasks(cores) { core in
            for channel in (core * channels / cores)..<((core + 1) * channels / cores) {
                var total: Float = 0
                for image in 0..<batch {
                    total += orderedSum(UnsafeBufferPointer(start: dy + (image * channels + channel) * positions, count: positions))
                }
                g[channel] += total
            }
        }
    }
}
