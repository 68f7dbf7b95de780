// Assertions shared by the engine's test targets (a library target: test targets cannot share sources).
import Tensor
import XCTest

/// Element-wise `|actual - expected| <= atol + rtol * |expected|` (NumPy's `allclose`).
public func assertClose(_ actual: [Float], _ expected: [Float], rtol: Float = 1e-5, atol: Float = 1e-6,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "count \(message)", file: file, line: line)
    for (index, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= atol + rtol * abs(e)) {
        XCTFail("element \(index): \(a) vs expected \(e) \(message)", file: file, line: line)
        return
    }
}

public func assertClose(_ actual: Float, _ expected: Float, rtol: Float = 1e-5, atol: Float = 1e-6,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    assertClose([actual], [expected], rtol: rtol, atol: atol, message, file: file, line: line)
}

/// Checks the gradients autodiff gives `inputs` against central finite differences of
///
///     L(inputs) = Σᵢ wᵢ · function(inputs)ᵢ
///
/// with fixed random weights `w` (so every output element matters differently). `L` is summed
/// in Float64 from the Float32 outputs, the step is `epsilon` and the check is
///
///     |analytic - numeric| <= tolerance · max(1, |analytic|, |numeric|)
///
/// with tolerance 5e-3 by default: Float32 rounding of the outputs, divided by 2·epsilon,
/// stays near 1e-4, and the O(epsilon²) truncation error is smaller still.
public func checkGradients(_ inputs: [Tensor], epsilon: Float = 1e-3, tolerance: Double = 5e-3,
                    file: StaticString = #filePath, line: UInt = #line,
                    _ function: ([Tensor]) -> Tensor) {
    for input in inputs { input.requiresGradient = true; input.zeroGradient() }
    let output = function(inputs)
    var generator = SeededGenerator(seed: 99)
    let weights = (0..<output.count).map { _ in generator.nextUnitFloat() * 2 - 1 }
    output.backward(gradient: weights)
    func weightedSum() -> Double {
        let values = withoutGradients { function(inputs).data }
        return zip(values, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    for (inputIndex, input) in inputs.enumerated() {
        let analytic = input.grad ?? [Float](repeating: 0, count: input.count)
        for element in 0..<input.count {
            let original = input.data[element]
            input.withUnsafeMutableData { $0[element] = original + epsilon }
            let plus = weightedSum()
            input.withUnsafeMutableData { $0[element] = original - epsilon }
            let minus = weightedSum()
            input.withUnsafeMutableData { $0[element] = original }
            let numeric = (plus - minus) / (2 * Double(epsilon))
            let exact = Double(analytic[element])
            let scale = max(1, abs(exact), abs(numeric))
            if abs(exact - numeric) > tolerance * scale {
                XCTFail("input \(inputIndex) element \(element): autodiff \(exact), finite difference \(numeric)",
                        file: file, line: line)
                return
            }
        }
    }
}

/// Values drawn uniformly from ±[0.2, 1.2], away from ReLU's kink and from zero divisors.
public func randomTensor(_ shape: [Int], seed: UInt64, positive: Bool = false) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    let values = (0..<shape.reduce(1, *)).map { _ -> Float in
        let magnitude = 0.2 + generator.nextUnitFloat()
        return positive || generator.nextUnitFloat() < 0.5 ? magnitude : -magnitude
    }
    return Tensor(values, shape: shape)
}
