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

    /// Sixteen positions per step: a test of each lane's bits but the sign (of the two rows'
    /// bits or-ed) gives a mask of the non-zero lanes (a NaN is not zero), and
    /// `vpcompressd` packs those lanes' positions to the front of a vector, stored whole (the
    /// register form: the memory form is slow on Zen 4).
    @inlinable @inline(__always)
    public static func listNonzero(_ first: UnsafePointer<Float>, _ second: UnsafePointer<Float>, count: Int,
                                   into list: UnsafeMutablePointer<Int32>) -> Int {
        var listed = 0, p = 0
        var positions = unsafeBitCast(SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), to: __m512i.self)
        let step = _mm512_set1_epi32(16), magnitude = _mm512_set1_epi32(0x7FFF_FFFF)
        while p + 16 <= count {
            let either = _mm512_or_si512(_mm512_loadu_si512(first + p), _mm512_loadu_si512(second + p))
            let mask = _mm512_test_epi32_mask(either, magnitude)
            _mm512_storeu_si512(list + listed, _mm512_maskz_compress_epi32(mask, positions))
            listed += mask.nonzeroBitCount
            positions = _mm512_add_epi32(positions, step)
            p += 16
        }
        while p < count {
            list[listed] = Int32(truncatingIfNeeded: p)
            listed += first[p] != 0 || second[p] != 0 ? 1 : 0
            p += 1
        }
        return listed
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
