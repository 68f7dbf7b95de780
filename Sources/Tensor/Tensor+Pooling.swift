// Spatial pooling over NCHW images: max pooling over windows and global average pooling.

/// The largest value in each `kernel`×`kernel` window, per image and channel. Padding counts as
/// −∞, so a window never picks it.
///
/// The gradient goes to the one input that was the maximum (the first, on ties):
///
/// ```
/// y[n, c, oh, ow] = max over the window of x        dx[argmax] += dy[n, c, oh, ow]
/// ```
/// - Parameters:
///   - x: `[N, C, H, W]`.
///   - kernel: Window side.
///   - stride: Step between windows; defaults to `kernel` (non-overlapping windows).
///   - padding: −∞ border added on every side.
public func maxPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    precondition(x.rank == 4, "maxPool2d needs [N, C, H, W], got \(x.shape)")
    let stride = stride ?? kernel
    precondition(kernel > 0 && stride > 0 && padding >= 0 && padding * 2 <= kernel,
                 "maxPool2d: kernel \(kernel), stride \(stride), padding \(padding)")
    let planes = x.shape[0] * x.shape[1], height = x.shape[2], width = x.shape[3]
    let outputHeight = convolutionOutputExtent(input: height, kernel: kernel, stride: stride, padding: padding)
    let outputWidth = convolutionOutputExtent(input: width, kernel: kernel, stride: stride, padding: padding)
    precondition(outputHeight > 0 && outputWidth > 0, "maxPool2d: window \(kernel) does not fit \(height)x\(width)")
    let outputCount = planes * outputHeight * outputWidth, planeOutputs = outputHeight * outputWidth
    // Each core takes a block of whole planes: its outputs, and in the pullback its inputs.
    let cores = x.count >= 1 << 15 ? min(Parallelism.usableCoreCount, planes) : 1
    // Index (into x) of each output's maximum, for the pullback.
    var sources = [Int32](unsafeUninitializedCapacity: outputCount) { _, initialized in initialized = outputCount }
    let values = x.data.withUnsafeBufferPointer { input in
        sources.withUnsafeMutableBufferPointer { argmax in
            [Float](unsafeUninitializedCapacity: outputCount) { output, initialized in
                parallelTasks(cores) { core in
                    for plane in (core * planes / cores)..<((core + 1) * planes / cores) {
                        let planeStart = plane * height * width
                        var o = plane * planeOutputs
                        if kernel == 2 && stride == 2 && padding == 0 {
                            // The LeNet case, unrolled: the same scan order and strict `>` as below.
                            for oh in 0..<outputHeight {
                                let top = planeStart + 2 * oh * width
                                for ow in 0..<outputWidth {
                                    let first = top + 2 * ow, below = first + width
                                    var bestIndex = first, best = input[first]
                                    if !(best > -Float.infinity) { best = -Float.infinity }
                                    if input[first + 1] > best { best = input[first + 1]; bestIndex = first + 1 }
                                    if input[below] > best { best = input[below]; bestIndex = below }
                                    if input[below + 1] > best { best = input[below + 1]; bestIndex = below + 1 }
                                    output[o] = best
                                    argmax[o] = Int32(bestIndex)
                                    o += 1
                                }
                            }
                            continue
                        }
                        for oh in 0..<outputHeight {
                            let rowLower = max(0, oh * stride - padding), rowUpper = min(height, oh * stride - padding + kernel)
                            for ow in 0..<outputWidth {
                                let columnLower = max(0, ow * stride - padding), columnUpper = min(width, ow * stride - padding + kernel)
                                var best = -Float.infinity, bestIndex = planeStart + rowLower * width + columnLower
                                for row in rowLower..<rowUpper {
                                    for column in columnLower..<columnUpper {
                                        let index = planeStart + row * width + column
                                        if input[index] > best { best = input[index]; bestIndex = index }
                                    }
                                }
                                output[o] = best
                                argmax[o] = Int32(bestIndex)
                                o += 1
                            }
                        }
                    }
                }
                initialized = outputCount
            }
        }
    }
    return Tensor.result(values, shape: [x.shape[0], x.shape[1], outputHeight, outputWidth], inputs: [x]) { output in
        output.grad!.withUnsafeBufferPointer { gradient in
            x.accumulateGradient { g, beta in
                parallelTasks(cores) { core in
                    let block = (core * planes / cores)..<((core + 1) * planes / cores)
                    // A first gradient: each core clears its own planes (still in its cache for
                    // the scatter) instead of the whole tensor being zero-filled beforehand.
                    if beta == 0 { (g + block.lowerBound * height * width).update(repeating: 0, count: block.count * height * width) }
                    for o in (block.lowerBound * planeOutputs)..<(block.upperBound * planeOutputs) {
                        g[Int(sources[o])] += gradient[o]
                    }
                }
            }
        }
    }
}

/// The mean of each channel over its whole image, `[N, C, H, W] -> [N, C]` (the head of a
/// ResNet).
///
/// ```
/// y[n, c] = (1 / HW) Σ x[n, c, :, :]        dx[n, c, h, w] = dy[n, c] / HW
/// ```
public func globalAveragePool2d(_ x: Tensor) -> Tensor {
    precondition(x.rank == 4, "globalAveragePool2d needs [N, C, H, W], got \(x.shape)")
    let planes = x.shape[0] * x.shape[1], area = x.shape[2] * x.shape[3]
    precondition(area > 0, "globalAveragePool2d of an empty image")
    let scale = 1 / Float(area)
    let values = x.data.withUnsafeBufferPointer { input in
        (0..<planes).map { plane in orderedSum(UnsafeBufferPointer(rebasing: input[(plane * area)..<((plane + 1) * area)])) * scale }
    }
    return Tensor.result(values, shape: [x.shape[0], x.shape[1]], inputs: [x]) { output in
        output.grad!.withUnsafeBufferPointer { gradient in
            x.accumulateGradient { g, beta in
                for plane in 0..<planes {
                    let share = gradient[plane] * scale
                    if beta == 0 {
                        (g + plane * area).update(repeating: share, count: area)
                    } else {
                        for i in (plane * area)..<((plane + 1) * area) { g[i] += share }
                    }
                }
            }
        }
    }
}
