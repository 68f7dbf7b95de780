import CConvolution

// A convolution with few input channels, few filters and a small kernel (LeNet-5's 5x5 layers),
// computed directly from the images: no im2col, no col2im, no product over a column matrix.

/// A stride-1 convolution small enough in channels, filters and kernel for the direct kernels
/// of `CConvolution` (AVX-512), which keep the sums in registers and read each image in place.
///
/// im2col turns LeNet-5's first layer (1 channel, 5x5, 6 filters) into a product of a 6 x 25
/// weight with a column matrix 25 times the image, and its second (6 channels, 16 filters) into
/// 16 x 150 by 150 x 100 per image: copying the columns and folding their gradient back was
/// more than a fifth of a LeNet-5 step, and products that skinny run far below the machine's
/// peak. The direct kernels multiply the same taps (all of them; zeros where the window
/// overhangs the padding) with fp32 FMAs, in either precision: the layers are too narrow for
/// bf16 products to pay for packing their operands.
///
/// Every output element, every weight-gradient element and every input-gradient element is one
/// chain of multiply-adds in a fixed order, whatever the number of cores: the cores split
/// images (forward, input gradient) or taps and channels (weight gradient).
public struct DirectConvolution {
    let geometry: ConvolutionGeometry
    let outputChannels: Int
    let shape: labbook_direct_conv_shape

    /// Largest input depth `C·K·K` and filter count the direct path takes: LeNet-5's layers
    /// (25 and 150 deep, 6 and 16 filters). Wider layers (every ResNet layer) make products
    /// large enough for im2col + sgemm to run near the peak.
    static let largestDepth = 160
    static let largestFilterCount = 16
    static let largestKernel = 5

    /// Whether this CPU runs the kernels: AVX-512F, and the engine's SIMD level not lowered
    /// below it (`LABBOOK_SIMD`).
    public static let isAvailable = labbook_direct_conv_supported() != 0 && (KernelSelection.process?.simdLevel ?? .baseline) >= .avx512

    /// The plan for `geometry`, or `nil` when the shape is not one the direct kernels take or
    /// the CPU lacks them.
    init?(geometry g: ConvolutionGeometry, outputChannels: Int) {
        let kernel = g.kernelHeight
        guard Self.isAvailable, g.stride == 1, g.kernelWidth == kernel, kernel <= Self.largestKernel, g.padding < kernel,
              outputChannels <= Self.largestFilterCount, g.channels * kernel * kernel <= Self.largestDepth,
              g.outputHeight > 0, g.outputWidth > 0
        else { return nil }
        geometry = g
        self.outputChannels = outputChannels
        shape = labbook_direct_conv_shape(channels: Int32(g.channels), height: Int32(g.height), width: Int32(g.width),
                                          filters: Int32(outputChannels), kernel: Int32(kernel), padding: Int32(g.padding))
    }

    /// Cores to split `count` images, taps or channels over (the rule of both other paths).
    func cores(splitting count: Int) -> Int {
        ConvolutionPlan.cores(splitting: count,
                              work: outputChannels * geometry.columnRows * geometry.batch * geometry.outputPositions)
    }

    /// Images `core` of `cores` works on.
    func images(core: Int, of cores: Int) -> Range<Int> {
        core * geometry.batch / cores ..< (core + 1) * geometry.batch / cores
    }
}

/// `maxPool2d(conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding), kernel: 2)`,
/// in one pass where the direct kernels take the convolution and its output's sides are even
/// (LeNet-5's layers): each image's output is pooled while it is in cache, and the pullback
/// spreads the pooled gradient over each image's output in cache, so the unpooled output and its
/// gradient (four times the pooled size) never go to memory. The values and the weight and input
/// gradients are those of the two operations one after the other, to the bit; the bias gradient
/// sums the same numbers without the zeros in between. Other shapes run the two operations.
public func conv2dMaxPool2x2(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    let geometry = convolutionGeometry(x, weight: weight, bias: bias, stride: stride, padding: padding,
                                       regionSplitThreshold: ConvolutionGeometry.regionSplitThreshold)
    let outputCount = geometry.batch * weight.shape[0] * geometry.outputPositions
    if geometry.outputHeight % 2 == 0, geometry.outputWidth % 2 == 0, outputCount <= Int(Int32.max),
       let plan = DirectConvolution(geometry: geometry, outputChannels: weight.shape[0]) {
        return directConv2d(x, weight: weight, bias: bias, plan: plan, pooling: true)
    }
    return maxPool2d(conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding), kernel: 2)
}

