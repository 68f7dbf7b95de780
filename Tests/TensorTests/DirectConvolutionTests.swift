@testable import Tensor
import TestSupport
import XCTest

/// Convolutions with few channels and filters (LeNet-5's) run the direct AVX-512 kernels
/// (`DirectConvolution`); they must agree with the general path and with the definition, values
/// and gradients, on shapes that exercise every block remainder of the kernels.
final class DirectConvolutionTests: XCTestCase {
    /// (batch, channels, height, width, filters, kernel, padding), stride 1. Row kernels: filter
    /// counts 6, 5, 3, 7 (blocks of 4 plus remainders), rows of 28 (16 + 12 lanes) and 19
    /// (16 + 3). Filter kernels (16 filters): rows of 10 and of 37 (12 + 12 + 12 + 1 pixels),
    /// odd output heights (a last single row), kernels 1 to 5, padding up to kernel − 1.
    private let directShapes = [(3, 1, 28, 28, 6, 5, 2), (2, 6, 14, 14, 16, 5, 0), (3, 2, 7, 19, 5, 3, 1),
                                (2, 3, 9, 33, 16, 3, 2), (1, 4, 5, 6, 3, 4, 3), (2, 1, 3, 3, 16, 1, 0), (4, 2, 6, 5, 7, 2, 1)]

    private func plan(_ input: [Int], filters: Int, kernel: Int, stride: Int = 1, padding: Int) -> DirectConvolution? {
        DirectConvolution(geometry: ConvolutionGeometry(input: input, kernel: [kernel, kernel], stride: stride, padding: padding),
                          outputChannels: filters)
    }

    private func skipWithoutKernels() throws {
        try XCTSkipUnless(DirectConvolution.isAvailable, "the direct kernels need AVX-512F")
    }

    func testThePlanTakesLeNetShapesAndNoWiderOnes() throws {
        try skipWithoutKernels()
        XCTAssertNotNil(plan([64, 1, 28, 28], filters: 6, kernel: 5, padding: 2), "LeNet-5 conv1")
        XCTAssertNotNil(plan([64, 6, 14, 14], filters: 16, kernel: 5, padding: 0), "LeNet-5 conv2")
        XCTAssertNil(plan([64, 64, 7, 7], filters: 64, kernel: 3, padding: 1), "ResNet stage 1: im2col + sgemm")
        XCTAssertNil(plan([64, 7, 14, 14], filters: 16, kernel: 5, padding: 0), "175 deep: over 160")
        XCTAssertNil(plan([64, 6, 14, 14], filters: 17, kernel: 5, padding: 0), "17 filters")
        XCTAssertNil(plan([64, 1, 28, 28], filters: 6, kernel: 5, stride: 2, padding: 2), "stride 2")
        XCTAssertNil(plan([64, 1, 28, 28], filters: 6, kernel: 7, padding: 3), "a 7x7 kernel")
        XCTAssertNil(plan([64, 1, 28, 28], filters: 6, kernel: 3, padding: 3), "padding as wide as the kernel")
    }

    /// Values against the definition; values and all three gradients against the general path,
    /// with and without a bias, added onto earlier gradients too.
    func testMatchesTheGeneralPathAndTheDefinition() throws {
        try skipWithoutKernels()
        var generator = SeededGenerator(seed: 41)
        for (batch, channels, height, width, filters, kernel, padding) in directShapes {
            let label = "[\(batch), \(channels), \(height), \(width)] * [\(filters), \(kernel)x\(kernel)] p\(padding)"
            XCTAssertNotNil(plan([batch, channels, height, width], filters: filters, kernel: kernel, padding: padding), label)
            let x = Tensor.randomNormal([batch, channels, height, width], generator: &generator)
            let w = Tensor.randomNormal([filters, channels, kernel, kernel], generator: &generator)
            let b = Tensor.randomNormal([filters], generator: &generator)
            for bias in [b, nil] {
                func run(direct: Bool) -> [[Float]] {
                    convolutionOutputAndGradients(x, w, b, withBias: bias != nil, stride: 1, padding: padding, specialised: direct)
                }
                let direct = run(direct: true), general = run(direct: false)
                assertClose(direct[0], naiveConvolution(x, w, bias, stride: 1, padding: padding), rtol: 1e-4, atol: 1e-4, label)
                for (name, (a, e)) in zip(["output", "dx", "dW", "db"], zip(direct, general)) {
                    assertClose(a, e, rtol: 1e-4, atol: 1e-4, "\(label) \(name)")
                }
            }
        }
    }

