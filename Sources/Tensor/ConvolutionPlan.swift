// The work of one `conv2d` call cut into pieces a core can do on its own: a block of images
// (unfold, product, scatter; and back: product, fold) or a block of filters (weight gradient).

/// Buffers and offsets for one convolution over one batch, shared by its forward pass and
/// pullback.
///
/// Every output element is computed by exactly one single-threaded product whose depth loop
/// does not depend on how the images or filters were split, so results are the same for a
/// given thread count on every run, and the cores write disjoint memory (whole images of the
/// output and of `dx`, whole rows of `dW`).
struct ConvolutionPlan {
    let geometry: ConvolutionGeometry
    let outputChannels: Int
    /// Each region's weight columns `[O, C·|taps_r|]`, back to back (empty when every region
    /// uses the whole kernel, which is then used in place).
    let gatheredWeights: [Float]
    /// Where each region's weight starts in `gatheredWeights`; `nil` for the whole kernel.
    let weightOffsets: [Int?]
    /// Where each region's column matrix `[C·|taps_r|, N·P_r]` starts in the column buffer.
    let columnOffsets: [Int]
    /// Floats in the column buffer, all regions together.
    let columnCount: Int
    /// Where each region's `[O, N·P_r]` block starts in the regrouped output gradient.
    let productOffsets: [Int]
    /// Offset in an output plane of each of a region's positions, region by region.
    let outputOffsets: [[Int]]

    /// Multiply-adds below which a convolution stays on one core (the hand-off costs about a
    /// microsecond, ~50k multiply-adds).
    static let minimumParallelWork = 1 << 18

    init(geometry: ConvolutionGeometry, outputChannels: Int, weight: [Float]) {
        self.geometry = geometry
        self.outputChannels = outputChannels
        var weightOffsets: [Int?] = [], columnOffsets: [Int] = [], productOffsets: [Int] = []
        var gatheredCount = 0, columnCount = 0, productCount = 0
        for region in geometry.regions {
            if geometry.usesWholeKernel(region) {
                weightOffsets.append(nil)
            } else {
                weightOffsets.append(gatheredCount)
                gatheredCount += outputChannels * geometry.columnRows(region)
            }
            columnOffsets.append(columnCount)
            columnCount += geometry.columnRows(region) * geometry.batch * region.positions
            productOffsets.append(productCount)
            productCount += outputChannels * geometry.batch * region.positions
        }
        gatheredWeights = weight.withUnsafeBufferPointer { w in
            [Float](unsafeUninitializedCapacity: gatheredCount) { gathered, initialized in
                // Each core gathers a block of filters of every region.
                let cores = gatheredCount >= 1 << 16 ? min(Parallelism.usableCoreCount, outputChannels) : 1
                parallelTasks(cores) { core in
                    for (r, region) in geometry.regions.enumerated() {
                        guard let offset = weightOffsets[r] else { continue }
                        geometry.gatherWeight(w.baseAddress!, filters: core * outputChannels / cores ..< (core + 1) * outputChannels / cores,
                                              region: region, into: gathered.baseAddress! + offset)
                    }
                }
                initialized = gatheredCount
            }
        }
        self.weightOffsets = weightOffsets
        self.columnOffsets = columnOffsets
        self.columnCount = columnCount
        self.productOffsets = productOffsets
        outputOffsets = geometry.regions.map { region in
            region.outputRows.flatMap { oh in region.outputColumns.map { ow in oh * geometry.outputWidth + ow } }
        }
    }

    /// Floats of column matrix a piece of a core's images may unfold (512 KB, half of a Zen 4
    /// core's L2), so the product reads the columns, and col2im the column gradient, from
    /// cache rather than from memory.
    static let pieceFloats = 1 << 17

    /// Output positions a piece covers at least: each product packs the whole weight again,
    /// which only pays off over enough columns.
    static let minimumPiecePositions = 1024

    /// Calls `body` on consecutive pieces of `images`, each small enough for `pieceFloats`
    /// (unless that would leave fewer than `minimumPiecePositions`).
    func forEachPiece(of images: Range<Int>, _ body: (Range<Int>) -> Void) {
        let piece = imagesPerPiece
        for first in stride(from: images.lowerBound, to: images.upperBound, by: piece) {
            body(first..<min(first + piece, images.upperBound))
        }
    }

