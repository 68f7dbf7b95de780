// A register-blocked matrix product in Swift SIMD for the mini-batch shapes of dense layers,
// where OpenBLAS spends more time packing and dispatching than multiplying: a 32x784 · 784x128
// product took 180-240 us in OpenBLAS against ~60 us here. `BLAS.gemm` routes eligible calls.
//
// Each 4x16 tile of C (4x32 with AVX-512: see `denseMultiplyRows` in SIMDKernels) lives in
// eight vector accumulators for the whole depth loop:
//
// ```
// for p in 0..<k:  C[i..<i+4, j..<j+16] += op(A)[i..<i+4, p] ⊗ B[p, j..<j+16]      (FMA)
// ```
// Every element is a sum over `p` in order (skipping zero terms; a mini-batch forward product
// adds two fixed depth halves), so results depend neither on threads nor on tiling. Products big
// enough to repay a hand-off (about a microsecond through `WorkerPool`) give each core its own
// block of C's rows, or its own depth half.

enum SmallMatrixProduct {
    /// Columns per tile: two SIMD8 vectors.
    static let tileColumns = 16
    /// Above this many multiply-adds OpenBLAS's packing pays for itself (and it can use threads).
    static let maximumWork = 1 << 23

    /// Largest `B` (in elements) worth repacking when it is transposed or its width is not a
    /// multiple of 16: small layers' products (a 64x10 output layer, `dy · Wᵀ`), where a call
    /// into OpenBLAS costs more than the copy.
    static let maximumPackedOperand = 1 << 16

    /// Whether `BLAS.gemm` should use this kernel for the given call.
    @inline(__always)
    static func handles(transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, beta: Float) -> Bool {
        guard alpha == 1 && (beta == 0 || beta == 1) && m > 0 && n > 0 && k > 0 && m * n * k <= maximumWork
        else { return false }
        return (!transposeB && n % tileColumns == 0) || k * n <= maximumPackedOperand
    }

    /// Row-major `C = op(A) · op(B) + beta · C` for `beta` 0 or 1. An `op(B)` that is
    /// transposed, or not a multiple of 16 wide, is first copied into a zero-padded `[k, n16]`
    /// buffer (and C computed into a padded buffer): tiles then see the layout they need.
    static func multiply(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>,
                         b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>) {
        if !transposeB && n % tileColumns == 0 {
            multiply(transposeA: transposeA, m: m, n: n, k: k, a: a, b: b, beta: beta, c: c)
            return
        }
        let width = (n + tileColumns - 1) / tileColumns * tileColumns
        withUnsafeTemporaryAllocation(of: Float.self, capacity: k * width) { packed in
            let packedB = packed.baseAddress!
            for p in 0..<k {
                let row = packedB + p * width
                if transposeB {            // stored B is [n, k]
                    for j in 0..<n { row[j] = b[j * k + p] }
                } else {
                    row.update(from: b + p * n, count: n)
                }
                (row + n).update(repeating: 0, count: width - n)
            }
            if width == n {
                multiply(transposeA: transposeA, m: m, n: n, k: k, a: a, b: packedB, beta: beta, c: c)
                return
            }
            withUnsafeTemporaryAllocation(of: Float.self, capacity: m * width) { padded in
                let paddedC = padded.baseAddress!
                if beta != 0 {   // padding columns start at zero too, so no garbage is ever read
                    for i in 0..<m {
                        (paddedC + i * width).update(from: c + i * n, count: n)
                        (paddedC + i * width + n).update(repeating: 0, count: width - n)
                    }
                }
                multiply(transposeA: transposeA, m: m, n: width, k: k, a: a, b: packedB, beta: beta, c: paddedC)
                for i in 0..<m { (c + i * n).update(from: paddedC + i * width, count: n) }
            }
        }
    }

