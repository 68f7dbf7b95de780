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

/// `conv2d` through a `DirectConvolution`: the same function and gradients as the general path.
func directConv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, plan: DirectConvolution) -> Tensor {
    let geometry = plan.geometry, outputChannels = plan.outputChannels, batch = geometry.batch
    let outputCount = batch * outputChannels * geometry.outputPositions
    let imageCores = plan.cores(splitting: batch)
    let shape = plan.shape
    let values = [Float](unsafeUninitializedCapacity: outputCount) { output, initialized in
        withBuffers(x.data, weight.data) { input, w in
            withOptionalBuffer(bias?.data) { b in
                parallelTasks(imageCores) { core in
                    let images = plan.images(core: core, of: imageCores)
                    labbook_direct_conv_forward(shape, input.baseAddress!, w.baseAddress!, b, output.baseAddress!,
                                                Int32(images.lowerBound), Int32(images.upperBound))
                }
            }
        }
        initialized = outputCount
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.result(values, shape: [batch, outputChannels, geometry.outputHeight, geometry.outputWidth],
                         inputs: inputs) { output in
        output.grad!.withUnsafeBufferPointer { dy in
            if let bias {
                accumulateBiasGradient(bias, outputGradient: dy.baseAddress!, batch: batch, channels: outputChannels,
                                       positions: geometry.outputPositions, cores: plan.cores(splitting: outputChannels))
            }
            withBuffers(x.data, weight.data) { input, w in
                if batch > 0 {
                    weight.accumulateGradient { g, beta in
                        // Parts of the taps (or input channels): each weight element is one core's sum.
                        let parts = plan.cores(splitting: geometry.columnRows)
                        parallelTasks(parts) { part in
                            labbook_direct_conv_weight_gradient(shape, input.baseAddress!, dy.baseAddress!, Int32(batch), g,
                                                                Int32(part), Int32(parts), beta != 0 ? 1 : 0)
                        }
                    }
                }
                guard x.requiresGradient else { return }
                x.accumulateGradient { g, beta in
                    parallelTasks(imageCores) { core in
                        let images = plan.images(core: core, of: imageCores)
                        labbook_direct_conv_input_gradient(shape, dy.baseAddress!, w.baseAddress!, g,
                                                           Int32(images.lowerBound), Int32(images.upperBound), beta != 0 ? 1 : 0)
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
