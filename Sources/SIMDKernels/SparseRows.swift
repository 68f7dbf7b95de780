// The zero-skipping paths of `denseMultiplyRows`, for products whose left operand is mostly
// zeros: a mini-batch of images (the background of an MNIST digit is 81% of its pixels, of a
// Fashion-MNIST item about half) and a weight gradient `xᵀ · dy` over such a batch. C is
// computed two rows at a time (`tile2x4`), each pair of rows visiting only the depths where
// one of its two rows of op(A) is not zero. Every element of C is then the same chain of fused
// multiply-adds over `p` in order as in the 4-row tiles, less terms whose factor is an exact
// zero, which add nothing: the products are the dense tiles' (to the sign of a zero sum).
//
// Why pairs: a pair skips a depth where two rows are zero, far more often than a 4-row tile
// finds four (an MNIST batch: 29% of a pair's depths are visited against 39% of a 4-row
// tile's); a single row skips still more but reads a row of B for every row of C, and those
// reads, not the multiply-adds, then set the pace.

/// Densest first row pair (the fraction of its depths it would visit) for which a row-major A
/// takes the pair path; a denser A keeps the 4-row tiles, which read B half as often. Measured
/// on one core (AVX-512, 32 x 392 · 392 x 128, as the MLP's forward halves): the pairs took
/// 20.9 µs at a density of 0.51, 24.8 at 0.64 and 29.1 at 0.75, the 4-row tiles 28.2 at any.
@usableFromInline let sparseRowDensity = 0.7

/// Rows `rows` of `C (+)= A · B` for a row-major `A` (`depthStride` 1) by pairs of rows over
/// their non-zero depths. Returns false, having computed nothing, when A's first pair is
/// denser than `sparseRowDensity`.
@inlinable
func multiplySparseRows<Lanes: FloatLanes>(_: Lanes.Type, _ rows: Range<Int>, n: Int, k: Int, a: UnsafePointer<Float>,
                                           rowStride: Int, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                           accumulates: Bool) -> Bool {
    // `listNonzero` may store a whole vector of positions past the last one it counts.
    withUnsafeTemporaryAllocation(of: Int32.self, capacity: k + Lanes.scalarCount) { buffer in
        let list = buffer.baseAddress!
        @inline(__always) func listPair(_ row: Int) -> Int {
            let last = min(row + 1, rows.upperBound - 1)
            return Lanes.listNonzero(a + row * rowStride, a + last * rowStride, count: k, into: list)
        }
        let firstCount = listPair(rows.lowerBound)
        guard Double(firstCount) <= sparseRowDensity * Double(k) else { return false }
        for row in stride(from: rows.lowerBound, to: rows.upperBound, by: 2) {
            let count = row == rows.lowerBound ? firstCount : listPair(row)
            multiplyRowPair(Lanes.self, height: min(2, rows.upperBound - row), n: n, a: a + row * rowStride,
                            rowStride: rowStride, depthStride: 1, depths: ListedDepths(list: list, count: count),
                            b: b, c: c + row * n, accumulates: accumulates)
        }
        return true
    }
}

/// Rows `rows` of `C (+)= op(A) · B` for a transposed A (`rowStride` 1, at most 64 depths): a
/// weight gradient, each of whose rows is an input feature over the batch. Which samples are
/// non-zero at each feature is first gathered as one bit per sample, reading A along its
/// stored rows (a loop the compiler vectorises); each pair of rows then visits the samples
/// named by either row's bits.
@inlinable
func multiplyMaskedRows<Lanes: FloatLanes>(_: Lanes.Type, _ rows: Range<Int>, n: Int, k: Int, a: UnsafePointer<Float>,
                                           depthStride: Int, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                           accumulates: Bool) {
    precondition(k <= 64, "multiplyMaskedRows: one bit per depth, at most 64")
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: rows.count + 1) { maskBuffer in
        let masks = maskBuffer.baseAddress!
        masks.initialize(repeating: 0, count: rows.count + 1)   // an odd last row pairs with no bits
        for p in 0..<k {
            let stored = a + p * depthStride + rows.lowerBound
            let bit = UInt64(1) << UInt64(p)
            for index in 0..<rows.count { masks[index] |= stored[index] != 0 ? bit : 0 }
        }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 64) { listBuffer in
            let list = listBuffer.baseAddress!
            for row in stride(from: rows.lowerBound, to: rows.upperBound, by: 2) {
                let index = row - rows.lowerBound
                var mask = masks[index] | masks[index + 1]
                var count = 0
                while mask != 0 {
                    list[count] = Int32(truncatingIfNeeded: mask.trailingZeroBitCount)
                    count += 1
                    mask &= mask &- 1
                }
                multiplyRowPair(Lanes.self, height: min(2, rows.upperBound - row), n: n, a: a + row, rowStride: 1,
                                depthStride: depthStride, depths: ListedDepths(list: list, count: count),
                                b: b, c: c + row * n, accumulates: accumulates)
            }
        }
    }
}

/// One or two rows of C over `depths`, in strips four vectors wide (`n` is a multiple of that).
@inlinable @inline(__always)
func multiplyRowPair<Lanes: FloatLanes>(_: Lanes.Type, height: Int, n: Int, a: UnsafePointer<Float>, rowStride: Int,
                                        depthStride: Int, depths: ListedDepths, b: UnsafePointer<Float>,
                                        c: UnsafeMutablePointer<Float>, accumulates: Bool) {
    let halfStrip = 2 * Lanes.scalarCount
    for column in stride(from: 0, to: n, by: 2 * halfStrip) {
        if height == 2 {
            DenseTile<Lanes>.tile2x4(a, rowStride: rowStride, depthStride: depthStride, depths: depths, b: b + column, n: n,
                                     c: c + column, accumulates: accumulates)
        } else {
            for half in [column, column + halfStrip] {
                DenseTile<Lanes>.tile1x2(a, depthStride: depthStride, depths: depths, b: b + half, n: n, c: c + half,
                                         accumulates: accumulates)
            }
        }
    }
}
