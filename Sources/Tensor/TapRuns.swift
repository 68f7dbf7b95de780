/// For each tap of a stride-1 tap region on a small map, the runs of consecutive output
/// positions whose pixels are consecutive in the input plane: on a 7×7 map a 3×3 tap reads
/// up to seven runs of six or seven pixels. im2col copies, and col2im adds, run by run instead
/// of looking every position up in a table of offsets (a load, a test and a scalar copy each),
/// which was a tenth of a ResNet training step.
struct TapRuns {
    /// One run: `count` values from `source` in an input plane to `target` in a column row.
    struct Run {
        let target: Int
        let source: Int
        let count: Int
    }

    /// The runs of each tap, row-major over the region's taps.
    let runs: [[Run]]
    /// Whether a tap's runs cover all its positions (no output of it reads padding).
    let coversAll: [Bool]

    init(_ geometry: ConvolutionGeometry, region: TapRegion) {
        precondition(geometry.stride == 1, "tap runs are for stride 1")
        var runs: [[Run]] = [], coversAll: [Bool] = []
        let regionWidth = region.outputColumns.count
        for i in region.kernelRows {
            for j in region.kernelColumns {
                var tapRuns: [Run] = [], covered = 0
                for (rowIndex, oh) in region.outputRows.enumerated() {
                    let inputRow = oh - geometry.padding + i
                    guard inputRow >= 0 && inputRow < geometry.height else { continue }
                    // Input column ow − padding + j must lie in 0..<width.
                    let first = max(region.outputColumns.lowerBound, geometry.padding - j)
                    let end = min(region.outputColumns.upperBound, geometry.width + geometry.padding - j)
                    guard first < end else { continue }
                    tapRuns.append(Run(target: rowIndex * regionWidth + first - region.outputColumns.lowerBound,
                                       source: inputRow * geometry.width + first - geometry.padding + j, count: end - first))
                    covered += end - first
                }
                runs.append(tapRuns)
                coversAll.append(covered == region.positions)
            }
        }
        self.runs = runs
        self.coversAll = coversAll
    }
}

/// Copies one short run of `count` floats. The runs of small maps are 1 to 7 values: two
/// overlapping vector copies (the first and the last four or two values) replace a loop that
/// the optimiser leaves scalar.
@inline(__always)
func copyRun(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    @inline(__always)
    func copy<Lanes: SIMD>(_: Lanes.Type, at offset: Int) where Lanes.Scalar == Float {
        UnsafeMutableRawPointer(target + offset)
            .storeBytes(of: UnsafeRawPointer(source + offset).loadUnaligned(as: Lanes.self), as: Lanes.self)
    }
    switch count {
    case 8...: copyFloats(from: source, to: target, count: count)
    case 4...: copy(SIMD4<Float>.self, at: 0); copy(SIMD4<Float>.self, at: count - 4)
    case 2...: copy(SIMD2<Float>.self, at: 0); copy(SIMD2<Float>.self, at: count - 2)
    case 1: target[0] = source[0]
    default: break
    }
}

/// Adds one short run of `count` floats onto `target` (four lanes, then one by one).
@inline(__always)
func addRun(_ source: UnsafePointer<Float>, onto target: UnsafeMutablePointer<Float>, count: Int) {
    var q = 0
    while q + 4 <= count {
        let sum = UnsafeRawPointer(target + q).loadUnaligned(as: SIMD4<Float>.self)
            + UnsafeRawPointer(source + q).loadUnaligned(as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(target + q).storeBytes(of: sum, as: SIMD4<Float>.self)
        q += 4
    }
    while q < count { target[q] += source[q]; q += 1 }
}
