// The AVX-512 instantiations of the generic kernels in `SIMDKernels`. This module is compiled
// for x86-64-v4, so nothing here may run unless `KernelSelection` chose `.avx512` from the
// CPU's features: callers dispatch, this module only computes.
#if arch(x86_64)
import SIMDKernels
import _Builtin_intrinsics.intel

extension SIMD16: FloatLanes where Scalar == Float {
    /// The `vsqrtps` instruction on a zmm register (correctly rounded).
    @inlinable @inline(__always)
    public static func squareRoot(_ x: SIMD16<Float>) -> SIMD16<Float> {
        unsafeBitCast(_mm512_sqrt_ps(unsafeBitCast(x, to: __m512.self)), to: SIMD16<Float>.self)
    }
}

/// `denseMultiplyRows` with 16-lane vectors: 4x32 tiles. `n` must be a multiple of 16.
public func avx512DenseMultiplyRows(_ rows: Range<Int>, n: Int, k: Int, a: UnsafePointer<Float>, rowStride: Int,
                                    depthStride: Int, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                    accumulates: Bool) {
    denseMultiplyRows(SIMD16<Float>.self, rows, n: n, k: k, a: a, rowStride: rowStride, depthStride: depthStride,
                      b: b, c: c, accumulates: accumulates)
}

/// `adamStep` with 16-lane vectors.
public func avx512AdamStep(count: Int, parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                           first: UnsafeMutablePointer<Float>, second: UnsafeMutablePointer<Float>,
                           oneMinusBeta1: Float, oneMinusBeta2: Float, stepSize: Float, epsilon: Float) {
    adamStep(SIMD16<Float>.self, count: count, parameter: parameter, gradient: gradient, first: first, second: second,
             oneMinusBeta1: oneMinusBeta1, oneMinusBeta2: oneMinusBeta2, stepSize: stepSize, epsilon: epsilon)
}
#endif
