import Foundation
import Tensor

/// One convolution shape of the Q4 networks, timed on its own.
public struct ConvolutionLayerTiming: Codable, Sendable {
    public var layer: String
    /// `[N, C, H, W]`.
    public var input: [Int]
    /// `[O, C, KH, KW]`.
    public var weight: [Int]
    public var stride: Int
    public var padding: Int
    /// Fastest forward pass over the repeats, milliseconds.
    public var forwardMilliseconds: Double
    /// Fastest pullback (weight gradient, plus the input gradient unless the layer reads the
    /// images), milliseconds.
    public var backwardMilliseconds: Double
    /// Floating-point operations per second: `2 · N · O · C` times the (output position,
    /// kernel tap) pairs whose tap reads a pixel inside the image. Taps on padding add
    /// nothing and the engine skips what it can of them, so this counts useful work only,
    /// comparable between layers and with the machine's peak.
    public var forwardGFLOPS: Double
    public var backwardGFLOPS: Double

    enum CodingKeys: String, CodingKey {
        case layer, input, weight, stride, padding
        case forwardMilliseconds = "forward_ms"
        case backwardMilliseconds = "backward_ms"
        case forwardGFLOPS = "forward_gflops"
        case backwardGFLOPS = "backward_gflops"
    }
}

/// `labbook bench layers`: where a convolutional training step spends its time, layer shape
/// by layer shape. Each shape runs `repeats` times and keeps its fastest forward and
/// backward pass, which on a noisy machine is a steadier figure than a whole training step.
public struct ConvolutionLayerBenchmarkReport: Codable, Sendable {
    public var workload: String
    public var batch: Int
    public var repeats: Int
    public var threads: Int
    public var layers: [ConvolutionLayerTiming]
}

/// A convolution shape of LeNet-5, ResNet-18 or ResNet-50 on 28x28 digits.
struct ConvolutionLayerShape {
    let name: String
    let channels, size, filters, kernel, stride, padding: Int
    /// Whether the layer's input needs a gradient (not for a network's first layer).
    var inputGradient = true

    /// Along one axis, the (output, tap) pairs whose tap reads inside the image; squared, the
    /// multiply-adds per (image, filter, channel) that touch real pixels.
    var tapsInsideImage: Int {
        let outputs = convolutionOutputExtent(input: size, kernel: kernel, stride: stride, padding: padding)
        return (0..<outputs).reduce(0) { total, output in
            total + (0..<kernel).filter { tap in (0..<size).contains(output * stride - padding + tap) }.count
        }
    }

    /// The distinct shapes of the three networks: stems, ResNet-18's 3x3 stages (7x7 down to
    /// 1x1 maps, with the strided first convolutions and the 1x1 projections), a selection of
    /// ResNet-50's 1x1 bottleneck convolutions, and LeNet-5's two layers.
    static let q4Shapes: [ConvolutionLayerShape] = [
        .init(name: "resnet stem 7x7/2", channels: 1, size: 28, filters: 64, kernel: 7, stride: 2, padding: 3, inputGradient: false),
        .init(name: "resnet18 stage 1 3x3", channels: 64, size: 7, filters: 64, kernel: 3, stride: 1, padding: 1),
        .init(name: "resnet18 stage 2 3x3/2", channels: 64, size: 7, filters: 128, kernel: 3, stride: 2, padding: 1),
        .init(name: "resnet18 stage 2 projection 1x1/2", channels: 64, size: 7, filters: 128, kernel: 1, stride: 2, padding: 0),
        .init(name: "resnet18 stage 2 3x3", channels: 128, size: 4, filters: 128, kernel: 3, stride: 1, padding: 1),
        .init(name: "resnet18 stage 3 3x3/2", channels: 128, size: 4, filters: 256, kernel: 3, stride: 2, padding: 1),
        .init(name: "resnet18 stage 3 3x3", channels: 256, size: 2, filters: 256, kernel: 3, stride: 1, padding: 1),
        .init(name: "resnet18 stage 4 3x3/2", channels: 256, size: 2, filters: 512, kernel: 3, stride: 2, padding: 1),
        .init(name: "resnet18 stage 4 3x3", channels: 512, size: 1, filters: 512, kernel: 3, stride: 1, padding: 1),
        .init(name: "resnet50 stage 1 reduce 1x1", channels: 256, size: 7, filters: 64, kernel: 1, stride: 1, padding: 0),
        .init(name: "resnet50 stage 1 expand 1x1", channels: 64, size: 7, filters: 256, kernel: 1, stride: 1, padding: 0),
        .init(name: "resnet50 stage 3 reduce 1x1", channels: 1024, size: 2, filters: 256, kernel: 1, stride: 1, padding: 0),
        .init(name: "resnet50 stage 4 expand 1x1", channels: 512, size: 1, filters: 2048, kernel: 1, stride: 1, padding: 0),
        .init(name: "lenet5 conv1 5x5", channels: 1, size: 28, filters: 6, kernel: 5, stride: 1, padding: 2, inputGradient: false),
        .init(name: "lenet5 conv2 5x5", channels: 6, size: 14, filters: 16, kernel: 5, stride: 1, padding: 0),
    ]
}

