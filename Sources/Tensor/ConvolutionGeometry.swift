// The index arithmetic of a convolution: output extents, which kernel taps of a window land
// inside the image, and im2col / col2im restricted to a rectangle of outputs and taps.

/// A rectangle of output positions whose windows all read the same rectangle of kernel taps
/// from inside the image (the other taps fall on padding, whose zeros add nothing).
///
/// On a small feature map most of a padded kernel hangs over the border: a 3x3, padding-1
/// convolution on a 1x1 map uses only its centre tap, and on a 2x2 map each output uses 4 of 9.
/// Multiplying only the taps inside the image is exact, and skips that work (oneDNN does the
/// same).
struct TapRegion {
    let outputRows: Range<Int>
    let outputColumns: Range<Int>
    let kernelRows: Range<Int>
    let kernelColumns: Range<Int>

    var positions: Int { outputRows.count * outputColumns.count }
    var taps: Int { kernelRows.count * kernelColumns.count }
}

/// Output extent, tap regions, im2col and its adjoint col2im for one convolution shape.
struct ConvolutionGeometry {
    let batch, channels, height, width: Int
    let kernelHeight, kernelWidth, stride, padding: Int
    let outputHeight, outputWidth: Int
    /// The output rectangles the convolution multiplies separately; they tile the output.
    let regions: [TapRegion]

    /// Output rows narrower than this are unfolded and folded through a table of offsets
    /// rather than row by row.
    static let shortRow = 8

    /// Short rows at least this wide are unfolded run by run (`TapRuns`), narrower ones through
    /// the table: measured on ResNet-18's 3x3 layers (`bench layers`), runs made the 7x7 map's
    /// forward pass 6% faster and the 4x4 and 2x2 maps' up to 40% slower. col2im adds run by run
    /// at every width (its table loop was slower on all three).
    static let shortestCopiedRun = 6

    /// Below this fraction of the taps in use, the output is split into regions, one matrix
    /// product each. Splitting saves multiplications but makes each product narrow: at batch
    /// 64 a region of a 2x2 map has 64 columns, so every weight is read for only 64
    /// multiply-adds and the product waits on memory. Measured on ResNet's 3x3 layers (4x4
    /// and 2x2 maps use 69% and 44% of the taps), one product over the whole kernel was
    /// 10-30% faster than the split at 0.75, so only far sparser windows are split. Taps that
    /// no output uses (a 1x1 map's border taps) are dropped either way.
    static let regionSplitThreshold = 0.3