    func testFiniteDifferenceGradients() throws {
        try skipWithoutKernels()
        var generator = SeededGenerator(seed: 42)
        for (batch, channels, height, width, filters, kernel, padding) in directShapes where height * width < 200 {
            let x = Tensor.randomNormal([batch, channels, height, width], generator: &generator)
            let w = Tensor.randomNormal([filters, channels, kernel, kernel], standardDeviation: 0.5, generator: &generator)
            let b = Tensor.randomNormal([filters], generator: &generator)
            XCTAssertNotNil(plan(x.shape, filters: filters, kernel: kernel, padding: padding))
            checkGradients([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: 1, padding: padding) }
        }
    }

    /// Values and gradients are the same bits on one core and on two, and on every run.
    func testOneCoreAndTwoGiveTheSameBits() throws {
        try skipWithoutKernels()
        var generator = SeededGenerator(seed: 43)
        let previousThreads = BLAS.threadCount, previousCores = Parallelism.coreCount
        defer { BLAS.threadCount = previousThreads; Parallelism.coreCount = previousCores }
        BLAS.threadCount = 1
        for (channels, size, filters, padding) in [(1, 28, 6, 2), (6, 14, 16, 0)] {
            let x = Tensor.randomNormal([33, channels, size, size], generator: &generator)
            let w = Tensor.randomNormal([filters, channels, 5, 5], generator: &generator)
            let b = Tensor.randomNormal([filters], generator: &generator)
            func run(cores: Int) -> [[Float]] {
                Parallelism.coreCount = cores
                let inputs = [x, w, b].map { Tensor($0.data, shape: $0.shape, requiresGradient: true) }
                let y = conv2d(inputs[0], weight: inputs[1], bias: inputs[2], stride: 1, padding: padding)
                y.backward(gradient: y.data.map { $0 * 0.5 - 0.25 })
                return [y.data] + inputs.map { $0.grad! }
            }
            let split = run(cores: 2)
            XCTAssertEqual(split, run(cores: 2))
            XCTAssertEqual(split, run(cores: 1))
        }
    }

    /// The fused convolution + 2x2 max pooling gives the two operations' values and weight and
    /// input gradients to the bit (the bias gradient within rounding: it adds no zeros), also
    /// where windows tie (an all-zero image with zero bias makes every window a four-way tie).
    func testPooledConvolutionIsConvolutionThenPooling() throws {
        try skipWithoutKernels()
        var generator = SeededGenerator(seed: 44)
        let shapes = [(3, 1, 28, 28, 6, 5, 2), (2, 6, 14, 14, 16, 5, 0), (2, 2, 8, 6, 5, 3, 1), (2, 3, 7, 9, 16, 2, 0)]
        for (batch, channels, height, width, filters, kernel, padding) in shapes {
            let label = "[\(batch), \(channels), \(height), \(width)] * [\(filters), \(kernel)x\(kernel)] p\(padding)"
            var pixels = Tensor.randomNormal([batch, channels, height, width], generator: &generator).data
            for i in 0..<(channels * height * width) { pixels[i] = 0 }
            let x = Tensor(pixels, shape: [batch, channels, height, width])
            let w = Tensor.randomNormal([filters, channels, kernel, kernel], generator: &generator)
            let b = Tensor(Array(repeating: 0, count: filters), shape: [filters])
            func run(fused: Bool) -> [[Float]] {
                let inputs = [x, w, b].map { Tensor($0.data, shape: $0.shape, requiresGradient: true) }
                let y = fused ? conv2dMaxPool2x2(inputs[0], weight: inputs[1], bias: inputs[2], padding: padding)
                    : maxPool2d(conv2d(inputs[0], weight: inputs[1], bias: inputs[2], padding: padding), kernel: 2)
                y.backward(gradient: y.data.indices.map { Float($0 % 5) - 2 })
                return [y.data] + inputs.map { $0.grad! }
            }
            let fused = run(fused: true), separate = run(fused: false)
            XCTAssertEqual(fused[0], separate[0], "\(label) values")
            XCTAssertEqual(fused[1], separate[1], "\(label) dx")
            XCTAssertEqual(fused[2], separate[2], "\(label) dW")
            assertClose(fused[3], separate[3], rtol: 1e-5, atol: 1e-4, "\(label) db")
        }
    }

    /// Shapes the fused pass does not take (an odd output side) run the two operations.
    func testPooledConvolutionOfAnOddOutputRunsBothOperations() {
        var generator = SeededGenerator(seed: 45)
        let x = Tensor.randomNormal([2, 3, 9, 9], generator: &generator)
        let w = Tensor.randomNormal([16, 3, 3, 3], generator: &generator)
        let y = conv2dMaxPool2x2(x, weight: w, padding: 0)
        XCTAssertEqual(y.shape, [2, 16, 3, 3])
        XCTAssertEqual(y.data, maxPool2d(conv2d(x, weight: w, padding: 0), kernel: 2).data)
    }
}
