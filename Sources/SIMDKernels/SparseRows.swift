// The zero-skipping paths of `denseMultiplyRows`, for products whose left operand is mostly
// zeros: a mini-batch of images (the background of an MNIST digit is 81% of its pixels, of a
// Fashion-MNIST item about half) and a weight gradient `xᵀ · dy` over such a batch. C is
// computed two rows at a time (`tile2x4`), each pair of rows visiting only the depths where
// one of its two rows of op(A) is not zero. Every element of C is then the same chain of fused
// multiply-adds over `p` in order as in the 4-row tiles, less terms whose factor is an exact
// zero, which add nothing: the products are the dense tiles' (to the sign of a zero sum).
//
// Why pairs: a pair skips a depth where two rows are zero, far more often than a 4-row tile
// finds four (a batch of 32 MNIST images: 29% of a pair's depths are visited against 39% of a
// 4-row tile's; Fashion-MNIST 66% against 79%); a single row skips still more but reads a row
// of B for every row of C, and those reads, not the multiply-adds, then set the pace.
//
// On one core (AVX-512), for the MLP's shapes: a forward half (32 x 392 · 392 x 128) took
// 12.0 µs on an MNIST batch and 22.5 on a Fashion-MNIST one, against 29-30 in the 4-row tiles;
// a weight-gradient half (392 x 32 · 32 x 128) 11.3 and 21.7, against 24.0 and 36.5.

/// Densest A (the fraction of its row pairs' depths they would visit) that takes the pair
/// path; a denser A keeps the 4-row tiles, whose row of B serves four rows of C. Measured on
/// one core (AVX-512; 32 x 392 · 392 x 128, the MLP's forward halves; random zeros): the pairs
/// took 17.9 µs at a density of 0.51, 24.9 at 0.75, 27.5 at 0.84 and 29.6 at 0.91, the 4-row
/// tiles 29.1-29.4 at any.
@usableFromInline let sparseRowDensity = 0.85

/// Bytes of B that a block of depths may span: such a block stays in a 32 KB L1 data cache
/// while every row pair visits it (12 KB blocks took 24.8 µs for the forward half of a
/// Fashion-MNIST batch, 24 KB 22.5, 32 KB 23.8, 48 KB 24.8, none 25.0).
@usableFromInline let depthBlockBytes = 24 * 1024

/// Rows `rows` of `C (+)= A · B` for a row-major `A` (`depthStride` 1) by pairs of rows over
/// their non-zero depths. Returns false, having computed nothing, when A is denser than
/// `sparseRowDensity`.
@inlinable
func multiplySparseRows<Lanes: FloatLanes>(_: Lanes.Type, _ rows: Range<Int>, n: Int, k: Int, a: UnsafePointer<Float>,
                                           rowStride: Int, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                           accumulates: Bool) -> Bool {
    let pairCount = (rows.count + 1) / 2
    let capacity = k + Lanes.scalarCount   // `listNonzero` may store a vector past its last position
    return withUnsafeTemporaryAllocation(of: Int32.self, capacity: pairCount * capacity) { listBuffer in
        withUnsafeTemporaryAllocation(of: Int.self, capacity: pairCount) { countBuffer in
            let lists = listBuffer.baseAddress!, counts = countBuffer.baseAddress!
            var total = 0
            for pair in 0..<pairCount {
                let row = rows.lowerBound + 2 * pair, last = min(row + 1, rows.upperBound - 1)
                counts[pair] = Lanes.listNonzero(a + row * rowStride, a + last * rowStride, count: k, into: lists + pair * capacity)
                total += counts[pair]
            }
            guard Double(total) <= sparseRowDensity * Double(pairCount * k) else { return false }
            multiplyListedPairs(Lanes.self, rows, n: n, k: k, a: a, rowStride: rowStride, lists: lists, capacity: capacity,
                                counts: counts, b: b, c: c, accumulates: accumulates)
            return true
        }
    }
}

/// The pairs of `multiplySparseRows` over their lists (`capacity` apart), block of depths by
/// block of depths.
///
/// A pair reads a row of B for two rows of C, and a deep B (the MLP's 392 x 128 forward halves,
/// 200 KB) would stream from L2 for every pair. So depths are taken in blocks whose rows of B
/// fit in L1 (`depthBlockBytes`) and every pair visits a block before the next, its
/// accumulators carried over in a buffer of partial sums: each chain of multiply-adds continues
/// exactly where it stopped, and C receives it (with `accumulates`) after the last block.
@inlinable
func multiplyListedPairs<Lanes: FloatLanes>(_: Lanes.Type, _ rows: Range<Int>, n: Int, k: Int, a: UnsafePointer<Float>,
                                            rowStride: Int, lists: UnsafePointer<Int32>, capacity: Int,
                                            counts: UnsafePointer<Int>, b: UnsafePointer<Float>,
                                            c: UnsafeMutablePointer<Float>, accumulates: Bool) {
    let pairCount = (rows.count + 1) / 2
    let blockDepth = max(1, depthBlockBytes / (n * MemoryLayout<Float>.size))
    let partialCount = k > blockDepth ? rows.count * n : 0
    withUnsafeTemporaryAllocation(of: Int.self, capacity: pairCount) { startBuffer in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: partialCount) { partialBuffer in
            let starts = startBuffer.baseAddress!   // each pair's first entry in the current block
            starts.initialize(repeating: 0, count: pairCount)
            for blockStart in stride(from: 0, to: k, by: blockDepth) {
                let blockEnd = min(k, blockStart + blockDepth)
                for pair in 0..<pairCount {
                    let list = lists + pair * capacity, first = starts[pair]
                    var end = first
                    while end < counts[pair] && Int(list[end]) < blockEnd { end += 1 }
                    starts[pair] = end
                    let row = rows.lowerBound + 2 * pair
                    let partial = partialBuffer.baseAddress.map { $0 + 2 * pair * n }
                    multiplyRowPair(Lanes.self, height: min(2, rows.upperBound - row), n: n, a: a + row * rowStride,
                                    rowStride: rowStride, depthStride: 1,
                                    depths: ListedDepths(list: list + first, count: end - first), b: b,
                                    initial: blockStart == 0 ? nil : UnsafePointer(partial),
                                    c: blockEnd == k ? c + row * n : partial!, accumulates: blockEnd == k && accumulates)
                }
            }
        }
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
                                b: b, initial: nil, c: c + row * n, accumulates: accumulates)
            }
        }
    }
}

/// One or two rows of C over `depths`, in strips four vectors wide (`n` is a multiple of
/// that), starting from the partial sums at `initial` if given.
@inlinable @inline(__always)
func multiplyRowPair<Lanes: FloatLanes>(_: Lanes.Type, height: Int, n: Int, a: UnsafePointer<Float>, rowStride: Int,
                                        depthStride: Int, depths: ListedDepths, b: UnsafePointer<Float>,
                                        initial: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, accumulates: Bool) {
    for column in stride(from: 0, to: n, by: 4 * Lanes.scalarCount) {
        let start = initial.map { $0 + column }
        if height == 2 {
            DenseTile<Lanes>.tile2x4(a, rowStride: rowStride, depthStride: depthStride, depths: depths, b: b + column, n: n,
                                     initial: start, c: c + column, accumulates: accumulates)
        } else {
            DenseTile<Lanes>.tile1x4(a, depthStride: depthStride, depths: depths, b: b + column, n: n, initial: start,
                                     c: c + column, accumulates: accumulates)
        }
    }
}
