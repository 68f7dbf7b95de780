@testable import Tensor
import TestSupport
import XCTest

/// oneDNN's convolutions (the product's kernels where oneDNN runs) against the im2col + sgemm plan
/// (the reference) on odd shapes: outputs and all three gradients within fp32 rounding, results
/// repeatable, gradients added to what is already there.
final class OneDNNConvolutionTests: XCTestCase {
    private struct Case { var batch, channels, height, width, filters, kernel, stride, padding: Int; var bias: Bool }

    private let cases = [
        Case(batch: 3, channels: 5, height: 7, width: 9, filters: 6, kernel: 3, stride: 1, padding: 1, bias: true),
        Case(batch: 2, channels: 3, height: 5, width: 5, filters: 7, kernel: 3, stride: 2, padding: 1, bias: false),
        Case(batch: 1, channels: 17, height: 2, width: 3, filters: 19, kernel: 3, stride: 1, padding: 1, bias: false),
        Case(batch: 5, channels: 16, height: 1, width: 1, filters: 33, kernel: 3, stride: 1, padding: 1, bias: false),
        Case(batch: 2, channels: 13, height: 7, width: 7, filters: 24, kernel: 1, stride: 2, padding: 0, bias: false),
        Case(batch: 4, channels: 1, height: 12, width: 11, filters: 6, kernel: 5, stride: 1, padding: 2, bias: true),
        Case(batch: 2, channels: 2, height: 9, width: 8, filters: 3, kernel: 7, stride: 2, padding: 3, bias: false),
    ]

    func testOneDNNMatchesTheIm2colPlanOnOddShapes() throws {
        guard ConvolutionBackend.current == .oneDNN else { throw XCTSkip("oneDNN is not the convolution backend here") }
        var generator = SeededGenerator(seed: 11)
        for c in cases {
            let x = Tensor.randomNormal([c.batch, c.channels, c.height, c.width], generator: &generator)
            let w = Tensor.randomNormal([c.filters, c.channels, c.kernel, c.kernel], standardDeviation: 0.3, generator: &generator)
            let b = c.bias ? Tensor.randomNormal([c.filters], generator: &generator) : nil
            func run(_ convolve: (Tensor, Tensor, Tensor?) -> Tensor) -> (y: [Float], gradients: [[Float]]) {
                let inputs = [x, w] + (b.map { [$0] } ?? []).map { $0 }
                let copies = inputs.map { Tensor($0.data, shape: $0.shape, requiresGradient: true) }
                let y = convolve(copies[0], copies[1], copies.count > 2 ? copies[2] : nil)
                let weights = Tensor((0..<y.count).map { Float(($0 * 7) % 11) - 5 }, shape: y.shape)
                sum(y * weights).backward()
                return (y.data, copies.map { $0.grad ?? [] })
            }
            let ours = run { try! XCTUnwrap(oneDNNConv2d($0, weight: $1, bias: $2, stride: c.stride, padding: c.padding)) }
            let reference = run { conv2d($0, weight: $1, bias: $2, stride: c.stride, padding: c.padding, regionSplitThreshold: ConvolutionGeometry.regionSplitThreshold) }
            let label = "\(c)"
            assertClose(ours.y, reference.y, rtol: 1e-4, atol: 1e-4, "forward \(label)")
            for (index, name) in ["dx", "dW", "db"].prefix(ours.gradients.count).enumerated() {
                assertClose(ours.gradients[index], reference.gradients[index], rtol: 1e-4, atol: 2e-4, "\(name) \(label)")
            }
            XCTAssertEqual(run { oneDNNConv2d($0, weight: $1, bias: $2, stride: c.stride, padding: c.padding)! }.gradients, ours.gradients,
                           "repeatable \(label)")
        }
    }

    func testGradientsAreAddedToEarlierOnes() throws {
        guard ConvolutionBackend.current == .oneDNN else { throw XCTSkip("oneDNN is not the convolution backend here") }
        var generator = SeededGenerator(seed: 12)
        let x = Tensor.randomNormal([2, 3, 5, 5], generator: &generator, requiresGradient: true)
        let w = Tensor.randomNormal([4, 3, 3, 3], generator: &generator, requiresGradient: true)
        let b = Tensor.randomNormal([4], generator: &generator, requiresGradient: true)
        sum(conv2d(x, weight: w, bias: b, padding: 1)).backward()
        let once = [x.grad!, w.grad!, b.grad!]
        sum(conv2d(x, weight: w, bias: b, padding: 1)).backward()
        for (twice, single) in zip([x.grad!, w.grad!, b.grad!], once) {
            assertClose(twice, single.map { 2 * $0 }, rtol: 1e-5, atol: 1e-5)
        }
    }
}