    init(input: [Int], kernel: [Int], stride: Int, padding: Int, regionSplitThreshold: Double = Self.regionSplitThreshold) {
        (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
        (kernelHeight, kernelWidth) = (kernel[0], kernel[1])
        self.stride = stride
        self.padding = padding
        outputHeight = convolutionOutputExtent(input: height, kernel: kernelHeight, stride: stride, padding: padding)
        outputWidth = convolutionOutputExtent(input: width, kernel: kernelWidth, stride: stride, padding: padding)
        precondition(outputHeight > 0 && outputWidth > 0,
                     "convolution window \(kernel) (stride \(stride), padding \(padding)) does not fit a \(height)x\(width) image")
        let rowClasses = Self.tapClasses(outputs: outputHeight, input: height, kernel: kernelHeight, stride: stride, padding: padding)
        let columnClasses = Self.tapClasses(outputs: outputWidth, input: width, kernel: kernelWidth, stride: stride, padding: padding)
        let split = rowClasses.flatMap { rows in
            columnClasses.map { columns in
                TapRegion(outputRows: rows.outputs, outputColumns: columns.outputs,
                          kernelRows: rows.taps, kernelColumns: columns.taps)
            }
        }
        let whole = TapRegion(outputRows: 0..<outputHeight, outputColumns: 0..<outputWidth,
                              kernelRows: Self.union(rowClasses.map(\.taps)), kernelColumns: Self.union(columnClasses.map(\.taps)))
        let usedTaps = split.reduce(0) { $0 + $1.positions * $1.taps }
        regions = Double(usedTaps) < regionSplitThreshold * Double(whole.positions * whole.taps) ? split : [whole]
    }

    var outputPositions: Int { outputHeight * outputWidth }
    /// Rows of the full column matrix: one per (channel, kernel row, kernel column).
    var columnRows: Int { channels * kernelHeight * kernelWidth }

    /// Rows of a region's column matrix: one per (channel, tap of the region).
    func columnRows(_ region: TapRegion) -> Int { channels * region.taps }

    /// Whether `region` multiplies every tap, so the weight needs no gathering.
    func usesWholeKernel(_ region: TapRegion) -> Bool {
        region.kernelRows == 0..<kernelHeight && region.kernelColumns == 0..<kernelWidth
    }

    /// Runs of consecutive outputs along one axis whose windows overlap the image in the same
    /// taps: output `o` reads input `o·s − p + t`, inside the image for
    ///
    /// ```
    /// max(0, p − o·s)  ≤  t  <  min(K, in + p − o·s)
    /// ```
    /// Both bounds only fall as `o` grows, so equal tap ranges are contiguous.
    static func tapClasses(outputs: Int, input: Int, kernel: Int, stride: Int, padding: Int)
        -> [(outputs: Range<Int>, taps: Range<Int>)] {
        var classes: [(outputs: Range<Int>, taps: Range<Int>)] = []
        for o in 0..<outputs {
            let lower = max(0, padding - o * stride), upper = min(kernel, input + padding - o * stride)
            let taps = lower..<max(lower, upper)
            if let last = classes.last, last.taps == taps {
                classes[classes.count - 1].outputs = last.outputs.lowerBound..<(o + 1)
            } else {
                classes.append((o..<(o + 1), taps))
            }
        }
        return classes
    }

    /// The smallest range holding every non-empty range in `ranges`.
    static func union(_ ranges: [Range<Int>]) -> Range<Int> {
        let used = ranges.filter { !$0.isEmpty }
        guard let lower = used.map(\.lowerBound).min(), let upper = used.map(\.upperBound).max() else { return 0..<0 }
        return lower..<upper
    }

    /// For each tap of `region` (row-major) and each of its positions, the offset in an input
    /// plane that the tap reads, or −1 where it reads padding; `taps · positions` entries, to
    /// be deallocated by the caller.
    func tapOffsets(_ region: TapRegion) -> UnsafeMutablePointer<Int> {
        let table = UnsafeMutablePointer<Int>.allocate(capacity: max(1, region.taps * region.positions))
        var entry = 0
        for i in region.kernelRows {
            for j in region.kernelColumns {
                for oh in region.outputRows {
                    let row = oh * stride - padding + i
                    for ow in region.outputColumns {
                        let column = ow * stride - padding + j
                        table[entry] = row >= 0 && row < height && column >= 0 && column < width ? row * width + column : -1
                        entry += 1
                    }
                }
            }
        }
        return table
    }

    /// For each tap of a `tapOffsets` table, the offset of its first pixel when the tap reads
    /// its positions' pixels consecutively and all inside the image (a 1x1 kernel at stride 1,
    /// the centre tap of a 3x3 one on a 1x1 map), `nil` otherwise.
    func contiguousStarts(_ table: UnsafePointer<Int>, region: TapRegion) -> [Int?] {
        let positions = region.positions
        return (0..<region.taps).map { tap in
            let first = table[tap * positions]
            guard first >= 0 else { return nil }
            return (0..<positions).allSatisfy { table[tap * positions + $0] == first + $0 } ? first : nil
        }
    }

    /// Writes rows `filters` of `region`'s taps of the weight, `[O, C·|taps|]` row-major in the
    /// column matrix's row order, to their place in `gathered`.
    func gatherWeight(_ weight: UnsafePointer<Float>, filters: Range<Int>, region: TapRegion,
                      into gathered: UnsafeMutablePointer<Float>) {
        var target = gathered + filters.lowerBound * columnRows(region)
        for filterChannel in (filters.lowerBound * channels)..<(filters.upperBound * channels) {
            for i in region.kernelRows {
                let source = weight + (filterChannel * kernelHeight + i) * kernelWidth
                for j in region.kernelColumns { target.pointee = source[j]; target += 1 }
            }
        }
    }

    /// Adds rows `filters` of a region's weight gradient `[O, C·|taps|]` (starting at
    /// `gathered`) back onto the full `[O, C, KH, KW]` one.
    func scatterWeightGradient(_ gathered: UnsafePointer<Float>, filters: Range<Int>, region: TapRegion,
                               into gradient: UnsafeMutablePointer<Float>) {
        var source = 0
        for filter in filters {
            for channel in 0..<channels {
                for i in region.kernelRows {
                    let target = gradient + ((filter * channels + channel) * kernelHeight + i) * kernelWidth
                    for j in region.kernelColumns { target[j] += gathered[source]; source += 1 }
                }
            }
        }
    }

    /// Writes rows `filters` of the full `[O, C, KH, KW]` weight gradient from a region's
    /// `[O, C·|taps|]` part (starting at `part`): the region's taps get the part's values,
    /// every other tap zero. Each filter's row is cleared and filled while it sits in L1.
    func writeWeightGradient(_ part: UnsafePointer<Float>, filters: Range<Int>, region: TapRegion,
                             into gradient: UnsafeMutablePointer<Float>) {
        let kernelSize = kernelHeight * kernelWidth
        var source = 0
        for filter in filters {
            let row = gradient + filter * columnRows
            row.update(repeating: 0, count: columnRows)
            for channel in 0..<channels {
                for i in region.kernelRows {
                    let target = row + channel * kernelSize + i * kernelWidth
                    for j in region.kernelColumns { target[j] = part[source]; source += 1 }
                }
            }
        }
    }

    /// im2col over `region` for `images`:
    ///
    /// ```
    /// cols[(c·|I| + i′)·|J| + j′, (n − n₀)·P_r + (oh − oh₀)·W_r + (ow − ow₀)] = x[n, c, oh·s − p + i, ow·s − p + j]
    /// ```
    /// for taps `i = I₀ + i′`, `j = J₀ + j′`, zero outside the image; row `r` starts at
    /// `cols + r·rowStride`, so a core can fill its own block of columns of a shared matrix.
    func unfold(_ x: UnsafePointer<Float>, region: TapRegion, images: Range<Int>,
                into cols: UnsafeMutablePointer<Float>, rowStride: Int) {
        let regionWidth = region.outputColumns.count, positions = region.positions
        var row = cols
        if regionWidth < Self.shortRow {
            // Rows too short for the row copies below to pay their set-up: gather through a
            // table of source offsets per tap instead (−1 on padding).
            let offsets = tapOffsets(region), planeSize = height * width, imageSize = channels * planeSize
            // Runs pay from six values a row (a 7x7 map); on narrower rows the table was faster.
            let runs = stride == 1 && regionWidth >= Self.shortestCopiedRun ? TapRuns(self, region: region) : nil
            let starts = contiguousStarts(offsets, region: region)
            for channel in 0..<channels {
                for tap in 0..<region.taps {
                    let table = offsets + tap * positions, plane = x + channel * planeSize
                    if let first = starts[tap] {
                        // A tap reading `positions` consecutive pixels (a 1x1 kernel): plain copies.
                        for image in images {
                            let source = plane + image * imageSize + first, line = row + (image - images.lowerBound) * positions
                            copyFloats(from: source, to: line, count: positions)
                        }
                    } else if let runs {
                        let tapRuns = runs.runs[tap], zeros = !runs.coversAll[tap]
                        for image in images {
                            let source = plane + image * imageSize, line = row + (image - images.lowerBound) * positions
                            if zeros { for q in 0..<positions { line[q] = 0 } }
                            for run in tapRuns { copyRun(from: source + run.source, to: line + run.target, count: run.count) }
                        }
                    } else {
                        for image in images {
                            let source = plane + image * imageSize, line = row + (image - images.lowerBound) * positions
                            for q in 0..<positions {
                                let offset = table[q]
                                line[q] = offset >= 0 ? source[offset] : 0
                            }
                        }
                    }
                    row += rowStride
                }
            }
            offsets.deallocate()
            return
        }
        // Copy each image plane once into a zero-bordered buffer; every tap's rows are
        // then plain copies, with no bounds to test and no zeros to write.
        let padded = PaddedPlane(height: height, width: width, padding: padding)
        defer { padded.deallocate() }
        for channel in 0..<channels {
            for image in images {
                padded.load(x + (image * channels + channel) * height * width)
                var tapRow = row + channel * region.taps * rowStride + (image - images.lowerBound) * positions
                for i in region.kernelRows {
                    for j in region.kernelColumns {
                        var line = tapRow
                        for oh in region.outputRows {
                            let source = padded.values + (oh * stride + i) * padded.paddedWidth + j
                                + region.outputColumns.lowerBound * stride
                            if stride == 1 {
                                for ow in 0..<regionWidth { line[ow] = source[ow] }
                            } else {
                                for ow in 0..<regionWidth { line[ow] = source[ow * stride] }
                            }
                            line += regionWidth
                        }
                        tapRow += rowStride
                    }
                }
            }
        }
    }

    /// Sets the planes of `images` in `x` (`[N, C, H, W]`) to zero.
    func clear(images: Range<Int>, in x: UnsafeMutablePointer<Float>) {
        let imageSize = channels * height * width
        (x + images.lowerBound * imageSize).update(repeating: 0, count: images.count * imageSize)
    }

    /// col2im, the adjoint of `unfold(_:region:images:into:rowStride:)`: adds every column
    /// entry back onto the pixel it was copied from (overlapping windows add up), onto what `x`
    /// holds when `adding`, over it otherwise (pixels no window reads get zero).
    func fold(_ cols: UnsafePointer<Float>, region: TapRegion, images: Range<Int>, rowStride: Int, adding: Bool,
              into x: UnsafeMutablePointer<Float>) {
        let regionWidth = region.outputColumns.count, positions = region.positions
        var row = cols
        if regionWidth < Self.shortRow {
            if !adding { clear(images: images, in: x) }
            // For one tap, distinct windows read distinct pixels: the adds never collide.
            let offsets = tapOffsets(region), planeSize = height * width, imageSize = channels * planeSize
            let starts = contiguousStarts(offsets, region: region), runs = stride == 1 ? TapRuns(self, region: region) : nil
            for channel in 0..<channels {
                for tap in 0..<region.taps {
                    let table = offsets + tap * positions, plane = x + channel * planeSize
                    if let first = starts[tap] {
                        for image in images {
                            let target = plane + image * imageSize + first, line = row + (image - images.lowerBound) * positions
                            addRun(line, onto: target, count: positions)
                        }
                    } else if let runs {
                        for image in images {
                            let target = plane + image * imageSize, line = row + (image - images.lowerBound) * positions
                            for run in runs.runs[tap] { addRun(line + run.target, onto: target + run.source, count: run.count) }
                        }
                    } else {
                        for image in images {
                            let target = plane + image * imageSize, line = row + (image - images.lowerBound) * positions
                            for q in 0..<positions where table[q] >= 0 { target[table[q]] += line[q] }
                        }
                    }
                    row += rowStride
                }
            }
            offsets.deallocate()
            return
        }
        // Sum every tap into a zero-bordered plane (the border collects the padding's
        // gradient, which is dropped), then add its interior onto the image.
        let padded = PaddedPlane(height: height, width: width, padding: padding)
        defer { padded.deallocate() }
        for channel in 0..<channels {
            for image in images {
                padded.clear()
                var tapRow = row + channel * region.taps * rowStride + (image - images.lowerBound) * positions
                for i in region.kernelRows {
                    for j in region.kernelColumns {
                        var line = tapRow
                        for oh in region.outputRows {
                            let target = padded.values + (oh * stride + i) * padded.paddedWidth + j
                                + region.outputColumns.lowerBound * stride
                            if stride == 1 {
                                for ow in 0..<regionWidth { target[ow] += line[ow] }
                            } else {
                                for ow in 0..<regionWidth { target[ow * stride] += line[ow] }
                            }
                            line += regionWidth
                        }
                        tapRow += rowStride
                    }
                }
                padded.moveInterior(into: x + (image * channels + channel) * height * width, adding: adding)
            }
        }
    }
}

/// One image plane with a zero border of `padding` on every side, for im2col/col2im.
struct PaddedPlane {
    let values: UnsafeMutablePointer<Float>
    let height, width, padding: Int
    /// Row length including both borders.
    var paddedWidth: Int { width + 2 * padding }

