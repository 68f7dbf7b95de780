import CBF16
@testable import Tensor
import TestSupport
import XCTest

/// The bf16 mixed-precision products (issue 23): the kernel against its reference on odd shapes
/// and every transpose, bit-identical whatever the column split, and convolutions in bf16
/// against fp32 (values and gradients), repeatable for a thread count. Skipped on a CPU without
/// AVX512_BF16; the precision's selection is tested everywhere.
final class BF16ProductTests: XCTestCase {
    private func requireBF16() throws {
        try XCTSkipUnless(ComputePrecision.bf16Supported, "this CPU has no AVX512_BF16")
    }

    private func random(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in generator.nextUnitFloat() * 2 - 1 }
    }

    /// `C = 0.5 op(A) op(B) + 0.25 C` by the kernel and by its reference (same bf16 operands, sums
    /// in double): they differ only by fp32 summation, within k rounding errors of Σ|a·b|.
    func testKernelMatchesItsReferenceOnOddShapesAndEveryTranspose() throws {
        try requireBF16()
        var generator = SeededGenerator(seed: 23)
        for (m, n, k) in [(1, 1, 1), (3, 17, 33), (17, 3, 65), (13, 33, 1), (65, 130, 17), (12, 32, 256), (25, 70, 513)] {
            for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
                let lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 1
                let a = random((transA ? k : m) * lda, &generator), b = random((transB ? n : k) * ldb, &generator)
                let start = random(m * ldc, &generator)
                var fast = start, reference = start
                labbook_gemm_bf16(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), 0.5, a, Int32(lda), b, Int32(ldb),
                                  0.25, &fast, Int32(ldc))
                labbook_gemm_bf16_reference(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), 0.5, a, Int32(lda), b,
                                            Int32(ldb), 0.25, &reference, Int32(ldc))
                let tolerance = Float(k + 8) * 1e-7 * Float(k)   // |a|, |b| ≤ 1: Σ|a·b| ≤ k
                for row in 0..<m {
                    for column in 0..<n {
                        let index = row * ldc + column
                        XCTAssertEqual(fast[index], reference[index], accuracy: tolerance, "\(m)x\(n)x\(k) tA \(transA) tB \(transB)")
                    }
                    XCTAssertEqual(fast[row * ldc + n], start[row * ldc + n], "the padding column is never written")
                }
            }
        }
    }

    func testAColumnSplitGivesBitIdenticalResultsAndBetaZeroIgnoresC() throws {
        try requireBF16()
        var generator = SeededGenerator(seed: 24)
        let (m, n, k) = (29, 150, 300)
        let a = random(m * k, &generator), b = random(k * n, &generator)
        var whole = [Float](repeating: .nan, count: m * n), halves = [Float](repeating: .nan, count: m * n)
        labbook_gemm_bf16(0, 0, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 0, &whole, Int32(n))
        let split = 67
        b.withUnsafeBufferPointer { b in
            halves.withUnsafeMutableBufferPointer { c in
                labbook_gemm_bf16(0, 0, Int32(m), Int32(split), Int32(k), 1, a, Int32(k), b.baseAddress!, Int32(n), 0,
                                  c.baseAddress!, Int32(n))
                labbook_gemm_bf16(0, 0, Int32(m), Int32(n - split), Int32(k), 1, a, Int32(k), b.baseAddress! + split, Int32(n), 0,
                                  c.baseAddress! + split, Int32(n))
            }
        }
        XCTAssertEqual(whole, halves, "bit-identical whatever the split")
        XCTAssertFalse(whole.contains { $0.isNaN }, "beta = 0 never reads C")
    }

    /// ResNet-like convolutions (a 7x7 map through im2col, a 2x2 one through
    /// `WholeMapConvolution`) and their gradients in bf16 are within the bf16 rounding (~2⁻⁸
    /// relative to the sums' sizes) of fp32, not equal to them (the kernel really ran), and
    /// repeat bit for bit with the work split over two cores.
    func testConvolutionInBF16IsCloseToFP32AndRepeatable() throws {
        try requireBF16()
        var generator = SeededGenerator(seed: 25)
        for (input, filters) in [([6, 16, 7, 7], 24), ([5, 24, 2, 2], 20)] {
            let x = Tensor.randomNormal(input, generator: &generator)
            let w = Tensor.randomNormal([filters, input[1], 3, 3], generator: &generator)
            func run(_ precision: ComputePrecision) -> [[Float]] {
                ComputePrecision.withPrecision(precision) {
                    withThreads(blas: 1, engine: 2) {
                        let inputs = [x, w].map { Tensor($0.data, shape: $0.shape, requiresGradient: true) }
                        let y = conv2d(inputs[0], weight: inputs[1], stride: 1, padding: 1)
                        y.backward(gradient: y.data.map { $0 * 0.5 - 0.25 })
                        return [y.data] + inputs.map { $0.grad! }
                    }
                }
            }
            let single = run(.fp32), mixed = run(.bf16)
            XCTAssertEqual(mixed, run(.bf16), "repeatable for a given thread count")
            for (name, (low, high)) in zip(["output", "input gradient", "weight gradient"], zip(mixed, single)) {
                let scale = high.map(abs).max() ?? 1
                let worst = zip(low, high).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThan(worst, 0.02 * scale, "\(input) \(name): bf16 within its rounding of fp32")
                XCTAssertGreaterThan(worst, 1e-6 * scale, "\(input) \(name): the bf16 kernel ran (results differ from fp32)")
            }
        }
    }

    func testThePrecisionIsChosenFromTheVariableAndTheCPU() throws {
        XCTAssertEqual(try ComputePrecision.select(requested: nil, bf16Supported: true), .fp32, "fp32 until bf16 is shown on Q4")
        XCTAssertEqual(try ComputePrecision.select(requested: "FP32", bf16Supported: true), .fp32)
        XCTAssertEqual(try ComputePrecision.select(requested: "auto", bf16Supported: true), .bf16)
        XCTAssertEqual(try ComputePrecision.select(requested: "auto", bf16Supported: false), .fp32)
        XCTAssertEqual(try ComputePrecision.select(requested: "bf16", bf16Supported: true), .bf16)
        XCTAssertThrowsError(try ComputePrecision.select(requested: "bf16", bf16Supported: false)) { error in
            XCTAssertTrue("\(error)".contains("needs AVX512_BF16"), "\(error)")
        }
        XCTAssertThrowsError(try ComputePrecision.select(requested: "fp16", bf16Supported: true)) { error in
            XCTAssertTrue("\(error)".contains("must be fp32, bf16 or auto, got fp16"), "\(error)")
        }
        if ComputePrecision.bf16Supported {
            XCTAssertTrue(CPUFeatures.current.avx512bf16, "cpuid's bit and the kernel's check agree")
            XCTAssertTrue(BLASCoreStartup.kernelDescription.cpuFeatures.contains("avx512_bf16"), "reports list the feature")
        }
    }
}
