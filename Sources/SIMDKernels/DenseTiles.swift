// The register tiles of `SmallMatrixProduct` (Tensor), generic over the vector width so that
// the AVX2 build (`SIMD8`) and the AVX-512 build (`SIMD16`, in `SIMDKernelsAVX512`) are one
// implementation. A tile of C is 4 rows × 2 vectors (4x16 floats with AVX2, 4x32 with
// AVX-512) held in eight accumulators for the whole depth loop:
//
// ```
// for p in depths:  C[i..<i+4, j..<j+2w] += op(A)[i..<i+4, p] ⊗ B[p, j..<j+2w]      (FMA)
// ```
// Every element of C is the same chain of fused multiply-adds over `p` in order, whatever
// the width and the tile shape, so results are bit-identical across kernel levels.

/// Rows `rows` of `C (+)= op(A) · B` with `op(A)[i, p] = a[i * rowStride + p * depthStride]`,
/// `B` `[k, n]` row-major and `n` a multiple of `Lanes.scalarCount`.
///
/// Where C is a multiple of four vectors wide, zeros of A are skipped two rows at a time
/// (`SparseRows`): always for a transposed `A` of at most 64 depths (a weight gradient
/// `xᵀ · dy` over a mini-batch, whose rows of `op(A)` are input features, zero over much of
/// the batch where they are background pixels), and for an untransposed `A` (a batch of
/// images) when it is sparse enough to gain. Otherwise a transposed `A` is taken in tiles of
/// 4 rows, each first listing the depths where its rows are not all zero, and an untransposed
/// one in the plain loop, strip by strip so that a strip of B is reused by all row tiles while
/// it is in cache. Skipping exact zeros leaves every sum as it was.
@inlinable
public func denseMultiplyRows<Lanes: FloatLanes>(_: Lanes.Type, _ rows: Range<Int>, n: Int, k: Int,
                                                 a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                                                 b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                                 accumulates: Bool) {
    let width = Lanes.scalarCount
    if n % (4 * width) == 0 && k > 0 && !rows.isEmpty {   // the pair paths write C only over depths
        if depthStride == 1 {
            if multiplySparseRows(Lanes.self, rows, n: n, k: k, a: a, rowStride: rowStride, b: b, c: c,
                                  accumulates: accumulates) {
                return
            }
        } else if k <= 64 && rowStride == 1 {
            multiplyMaskedRows(Lanes.self, rows, n: n, k: k, a: a, depthStride: depthStride, b: b, c: c,
                               accumulates: accumulates)
            return
        }
    }
    let fullTiles = rows.count / 4
    let tileCount = fullTiles + rows.count % 4
    @inline(__always) func firstRow(_ tile: Int) -> Int {
        rows.lowerBound + (tile < fullTiles ? tile * 4 : fullTiles * 4 + tile - fullTiles)
    }
    // Full strips of two vectors, then (AVX-512, `n % 32 == 16`) one strip of one vector: the
    // shape of each loop is fixed, so its tile code is straight-line.
    let strideColumns = 2 * width
    let fullColumns = n / strideColumns * strideColumns
    @inline(__always) func strips<D: DepthSequence>(row: Int, fullHeight: Bool, depths: D) {
        let a = a + row * rowStride, c = c + row * n
        for column in stride(from: 0, to: fullColumns, by: strideColumns) {
            if fullHeight {
                DenseTile<Lanes>.tile4x2(a, rowStride: rowStride, depthStride: depthStride, depths: depths, b: b + column, n: n,
                                         c: c + column, accumulates: accumulates)
            } else {
                DenseTile<Lanes>.tile1x2(a, depthStride: depthStride, depths: depths, b: b + column, n: n, c: c + column,
                                         accumulates: accumulates)
            }
        }
        if fullColumns < n {
            if fullHeight {
                DenseTile<Lanes>.tile4x1(a, rowStride: rowStride, depthStride: depthStride, depths: depths, b: b + fullColumns,
                                         n: n, c: c + fullColumns, accumulates: accumulates)
            } else {
                DenseTile<Lanes>.tile1x1(a, depthStride: depthStride, depths: depths, b: b + fullColumns, n: n,
                                         c: c + fullColumns, accumulates: accumulates)
            }
        }
    }
    guard depthStride != 1 else {
        // Column strip outermost, so a strip of B stays in cache for all row tiles.
        for column in stride(from: 0, to: fullColumns, by: strideColumns) {
            for tile in 0..<tileCount {
                let row = firstRow(tile)
                if tile < fullTiles {
                    DenseTile<Lanes>.tile4x2(a + row * rowStride, rowStride: rowStride, depthStride: 1, depths: AllDepths(count: k),
                                             b: b + column, n: n, c: c + row * n + column, accumulates: accumulates)
                } else {
                    DenseTile<Lanes>.tile1x2(a + row * rowStride, depthStride: 1, depths: AllDepths(count: k), b: b + column, n: n,
                                             c: c + row * n + column, accumulates: accumulates)
                }
            }
        }
        if fullColumns < n {
            for tile in 0..<tileCount {
                let row = firstRow(tile)
                if tile < fullTiles {
                    DenseTile<Lanes>.tile4x1(a + row * rowStride, rowStride: rowStride, depthStride: 1, depths: AllDepths(count: k),
                                             b: b + fullColumns, n: n, c: c + row * n + fullColumns, accumulates: accumulates)
                } else {
                    DenseTile<Lanes>.tile1x1(a + row * rowStride, depthStride: 1, depths: AllDepths(count: k), b: b + fullColumns,
                                             n: n, c: c + row * n + fullColumns, accumulates: accumulates)
                }
            }
        }
        return
    }
    withUnsafeTemporaryAllocation(of: Int32.self, capacity: k) { buffer in
        let list = buffer.baseAddress!
        for tile in 0..<tileCount {
            let row = firstRow(tile)
            let count = nonzeroDepths(of: a + row * rowStride, rowCount: tile < fullTiles ? 4 : 1,
                                      rowStride: rowStride, depthStride: depthStride, k: k, into: list)
            strips(row: row, fullHeight: tile < fullTiles, depths: ListedDepths(list: list, count: count))
        }
    }
}