/// Times every shape of `ConvolutionLayerShape.q4Shapes` at `batch` images, with the engine's
/// cores set to `threads`, OpenBLAS single-threaded and the products in the training precision
/// (`LABBOOK_PRECISION`), as in Q4 training steps.
public func runConvolutionLayerBenchmark(batch: Int = 64, repeats: Int = 7, threads: Int, seed: UInt64) -> ConvolutionLayerBenchmarkReport {
    precondition(batch > 0 && repeats > 0, "runConvolutionLayerBenchmark: batch and repeats must be positive")
    return ComputePrecision.withPrecision(ComputePrecision.training) { timeLayers(batch: batch, repeats: repeats, threads: threads, seed: seed) }
}

private func timeLayers(batch: Int, repeats: Int, threads: Int, seed: UInt64) -> ConvolutionLayerBenchmarkReport {
    withThreads(blas: 1, engine: threads) {
        var generator = SeededGenerator(seed: seed)
        let clock = ContinuousClock()
        func milliseconds(_ duration: Duration) -> Double {
            duration.seconds * 1e3
        }
        let layers = ConvolutionLayerShape.q4Shapes.map { shape -> ConvolutionLayerTiming in
            let x = Tensor.randomNormal([batch, shape.channels, shape.size, shape.size], generator: &generator,
                                        requiresGradient: shape.inputGradient)
            let w = Tensor.randomNormal([shape.filters, shape.channels, shape.kernel, shape.kernel],
                                        standardDeviation: Float((2.0 / Double(shape.channels * shape.kernel * shape.kernel)).squareRoot()),
                                        generator: &generator, requiresGradient: true)
            var forward = Double.infinity, backward = Double.infinity
            FloatingPointMode.withSubnormalsFlushedToZero {
                for _ in 0..<repeats {
                    let start = clock.now
                    let y = conv2d(x, weight: w, stride: shape.stride, padding: shape.padding)
                    let forwardEnd = clock.now
                    y.backward(gradient: y.data)
                    let backwardEnd = clock.now
                    x.zeroGradient()
                    w.zeroGradient()
                    forward = min(forward, milliseconds(forwardEnd - start))
                    backward = min(backward, milliseconds(backwardEnd - forwardEnd))
                }
            }
            let taps = shape.tapsInsideImage
            let forwardFLOPs = 2.0 * Double(batch * shape.filters * shape.channels * taps * taps)
            let backwardFLOPs = forwardFLOPs * (shape.inputGradient ? 2 : 1)
            return ConvolutionLayerTiming(layer: shape.name, input: x.shape, weight: w.shape, stride: shape.stride, padding: shape.padding,
                                          forwardMilliseconds: forward, backwardMilliseconds: backward,
                                          forwardGFLOPS: forwardFLOPs / forward * 1e-6, backwardGFLOPS: backwardFLOPs / backward * 1e-6)
        }
        return ConvolutionLayerBenchmarkReport(workload: "q4-convolution-layers", batch: batch, repeats: repeats, threads: threads,
                                               layers: layers)
    }
}