    init(height: Int, width: Int, padding: Int) {
        (self.height, self.width, self.padding) = (height, width, padding)
        let count = (height + 2 * padding) * (width + 2 * padding)
        values = .allocate(capacity: count)
        values.initialize(repeating: 0, count: count)
    }

    func deallocate() { values.deallocate() }

    /// Copies a `height`×`width` plane into the interior (the border stays zero).
    func load(_ plane: UnsafePointer<Float>) {
        for row in 0..<height {
            (values + (row + padding) * paddedWidth + padding).update(from: plane + row * width, count: width)
        }
    }

    func clear() { values.update(repeating: 0, count: (height + 2 * padding) * paddedWidth) }

    /// Adds the interior onto a `height`×`width` plane when `adding`, copies it over otherwise.
    func moveInterior(into plane: UnsafeMutablePointer<Float>, adding: Bool) {
        for row in 0..<height {
            let source = values + (row + padding) * paddedWidth + padding, target = plane + row * width
            if adding {
                for column in 0..<width { target[column] += source[column] }
            } else {
                copyFloats(from: source, to: target, count: width)
            }
        }
    }
}

/// Copies `count` floats: a plain loop for the few values of a small map's plane, where a call
/// to `memmove` costs more than the copy, and `memmove` for longer runs, which it does faster
/// than the loop the optimiser makes of them.
@inline(__always)
func copyFloats(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    if count < 16 {
        for q in 0..<count { target[q] = source[q] }
    } else {
        target.update(from: source, count: count)
    }
}
