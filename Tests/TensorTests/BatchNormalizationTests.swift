import Tensor
import TestSupport
import XCTest

final class BatchNormalizationTests: XCTestCase {
    func testTrainingOutputHasZeroMeanUnitVariancePerChannel() {
        var generator = SeededGenerator(seed: 6)
        let x = Tensor.randomNormal([4, 3, 5, 5], mean: 3, standardDeviation: 2, generator: &generator)
        let (y, statistics) = batchNormalized(x, scale: Tensor(shape: [3], repeating: 1), shift: Tensor.zeros([3]))
        XCTAssertEqual(statistics.sampleCount, 100)
        for channel in 0..<3 {
            var values: [Float] = []
            for image in 0..<4 {
                let start: Int = (image * 3 + channel) * 25
                values += y.data[start..<(start + 25)]
            }
            let mean: Float = values.reduce(0, +) / 100
            let variance: Float = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 100
            assertClose(mean, 0, atol: 1e-5)
            assertClose(variance, 1, rtol: 1e-3)
            assertClose(statistics.mean[channel], 3, rtol: 0.15)
        }
    }

    func testTrainingGradients() {
        var generator = SeededGenerator(seed: 7)
        let x = Tensor.randomNormal([3, 2, 3, 3], generator: &generator)
        let scale = Tensor.randomNormal([2], mean: 1, standardDeviation: 0.3, generator: &generator)
        let shift = Tensor.randomNormal([2], generator: &generator)
        checkGradients([x, scale, shift], epsilon: 1e-2, tolerance: 1e-2) { batchNormalized($0[0], scale: $0[1], shift: $0[2]).output }
        // Rank 2 ([N, C]) as well.
        let features = Tensor.randomNormal([5, 3], generator: &generator)
        checkGradients([features], epsilon: 1e-2, tolerance: 1e-2) {
            batchNormalized($0[0], scale: Tensor(shape: [3], repeating: 1.5), shift: Tensor.zeros([3])).output
        }
    }

    /// Big enough to be split over cores by channel blocks: every channel's sums keep their
    /// order, so one core and two give the same bits (and the same as a naive mean).
    func testChannelBlocksOnCoresMatchOneCore() {
        var generator = SeededGenerator(seed: 9)
        let x = Tensor.randomNormal([8, 24, 14, 14], mean: 1, standardDeviation: 2, generator: &generator)
        let scale = Tensor.randomNormal([24], mean: 1, standardDeviation: 0.3, generator: &generator)
        let shift = Tensor.randomNormal([24], generator: &generator)
        let seed = (0..<x.count).map { _ in Float(generator.nextUnitFloat() - 0.5) }
        let previousCores = Parallelism.coreCount
        defer { Parallelism.coreCount = previousCores }
        func run(cores: Int) -> [[Float]] {
            Parallelism.coreCount = cores
            let inputs = [x, scale, shift].map { Tensor($0.data, shape: $0.shape, requiresGradient: true) }
            let (y, statistics) = batchNormalized(inputs[0], scale: inputs[1], shift: inputs[2])
            y.backward(gradient: seed)
            return [y.data, statistics.mean, statistics.variance] + inputs.map { $0.grad! }
        }
        let single = run(cores: 1)
        XCTAssertEqual(run(cores: 2), single)
        let planes = 14 * 14
        let firstChannel = (0..<8).flatMap { image in x.data[(image * 24 * planes)..<((image * 24 + 1) * planes)] }
        assertClose(single[1][0], firstChannel.reduce(0, +) / Float(firstChannel.count), rtol: 1e-4)
    }

    /// Short planes (the last ResNet stages: 4x4, 2x2, 1x1) run along image rows, long ones
    /// plane by plane: both agree with a plain double-precision reference, for outputs, the
    /// statistics and every gradient, on shapes with and without a vector tail.
    func testRowAndPlaneLoopOrdersMatchReference() {
        var generator = SeededGenerator(seed: 11)
        for shape in [[5, 7, 1, 1], [3, 9, 2, 2], [4, 3, 3, 5], [2, 5, 4, 4], [3, 2, 6, 6], [2, 3, 7, 7]] {
            let channels = shape[1], plane = shape[2] * shape[3], count = shape.reduce(1, *)
            let x = Tensor.randomNormal(shape, mean: 0.5, standardDeviation: 2, generator: &generator, requiresGradient: true)
            let scale = Tensor.randomNormal([channels], mean: 1, standardDeviation: 0.3, generator: &generator, requiresGradient: true)
            let shift = Tensor.randomNormal([channels], generator: &generator, requiresGradient: true)
            let seed = (0..<count).map { _ in Float(generator.nextUnitFloat() - 0.5) }
            let (y, statistics) = batchNormalized(x, scale: scale, shift: shift)
            y.backward(gradient: seed)
            let reference = ReferenceBatchNormalization(x: x.data.map(Double.init), shape: shape, scale: scale.data.map(Double.init),
                                                        shift: shift.data.map(Double.init), seed: seed.map(Double.init))
            let label = "shape \(shape) (\(plane < 32 ? "rows" : "planes"))"
            assertClose(statistics.mean, reference.mean.map(Float.init), atol: 1e-5, label)
            assertClose(statistics.variance, reference.variance.map(Float.init), rtol: 1e-5, label)
            assertClose(y.data, reference.output.map(Float.init), atol: 1e-5, label)
            assertClose(x.grad!, reference.inputGradient.map(Float.init), atol: 1e-5, label)
            assertClose(scale.grad!, reference.scaleGradient.map(Float.init), atol: 1e-4, label)
            assertClose(shift.grad!, reference.shiftGradient.map(Float.init), atol: 1e-4, label)
        }
    }

