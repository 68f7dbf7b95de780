import Foundation

/// Filled bands between nice contour levels (matplotlib's contourf).
///
/// Bands are painted bottom-up as cumulative regions z >= level, so every boundary has one
/// anti-aliased edge over the band beneath instead of a hairline gap to the background.
struct FilledContourArtist: Artist {
    let grid: GridData
    let levels: [Double]
    let colormap: Colormap
    let colorbarLabel: String?
    let normalization: ColorNormalization

    init(grid: GridData, levelCount: Int, colormap: Colormap, colorbarLabel: String?, center: Double?,
         valueRange: ClosedRange<Double>? = nil) {
        self.grid = grid
        self.colormap = colormap
        self.colorbarLabel = colorbarLabel
        levels = FilledContourArtist.niceLevels(range: valueRange ?? grid.zRange, count: levelCount)
        // Band colours run over band midpoints, so the lowest band is the colormap's start
        // and the highest its end, as in matplotlib.
        let mids = zip(levels, levels.dropFirst()).map { ($0 + $1) / 2 }
        normalization = ColorNormalization(lower: mids.first ?? levels[0], upper: mids.last ?? levels[levels.count - 1],
                                           center: center ?? (colormap == .diverging && levels[0] < 0 && levels[levels.count - 1] > 0 ? 0 : nil))
    }

    /// Level boundaries on a 1-2-2.5-5 step that enclose the data range with about `count` bands.
    static func niceLevels(range: ClosedRange<Double>, count: Int) -> [Double] {
        var low = range.lowerBound, high = range.upperBound
        if high - low < 1e-12 * max(1, abs(low)) {
            low -= 0.5
            high += 0.5
        }
        let step = TickLocator.niceStep(lower: low, upper: high, maxTicks: count + 1)
        let first = (low / step + 1e-9).rounded(.down), last = (high / step - 1e-9).rounded(.up)
        return stride(from: first, through: max(last, first + 1), by: 1).map { $0 * step }
    }

    var extent: DataExtent? { grid.extent }

    var colorbar: ColorbarSpec? {
        ColorbarSpec(colormap: colormap, normalization: normalization, label: colorbarLabel, levels: levels)
    }

    func validate(xScale: AxisScale, yScale: AxisScale) throws {
        try grid.validate(xScale: xScale, yScale: yScale, artist: "filledContour")
    }

    func bandColor(_ band: Int) -> Color {
        colormap.color(at: normalization.position(of: (levels[band] + levels[band + 1]) / 2))
    }

    func draw(in renderer: Renderer, transform: DataTransform) {
        for band in 0..<(levels.count - 1) {
            // The lowest band covers every finite cell; `-infinity` includes values on its edge.
            let threshold = band == 0 ? -Double.infinity : levels[band]
            var path = Path()
            for polygon in MarchingSquares.regionAtLeast(grid, level: threshold) {
                path.addPolygon(polygon.map { transform.point($0.x, $0.y) })
            }
            renderer.fill(path, color: bandColor(band))
        }
    }

    func occupiedPoints(transform: DataTransform) -> [Point] {
        // A filled contour covers everything; every corner is equally bad for a legend.
        []
    }
}
