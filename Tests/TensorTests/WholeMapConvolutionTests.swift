@testable import Tensor
import TestSupport
import XCTest

/// Convolutions whose every window covers the whole input run as one dense product over the
/// flattened images (`WholeMapConvolution`); they must agree with the general path and with
/// the definition, values and gradients.
final class WholeMapConvolutionTests: XCTestCase {
    /// (batch, channels, height, width, filters, kernel, stride, padding), odd sizes throughout.
    private let coveredShapes = [(3, 3, 2, 2, 5, 3, 1, 1), (5, 2, 1, 1, 3, 3, 1, 1), (2, 3, 2, 2, 7, 3, 2, 1),
                                 (3, 5, 1, 1, 4, 1, 1, 0), (2, 3, 3, 3, 5, 3, 1, 0), (1, 2, 2, 1, 3, 3, 1, 1)]

    private func plan(_ input: [Int], kernel: Int, stride: Int, padding: Int, filters: Int = 4) -> WholeMapConvolution? {
        WholeMapConvolution(geometry: ConvolutionGeometry(input: input, kernel: [kernel, kernel], stride: stride, padding: padding),
                            outputChannels: filters)
    }

    func testThePlanAppliesExactlyWhenEveryWindowCoversTheInput() {
        XCTAssertNotNil(plan([2, 3, 2, 2], kernel: 3, stride: 1, padding: 1), "3x3, padding 1, on a 2x2 map")
        XCTAssertNotNil(plan([2, 3, 1, 1], kernel: 3, stride: 1, padding: 1), "3x3, padding 1, on a 1x1 map")
        XCTAssertNotNil(plan([2, 3, 2, 2], kernel: 3, stride: 2, padding: 1), "3x3 at stride 2 from 2x2 to 1x1")
        XCTAssertNotNil(plan([2, 3, 1, 1], kernel: 1, stride: 1, padding: 0), "1x1 kernel on a 1x1 map")
        XCTAssertNotNil(plan([2, 3, 3, 3], kernel: 3, stride: 1, padding: 0), "unpadded 3x3 on a 3x3 map: one window")
        XCTAssertNil(plan([2, 3, 4, 4], kernel: 3, stride: 1, padding: 1), "a 4x4 map: corner windows miss pixels")
        XCTAssertNil(plan([2, 3, 3, 3], kernel: 3, stride: 1, padding: 1), "a 3x3 map, padded: corner windows miss pixels")
        XCTAssertNil(plan([2, 3, 2, 2], kernel: 1, stride: 1, padding: 0), "1x1 kernel on a 2x2 map reads one pixel")
        XCTAssertNil(plan([2, 3, 2, 2], kernel: 1, stride: 2, padding: 0), "strided 1x1 projection reads one of four pixels")
        XCTAssertNil(plan([2, 2048, 2, 2], kernel: 3, stride: 1, padding: 1, filters: 2048), "expanded weight over 16 MB")
        XCTAssertEqual(plan([2, 3, 1, 1], kernel: 1, stride: 1, padding: 0)?.usesWeightInPlace, true)
        XCTAssertEqual(plan([2, 3, 1, 1], kernel: 3, stride: 1, padding: 1)?.usesWeightInPlace, false)
        // Output p reads input q through kernel tap (q's row − p's row + 1, q's column − p's column + 1).
        XCTAssertEqual(plan([2, 3, 2, 2], kernel: 3, stride: 1, padding: 1)?.taps,
                       [4, 5, 7, 8, 3, 4, 6, 7, 1, 2, 4, 5, 0, 1, 3, 4])
        XCTAssertEqual(plan([2, 3, 1, 1], kernel: 3, stride: 1, padding: 1)?.taps, [4], "only the centre tap")
        XCTAssertEqual(plan([2, 3, 2, 2], kernel: 3, stride: 2, padding: 1)?.taps, [4, 5, 7, 8])
    }