/// Writes the depths `p` at which some of the `rowCount` rows starting at `a` is non-zero,
/// in increasing order, and returns how many there are.
@inlinable @inline(__always)
func nonzeroDepths(of a: UnsafePointer<Float>, rowCount: Int, rowStride: Int, depthStride: Int,
                   k: Int, into depths: UnsafeMutablePointer<Int32>) -> Int {
    var count = 0
    for p in 0..<k {
        let offset = p * depthStride
        var any = a[offset] != 0
        if rowCount == 4 {
            any = any || a[offset + rowStride] != 0 || a[offset + 2 * rowStride] != 0 || a[offset + 3 * rowStride] != 0
        }
        depths[count] = Int32(truncatingIfNeeded: p)   // branch-free: kept only if counted
        count += any ? 1 : 0
    }
    return count
}

/// The tiles of C: 4 or 1 rows, 2 or 1 vectors wide.
@usableFromInline
enum DenseTile<Lanes: FloatLanes> {
    @inlinable @inline(__always)
    static func tile4x2<D: DepthSequence>(_ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, depths: D,
                                          b: UnsafePointer<Float>, n: Int, c: UnsafeMutablePointer<Float>, accumulates: Bool) {
        var c00 = Lanes(), c01 = Lanes(), c10 = Lanes(), c11 = Lanes()
        var c20 = Lanes(), c21 = Lanes(), c30 = Lanes(), c31 = Lanes()
        let a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride
        let second = MemoryLayout<Lanes>.size
        for q in 0..<depths.count {
            let p = depths[q]
            let bRow = UnsafeRawPointer(b + p * n)
            let b0 = bRow.loadUnaligned(as: Lanes.self)
            let b1 = bRow.loadUnaligned(fromByteOffset: second, as: Lanes.self)
            let offset = p * depthStride
            let x0 = Lanes(repeating: a0[offset]), x1 = Lanes(repeating: a1[offset])
            let x2 = Lanes(repeating: a2[offset]), x3 = Lanes(repeating: a3[offset])
            c00.addProduct(x0, b0); c01.addProduct(x0, b1)
            c10.addProduct(x1, b0); c11.addProduct(x1, b1)
            c20.addProduct(x2, b0); c21.addProduct(x2, b1)
            c30.addProduct(x3, b0); c31.addProduct(x3, b1)
        }
        store(c00, to: c, accumulates: accumulates); store(c01, to: c + Lanes.scalarCount, accumulates: accumulates)
        store(c10, to: c + n, accumulates: accumulates); store(c11, to: c + n + Lanes.scalarCount, accumulates: accumulates)
        store(c20, to: c + 2 * n, accumulates: accumulates); store(c21, to: c + 2 * n + Lanes.scalarCount, accumulates: accumulates)
        store(c30, to: c + 3 * n, accumulates: accumulates); store(c31, to: c + 3 * n + Lanes.scalarCount, accumulates: accumulates)
    }

