@testable import Tensor
import TestSupport
import XCTest

final class ConvolutionTests: XCTestCase {
    func testForwardMatchesNaiveConvolution() {
        var generator = SeededGenerator(seed: 1)
        for (stride, padding, size, kernel) in [(1, 0, 6, 3), (1, 1, 6, 3), (1, 2, 7, 5), (2, 1, 7, 3), (2, 3, 9, 7), (2, 0, 5, 1), (3, 1, 8, 2), (1, 0, 4, 1)] {
            let x = Tensor.randomNormal([2, 3, size, size + 1], generator: &generator)
            let w = Tensor.randomNormal([4, 3, kernel, kernel], generator: &generator)
            let b = Tensor.randomNormal([4], generator: &generator)
            let y = conv2d(x, weight: w, bias: b, stride: stride, padding: padding)
            let expectedHeight = (size + 2 * padding - kernel) / stride + 1
            XCTAssertEqual(y.shape, [2, 4, expectedHeight, (size + 1 + 2 * padding - kernel) / stride + 1])
            assertClose(y.data, naiveConvolution(x, w, b, stride: stride, padding: padding), rtol: 1e-4, atol: 1e-4,
                        "stride \(stride) padding \(padding) kernel \(kernel)")
            let unbiased = conv2d(x, weight: w, stride: stride, padding: padding)
            assertClose(unbiased.data, naiveConvolution(x, w, nil, stride: stride, padding: padding), rtol: 1e-4, atol: 1e-4)
        }
    }

    func testGradientsWithStrideAndPadding() {
        var generator = SeededGenerator(seed: 2)
        for (stride, padding, kernel) in [(1, 1, 3), (2, 1, 3), (2, 0, 1), (1, 2, 5), (1, 0, 1)] {
            let x = Tensor.randomNormal([2, 2, 5, 6], generator: &generator)
            let w = Tensor.randomNormal([3, 2, kernel, kernel], standardDeviation: 0.5, generator: &generator)
            let b = Tensor.randomNormal([3], generator: &generator)
            checkGradients([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: padding) }
        }
    }

    func testGradientWithoutBiasAndOnlyWeightTrainable() {
        var generator = SeededGenerator(seed: 3)
        let x = Tensor.randomNormal([3, 1, 6, 6], generator: &generator)
        let w = Tensor.randomNormal([2, 1, 3, 3], generator: &generator)
        checkGradients([w]) { conv2d(x, weight: $0[0], stride: 2, padding: 1) }
        XCTAssertNil(x.grad, "inputs that need no gradient get none")
    }

    /// Small feature maps, where padded kernels hang over the border and the outputs split
    /// into tap regions (1x1, 2x2, 3x3, 4x4 maps), at stride 1 and 2, batch 1 and odd batches;
    /// on the general path even where `WholeMapConvolution` would take over.
    func testTapRegionsMatchNaiveConvolution() {
        var generator = SeededGenerator(seed: 6)
        for (batch, size, kernel, stride, padding) in [(1, 1, 3, 1, 1), (3, 2, 3, 1, 1), (2, 2, 3, 2, 1), (5, 4, 3, 2, 1),
                                                       (3, 4, 3, 1, 1), (1, 3, 3, 1, 1), (2, 1, 1, 1, 1), (2, 3, 5, 1, 2)] {
            let x = Tensor.randomNormal([batch, 3, size, size], generator: &generator)
            let w = Tensor.randomNormal([5, 3, kernel, kernel], generator: &generator)
            let b = Tensor.randomNormal([5], generator: &generator)
            // The default threshold (one product over the used taps) and a split into regions
            // wherever any output skips a tap.
            for threshold in [ConvolutionGeometry.regionSplitThreshold, 1] {
                let y = conv2d(x, weight: w, bias: b, stride: stride, padding: padding, regionSplitThreshold: threshold,
                               allowsSpecialisedPaths: false)
                assertClose(y.data, naiveConvolution(x, w, b, stride: stride, padding: padding), rtol: 1e-4, atol: 1e-4,
                            "batch \(batch) size \(size) kernel \(kernel) stride \(stride) padding \(padding) threshold \(threshold)")
            }
        }
        let split = ConvolutionGeometry(input: [2, 3, 4, 4], kernel: [3, 3], stride: 1, padding: 1, regionSplitThreshold: 1)
        XCTAssertEqual(split.regions.count, 9, "a 4x4 map splits into corners, edges and interior")
        XCTAssertEqual(split.regions.reduce(0) { $0 + $1.positions }, 16)
        let cropped = ConvolutionGeometry(input: [2, 3, 1, 1], kernel: [3, 3], stride: 1, padding: 1)
        XCTAssertEqual(cropped.regions.count, 1)
        XCTAssertEqual(cropped.regions[0].taps, 1, "a 1x1 map uses only the centre tap")
    }

