/// Grouped bars: for each category, one bar per series side by side, centred on the
/// category's integer position. Bars start at zero, so zero is always inside the limits.
struct BarArtist: Artist {
    let categoryCount: Int
    let series: [(label: String, values: [Double], color: Color)]

    /// Fraction of each category slot the group occupies; the rest separates groups.
    private let groupWidth = 0.8

    var extent: DataExtent? {
        let values = series.flatMap(\.values) + [0]
        return DataExtent(x: -0.5...(Double(categoryCount) - 0.5), y: DataExtent.range(values), stickyZero: true)
    }

    func validate(xScale: AxisScale, yScale: AxisScale) throws {
        guard xScale == .linear else { throw PlotError(.invalidArgument, "groupedBars needs a linear (categorical) x axis") }
        guard yScale == .linear else {
            throw PlotError(.nonPositiveOnLogAxis, "groupedBars start at zero, which a log y axis cannot show")
        }
    }

    var legendEntries: [LegendEntry] {
        series.map { LegendEntry(label: $0.label, swatch: .patch(color: $0.color)) }
    }

    func barRects(transform: DataTransform) -> [(Rect, Color)] {
        let barWidth = groupWidth / Double(series.count)
        var rects: [(Rect, Color)] = []
        for (index, s) in series.enumerated() {
            for (category, value) in s.values.enumerated() where value.isFinite {
                let left = Double(category) - groupWidth / 2 + Double(index) * barWidth
                let a = transform.point(left, 0), b = transform.point(left + barWidth, value)
                rects.append((Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y)), s.color))
            }
        }
        return rects
    }

    func draw(in renderer: Renderer, transform: DataTransform) {
        for (rect, color) in barRects(transform: transform) {
            renderer.fill(.rect(rect), color: color)
        }
    }

    func occupiedPoints(transform: DataTransform) -> [Point] {
        // Sample each bar's area every few points so any legend box over a bar is seen.
        barRects(transform: transform).flatMap { rect, _ in
            stride(from: rect.minY, through: rect.maxY, by: 4).flatMap { y in
                stride(from: rect.minX, through: rect.maxX, by: 4).map { Point(x: $0, y: y) }
            }
        }
    }
}