    @inlinable @inline(__always)
    static func tile4x1<D: DepthSequence>(_ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, depths: D,
                                          b: UnsafePointer<Float>, n: Int, c: UnsafeMutablePointer<Float>, accumulates: Bool) {
        var c0 = Lanes(), c1 = Lanes(), c2 = Lanes(), c3 = Lanes()
        let a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride
        for q in 0..<depths.count {
            let p = depths[q]
            let b0 = UnsafeRawPointer(b + p * n).loadUnaligned(as: Lanes.self)
            let offset = p * depthStride
            c0.addProduct(Lanes(repeating: a0[offset]), b0); c1.addProduct(Lanes(repeating: a1[offset]), b0)
            c2.addProduct(Lanes(repeating: a2[offset]), b0); c3.addProduct(Lanes(repeating: a3[offset]), b0)
        }
        store(c0, to: c, accumulates: accumulates); store(c1, to: c + n, accumulates: accumulates)
        store(c2, to: c + 2 * n, accumulates: accumulates); store(c3, to: c + 3 * n, accumulates: accumulates)
    }

    /// Two rows, four vectors wide: the tile of the zero-skipping paths (`SparseRows`), whose
    /// two rows share one list of depths. Eight accumulators, as in `tile4x2`, but a row of B
    /// (four loads) serves two rows of C instead of four, so a list may skip depths where only
    /// two rows, not four, are zero. With `initial` the accumulators start from the partial
    /// sums stored there (a previous block of depths) instead of zero, which continues each
    /// chain of multiply-adds exactly where it stopped.
    @inlinable @inline(__always)
    static func tile2x4<D: DepthSequence>(_ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, depths: D,
                                          b: UnsafePointer<Float>, n: Int, initial: UnsafePointer<Float>?,
                                          c: UnsafeMutablePointer<Float>, accumulates: Bool) {
        let width = Lanes.scalarCount
        var c00 = Lanes(), c01 = Lanes(), c02 = Lanes(), c03 = Lanes()
        var c10 = Lanes(), c11 = Lanes(), c12 = Lanes(), c13 = Lanes()
        if let initial {
            c00 = load(initial); c01 = load(initial + width); c02 = load(initial + 2 * width); c03 = load(initial + 3 * width)
            let i1 = initial + n
            c10 = load(i1); c11 = load(i1 + width); c12 = load(i1 + 2 * width); c13 = load(i1 + 3 * width)
        }
        let a0 = a, a1 = a + rowStride
        let w = MemoryLayout<Lanes>.size
        for q in 0..<depths.count {
            let p = depths[q]
            let bRow = UnsafeRawPointer(b + p * n)
            let b0 = bRow.loadUnaligned(as: Lanes.self), b1 = bRow.loadUnaligned(fromByteOffset: w, as: Lanes.self)
            let b2 = bRow.loadUnaligned(fromByteOffset: 2 * w, as: Lanes.self)
            let b3 = bRow.loadUnaligned(fromByteOffset: 3 * w, as: Lanes.self)
            let offset = p * depthStride
            let x0 = Lanes(repeating: a0[offset]), x1 = Lanes(repeating: a1[offset])
            c00.addProduct(x0, b0); c01.addProduct(x0, b1); c02.addProduct(x0, b2); c03.addProduct(x0, b3)
            c10.addProduct(x1, b0); c11.addProduct(x1, b1); c12.addProduct(x1, b2); c13.addProduct(x1, b3)
        }
        store(c00, to: c, accumulates: accumulates); store(c01, to: c + width, accumulates: accumulates)
        store(c02, to: c + 2 * width, accumulates: accumulates); store(c03, to: c + 3 * width, accumulates: accumulates)
        let c1 = c + n
        store(c10, to: c1, accumulates: accumulates); store(c11, to: c1 + width, accumulates: accumulates)
        store(c12, to: c1 + 2 * width, accumulates: accumulates); store(c13, to: c1 + 3 * width, accumulates: accumulates)
    }