    /// Images in a piece of `forEachPiece(of:_:)` (the last piece may hold fewer).
    var imagesPerPiece: Int {
        let perImage = geometry.regions.map { geometry.columnRows($0) * $0.positions }.max() ?? 1
        let fewestImages = (Self.minimumPiecePositions + geometry.outputPositions - 1) / geometry.outputPositions
        return max(1, Self.pieceFloats / max(1, perImage), fewestImages)
    }

    /// Region `r`'s column matrix for `images`, and the distance between its rows: inside the
    /// whole batch's matrix (`shared`, laid out by `columnOffsets`), or in a buffer holding
    /// only these images' columns, every region's `[C·|taps_r|, n·P_r]` back to back.
    ///
    /// A convolution keeps the shared matrix when its pullback multiplies the whole batch's
    /// columns (the weight gradient split by filters). Otherwise each core unfolds a piece at
    /// a time into a buffer that stays in its L2 cache, and the pullback unfolds each image
    /// chunk again: copies within the cache cost less than writing the whole matrix to memory
    /// and reading it back twice.
    @inline(__always)
    func columns(_ r: Int, images: Range<Int>, in buffer: UnsafeMutablePointer<Float>, shared: Bool)
        -> (start: UnsafeMutablePointer<Float>, rowStride: Int) {
        let positions = geometry.regions[r].positions
        if shared { return (buffer + columnOffsets[r] + images.lowerBound * positions, geometry.batch * positions) }
        return (buffer + columnOffsets[r] / max(1, geometry.batch) * images.count, images.count * positions)
    }

    /// Floats of a buffer holding the columns of `images` images on their own (see
    /// `columns(_:images:in:shared:)`).
    func localColumnCount(images: Int) -> Int { columnCount / max(1, geometry.batch) * images }

    /// Unfolds `images` into a buffer of `localColumnCount(images:)` floats, region by region.
    func unfoldLocally(images: Range<Int>, x: UnsafePointer<Float>, into buffer: UnsafeMutablePointer<Float>) {
        for (r, region) in geometry.regions.enumerated() {
            let (start, rowStride) = columns(r, images: images, in: buffer, shared: false)
            geometry.unfold(x, region: region, images: images, into: start, rowStride: rowStride)
        }
    }

    /// Cores to split `count` images or filters over. Only while OpenBLAS is single-threaded:
    /// its own threads, spinning on the same cores, would fight the pool's.
    func cores(splitting count: Int) -> Int {
        Self.cores(splitting: count, work: outputChannels * geometry.columnRows * geometry.batch * geometry.outputPositions)
    }

    /// Cores for `work` multiply-adds split into `count` parts: one below
    /// `minimumParallelWork` or while OpenBLAS runs threads of its own, else one per part up
    /// to the cores there are. Both convolution paths decide by it.
    static func cores(splitting count: Int, work: Int) -> Int {
        guard BLAS.threadCount == 1, work >= minimumParallelWork else { return 1 }
        return max(1, min(Parallelism.usableCoreCount, count))
    }

    /// Region `r`'s weight `[O, C·|taps_r|]`.
    @inline(__always)
    private func regionWeight(_ r: Int, weight: UnsafePointer<Float>, gathered: UnsafePointer<Float>) -> UnsafePointer<Float> {
        weightOffsets[r].map { gathered + $0 } ?? weight
    }