    func testTapRegionGradients() {
        var generator = SeededGenerator(seed: 7)
        for (batch, size, stride) in [(1, 1, 1), (2, 2, 1), (3, 2, 2), (2, 4, 2), (1, 3, 1)] {
            let x = Tensor.randomNormal([batch, 2, size, size], generator: &generator)
            let w = Tensor.randomNormal([3, 2, 3, 3], standardDeviation: 0.5, generator: &generator)
            let b = Tensor.randomNormal([3], generator: &generator)
            for threshold in [ConvolutionGeometry.regionSplitThreshold, 1] {
                checkGradients([x, w, b]) {
                    conv2d($0[0], weight: $0[1], bias: $0[2], stride: stride, padding: 1, regionSplitThreshold: threshold,
                           allowsSpecialisedPaths: false)
                }
            }
        }
    }

    /// A first input gradient is written over the buffer's old contents, not added onto them:
    /// a second backward pass (after `zeroGradient`, which keeps the buffer) with another seed
    /// gives exactly what a fresh pass gives, in every path of col2im (padded rows, strided
    /// short rows through the table, 1x1 kernels, pixels no window reads, split tap regions).
    func testFirstInputGradientOverwritesReusedBuffer() {
        var generator = SeededGenerator(seed: 17)
        for (size, kernel, stride, padding, threshold) in [(9, 3, 1, 1, 0.3), (7, 3, 1, 1, 0.3), (7, 3, 2, 1, 0.3), (5, 1, 2, 0, 0.3), (1, 3, 1, 1, 0.3),
                                                           (4, 3, 1, 1, 1.0), (3, 1, 1, 0, 0.3)] {
            let x = Tensor.randomNormal([3, 2, size, size], generator: &generator)
            let w = Tensor.randomNormal([4, 2, kernel, kernel], generator: &generator)
            let label = "size \(size) kernel \(kernel) stride \(stride) padding \(padding) threshold \(threshold)"
            func gradient(_ input: Tensor, seed: [Float]) -> [Float] {
                input.zeroGradient()
                conv2d(input, weight: w, bias: nil, stride: stride, padding: padding, regionSplitThreshold: threshold)
                    .backward(gradient: seed)
                return input.grad!
            }
            let reused = Tensor(x.data, shape: x.shape, requiresGradient: true)
            let count = conv2d(x, weight: w, bias: nil, stride: stride, padding: padding, regionSplitThreshold: threshold).count
            let first = (0..<count).map { _ in Float(generator.nextUnitFloat()) + 1 }
            let second = (0..<count).map { _ in Float(generator.nextUnitFloat()) - 2 }
            _ = gradient(reused, seed: first)
            let fresh = gradient(Tensor(x.data, shape: x.shape, requiresGradient: true), seed: second)
            XCTAssertEqual(gradient(reused, seed: second), fresh, label)
        }
    }