    /// Row-major `C = op(A) · B + beta · C` for `beta` 0 or 1, `op(A)` `[m, k]`, `B` `[k, n]`,
    /// `n` a multiple of 16. With `beta == 0` C's old contents are never read (in padded
    /// columns too: the tiles write all 16 columns before any is read).
    static func multiply(transposeA: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>,
                         b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>) {
        // op(A)[i, p] = a[i * rowStride + p * depthStride]
        let rowStride = transposeA ? 1 : k
        let depthStride = transposeA ? m : 1
        let accumulates = beta != 0
        if splitsDepth(transposeA: transposeA, m: m, n: n, k: k) {
            multiplyDepthHalves(m: m, n: n, k: k, a: a, rowStride: rowStride, b: b, c: c, accumulates: accumulates)
            return
        }
        let cores = m * n * k >= minimumParallelWork ? min(Parallelism.usableCoreCount, m / 4) : 1
        if cores > 1 {
            // Each core gets a contiguous block of C's rows (whole 4-row tiles), so the cores
            // share at most one cache line of C; splitting by column strips instead made every
            // row of a 784x128 weight gradient bounce a line between the cores.
            let tiles = m / 4
            parallelTasks(cores) { core in
                let first = core * tiles / cores * 4
                let last = core == cores - 1 ? m : (core + 1) * tiles / cores * 4
                multiplyRows(first..<last, n: n, k: k, a: a, rowStride: rowStride, depthStride: depthStride,
                             b: b, c: c, accumulates: accumulates)
            }
        } else {
            multiplyRows(0..<m, n: n, k: k, a: a, rowStride: rowStride, depthStride: depthStride,
                         b: b, c: c, accumulates: accumulates)
        }
    }

    /// Whether `C = A · B` is computed as two fixed depth halves, `C = A[:, :k/2] · B[:k/2] +
    /// A[:, k/2:] · B[k/2:]`: a dense layer's forward pass on a mini-batch (few rows, a deep and
    /// wide `B`). Each core then reads only its half of the weights, the half whose gradient
    /// rows it computes and whose Adam update it runs (both split by contiguous row halves), so
    /// a layer's weights, gradient and moments stay in that core's L2 cache from step to step
    /// instead of crossing between the cores twice per step (the calling core always takes the
    /// first half, and the worker the second unless it is late: `WorkerPool`). The split does
    /// not depend on the number of cores, so neither do the results.
    @inline(__always)
    static func splitsDepth(transposeA: Bool, m: Int, n: Int, k: Int) -> Bool {
        !transposeA && m <= 64 && k >= 256 && k % 8 == 0 && m * n * k >= minimumParallelWork
    }

    /// `C (+)= A[:, :h] · B[:h] + A[:, h:] · B[h:]` with `h = k / 2`, the halves on up to two
    /// cores and added in that order.
    static func multiplyDepthHalves(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, rowStride: Int,
                                    b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, accumulates: Bool) {
        let half = k / 2
        withUnsafeTemporaryAllocation(of: Float.self, capacity: m * n) { scratch in
            let second = scratch.baseAddress!
            parallelTasks(2) { task in
                if task == 0 {
                    multiplyRows(0..<m, n: n, k: half, a: a, rowStride: rowStride, depthStride: 1,
                                 b: b, c: c, accumulates: accumulates)
                } else {
                    multiplyRows(0..<m, n: n, k: k - half, a: a + half, rowStride: rowStride, depthStride: 1,
                                 b: b + half * n, c: second, accumulates: false)
                }
            }
            for index in 0..<(m * n) { c[index] += second[index] }
        }
    }

    /// Multiply-adds above which a product is split across cores (a 32x128x128 product, ~25 us).
    static let minimumParallelWork = 1 << 19

    /// Whether a dense layer's input gradient (`dy · Wᵀ`) and weight gradient (`xᵀ · dy`) should
    /// run side by side, one per core: where both are this kernel's, neither is big enough to be
    /// split itself, yet each repays the hand-off. On the MLP's 128 → 64 layer (32 × 128 × 64,
    /// about 5 µs each) that turns 14 µs of backward pass into about 8. Each product runs the
    /// same kernel as it would alone, so the results are bit-identical.
    @inline(__always)
    static func runsGradientsSideBySide(batch: Int, inputs: Int, outputs: Int) -> Bool {
        let work = batch * inputs * outputs
        return work >= minimumSideBySideWork && work < minimumParallelWork
            && handles(transposeB: true, m: batch, n: inputs, k: outputs, alpha: 1, beta: 0)
            && handles(transposeB: false, m: inputs, n: outputs, k: batch, alpha: 1, beta: 0)
    }

    /// Multiply-adds per product from which running two side by side pays: about 1.3 µs each,
    /// against a hand-off of about a microsecond.
    static let minimumSideBySideWork = 1 << 16

    /// Rows `rows` of C, in the register tiles of `denseMultiplyRows` (SIMDKernels) at the
    /// process's kernel level.
    @inline(__always)
    static func multiplyRows(_ rows: Range<Int>, n: Int, k: Int, a: UnsafePointer<Float>, rowStride: Int,
                             depthStride: Int, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                             accumulates: Bool) {
        VectorKernels.denseMultiplyRows(rows, n: n, k: k, a: a, rowStride: rowStride, depthStride: depthStride,
                                        b: b, c: c, accumulates: accumulates)
    }
}
