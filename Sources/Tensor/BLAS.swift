import CBLAS

/// The one door to OpenBLAS: single-precision matrix products and the thread count.
///
/// OpenBLAS's sgemm gives identical results for identical inputs as long as the thread count
/// is fixed, which is why training runs set it once (`BLAS.threadCount`) and report it.
public enum BLAS {
    /// OpenBLAS worker threads, for the products OpenBLAS still computes (evaluation batches,
    /// transposed or narrow operands). Mini-batch products run single-threaded in
    /// `SmallMatrixProduct`.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }

    /// The kernel set OpenBLAS is running ("SkylakeX", "Haswell", "Prescott", ...).
    public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// OpenBLAS's build description ("OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ... MAX_THREADS=64").
    public static var configuration: String { openblas_get_config().map { String(cString: $0) } ?? "unknown" }

    /// Row-major `C = alpha * op(A) * op(B) + beta * C`, with `op(A)` of shape `[m, k]` and
    /// `op(B)` of shape `[k, n]`. Transposes are BLAS flags: nothing is copied.
    ///
    /// Mini-batch-sized products (a dense layer's forward pass and gradients) run in
    /// `SmallMatrixProduct` instead, which is several times faster there and equally
    /// deterministic.
    @inline(__always)
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                            beta: Float, c: UnsafeMutablePointer<Float>) {
        if SmallMatrixProduct.handles(transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, beta: beta) {
            SmallMatrixProduct.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b,
                                        beta: beta, c: c)
            return
        }
        gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
             a: a, rowStrideA: transposeA ? m : k, b: b, rowStrideB: transposeB ? k : n,
             beta: beta, c: c, rowStrideC: n)
    }

    /// Row-major `C = alpha * op(A) * op(B) + beta * C` on sub-matrices with explicit leading
    /// dimensions (row strides), always in OpenBLAS: lets a core multiply its own block of
    /// columns of a larger matrix in place (see `conv2d`), which the packed form above cannot.
    @inline(__always)
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, rowStrideA: Int, b: UnsafePointer<Float>, rowStrideB: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, rowStrideC: Int) {
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(rowStrideA), b, Int32(rowStrideB),
                    beta, c, Int32(rowStrideC))
    }
}
