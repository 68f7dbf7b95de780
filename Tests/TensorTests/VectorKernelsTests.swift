@testable import Tensor
import TestSupport
import XCTest

/// Each dispatched kernel against a scalar reference on odd shapes, at every level this CPU
/// supports, and the levels against each other (they must agree bit for bit).
final class VectorKernelsTests: XCTestCase {
    var supportedLevels: [SIMDLevel] {
        let best = KernelSelection.supportedLevel(features: .current, buildMinimum: KernelSelection.buildMinimumLevel)
        return SIMDLevel.allCases.filter { $0 >= KernelSelection.buildMinimumLevel && $0 <= best }
    }

    func values(_ count: Int, seed: UInt64, zeroEvery: Int = 0) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            zeroEvery > 0 && (index / 3) % zeroEvery == 0 ? 0 : Float(generator.nextStandardNormal())
        }
    }

    func testDenseProductMatchesTheScalarReferenceOnOddShapes() {
        var resultsByLevel: [SIMDLevel: [String: [Float]]] = [:]
        for level in supportedLevels {
            var previous: [String: [Float]] = [:]
            for (m, n, k) in [(1, 16, 1), (3, 16, 7), (4, 32, 33), (5, 48, 9), (17, 16, 64), (9, 80, 3), (4, 64, 1)] {
                for transposeA in [false, true] {
                    for accumulates in [false, true] {
                        // op(A) is [m, k]; stored [k, m] when transposed, with zero runs so depths get skipped.
                        let a = values(m * k, seed: UInt64(m * 131 + k), zeroEvery: transposeA ? 2 : 0)
                        let b = values(k * n, seed: UInt64(n * 7 + k))
                        let initial = values(m * n, seed: 99)
                        var c = accumulates ? initial : [Float](repeating: .nan, count: m * n)
                        VectorKernels.withLevel(level) {
                            a.withUnsafeBufferPointer { a in
                                b.withUnsafeBufferPointer { b in
                                    c.withUnsafeMutableBufferPointer { c in
                                        VectorKernels.denseMultiplyRows(0..<m, n: n, k: k, a: a.baseAddress!,
                                                                        rowStride: transposeA ? 1 : k, depthStride: transposeA ? m : 1,
                                                                        b: b.baseAddress!, c: c.baseAddress!, accumulates: accumulates)
                                    }
                                }
                            }
                        }
                        var expected = [Float](repeating: 0, count: m * n)
                        for i in 0..<m {
                            for j in 0..<n {
                                var sum = 0.0
                                for p in 0..<k { sum += Double(a[transposeA ? p * m + i : i * k + p]) * Double(b[p * n + j]) }
                                expected[i * n + j] = Float(sum) + (accumulates ? initial[i * n + j] : 0)
                            }
                        }
                        let label = "m \(m) n \(n) k \(k) transposed \(transposeA) accumulates \(accumulates)"
                        assertClose(c, expected, rtol: 1e-5, atol: 1e-5, "\(level) \(label)")
                        previous[label] = c
                    }
                }
            }
            resultsByLevel[level] = previous
        }
        let levels = supportedLevels
        for level in levels.dropFirst() {
            XCTAssertEqual(resultsByLevel[level], resultsByLevel[levels[0]],
                           "\(level) and \(levels[0]) give bit-identical products")
        }
    }

    func testAdamStepMatchesTheScalarReferenceAndAgreesAcrossLevels() {
        var byLevel: [SIMDLevel: [[Float]]] = [:]
        for level in supportedLevels {
            for count in [1, 7, 8, 15, 16, 17, 33, 100] {
                var theta = values(count, seed: 1), first = values(count, seed: 2).map { $0 * 0.1 }
                var second = values(count, seed: 3).map { $0 * $0 * 0.01 }
                let gradient = values(count, seed: 4)
                let (theta0, first0, second0) = (theta, first, second)
                VectorKernels.withLevel(level) {
                    VectorKernels.adamStep(count: count, parameter: &theta, gradient: gradient, first: &first, second: &second,
                                           oneMinusBeta1: 0.1, oneMinusBeta2: 0.001, stepSize: 0.01, epsilon: 1e-7)
                }
                for i in 0..<count {
                    let m = first0[i] + 0.1 * (gradient[i] - first0[i])
                    let v = second0[i] + 0.001 * (gradient[i] * gradient[i] - second0[i])
                    assertClose(first[i], m, rtol: 1e-6, atol: 1e-7, "\(level) count \(count) m[\(i)]")
                    assertClose(second[i], v, rtol: 1e-6, atol: 1e-9, "\(level) count \(count) v[\(i)]")
                    assertClose(theta[i], theta0[i] - 0.01 * m / (v.squareRoot() + 1e-7), rtol: 1e-5, atol: 1e-6,
                                "\(level) count \(count) θ[\(i)]")
                }
                byLevel[level, default: []] += [theta, first, second]
            }
        }
        let levels = supportedLevels
        for level in levels.dropFirst() { XCTAssertEqual(byLevel[level], byLevel[levels[0]], "\(level) vs \(levels[0])") }
    }
}