    /// Unfolds `images` into their columns of every region's matrix (in the shared matrix or a
    /// local buffer, see `columns(_:images:in:shared:)`), multiplies, and writes their outputs
    /// (plus `bias`) into `[N, O, OH, OW]`.
    func forward(images: Range<Int>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>, gathered: UnsafePointer<Float>,
                 bias: [Float]?, columns: UnsafeMutablePointer<Float>, sharesColumns: Bool, output: UnsafeMutablePointer<Float>) {
        guard !images.isEmpty else { return }
        let positions = geometry.outputPositions
        let largestRegion = geometry.regions.map(\.positions).max() ?? 0
        var product = [Float](unsafeUninitializedCapacity: outputChannels * images.count * largestRegion) { _, initialized in
            initialized = outputChannels * images.count * largestRegion
        }
        product.withUnsafeMutableBufferPointer { scratch in
            let y = scratch.baseAddress!
            for (r, region) in geometry.regions.enumerated() {
                let rows = geometry.columnRows(region), columnCount = images.count * region.positions
                let (block, rowStride) = self.columns(r, images: images, in: columns, shared: sharesColumns)
                geometry.unfold(x, region: region, images: images, into: block, rowStride: rowStride)
                if rows > 0 {
                    ConvolutionProduct.gemm(transposeA: false, transposeB: false, m: outputChannels, n: columnCount, k: rows,
                              a: regionWeight(r, weight: weight, gathered: gathered), rowStrideA: rows,
                              b: block, rowStrideB: rowStride, beta: 0, c: y, rowStrideC: columnCount)
                } else {
                    y.update(repeating: 0, count: outputChannels * columnCount)   // every tap on padding
                }
                let targets = outputOffsets[r]
                for image in images {
                    for channel in 0..<outputChannels {
                        let shift = bias?[channel] ?? 0
                        let source = y + channel * columnCount + (image - images.lowerBound) * region.positions
                        let plane = output + (image * outputChannels + channel) * positions
                        if region.positions == positions {
                            for p in 0..<positions { plane[p] = source[p] + shift }
                        } else {
                            for q in 0..<region.positions { plane[targets[q]] = source[q] + shift }
                        }
                    }
                }
            }
        }
    }

    /// Copies `images`' part of `dy` (`[N, O, OH, OW]`) into each region's `[O, N·P_r]` block.
    func gatherOutputGradient(_ dy: UnsafePointer<Float>, images: Range<Int>, into gathered: UnsafeMutablePointer<Float>) {
        let batch = geometry.batch, positions = geometry.outputPositions
        for (r, region) in geometry.regions.enumerated() {
            let width = batch * region.positions, sources = outputOffsets[r]
            for channel in 0..<outputChannels {
                for image in images {
                    let plane = dy + (image * outputChannels + channel) * positions
                    let target = gathered + productOffsets[r] + channel * width + image * region.positions
                    if region.positions == positions {
                        copyFloats(from: plane, to: target, count: positions)
                    } else {
                        for q in 0..<region.positions { target[q] = plane[sources[q]] }
                    }
                }
            }
        }
    }

    /// Image chunks the weight gradient is split into, or 1 to split it by filters instead.
    ///
    /// A small filter bank over many output positions (LeNet, a ResNet stem) makes a product
    /// with a short, wide result and a very deep sum; split by filters, every core would pack
    /// the whole column matrix. Split by images, each core packs its own part, and the chunks'
    /// partial gradients, a few KB each, are added in chunk order. The chunk count is fixed, so
    /// the sum does not depend on the number of cores.
    var weightGradientChunks: Int {
        let chunks = min(Self.weightGradientChunkCount, geometry.batch)
        let depth = geometry.batch * geometry.outputPositions
        return chunks > 1 && depth >= Self.minimumChunkedDepth
            && outputChannels * geometry.columnRows * chunks <= Self.maximumPartialGradients ? chunks : 1
    }

    static let weightGradientChunkCount = 8
    /// Output positions per batch from which chunking the weight gradient pays.
    static let minimumChunkedDepth = 2048
    /// Floats of partial weight gradients the chunks may hold together (2 MB).
    static let maximumPartialGradients = 1 << 19

