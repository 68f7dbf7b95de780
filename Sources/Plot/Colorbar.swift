import Foundation

/// The colour scale beside an axes: a vertical bar (gradient, or bands for filled
/// contours), its ticks and an optional rotated label on the right.
struct Colorbar {
    let spec: ColorbarSpec

    static let barWidth = 11.0
    static let gap = 10.0
    private static let tickLength = 3.0

    /// Values shown at the bar's bottom and top.
    var valueRange: ClosedRange<Double> {
        if let levels = spec.levels, let first = levels.first, let last = levels.last, last > first { return first...last }
        return spec.normalization.lower...spec.normalization.upper
    }

    func ticks() -> [(value: Double, label: String)] {
        let range = valueRange
        if let levels = spec.levels {
            // Label band edges, thinned so labels never crowd.
            let every = max(1, Int((Double(levels.count) / 7).rounded(.up)))
            let step = levels.count > 1 ? abs(levels[1] - levels[0]) * Double(every) : 1
            let shown = levels.enumerated().filter { $0.offset % every == 0 }.map(\.element)
            return Array(zip(shown, TickLocator.labels(shown, step: step)))
        }
        if spec.normalization.logarithmic {
            let decades = TickLocator.logDecades(lower: range.lowerBound, upper: range.upperBound, maxTicks: 6)
            // Counts read as counts (1, 10, 100); fractions as powers of ten.
            return decades.map { ($0, $0 >= 1 && $0 < 1e6 ? String(Int($0.rounded())) : TickLocator.logLabel($0)) }
        }
        let values = TickLocator.linear(lower: range.lowerBound, upper: range.upperBound, maxTicks: 6)
        let step = values.count > 1 ? values[1] - values[0] : 1
        return Array(zip(values, TickLocator.labels(values, step: step)))
    }

    /// 0 at the bar's bottom, 1 at its top: band edges are spaced linearly, gradients follow
    /// the normalisation (so a log scale puts 1, 10, 100 equally apart).
    func fraction(of value: Double) -> Double {
        if spec.levels == nil && spec.normalization.logarithmic { return spec.normalization.position(of: value) }
        let range = valueRange
        return (value - range.lowerBound) / (range.upperBound - range.lowerBound)
    }

    /// Horizontal space needed right of the plot: gap, bar, ticks, labels, title.
    func reservedWidth(measurer: TextMeasuring) -> Double {
        let labels = ticks().map { measurer.measure($0.label, style: .tick).width }.max() ?? 0
        let title = spec.label == nil ? 0 : TextStyle.label.size * 1.2 + 6
        return Colorbar.gap + Colorbar.barWidth + Colorbar.tickLength + 3 + labels + title
    }

    func draw(in plotRect: Rect, renderer: Renderer) {
        let bar = Rect(x: plotRect.maxX + Colorbar.gap, y: plotRect.minY, width: Colorbar.barWidth, height: plotRect.height)
        func pageY(_ value: Double) -> Double { bar.maxY - fraction(of: value) * bar.height }
        if let levels = spec.levels {
            for band in 0..<(levels.count - 1) {
                let color = spec.colormap.color(at: spec.normalization.position(of: (levels[band] + levels[band + 1]) / 2))
                // Overlap by half a point so adjacent bands show no background seam.
                let top = pageY(levels[band + 1]), bottom = pageY(levels[band])
                renderer.fill(.rect(Rect(x: bar.x, y: top - 0.25, width: bar.width, height: bottom - top + 0.5)), color: color)
            }
        } else {
            let rows = 256
            let range = valueRange, logarithmic = spec.normalization.logarithmic
            let image = RasterImage(width: 1, height: rows) { _, row in
                let t = 1 - (Double(row) + 0.5) / Double(rows)
                return spec.colormap.color(at: logarithmic ? t : spec.normalization.position(of: range.lowerBound + t * (range.upperBound - range.lowerBound)))
            }
            renderer.drawImage(image, in: bar, smooth: true)
        }
        renderer.stroke(.rect(bar), style: StrokeStyle(color: renderer.theme.ink, width: 0.8, roundJoins: false))
        var widest = 0.0
        for tick in ticks() {
            let y = pageY(tick.value)
            guard y >= bar.minY - 0.5, y <= bar.maxY + 0.5 else { continue }
            renderer.stroke(.segment(Point(x: bar.maxX, y: y), Point(x: bar.maxX + Colorbar.tickLength, y: y)),
                            style: StrokeStyle(color: renderer.theme.ink, width: 0.8))
            renderer.drawText(tick.label, at: Point(x: bar.maxX + Colorbar.tickLength + 2.5, y: y), style: .tick, anchor: .leftCenter)
            widest = max(widest, renderer.measure(tick.label, style: .tick).width)
        }
        if let label = spec.label {
            let x = bar.maxX + Colorbar.tickLength + 3 + widest + 4 + TextStyle.label.size * 0.6
            renderer.drawText(label, at: Point(x: x, y: bar.midY), style: .label, anchor: .center, rotation: .pi / 2)
        }
    }
}