/// `conv2d` through a `DirectConvolution`: the same function and gradients as the general path;
/// with `pooling`, followed by 2x2 max pooling in the same pass (see `conv2dMaxPool2x2`).
func directConv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, plan: DirectConvolution, pooling: Bool = false) -> Tensor {
    let geometry = plan.geometry, outputChannels = plan.outputChannels, batch = geometry.batch, shape = plan.shape
    let (height, width) = pooling ? (geometry.outputHeight / 2, geometry.outputWidth / 2) : (geometry.outputHeight, geometry.outputWidth)
    let outputCount = batch * outputChannels * height * width
    let imageCores = plan.cores(splitting: batch)
    // Each window's maximum, as an index into the unpooled output (pooling only).
    var maxima = [Int32](unsafeUninitializedCapacity: pooling ? outputCount : 0) { _, initialized in initialized = pooling ? outputCount : 0 }
    let values = [Float](unsafeUninitializedCapacity: outputCount) { output, initialized in
        withBuffers(x.data, weight.data) { input, w in
            withOptionalBuffer(bias?.data) { b in
                maxima.withUnsafeMutableBufferPointer { sources in
                    parallelTasks(imageCores) { core in
                        let images = plan.images(core: core, of: imageCores)
                        let (first, last) = (Int32(images.lowerBound), Int32(images.upperBound))
                        if pooling {
                            labbook_direct_conv_pool_forward(shape, input.baseAddress!, w.baseAddress!, b, output.baseAddress!,
                                                             sources.baseAddress!, first, last)
                        } else {
                            labbook_direct_conv_forward(shape, input.baseAddress!, w.baseAddress!, b, output.baseAddress!, first, last)
                        }
                    }
                }
            }
        }
        initialized = outputCount
    }
    let sources = maxima
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.result(values, shape: [batch, outputChannels, height, width], inputs: inputs) { output in
        output.grad!.withUnsafeBufferPointer { dy in
            if let bias {
                // Every pooled gradient lands on one pixel, so it sums the same numbers.
                accumulateBiasGradient(bias, outputGradient: dy.baseAddress!, batch: batch, channels: outputChannels,
                                       positions: height * width, cores: plan.cores(splitting: outputChannels))
            }
            withBuffers(x.data, weight.data) { input, w in
                sources.withUnsafeBufferPointer { sources in
                    if batch > 0 {
                        weight.accumulateGradient { g, beta in
                            // Parts of the taps (or input channels): each weight element is one core's sum.
                            let parts = plan.cores(splitting: geometry.columnRows)
                            parallelTasks(parts) { part in
                                let (part, parts, adding) = (Int32(part), Int32(parts), Int32(beta != 0 ? 1 : 0))
                                if pooling {
                                    labbook_direct_conv_pooled_weight_gradient(shape, input.baseAddress!, dy.baseAddress!, sources.baseAddress!,
                                                                               Int32(batch), g, part, parts, adding)
                                } else {
                                    labbook_direct_conv_weight_gradient(shape, input.baseAddress!, dy.baseAddress!, Int32(batch), g,
                                                                        part, parts, adding)
                                }
                            }
                        }
                    }
                    guard x.requiresGradient else { return }
                    x.accumulateGradient { g, beta in
                        parallelTasks(imageCores) { core in
                            let images = plan.images(core: core, of: imageCores)
                            let (first, last, adding) = (Int32(images.lowerBound), Int32(images.upperBound), Int32(beta != 0 ? 1 : 0))
                            if pooling {
                                labbook_direct_conv_pooled_input_gradient(shape, dy.baseAddress!, sources.baseAddress!, w.baseAddress!, g,
                                                                          first, last, adding)
                            } else {
                                labbook_direct_conv_input_gradient(shape, dy.baseAddress!, w.baseAddress!, g, first, last, adding)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `body` with a pointer to `values`' floats, or with `nil` when there are none.
private func withOptionalBuffer<Result>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> Result) -> Result {
    guard let values else { return body(nil) }
    return values.withUnsafeBufferPointer { body($0.baseAddress) }
}