    /// `tile2x4` for the last row of an odd number of rows.
    @inlinable @inline(__always)
    static func tile1x4<D: DepthSequence>(_ a: UnsafePointer<Float>, depthStride: Int, depths: D, b: UnsafePointer<Float>,
                                          n: Int, initial: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>,
                                          accumulates: Bool) {
        let width = Lanes.scalarCount
        var c0 = Lanes(), c1 = Lanes(), c2 = Lanes(), c3 = Lanes()
        if let initial {
            c0 = load(initial); c1 = load(initial + width); c2 = load(initial + 2 * width); c3 = load(initial + 3 * width)
        }
        let w = MemoryLayout<Lanes>.size
        for q in 0..<depths.count {
            let p = depths[q]
            let bRow = UnsafeRawPointer(b + p * n)
            let x = Lanes(repeating: a[p * depthStride])
            c0.addProduct(x, bRow.loadUnaligned(as: Lanes.self)); c1.addProduct(x, bRow.loadUnaligned(fromByteOffset: w, as: Lanes.self))
            c2.addProduct(x, bRow.loadUnaligned(fromByteOffset: 2 * w, as: Lanes.self))
            c3.addProduct(x, bRow.loadUnaligned(fromByteOffset: 3 * w, as: Lanes.self))
        }
        store(c0, to: c, accumulates: accumulates); store(c1, to: c + width, accumulates: accumulates)
        store(c2, to: c + 2 * width, accumulates: accumulates); store(c3, to: c + 3 * width, accumulates: accumulates)
    }

    /// One vector of partial sums.
    @inlinable @inline(__always)
    static func load(_ values: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(values).loadUnaligned(as: Lanes.self)
    }

    @inlinable @inline(__always)
    static func tile1x2<D: DepthSequence>(_ a: UnsafePointer<Float>, depthStride: Int, depths: D,
                                          b: UnsafePointer<Float>, n: Int, c: UnsafeMutablePointer<Float>, accumulates: Bool) {
        var c0 = Lanes(), c1 = Lanes()
        let second = MemoryLayout<Lanes>.size
        for q in 0..<depths.count {
            let p = depths[q]
            let bRow = UnsafeRawPointer(b + p * n)
            let x = Lanes(repeating: a[p * depthStride])
            c0.addProduct(x, bRow.loadUnaligned(as: Lanes.self))
            c1.addProduct(x, bRow.loadUnaligned(fromByteOffset: second, as: Lanes.self))
        }
        store(c0, to: c, accumulates: accumulates); store(c1, to: c + Lanes.scalarCount, accumulates: accumulates)
    }

    @inlinable @inline(__always)
    static func tile1x1<D: DepthSequence>(_ a: UnsafePointer<Float>, depthStride: Int, depths: D,
                                          b: UnsafePointer<Float>, n: Int, c: UnsafeMutablePointer<Float>, accumulates: Bool) {
        var c0 = Lanes()
        for q in 0..<depths.count {
            let p = depths[q]
            c0.addProduct(Lanes(repeating: a[p * depthStride]), UnsafeRawPointer(b + p * n).loadUnaligned(as: Lanes.self))
        }
        store(c0, to: c, accumulates: accumulates)
    }

    /// Writes (or adds) one vector of a tile row at `c`.
    @inlinable @inline(__always)
    static func store(_ value: Lanes, to c: UnsafeMutablePointer<Float>, accumulates: Bool) {
        let raw = UnsafeMutableRawPointer(c)
        raw.storeBytes(of: accumulates ? value + raw.loadUnaligned(as: Lanes.self) : value, as: Lanes.self)
    }
}

/// The depths a tile visits: all of `0..<k`, or a list of those where its rows are not zero.
/// Generic so that each kind gets its own specialised loop.
public protocol DepthSequence {
    var count: Int { get }
    subscript(_ index: Int) -> Int { get }
}

/// Every depth, in order.
@usableFromInline
struct AllDepths: DepthSequence {
    @usableFromInline let count: Int
    @inlinable init(count: Int) { self.count = count }
    @inlinable @inline(__always) subscript(_ index: Int) -> Int { index }
}

/// The depths in `list`, in order.
@usableFromInline
struct ListedDepths: DepthSequence {
    @usableFromInline let list: UnsafePointer<Int32>
    @usableFromInline let count: Int
    @inlinable init(list: UnsafePointer<Int32>, count: Int) { self.list = list; self.count = count }
    @inlinable @inline(__always) subscript(_ index: Int) -> Int { Int(list[index]) }
}
