// 2-D convolution over NCHW images as one matrix product per batch (im2col + sgemm).
//
// The whole mini-batch is unfolded into one column matrix, so even the last ResNet stages,
// where an image has a single output position, make one large sgemm instead of sixty-four
// tiny ones.

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
/// With the batch unfolded into `cols` of shape `[C·KH·KW, N·OH·OW]` (im2col):
///
/// ```
/// Y = W · cols  (+ b per row)       dW = dY · colsᵀ       dcols = Wᵀ · dY  → col2im → dx
/// ```
/// where `Y` is `[O, N·OH·OW]`, permuted to `[N, O, OH, OW]` on the way out.
///
/// - Parameters:
///   - x: `[N, C, H, W]`.
///   - weight: `[O, C, KH, KW]`.
///   - bias: `[O]`, or `nil` (layers followed by batch normalisation need none).
///   - stride: Step between windows, both axes.
///   - padding: Zeros added on every side, both axes.
/// - Returns: `[N, O, OH, OW]`; see `convolutionOutputExtent(input:kernel:stride:padding:)`.
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4, "conv2d needs x [N, C, H, W] and weight [O, C, KH, KW], got \(x.shape) and \(weight.shape)")
    precondition(x.shape[1] == weight.shape[1], "conv2d: \(x.shape[1]) input channels, weight expects \(weight.shape[1])")
    precondition(stride > 0 && padding >= 0, "conv2d: stride must be positive and padding non-negative")
    let geometry = ConvolutionGeometry(input: x.shape, kernel: Array(weight.shape[2...]), stride: stride, padding: padding)
    let outputChannels = weight.shape[0]
    if let bias { precondition(bias.shape == [outputChannels], "conv2d: bias \(bias.shape) for \(outputChannels) filters") }
    let batch = geometry.batch, positions = geometry.outputPositions, rows = geometry.columnRows
    let columnCount = batch * positions

    let columns = x.data.withUnsafeBufferPointer { geometry.unfold($0.baseAddress!) }
    // Y = W · cols, [O, N·P]; then permute to [N, O, P] and add the bias.
    var product = [Float](repeating: 0, count: outputChannels * columnCount)
    withBuffers(weight.data, columns) { w, cols in
        product.withUnsafeMutableBufferPointer { y in
            if y.count > 0 && rows > 0 {
                BLAS.gemm(transposeA: false, transposeB: false, m: outputChannels, n: columnCount, k: rows,
                          a: w.baseAddress!, b: cols.baseAddress!, beta: 0, c: y.baseAddress!)
            }
        }
    }
    let values = [Float](unsafeUninitializedCapacity: product.count) { output, initialized in
        product.withUnsafeBufferPointer { y in
            let biasValues = bias?.data
            for channel in 0..<outputChannels {
                let shift = biasValues?[channel] ?? 0
                for image in 0..<batch {
                    let source = y.baseAddress! + channel * columnCount + image * positions
                    let target = output.baseAddress! + (image * outputChannels + channel) * positions
                    for p in 0..<positions { target[p] = source[p] + shift }
                }
            }
        }
        initialized = product.count
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.result(values, shape: [batch, outputChannels, geometry.outputHeight, geometry.outputWidth],
                         inputs: inputs) { output in
        // dY back to [O, N·P], the layout of the product.
        let gradient = output.grad!.withUnsafeBufferPointer { dy in
            [Float](unsafeUninitializedCapacity: dy.count) { permuted, initialized in
                for image in 0..<batch {
                    for channel in 0..<outputChannels {
                        (permuted.baseAddress! + channel * columnCount + image * positions)
                            .update(from: dy.baseAddress! + (image * outputChannels + channel) * positions, count: positions)
                    }
                }
                initialized = dy.count
            }
        }
        gradient.withUnsafeBufferPointer { dy in
            bias?.accumulateGradient { g in
                for channel in 0..<outputChannels {
                    let row = dy.baseAddress! + channel * columnCount
                    var total: Float = 0
                    for i in 0..<columnCount { total += row[i] }
                    g[channel] += total
                }
            }
            guard columnCount > 0 && rows > 0 else { return }
            weight.accumulateGradient { g, beta in
                columns.withUnsafeBufferPointer { cols in
                    BLAS.gemm(transposeA: false, transposeB: true, m: outputChannels, n: rows, k: columnCount,
                              a: dy.baseAddress!, b: cols.baseAddress!, beta: beta, c: g)
                }
            }
            if x.requiresGradient {
                var columnGradient = [Float](repeating: 0, count: rows * columnCount)
                weight.data.withUnsafeBufferPointer { w in
                    columnGradient.withUnsafeMutableBufferPointer { dcols in
                        BLAS.gemm(transposeA: true, transposeB: false, m: rows, n: columnCount, k: outputChannels,
                                  a: w.baseAddress!, b: dy.baseAddress!, beta: 0, c: dcols.baseAddress!)
                    }
                }
                x.accumulateGradient { g in
                    columnGradient.withUnsafeBufferPointer { geometry.fold($0.baseAddress!, into: g.baseAddress!) }
                }
            }
        }
    }
}

/// The index arithmetic shared by im2col and its adjoint col2im.
struct ConvolutionGeometry {
    let batch, channels, height, width: Int
    let kernelHeight, kernelWidth, stride, padding: Int
    let outputHeight, outputWidth: Int

