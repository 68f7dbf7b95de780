import Foundation

/// One vertical axis of a parallel-coordinates plot: a hyperparameter or the objective, with
/// the scale its values were searched on (a log-uniform learning rate gets a log axis).
public struct ParallelDimension: Codable, Equatable, Sendable {
    public var label: String
    public var values: [Double]
    public var scale: AxisScale

    public init(label: String, values: [Double], scale: AxisScale = .linear) {
        self.label = label
        self.values = values
        self.scale = scale
    }
}

/// Parallel coordinates as Optuna draws them: one vertical axis per dimension with its own
/// value ticks (a few discrete choices are each ticked; a log axis at decades), each item a
/// polyline across the axes coloured by an objective, best drawn last, and a colour bar.
struct ParallelCoordinatesArtist {
    let dimensions: [ParallelDimension]
    let colorValues: [Double]
    let colorbar: Colorbar
    /// Each dimension's value range, widened when all its values are equal.
    private let ranges: [ClosedRange<Double>]

    private static let labelStyle = TextStyle.label
    private static let tickGap = 4.0

    init(dimensions: [ParallelDimension], colorValues: [Double], colorLabel: String, colormap: Colormap) {
        self.dimensions = dimensions
        self.colorValues = colorValues
        ranges = dimensions.map(Self.range)
        let finite = colorValues.filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if high <= low { (low, high) = (low - 0.5, high + 0.5) }
        colorbar = Colorbar(spec: ColorbarSpec(colormap: colormap, normalization: ColorNormalization(lower: low, upper: high),
                                               label: colorLabel, levels: nil))
    }

    private static func range(_ dimension: ParallelDimension) -> ClosedRange<Double> {
        let usable = dimension.values.filter { $0.isFinite && (dimension.scale == .linear || $0 > 0) }
        guard var low = usable.min(), var high = usable.max() else { return 0...1 }
        if high <= low { (low, high) = dimension.scale == .log ? (low / 2, high * 2) : (low - 0.5, high + 0.5) }
        return low...high
    }

    /// Where `value` sits along its axis, 0 at the bottom and 1 at the top.
    private func fraction(_ value: Double, _ index: Int) -> Double? {
        let dimension = dimensions[index], r = ranges[index]
        guard value.isFinite, dimension.scale == .linear || value > 0 else { return nil }
        return dimension.scale == .log ? log10(value / r.lowerBound) / log10(r.upperBound / r.lowerBound)
                                       : (value - r.lowerBound) / (r.upperBound - r.lowerBound)
    }

    /// Ticks: every choice when there are few distinct values, else decades or a nice linear step.
    func ticks(_ index: Int) -> [(value: Double, label: String)] {
        let dimension = dimensions[index], r = ranges[index]
        let distinct = Set(dimension.values.filter(\.isFinite)).sorted()
        if distinct.count <= 6 && distinct.count >= 2 {
            return distinct.map { ($0, TickLocator.minus(String(format: "%g", $0))) }
        }
        if dimension.scale == .log {
            let decades = TickLocator.logDecades(lower: r.lowerBound, upper: r.upperBound, maxTicks: 6)
            if decades.count >= 2 { return decades.map { ($0, TickLocator.logLabel($0)) } }
        }
        let values = TickLocator.linear(lower: r.lowerBound, upper: r.upperBound, maxTicks: 6).filter { r.contains($0) }
        let step = values.count > 1 ? values[1] - values[0] : 1
        return Array(zip(values, TickLocator.labels(values, step: step)))
    }

    /// The rectangle the axes span (first axis at its left edge, last at its right).
    func spanRect(in area: Rect, measurer: TextMeasuring) -> Rect {
        let tickWidth = dimensions.isEmpty ? 0 : ticks(0).map { measurer.measure($0.label, style: .tick).width }.max() ?? 0
        let firstLabel = dimensions.first.map { measurer.measure($0.label, style: Self.labelStyle).width / 2 } ?? 0
        let lastLabel = dimensions.last.map { measurer.measure($0.label, style: Self.labelStyle).width / 2 } ?? 0
        let left = max(tickWidth + Self.tickGap + 4, firstLabel + 2)
        let right = max(lastLabel + 2, 8) + colorbar.reservedWidth(measurer: measurer)
        let top = Self.labelStyle.size * 1.4 + 8
        return area.inset(left: left, top: top, right: right, bottom: 8)
    }

    func axisX(_ index: Int, in span: Rect) -> Double {
        dimensions.count > 1 ? span.minX + Double(index) * span.width / Double(dimensions.count - 1) : span.midX
    }

    func draw(in area: Rect, renderer: Renderer) {
        let span = spanRect(in: area, measurer: renderer)
        let xs = dimensions.indices.map { axisX($0, in: span) }
        drawLines(span: span, xs: xs, renderer: renderer)
        for (index, dimension) in dimensions.enumerated() {
            let x = xs[index]
            renderer.stroke(.segment(Point(x: x, y: span.minY), Point(x: x, y: span.maxY)),
                            style: StrokeStyle(color: renderer.theme.ink, width: 0.9))
            for tick in ticks(index) {
                guard let t = fraction(tick.value, index) else { continue }
                let y = span.maxY - t * span.height
                renderer.stroke(.segment(Point(x: x - 3, y: y), Point(x: x, y: y)), style: StrokeStyle(color: renderer.theme.ink, width: 0.8))
                // A backing box keeps the label legible over the lines.
                let size = renderer.measure(tick.label, style: .tick)
                let box = Rect(x: x - Self.tickGap - size.width - 1.5, y: y - size.height / 2, width: size.width + 3, height: size.height)
                renderer.fill(.rect(box), color: renderer.theme.background.alpha > 0 ? renderer.theme.background.withAlpha(0.8)
                                                                                      : renderer.theme.legendFill)
                renderer.drawText(tick.label, at: Point(x: x - Self.tickGap, y: y), style: .tick, anchor: .rightCenter)
            }
            renderer.drawText(dimension.label, at: Point(x: x, y: span.minY - 6), style: Self.labelStyle, anchor: .bottomCenter)
        }
        colorbar.draw(in: span, renderer: renderer)
    }

    /// Items sorted by objective so the best lines are drawn last, on top.
    private func drawLines(span: Rect, xs: [Double], renderer: Renderer) {
        let order = colorValues.indices.sorted { (colorValues[$0].isFinite ? colorValues[$0] : -.infinity) < (colorValues[$1].isFinite ? colorValues[$1] : -.infinity) }
        for item in order {
            var points: [Point] = []
            for (index, dimension) in dimensions.enumerated() {
                guard item < dimension.values.count, let t = fraction(dimension.values[item], index) else { continue }
                points.append(Point(x: xs[index], y: span.maxY - t * span.height))
            }
            guard points.count > 1 else { continue }
            var path = Path()
            path.addPolyline(points)
            let t = colorbar.spec.normalization.position(of: colorValues[item])
            let color = t.isFinite ? colorbar.spec.colormap.color(at: t) : Color.gray
            renderer.stroke(path, style: StrokeStyle(color: color.withAlpha(0.8), width: 1.1))
        }
    }
}