    /// Rows `filters` of `dW = Σ_r scatter(dY_r · cols_rᵀ)` over the columns of `images` (all by
    /// default), into `gradient` (`[O, C, KH, KW]`) scaled by `beta` (0: its old contents are
    /// garbage).
    func weightGradient(filters: Range<Int>, images: Range<Int>? = nil, outputGradient dy: UnsafePointer<Float>,
                        columns: UnsafeMutablePointer<Float>, sharesColumns: Bool, beta: Float,
                        into gradient: UnsafeMutablePointer<Float>) {
        guard !filters.isEmpty else { return }
        let batch = geometry.batch, fullRows = geometry.columnRows
        let images = images ?? 0..<batch
        if geometry.regions.count == 1 && weightOffsets[0] == nil {
            let positions = geometry.regions[0].positions, width = batch * positions
            let (block, rowStride) = self.columns(0, images: images, in: columns, shared: sharesColumns)
            ConvolutionProduct.gemm(transposeA: false, transposeB: true, m: filters.count, n: fullRows, k: images.count * positions,
                      a: dy + productOffsets[0] + filters.lowerBound * width + images.lowerBound * positions, rowStrideA: width,
                      b: block, rowStrideB: rowStride,
                      beta: beta, c: gradient + filters.lowerBound * fullRows, rowStrideC: fullRows)
            return
        }
        // One region with no earlier gradient to keep (a 1x1 map's centre tap): write each
        // filter's row once, zeros and all, rather than clearing the whole gradient and then
        // scattering into it (two more passes over a weight that can be 9 MB).
        let writesRows = beta == 0 && geometry.regions.count == 1
        let rowsOfGradient = gradient + filters.lowerBound * fullRows
        if !writesRows { scaleForAccumulation(rowsOfGradient, count: filters.count * fullRows, beta: beta) }
        for (r, region) in geometry.regions.enumerated() {
            let rows = geometry.columnRows(region), width = batch * region.positions
            let depth = images.count * region.positions, first = images.lowerBound * region.positions
            // This region's `[filters, C·|taps_r|]` gradient, dY_r · cols_rᵀ (zero without columns).
            let part = [Float](unsafeUninitializedCapacity: filters.count * rows) { part, initialized in
                initialized = filters.count * rows
                guard rows > 0 && depth > 0 else { part.update(repeating: 0); return }
                let (block, rowStride) = self.columns(r, images: images, in: columns, shared: sharesColumns)
                ConvolutionProduct.gemm(transposeA: false, transposeB: true, m: filters.count, n: rows, k: depth,
                          a: dy + productOffsets[r] + filters.lowerBound * width + first, rowStrideA: width,
                          b: block, rowStrideB: rowStride, beta: 0, c: part.baseAddress!, rowStrideC: rows)
            }
            if writesRows {
                geometry.writeWeightGradient(part, filters: filters, region: region, into: gradient)
            } else {
                geometry.scatterWeightGradient(part, filters: filters, region: region, into: gradient)
            }
        }
    }

    /// Adds `images`' part of `dx = Σ_r col2im(W_rᵀ · dY_r)` onto `gradient` (`[N, C, H, W]`)
    /// when `adding`, or writes it over what is there (a first gradient: no zero fill first).
    func inputGradient(images: Range<Int>, outputGradient dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                       gathered: UnsafePointer<Float>, adding: Bool, into gradient: UnsafeMutablePointer<Float>) {
        guard !images.isEmpty else { return }
        let batch = geometry.batch
        var adding = adding
        defer {
            // No region wrote these images (every tap on padding): their gradient is zero.
            if !adding { geometry.clear(images: images, in: gradient) }
        }
        for (r, region) in geometry.regions.enumerated() {
            let rows = geometry.columnRows(region), width = batch * region.positions
            let columnCount = images.count * region.positions
            guard rows > 0 && columnCount > 0 else { continue }
            var scratch = [Float](unsafeUninitializedCapacity: rows * columnCount) { _, initialized in
                initialized = rows * columnCount
            }
            scratch.withUnsafeMutableBufferPointer { columnGradient in
                ConvolutionProduct.gemm(transposeA: true, transposeB: false, m: rows, n: columnCount, k: outputChannels,
                          a: regionWeight(r, weight: weight, gathered: gathered), rowStrideA: rows,
                          b: dy + productOffsets[r] + images.lowerBound * region.positions, rowStrideB: width,
                          beta: 0, c: columnGradient.baseAddress!, rowStrideC: columnCount)
                geometry.fold(columnGradient.baseAddress!, region: region, images: images, rowStride: columnCount,
                              adding: adding, into: gradient)
            }
            adding = true   // later regions' windows overlap this one's pixels
        }
    }
}
