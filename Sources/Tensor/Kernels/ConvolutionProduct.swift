import CBF16

/// The matrix products of the convolutions (`ConvolutionPlan`), in the current `ComputePrecision`
/// (bf16 only inside training steps that ask for it): OpenBLAS's sgemm in fp32, Labbook's bf16
/// kernel (`CBF16`) in bf16. Both are single-threaded per call and deterministic for a given
/// split of the work over cores.
enum ConvolutionProduct {
    /// Row-major `C = op(A) · op(B) + beta · C` with explicit row strides, as `BLAS.gemm`.
    @inline(__always)
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                     a: UnsafePointer<Float>, rowStrideA: Int, b: UnsafePointer<Float>, rowStrideB: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, rowStrideC: Int) {
        if ComputePrecision.current == .bf16 {
            labbook_gemm_bf16(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), 1,
                              a, Int32(rowStrideA), b, Int32(rowStrideB), beta, c, Int32(rowStrideC))
        } else {
            BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                      a: a, rowStrideA: rowStrideA, b: b, rowStrideB: rowStrideB, beta: beta, c: c, rowStrideC: rowStrideC)
        }
    }
}
