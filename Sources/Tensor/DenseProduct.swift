import CBF16

/// The matrix products of dense layers (`linear`: forward, input gradient, weight gradient) in
/// the current `ComputePrecision`.
///
/// Under bf16 (inside training steps that ask for it) the large products run in Labbook's bf16
/// kernel (`CBF16`): operands rounded to bf16 as they are packed, sums in fp32, everything
/// outside the product fp32. On an MLP step at batch 32 the first layer's forward product and
/// weight gradient (3.2 million multiply-adds each) are nearly all the arithmetic, and fp32
/// runs them at the FMA units' peak already; `vdpbf16ps` does twice the multiply-adds per
/// instruction. Small products (fewer than `minimumBF16Work` multiply-adds, or a side under
/// `minimumBF16Side`: the MLP's second and third layers, the ResNets' 10-class heads) stay
/// fp32, where packing would cost more than it saves and the rounding would buy nothing.
///
/// The bf16 work is split over the cores the way `SmallMatrixProduct` splits fp32 work, so that
/// each core keeps reading the half of a layer's weights that it updates: a mini-batch forward
/// product as two fixed depth halves (`C = A₁B₁ + A₂B₂`, added in that order whatever the number
/// of cores), other products by blocks of C's rows, which the kernel computes element by element
/// in the same order however they are split. Results are bit-identical for any number of cores.
enum DenseProduct {
    /// Multiply-adds from which a product runs in bf16 when the step asks for it.
    static let minimumBF16Work = 1 << 20
    /// Smallest `n` and `k` for bf16: below 32 columns the kernel's 32-wide panels are mostly
    /// padding, and below 32 depths (16 bf16 pairs) packing costs more than the products.
    static let minimumBF16Side = 32

    /// Whether `C = op(A) · op(B)` (`m x k` times `k x n`) runs in bf16 right now.
    @inline(__always)
    static func usesBF16(m: Int, n: Int, k: Int) -> Bool {
        ComputePrecision.current == .bf16 && m * n * k >= minimumBF16Work && n >= minimumBF16Side && k >= minimumBF16Side
    }

    /// Row-major `C = op(A) · op(B) + beta · C` for `beta` 0 or 1, as `BLAS.gemm`.
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>,
                     b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>) {
        guard usesBF16(m: m, n: n, k: k) else {
            BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b, beta: beta, c: c)
            return
        }
        let operands = BF16Operands(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b)
        if !transposeA && SmallMatrixProduct.splitsDepth(transposeA: false, m: m, n: n, k: k) {
            let half = k / 2
            withUnsafeTemporaryAllocation(of: Float.self, capacity: m * n) { scratch in
                let second = scratch.baseAddress!
                parallelTasks(2) { task in
                    if task == 0 {
                        operands.multiply(rows: 0..<m, depths: 0..<half, beta: beta, into: c)
                    } else {
                        operands.multiply(rows: 0..<m, depths: half..<k, beta: 0, into: second)
                    }
                }
                for index in 0..<(m * n) { c[index] += second[index] }
            }
            return
        }
        let cores = min(Parallelism.usableCoreCount, max(1, m / minimumRowsPerCore))
        parallelTasks(cores) { core in
            operands.multiply(rows: (core * m / cores)..<((core + 1) * m / cores), depths: 0..<k, beta: beta, into: c)
        }
    }

    /// Rows of C below which a core is not given a block of its own.
    static let minimumRowsPerCore = 16
}

/// The stored operands of one product, and the bf16 kernel call for a block of C's rows over a
/// range of depths.
private struct BF16Operands {
    let transposeA: Bool, transposeB: Bool
    let m: Int, n: Int, k: Int
    let a: UnsafePointer<Float>, b: UnsafePointer<Float>

    /// `out[rows] = op(A)[rows, depths] · op(B)[depths, :] + beta · out[rows]`, where `out`
    /// has C's layout (`[m, n]`, row stride `n`).
    func multiply(rows: Range<Int>, depths: Range<Int>, beta: Float, into out: UnsafeMutablePointer<Float>) {
        guard !rows.isEmpty else { return }
        let rowStrideA = transposeA ? m : k, rowStrideB = transposeB ? k : n
        let aStart = transposeA ? a + depths.lowerBound * rowStrideA + rows.lowerBound
                                : a + rows.lowerBound * rowStrideA + depths.lowerBound
        let bStart = transposeB ? b + depths.lowerBound : b + depths.lowerBound * rowStrideB
        labbook_gemm_bf16(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(rows.count), Int32(n), Int32(depths.count), 1,
                          aStart, Int32(rowStrideA), bStart, Int32(rowStrideB), beta, out + rows.lowerBound * n, Int32(n))
    }
}