    init(input: [Int], kernel: [Int], stride: Int, padding: Int) {
        (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
        (kernelHeight, kernelWidth) = (kernel[0], kernel[1])
        self.stride = stride
        self.padding = padding
        outputHeight = convolutionOutputExtent(input: height, kernel: kernelHeight, stride: stride, padding: padding)
        outputWidth = convolutionOutputExtent(input: width, kernel: kernelWidth, stride: stride, padding: padding)
        precondition(outputHeight > 0 && outputWidth > 0,
                     "convolution window \(kernel) (stride \(stride), padding \(padding)) does not fit a \(height)x\(width) image")
    }

    var outputPositions: Int { outputHeight * outputWidth }
    /// Rows of the column matrix: one per (channel, kernel row, kernel column).
    var columnRows: Int { channels * kernelHeight * kernelWidth }
    /// A 1x1 window at stride 1 without padding (most of a bottleneck block's convolutions).
    var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0 }

    /// Output columns `lower..<upper` whose input column `ow·stride − padding + offset` lies
    /// inside the image (so the inner loops need no bounds checks).
    @inline(__always)
    func validRange(offset: Int, inputExtent: Int, outputExtent: Int) -> Range<Int> {
        // ow·s − p + k ≥ 0  ⇔  ow ≥ ⌈(p − k) / s⌉;    ow·s − p + k ≤ in − 1  ⇔  ow ≤ ⌊(in − 1 + p − k) / s⌋
        let shift = padding - offset
        let lower = shift <= 0 ? 0 : (shift + stride - 1) / stride
        let top = inputExtent - 1 + shift
        let upper = top < 0 ? 0 : min(outputExtent, top / stride + 1)
        return lower..<max(lower, upper)
    }

    /// im2col: `cols[(c·KH + i)·KW + j, n·P + oh·OW + ow] = x[n, c, oh·s − p + i, ow·s − p + j]`,
    /// zero outside the image.
    func unfold(_ x: UnsafePointer<Float>) -> [Float] {
        let positions = outputPositions, columnCount = batch * positions
        return [Float](unsafeUninitializedCapacity: columnRows * columnCount) { cols, initialized in
            let base = cols.baseAddress!
            if isPointwise {   // 1x1, stride 1, no padding: cols is x with the first two axes swapped
                for channel in 0..<channels {
                    for image in 0..<batch {
                        (base + channel * columnCount + image * positions)
                            .update(from: x + (image * channels + channel) * positions, count: positions)
                    }
                }
                initialized = columnRows * columnCount
                return
            }
            for channel in 0..<channels {
                for i in 0..<kernelHeight {
                    let rowsValid = validRange(offset: i, inputExtent: height, outputExtent: outputHeight)
                    for j in 0..<kernelWidth {
                        let columnsValid = validRange(offset: j, inputExtent: width, outputExtent: outputWidth)
                        let row = base + ((channel * kernelHeight + i) * kernelWidth + j) * columnCount
                        for image in 0..<batch {
                            let plane = x + (image * channels + channel) * height * width
                            let target = row + image * positions
                            for oh in 0..<outputHeight {
                                let line = target + oh * outputWidth
                                guard rowsValid.contains(oh) else { line.update(repeating: 0, count: outputWidth); continue }
                                let source = plane + (oh * stride - padding + i) * width - padding + j
                                for ow in 0..<columnsValid.lowerBound { line[ow] = 0 }
                                if stride == 1 {
                                    for ow in columnsValid { line[ow] = source[ow] }
                                } else {
                                    for ow in columnsValid { line[ow] = source[ow * stride] }
                                }
                                for ow in columnsValid.upperBound..<outputWidth { line[ow] = 0 }
                            }
                        }
                    }
                }
            }
            initialized = columnRows * columnCount
        }
    }

    /// col2im, the adjoint of `unfold`: adds every column entry back onto the pixel it was
    /// copied from (overlapping windows add up).
    func fold(_ cols: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>) {
        let positions = outputPositions, columnCount = batch * positions
        if isPointwise {
            for channel in 0..<channels {
                for image in 0..<batch {
                    let source = cols + channel * columnCount + image * positions
                    let target = x + (image * channels + channel) * positions
                    for p in 0..<positions { target[p] += source[p] }
                }
            }
            return
        }
        for channel in 0..<channels {
            for i in 0..<kernelHeight {
                let rowsValid = validRange(offset: i, inputExtent: height, outputExtent: outputHeight)
                for j in 0..<kernelWidth {
                    let columnsValid = validRange(offset: j, inputExtent: width, outputExtent: outputWidth)
                    let row = cols + ((channel * kernelHeight + i) * kernelWidth + j) * columnCount
                    for image in 0..<batch {
                        let plane = x + (image * channels + channel) * height * width
                        let source = row + image * positions
                        for oh in rowsValid {
                            let line = source + oh * outputWidth
                            let target = plane + (oh * stride - padding + i) * width - padding + j
                            if stride == 1 {
                                for ow in columnsValid { target[ow] += line[ow] }
                            } else {
                                for ow in columnsValid { target[ow * stride] += line[ow] }
                            }
                        }
                    }
                }
            }
        }
    }
}
