import Foundation
import SIMDKernels
#if arch(x86_64)
import SIMDKernelsAVX512
#endif

/// Where the engine's vector kernels dispatch on `level`: the AVX-512 instantiations when the
/// CPU has AVX-512 (or `LABBOOK_SIMD` asks for them), the build's own width otherwise.
///
/// Both widths run the same generic code (`SIMDKernels`), lane for lane the same arithmetic,
/// so the level changes speed, never results.
public enum VectorKernels {
    /// The level in use: the process's `KernelSelection`, or the best supported level when the
    /// environment's override is invalid (`labbook` refuses such an override at start-up).
    nonisolated(unsafe) public private(set) static var level: SIMDLevel = KernelSelection.process?.simdLevel
        ?? KernelSelection.supportedLevel(features: .current, buildMinimum: KernelSelection.buildMinimumLevel)

    /// Runs `body` with the kernels of `level` (tests compare levels; benchmarks force one).
    /// Not for concurrent use: the level is process-wide.
    public static func withLevel<Result>(_ level: SIMDLevel, _ body: () throws -> Result) rethrows -> Result {
        precondition(level <= KernelSelection.supportedLevel(features: .current, buildMinimum: KernelSelection.buildMinimumLevel),
                     "kernel level \(level) is not supported on this CPU or build")
        let previous = self.level
        self.level = level
        defer { self.level = previous }
        return try body()
    }

    /// Rows `rows` of `C (+)= op(A) · B` (see `denseMultiplyRows`).
    @inline(__always)
    static func denseMultiplyRows(_ rows: Range<Int>, n: Int, k: Int, a: UnsafePointer<Float>, rowStride: Int,
                                  depthStride: Int, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                  accumulates: Bool) {
        #if arch(x86_64)
        if level == .avx512 {
            avx512DenseMultiplyRows(rows, n: n, k: k, a: a, rowStride: rowStride, depthStride: depthStride,
                                    b: b, c: c, accumulates: accumulates)
            return
        }
        #endif
        SIMDKernels.denseMultiplyRows(SIMD8<Float>.self, rows, n: n, k: k, a: a, rowStride: rowStride,
                                      depthStride: depthStride, b: b, c: c, accumulates: accumulates)
    }

    /// Adam's element-wise update on `count` parameters (see `adamStep` and `NN.Adam`).
    @inline(__always)
    public static func adamStep(count: Int, parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                                first: UnsafeMutablePointer<Float>, second: UnsafeMutablePointer<Float>,
                                oneMinusBeta1: Float, oneMinusBeta2: Float, stepSize: Float, epsilon: Float) {
        #if arch(x86_64)
        if level == .avx512 {
            avx512AdamStep(count: count, parameter: parameter, gradient: gradient, first: first, second: second,
                           oneMinusBeta1: oneMinusBeta1, oneMinusBeta2: oneMinusBeta2, stepSize: stepSize, epsilon: epsilon)
            return
        }
        #endif
        SIMDKernels.adamStep(SIMD8<Float>.self, count: count, parameter: parameter, gradient: gradient, first: first,
                             second: second, oneMinusBeta1: oneMinusBeta1, oneMinusBeta2: oneMinusBeta2,
                             stepSize: stepSize, epsilon: epsilon)
    }
}
