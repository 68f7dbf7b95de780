import Tensor
import TestSupport
import XCTest

final class PoolingTests: XCTestCase {
    func testMaxPoolPicksWindowMaxima() {
        let x = Tensor([1, 2, 5, 0,
                        3, 4, 1, 1,
                        0, 0, 2, 9,
                        7, 1, 3, 4], shape: [1, 1, 4, 4])
        XCTAssertEqual(maxPool2d(x, kernel: 2).data, [4, 5, 7, 9])
        let padded = maxPool2d(x, kernel: 3, stride: 2, padding: 1)
        XCTAssertEqual(padded.shape, [1, 1, 2, 2])
        XCTAssertEqual(padded.data, [4, 5, 7, 9])
    }

    func testMaxPoolGradientGoesToTheMaximum() {
        let x = Tensor([1, 2, 3, 4], shape: [1, 1, 2, 2], requiresGradient: true)
        maxPool2d(x, kernel: 2).backward(gradient: [5])
        XCTAssertEqual(x.grad!, [0, 0, 0, 5])
    }

    func testMaxPoolFiniteDifferences() {
        var generator = SeededGenerator(seed: 4)
        // Distinct values, so no window has a tie that finite differences would straddle.
        let values = generator.permutation(of: 2 * 3 * 7 * 7).map { Float($0) * 0.01 }
        let x = Tensor(values, shape: [2, 3, 7, 7])
        checkGradients([x], epsilon: 1e-3) { maxPool2d($0[0], kernel: 3, stride: 2, padding: 1) }
        checkGradients([x], epsilon: 1e-3) { maxPool2d($0[0], kernel: 2) }
    }

    func testGlobalAveragePool() {
        var generator = SeededGenerator(seed: 5)
        let x = Tensor.randomNormal([2, 3, 4, 5], generator: &generator)
        let y = globalAveragePool2d(x)
        XCTAssertEqual(y.shape, [2, 3])
        assertClose(y.data[4], x.data[(4 * 20)..<(5 * 20)].reduce(0, +) / 20, rtol: 1e-5)
        checkGradients([x]) { globalAveragePool2d($0[0]) }
    }

    /// The unrolled 2x2 path against the definition (ties go to the first in scan order),
    /// and split over cores by planes against one core.
    func testTwoByTwoPoolingMatchesDefinitionOnCores() {
        var generator = SeededGenerator(seed: 10)
        // Few distinct values, so many windows hold ties.
        let values = (0..<(8 * 6 * 28 * 28)).map { _ in Float(generator.nextIndex(below: 5)) }
        let previousCores = Parallelism.coreCount
        defer { Parallelism.coreCount = previousCores }
        func run(cores: Int) -> (values: [Float], gradient: [Float]) {
            Parallelism.coreCount = cores
            let x = Tensor(values, shape: [8, 6, 28, 28], requiresGradient: true)
            let y = maxPool2d(x, kernel: 2)
            y.backward(gradient: (0..<y.count).map { Float($0 % 7) + 1 })
            return (y.data, x.grad!)
        }
        let single = run(cores: 1), split = run(cores: 2)
        XCTAssertEqual(single.values, split.values)
        XCTAssertEqual(single.gradient, split.gradient)
        var expectedValues: [Float] = [], expectedGradient = [Float](repeating: 0, count: values.count)
        for plane in 0..<(8 * 6) {
            for oh in 0..<14 {
                for ow in 0..<14 {
                    let window = [0, 1, 28, 29].map { plane * 784 + 2 * oh * 28 + 2 * ow + $0 }
                    let best = window.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }!
                    expectedGradient[best] += Float(expectedValues.count % 7) + 1
                    expectedValues.append(values[best])
                }
            }
        }
        XCTAssertEqual(single.values, expectedValues)
        XCTAssertEqual(single.gradient, expectedGradient)
    }

    /// A first gradient is written over a reused buffer (after `zeroGradient`), not added onto
    /// it: max pooling (windows that tile the map, and overlapping padded ones, split over the
    /// cores) and global average pooling.
    func testFirstGradientOverwritesReusedBuffer() {
        var generator = SeededGenerator(seed: 31)
        let x = Tensor.randomNormal([16, 8, 18, 18], generator: &generator)
        let pools: [(String, (Tensor) -> Tensor)] = [("max 2x2", { maxPool2d($0, kernel: 2) }),
                                                     ("max 3x3/2 padded", { maxPool2d($0, kernel: 3, stride: 2, padding: 1) }),
                                                     ("global average", { globalAveragePool2d($0) })]
        for (label, pool) in pools {
            func gradient(_ input: Tensor, seed: Float) -> [Float] {
                input.zeroGradient()
                let y = pool(input)
                y.backward(gradient: (0..<y.count).map { Float($0 % 7) * seed })
                return input.grad!
            }
            let reused = Tensor(x.data, shape: x.shape, requiresGradient: true)
            _ = gradient(reused, seed: 1)
            XCTAssertEqual(gradient(reused, seed: -0.5), gradient(Tensor(x.data, shape: x.shape, requiresGradient: true), seed: -0.5), label)
        }
    }
}