    /// Values against the definition; values and all three gradients against the general path
    /// (tap regions and im2col), with and without a bias, added onto earlier gradients too.
    func testMatchesTheGeneralPathAndTheDefinition() {
        var generator = SeededGenerator(seed: 31)
        for (batch, channels, height, width, filters, kernel, stride, padding) in coveredShapes {
            let label = "[\(batch), \(channels), \(height), \(width)] * [\(filters), \(kernel)x\(kernel)] s\(stride) p\(padding)"
            XCTAssertNotNil(plan([batch, channels, height, width], kernel: kernel, stride: stride, padding: padding), label)
            let x = Tensor.randomNormal([batch, channels, height, width], generator: &generator)
            let w = Tensor.randomNormal([filters, channels, kernel, kernel], generator: &generator)
            let b = Tensor.randomNormal([filters], generator: &generator)
            for bias in [b, nil] {
                func run(wholeMap: Bool) -> [[Float]] {
                    convolutionOutputAndGradients(x, w, b, withBias: bias != nil, stride: stride, padding: padding, specialised: wholeMap)
                }
                let whole = run(wholeMap: true), general = run(wholeMap: false)
                assertClose(whole[0], naiveConvolution(x, w, bias, stride: stride, padding: padding), rtol: 1e-4, atol: 1e-4, label)
                for (name, (a, e)) in zip(["output", "dx", "dW", "db"], zip(whole, general)) {
                    assertClose(a, e, rtol: 1e-4, atol: 1e-4, "\(label) \(name)")
                }
            }
        }
    }

    /// An empty batch (a split with no samples) gives an empty output of the right shape.
    func testAnEmptyBatchGivesAnEmptyOutput() {
        var generator = SeededGenerator(seed: 34)
        let w = Tensor.randomNormal([5, 3, 3, 3], generator: &generator, requiresGradient: true)
        let y = conv2d(Tensor([], shape: [0, 3, 2, 2], requiresGradient: true), weight: w, stride: 1, padding: 1)
        XCTAssertEqual(y.shape, [0, 5, 2, 2])
        XCTAssertEqual(y.count, 0)
    }

    func testFiniteDifferenceGradients() {
        var generator = SeededGenerator(seed: 32)
        for (batch, channels, height, width, filters, kernel, stride, padding) in coveredShapes {
            let x = Tensor.randomNormal([batch, channels, height, width], generator: &generator)
            let w = Tensor.randomNormal([filters, channels, kernel, kernel], standardDeviation: 0.5, generator: &generator)
            let b = Tensor.randomNormal([filters], generator: &generator)
            checkGradients([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: padding) }
        }
    }

    /// Split over two cores the values and gradients equal one core's within rounding, and
    /// repeat bit for bit.
    func testSplitOverCoresIsRepeatable() {
        var generator = SeededGenerator(seed: 33)
        let previousThreads = BLAS.threadCount, previousCores = Parallelism.coreCount
        defer { BLAS.threadCount = previousThreads; Parallelism.coreCount = previousCores }
        BLAS.threadCount = 1
        let x = Tensor.randomNormal([9, 33, 2, 2], generator: &generator)
        let w = Tensor.randomNormal([37, 33, 3, 3], generator: &generator)
        func run(cores: Int) -> [[Float]] {
            Parallelism.coreCount = cores
            let inputs = [x, w].map { Tensor($0.data, shape: $0.shape, requiresGradient: true) }
            let y = conv2d(inputs[0], weight: inputs[1], stride: 1, padding: 1)
            y.backward(gradient: y.data.map { $0 * 0.5 - 0.25 })
            return [y.data] + inputs.map { $0.grad! }
        }
        let split = run(cores: 2)
        XCTAssertEqual(split, run(cores: 2))
        for (a, b) in zip(split, run(cores: 1)) { assertClose(a, b, rtol: 1e-4, atol: 1e-3) }
    }
}
