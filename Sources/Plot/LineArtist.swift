/// A polyline and/or markers through (x, y) points: `Axes.line` and `Axes.scatter`.
///
/// Non-finite points break the line into separate runs (gaps), as matplotlib does for NaN,
/// which is how diverged training runs should look.
struct LineArtist: Artist {
    var x: [Double]
    var y: [Double]
    var label: String?
    var color: Color
    var width: Double
    var dash: DashStyle
    var marker: Marker
    var markerSize: Double
    /// False for scatter plots: markers only.
    var connected: Bool

    var extent: DataExtent? {
        let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        guard let xr = DataExtent.range(pairs.map(\.0)), let yr = DataExtent.range(pairs.map(\.1)) else { return nil }
        return DataExtent(x: xr, y: yr)
    }

    var legendEntries: [LegendEntry] {
        guard let label else { return [] }
        return [LegendEntry(label: label, swatch: connected
            ? .line(color: color, width: width, dash: dash, marker: marker)
            : .marker(color: color, marker: marker))]
    }

    func validate(xScale: AxisScale, yScale: AxisScale) throws {
        let name = connected ? "line" : "scatter"
        try requirePositive(x, scale: xScale, axis: "x", artist: name)
        try requirePositive(y, scale: yScale, axis: "y", artist: name)
    }

    /// Runs of consecutive finite points in page coordinates.
    func runs(transform: DataTransform) -> [[Point]] {
        var runs: [[Point]] = [], current: [Point] = []
        for (px, py) in zip(x, y) {
            if px.isFinite && py.isFinite {
                current.append(transform.point(px, py))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    func draw(in renderer: Renderer, transform: DataTransform) {
        let runs = runs(transform: transform)
        if connected {
            var path = Path()
            for run in runs { path.addPolyline(run) }
            renderer.stroke(path, style: StrokeStyle(color: color, width: width, dash: dash))
        }
        MarkerPath.draw(marker, at: runs.flatMap { $0 }, size: markerSize, color: color, in: renderer)
    }

    func occupiedPoints(transform: DataTransform) -> [Point] {
        let points = runs(transform: transform).flatMap { $0 }
        guard connected, points.count > 1 else { return points }
        // Sample along segments too, so a long straight segment still counts as occupied.
        var sampled: [Point] = []
        for (a, b) in zip(points, points.dropFirst()) {
            let steps = max(1, min(20, Int((b - a).length / 8)))
            for k in 0..<steps { sampled.append(a + (b - a) * (Double(k) / Double(steps))) }
        }
        sampled.append(points[points.count - 1])
        return sampled
    }
}

/// A horizontal or vertical line across the whole axes (matplotlib's axhline/axvline).
struct ReferenceLineArtist: Artist {
    enum Orientation { case horizontal, vertical }
    var orientation: Orientation
    var value: Double
    var color: Color
    var dash: DashStyle
    var label: String?

    var extent: DataExtent? {
        guard value.isFinite else { return nil }
        return orientation == .horizontal ? DataExtent(x: nil, y: value...value) : DataExtent(x: value...value, y: nil)
    }

    var legendEntries: [LegendEntry] {
        label.map { [LegendEntry(label: $0, swatch: .line(color: color, width: 1.2, dash: dash, marker: .none))] } ?? []
    }

    func validate(xScale: AxisScale, yScale: AxisScale) throws {
        guard value.isFinite else { throw PlotError(.noFiniteData, "reference line at non-finite value \(value)") }
        try requirePositive([value], scale: orientation == .horizontal ? yScale : xScale,
                            axis: orientation == .horizontal ? "y" : "x", artist: "reference line")
    }

    func draw(in renderer: Renderer, transform: DataTransform) {
        let path: Path
        switch orientation {
        case .horizontal:
            let y = transform.y.page(value)
            path = .segment(Point(x: min(transform.x.start, transform.x.end), y: y),
                            Point(x: max(transform.x.start, transform.x.end), y: y))
        case .vertical:
            let x = transform.x.page(value)
            path = .segment(Point(x: x, y: min(transform.y.start, transform.y.end)),
                            Point(x: x, y: max(transform.y.start, transform.y.end)))
        }
        renderer.stroke(path, style: StrokeStyle(color: color, width: 1.2, dash: dash))
    }
}

/// A text annotation anchored at its left baseline in data coordinates.
struct TextArtist: Artist {
    var text: String
    var x: Double
    var y: Double
    var color: Color?

    var extent: DataExtent? { nil } // annotations never move the limits

    func validate(xScale: AxisScale, yScale: AxisScale) throws {
        guard x.isFinite, y.isFinite else { throw PlotError(.noFiniteData, "text \"\(text)\" at non-finite position") }
        try requirePositive([x], scale: xScale, axis: "x", artist: "text")
        try requirePositive([y], scale: yScale, axis: "y", artist: "text")
    }

    func draw(in renderer: Renderer, transform: DataTransform) {
        renderer.drawText(text, at: transform.point(x, y), style: TextStyle(size: 9, color: color), anchor: .leftBaseline)
    }
}