    /// With OpenBLAS single-threaded the images (and filters) are split over the engine's
    /// cores; the values and gradients must not change, and repeat bit for bit.
    func testSplitOverCoresMatchesOneCore() {
        var generator = SeededGenerator(seed: 8)
        let previousThreads = BLAS.threadCount, previousCores = Parallelism.coreCount
        defer { BLAS.threadCount = previousThreads; Parallelism.coreCount = previousCores }
        BLAS.threadCount = 1
        for (batch, channels, size, kernel, stride, padding) in [(7, 16, 9, 3, 1, 1), (5, 32, 2, 3, 1, 1), (9, 24, 7, 3, 2, 1),
                                                                 (4, 16, 6, 1, 1, 0), (3, 1, 28, 5, 1, 2)] {
            let x = Tensor.randomNormal([batch, channels, size, size], generator: &generator)
            let w = Tensor.randomNormal([33, channels, kernel, kernel], generator: &generator)
            let b = Tensor.randomNormal([33], generator: &generator)
            for threshold in [ConvolutionGeometry.regionSplitThreshold, 1] {
                func run(cores: Int) -> [[Float]] {
                    Parallelism.coreCount = cores
                    let inputs = [x, w, b].map { Tensor($0.data, shape: $0.shape, requiresGradient: true) }
                    let y = conv2d(inputs[0], weight: inputs[1], bias: inputs[2], stride: stride, padding: padding,
                                   regionSplitThreshold: threshold)
                    y.backward(gradient: y.data.map { $0 * 0.5 - 0.25 })
                    return [y.data] + inputs.map { $0.grad! }
                }
                let single = run(cores: 1), split = run(cores: 2), again = run(cores: 2)
                XCTAssertEqual(split, again, "repeatable for a given thread count")
                for (a, b) in zip(split, single) { assertClose(a, b, rtol: 1e-4, atol: 1e-3) }
                assertClose(split[0], naiveConvolution(x, w, b, stride: stride, padding: padding), rtol: 1e-4, atol: 1e-3)
            }
        }
    }

    /// Many output positions per batch (LeNet's first layer): the weight gradient is summed
    /// over fixed image chunks, each unfolding its images again, and must match the definition
    /// `dW[o, c, i, j] = Σ dy[n, o, oh, ow] · x[n, c, oh·s − p + i, ow·s − p + j]`.
    func testImageChunkedWeightGradientMatchesDefinition() {
        var generator = SeededGenerator(seed: 9)
        let (batch, channels, size, filters, kernel, padding) = (5, 2, 28, 3, 5, 2)
        let x = Tensor.randomNormal([batch, channels, size, size], generator: &generator)
        let w = Tensor.randomNormal([filters, channels, kernel, kernel], generator: &generator, requiresGradient: true)
        let y = conv2d(x, weight: w, padding: padding)
        let dy = y.data.indices.map { Float(($0 * 7919) % 13) / 13 - 0.5 }
        y.backward(gradient: dy)
        var expected = [Float](repeating: 0, count: w.count)
        for o in 0..<filters { for c in 0..<channels { for i in 0..<kernel { for j in 0..<kernel {
            var total: Float = 0
            for n in 0..<batch { for oh in 0..<size { for ow in 0..<size {
                let ih = oh - padding + i, iw = ow - padding + j
                guard ih >= 0 && ih < size && iw >= 0 && iw < size else { continue }
                total += dy[((n * filters + o) * size + oh) * size + ow] * x.data[((n * channels + c) * size + ih) * size + iw]
            } } }
            expected[((o * channels + c) * kernel + i) * kernel + j] = total
        } } } }
        assertClose(w.grad!, expected, rtol: 1e-4, atol: 1e-3)
    }

    func testOutputExtent() {
        XCTAssertEqual(convolutionOutputExtent(input: 28, kernel: 7, stride: 2, padding: 3), 14)
        XCTAssertEqual(convolutionOutputExtent(input: 14, kernel: 3, stride: 2, padding: 1), 7)
        XCTAssertEqual(convolutionOutputExtent(input: 28, kernel: 5, stride: 1, padding: 2), 28)
    }
}