    /// The row loop order on tensors split over cores: the same bits on one core and two.
    func testRowLoopOrderOnCoresMatchesOneCore() {
        var generator = SeededGenerator(seed: 12)
        let x = Tensor.randomNormal([64, 96, 2, 2], mean: 1, standardDeviation: 2, generator: &generator)
        let seed = (0..<x.count).map { _ in Float(generator.nextUnitFloat() - 0.5) }
        let previousCores = Parallelism.coreCount
        defer { Parallelism.coreCount = previousCores }
        func run(cores: Int) -> [[Float]] {
            Parallelism.coreCount = cores
            let input = Tensor(x.data, shape: x.shape, requiresGradient: true)
            let scale = Tensor(shape: [96], repeating: 1.25), shift = Tensor.zeros([96])
            scale.requiresGradient = true
            let (y, statistics) = batchNormalized(input, scale: scale, shift: shift)
            y.backward(gradient: seed)
            return [y.data, statistics.mean, statistics.variance, input.grad!, scale.grad!]
        }
        XCTAssertEqual(run(cores: 2), run(cores: 1))
    }

    func testInferenceUsesGivenStatistics() {
        let x = Tensor([1, 2, 3, 4, 10, 20, 30, 40], shape: [1, 2, 2, 2])
        let y = batchNormalized(x, scale: Tensor([2, 1], shape: [2]), shift: Tensor([0, 1], shape: [2]),
                                mean: [1, 10], variance: [4, 100], epsilon: 0)
        assertClose(y.data, [0, 1, 2, 3, 1, 2, 3, 4], atol: 1e-6)
        var generator = SeededGenerator(seed: 8)
        let input = Tensor.randomNormal([2, 2, 2, 2], generator: &generator)
        checkGradients([input, Tensor([0.5, 2], shape: [2]), Tensor([1, -1], shape: [2])]) {
            batchNormalized($0[0], scale: $0[1], shift: $0[2], mean: [0.2, -0.3], variance: [1.5, 0.7])
        }
    }
}

/// Training-mode batch normalisation in double precision, written from the formulas.
private struct ReferenceBatchNormalization {
    var mean: [Double] = [], variance: [Double] = [], output: [Double] = []
    var inputGradient: [Double] = [], scaleGradient: [Double] = [], shiftGradient: [Double] = []

    init(x: [Double], shape: [Int], scale: [Double], shift: [Double], seed dy: [Double], epsilon: Double = 1e-5) {
        let (batch, channels, plane) = (shape[0], shape[1], shape[2] * shape[3])
        let m = Double(batch * plane)
        func indices(_ c: Int) -> [Int] { (0..<batch).flatMap { n in (0..<plane).map { (n * channels + c) * plane + $0 } } }
        output = x
        inputGradient = x
        for c in 0..<channels {
            let index = indices(c)
            let mu = index.map { x[$0] }.reduce(0, +) / m
            let sigma2 = index.map { (x[$0] - mu) * (x[$0] - mu) }.reduce(0, +) / m
            let s = 1 / (sigma2 + epsilon).squareRoot()
            let xHat = index.map { (x[$0] - mu) * s }
            let sumDy = index.map { dy[$0] }.reduce(0, +)
            let sumDyXHat = zip(index, xHat).map { dy[$0] * $1 }.reduce(0, +)
            mean.append(mu)
            variance.append(sigma2)
            scaleGradient.append(sumDyXHat)
            shiftGradient.append(sumDy)
            for (k, i) in index.enumerated() {
                output[i] = scale[c] * xHat[k] + shift[c]
                inputGradient[i] = scale[c] * s / m * (m * dy[i] - sumDy - xHat[k] * sumDyXHat)
            }
        }
    }
}
