@testable import Tensor
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

    /// Widths that are multiples of 16 take the Swift SIMD kernel (`SmallMatrixProduct`): 4-row
    /// tiles plus a leftover row here, with and without a transposed A.
    func testSmallProductKernelMatchesReference() {
        let m = 9, n = 32, k = 13
        for transposeA in [false, true] {
            let a = randomTensor(transposeA ? [k, m] : [m, k], seed: 60)
            let b = randomTensor([k, n], seed: 61)
            let c = matmul(a, b, transposeA: transposeA)
            assertClose(c.data, reference(a.data, b.data, m: m, n: n, k: k, transposeA: transposeA,
                                          transposeB: false), rtol: 1e-5, atol: 1e-5)
        }
    }

    /// The kernel's accumulate mode (`beta = 1`): the bias folded into `linear`, and a weight
    /// gradient summed over two backward passes.
    func testSmallProductKernelAccumulates() {
        let x = randomTensor([6, 5], seed: 62), w = randomTensor([5, 16], seed: 63), b = randomTensor([16], seed: 64)
        assertClose(linear(x, weight: w, bias: b).data,
                    zip(reference(x.data, w.data, m: 6, n: 16, k: 5, transposeA: false, transposeB: false),
                        (0..<96).map { b.data[$0 % 16] }).map(+), rtol: 1e-5, atol: 1e-5)
        w.requiresGradient = true
        sum(linear(x, weight: w, bias: b)).backward()
        let once = w.grad!
        assertClose(once, reference(x.data, [Float](repeating: 1, count: 96), m: 5, n: 16, k: 6,
                                    transposeA: true, transposeB: false), rtol: 1e-5, atol: 1e-5)
        sum(linear(x, weight: w, bias: b)).backward()
        assertClose(w.grad!, once.map { 2 * $0 })
    }

    /// Sparse inputs (the zero background of an image, dead ReLUs): the kernel skips depths where
    /// a whole tile of op(A) is zero, including tiles that are zero everywhere, and must still
    /// give the exact product, in both layouts and in accumulate mode.
    func testSmallProductKernelSkipsZeroDepthsExactly() {
        let m = 11, n = 32, k = 40
        for transposeA in [false, true] {
            let a = randomTensor(transposeA ? [k, m] : [m, k], seed: 70)
            var values = a.data
            for index in values.indices where (index * 7919) % 5 != 0 { values[index] = 0 }  // 80% zeros
            if transposeA {
                for p in 0..<k { for i in 0..<4 { values[p * m + i] = 0 } }   // rows 0-3 of op(A) all zero
            } else {
                for i in 0..<4 { for p in 0..<k { values[i * k + p] = 0 } }
            }
            let sparse = Tensor(values, shape: a.shape)
            let b = randomTensor([k, n], seed: 71)
            let expected = reference(values, b.data, m: m, n: n, k: k, transposeA: transposeA, transposeB: false)
            assertClose(matmul(sparse, b, transposeA: transposeA).data, expected, rtol: 1e-5, atol: 1e-6)
            XCTAssertEqual(Array(matmul(sparse, b, transposeA: transposeA).data[0..<(4 * n)]),
                           [Float](repeating: 0, count: 4 * n))
        }
    }

    /// Products big enough to be split across cores give bit-identical results with one core
    /// and with two (each core owns whole rows of C; every sum keeps its order).
    func testSmallProductKernelIsIdenticalOnOneAndTwoCores() {
        let previous = Parallelism.coreCount
        defer { Parallelism.coreCount = previous }
        let x = randomTensor([32, 784], seed: 72), w = randomTensor([784, 128], seed: 73)
        var results: [[Float]] = []
        for cores in [1, 2] {
            Parallelism.coreCount = cores
            let forward = matmul(x, w).data
            let weightGradient = matmul(x, matmul(x, w), transposeA: true).data
            results.append(forward + weightGradient)
        }
        XCTAssertEqual(results[0], results[1])
    }

    /// The MLP's second layer (32 × 128 → 64): its input and parameter gradients run side by
    /// side on two cores, to the same bits as one after the other on one core, onto earlier
    /// gradients too. Layers too small or too big for it run their products in turn.
    func testDenseGradientsSideBySideAreThoseOfOneCore() {
        XCTAssertTrue(SmallMatrixProduct.runsGradientsSideBySide(batch: 32, inputs: 128, outputs: 64))
        XCTAssertFalse(SmallMatrixProduct.runsGradientsSideBySide(batch: 32, inputs: 64, outputs: 10), "too small to repay the hand-off")
        XCTAssertFalse(SmallMatrixProduct.runsGradientsSideBySide(batch: 32, inputs: 784, outputs: 128), "split inside each product instead")
        XCTAssertFalse(SmallMatrixProduct.runsGradientsSideBySide(batch: 1, inputs: 300, outputs: 300), "dy · Wᵀ would go to OpenBLAS")
        let previous = Parallelism.coreCount
        defer { Parallelism.coreCount = previous }
        let dy = randomTensor([32, 64], seed: 90).data
        let xValues = randomTensor([32, 128], seed: 91).data, wValues = randomTensor([128, 64], seed: 92).data
        let bValues = randomTensor([64], seed: 93).data
        let gradients = [1, 2].map { cores -> [[Float]] in
            Parallelism.coreCount = cores
            let x = Tensor(xValues, shape: [32, 128], requiresGradient: true)
            let w = Tensor(wValues, shape: [128, 64], requiresGradient: true), b = Tensor(bValues, shape: [64], requiresGradient: true)
            let y = linear(x, weight: w, bias: b)
            y.backward(gradient: dy)
            y.backward(gradient: dy)
            return [x.grad!, w.grad!, b.grad!]
        }
        XCTAssertEqual(gradients[0], gradients[1])
        let column: [Float] = (0..<32).map { dy[$0 * 64 + 5] }
        XCTAssertEqual(gradients[1][2][5], 2 * column.reduce(0, +), accuracy: 1e-4)
        assertClose(gradients[1][0], reference(dy, wValues, m: 32, n: 128, k: 64, transposeA: false, transposeB: true).map { 2 * $0 },
                    rtol: 1e-5, atol: 1e-5, "dx = dy · Wᵀ, twice")
        assertClose(gradients[1][1], reference(xValues, dy, m: 128, n: 64, k: 32, transposeA: true, transposeB: false).map { 2 * $0 },
                    rtol: 1e-5, atol: 1e-5, "dW = xᵀ · dy, twice")
    }

    /// Transposed or narrow (not a multiple of 16) right operands are repacked into a padded
    /// buffer for the kernel: a 10-class output layer and its `dy · Wᵀ`, with accumulation.
    func testSmallProductKernelPacksTransposedAndNarrowOperands() {
        let m = 7, k = 9
        for n in [10, 16, 21] {
            for transposeB in [false, true] {
                for transposeA in [false, true] {
                    let a = randomTensor(transposeA ? [k, m] : [m, k], seed: 80)
                    let b = randomTensor(transposeB ? [n, k] : [k, n], seed: 81)
                    assertClose(matmul(a, b, transposeA: transposeA, transposeB: transposeB).data,
                                reference(a.data, b.data, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB),
                                rtol: 1e-5, atol: 1e-6, "n \(n) transposeA \(transposeA) transposeB \(transposeB)")
                }
            }
        }
        let x = randomTensor([6, 12], seed: 82), w = randomTensor([12, 10], seed: 83)
        w.requiresGradient = true
        let b = randomTensor([10], seed: 84)
        sum(linear(x, weight: w, bias: b)).backward()
        let once = w.grad!
        sum(linear(x, weight: w, bias: b)).backward()
        assertClose(w.grad!, once.map { 2 * $0 }, rtol: 1e-6, atol: 1e-6)
    }

    func testSmallProductKernelGradients() {
        checkGradients([randomTensor([5, 3], seed: 65), randomTensor([3, 16], seed: 66), randomTensor([16], seed: 67)]) {
            linear($0[0], weight: $0[1], bias: $0[2])
        }
    }
}
