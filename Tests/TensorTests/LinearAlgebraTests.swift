import Tensor
import TestSupport
import XCTest

final class LinearAlgebraTests: XCTestCase {
    /// Naive Float64 product of row-major matrices, the reference for sgemm.
    private func reference(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int,
                           transposeA: Bool, transposeB: Bool) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0
                for p in 0..<k {
                    let aValue = transposeA ? a[p * m + i] : a[i * k + p]
                    let bValue = transposeB ? b[j * k + p] : b[p * n + j]
                    total += Double(aValue) * Double(bValue)
                }
                c[i * n + j] = Float(total)
            }
        }
        return c
    }

    func testMatmulAllTransposesMatchReference() {
        let m = 3, n = 4, k = 5
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let a = randomTensor(transposeA ? [k, m] : [m, k], seed: 40)
                let b = randomTensor(transposeB ? [n, k] : [k, n], seed: 41)
                let c = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
                XCTAssertEqual(c.shape, [m, n])
                assertClose(c.data, reference(a.data, b.data, m: m, n: n, k: k, transposeA: transposeA,
                                              transposeB: transposeB), rtol: 1e-5, atol: 1e-5)
            }
        }
    }

    func testMatmulGradientsAllTransposes() {
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let a = randomTensor(transposeA ? [4, 2] : [2, 4], seed: 42)
                let b = randomTensor(transposeB ? [3, 4] : [4, 3], seed: 43)
                checkGradients([a, b]) { matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB) }
            }
        }
    }

    func testLinearMatchesMatmulPlusBias() {
        let x = randomTensor([3, 4], seed: 44), w = randomTensor([4, 2], seed: 45), b = randomTensor([2], seed: 46)
        assertClose(linear(x, weight: w, bias: b).data, (matmul(x, w) + b).data, rtol: 1e-6, atol: 1e-6)
    }

    func testLinearGradients() {
        checkGradients([randomTensor([3, 4], seed: 47), randomTensor([4, 2], seed: 48), randomTensor([2], seed: 49)]) {
            linear($0[0], weight: $0[1], bias: $0[2])
        }
    }

    func testGradientsAccumulateAcrossBackwardPasses() {
        let x = randomTensor([2, 3], seed: 50)
        let w = randomTensor([3, 2], seed: 51)
        w.requiresGradient = true
        sum(matmul(x, w)).backward()
        let once = w.grad!
        sum(matmul(x, w)).backward()
        assertClose(w.grad!, once.map { 2 * $0 })
        w.zeroGradient()
        XCTAssertNil(w.grad)
        sum(matmul(x, w)).backward()
        assertClose(w.grad!, once)
    }
}
