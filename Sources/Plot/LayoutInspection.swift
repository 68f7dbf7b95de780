import Foundation

/// What a figure looks like to a reader who checks its layout: where every piece of text landed,
/// and for each plot where its legend box and its data points are. `Figure.layoutProblems()`
/// turns this into the faults a plotting expert would reject.
struct LayoutInspection {
    struct PlacedText {
        var text: String
        var box: Rect
        var style: TextStyle
        var anchor: TextAnchor
        var point: Point
    }

    var texts: [PlacedText] = []

    /// Text drawn in the figure's furniture style (ticks, labels, titles, legend rows), not data
    /// annotations (cell values, contour labels), which sit on the data by design.
    var furniture: [PlacedText] { texts.filter { $0.style.color == nil && $0.style.size >= TextStyle.tick.size } }
}

/// A renderer that draws nothing and remembers where each text would go.
final class TextRecorder: Renderer {
    let theme: Theme
    private let measurer: CairoRenderer
    private(set) var inspection = LayoutInspection()

    init(theme: Theme, measurer: CairoRenderer) {
        self.theme = theme
        self.measurer = measurer
    }

    func measure(_ text: String, style: TextStyle) -> Size { measurer.measure(text, style: style) }
    func paintBackground(_ color: Color) {}
    func fill(_ path: Path, color: Color) {}
    func stroke(_ path: Path, style: StrokeStyle) {}
    func drawImage(_ image: RasterImage, in rect: Rect, smooth: Bool) {}
    func clipped(to rect: Rect, _ body: () -> Void) { body() }

    func drawText(_ text: String, at point: Point, style: TextStyle, anchor: TextAnchor, rotation: Double) {
        guard !text.isEmpty else { return }
        let width = measure(text, style: style).width
        let offset = anchor.offset(width: width, size: style.size)
        // The glyph box around the baseline, rotated as Cairo rotates it (by -rotation, y down).
        let corners = [(offset.x, offset.y - 0.76 * style.size), (offset.x + width, offset.y - 0.76 * style.size),
                       (offset.x, offset.y + 0.24 * style.size), (offset.x + width, offset.y + 0.24 * style.size)]
        let c = cos(-rotation), s = sin(-rotation)
        let page = corners.map { Point(x: point.x + $0.0 * c - $0.1 * s, y: point.y + $0.0 * s + $0.1 * c) }
        let xs = page.map(\.x), ys = page.map(\.y)
        let box = Rect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
        inspection.texts.append(LayoutInspection.PlacedText(text: text, box: box, style: style, anchor: anchor, point: point))
    }
}

extension Figure {
    /// The layout faults of this figure, one sentence each (empty when it reads right):
    /// furniture text that overlaps other furniture text or leaves the canvas, a tick label
    /// repeated along one axis, a legend box over data points, and data outside fixed limits.
    public func layoutProblems() throws -> [String] {
        let layout = try self.layout()
        let measurer = try CairoRenderer.measuring()
        // Each axes recorded on its own, so a label repeated across panels is not a repeat.
        var perAxes: [[LayoutInspection.PlacedText]] = []
        for (axes, axesLayout) in zip(grid, layout.axes) {
            let recorder = TextRecorder(theme: theme, measurer: measurer)
            axes.draw(axesLayout, renderer: recorder)
            perAxes.append(recorder.inspection.furniture)
        }
        let whole = TextRecorder(theme: theme, measurer: measurer)
        draw(layout, on: whole)
        let texts = whole.inspection.furniture
        var problems: [String] = []
        let canvas = Rect(x: -0.5, y: -0.5, width: width + 1, height: height + 1)
        for text in texts where !(canvas.contains(Point(x: text.box.minX, y: text.box.minY)) && canvas.contains(Point(x: text.box.maxX, y: text.box.maxY))) {
            problems.append("text \"\(text.text)\" leaves the \(Int(width))x\(Int(height)) canvas (box \(Self.describe(text.box)))")
        }
        for i in texts.indices {
            for j in texts.indices where j > i && Self.shrunk(texts[i].box).intersects(Self.shrunk(texts[j].box)) {
                problems.append("text \"\(texts[i].text)\" overlaps \"\(texts[j].text)\"")
            }
        }
        for (axes, axesTexts) in zip(grid, perAxes) {
            problems += Self.repeatedTickLabels(axesTexts).map { "\(axes.name): \($0)" }
        }
        for (axes, axesLayout) in zip(grid, layout.axes) where axesLayout.kind == .cartesian {
            problems += axes.legendAndClippingProblems(axesLayout)
        }
        return problems
    }

    /// Labels in one row or column of tick-sized text (one axis, one colour bar, one legend)
    /// that read the same.
    private static func repeatedTickLabels(_ texts: [LayoutInspection.PlacedText]) -> [String] {
        var groups: [String: [String]] = [:]
        for text in texts where text.style.size == TextStyle.tick.size && !text.style.bold {
            let key: String
            switch (text.anchor.horizontal, text.anchor.vertical) {
            case (.center, .top): key = "row y=\(Int(text.point.y.rounded()))"
            case (.right, .center), (.left, .center): key = "column x=\(Int(text.point.x.rounded())) \(text.anchor.horizontal)"
            default: continue
            }
            groups[key, default: []].append(text.text)
        }
        var problems: [String] = []
        for (key, labels) in groups.sorted(by: { $0.key < $1.key }) {
            var seen = Set<String>()
            for label in labels where !seen.insert(label).inserted {
                problems.append("label \"\(label)\" repeats in the \(key) (\(labels.joined(separator: ", ")))")
                break
            }
        }
        return problems
    }

    /// Half a point of slack: glyph boxes are nominal, and touching is not overlapping.
    private static func shrunk(_ rect: Rect) -> Rect { rect.inset(left: 0.5, top: 0.5, right: 0.5, bottom: 0.5) }

    private static func describe(_ rect: Rect) -> String {
        String(format: "%.1f,%.1f-%.1f,%.1f", rect.minX, rect.minY, rect.maxX, rect.maxY)
    }
}

extension Axes {
    /// A legend box that covers data, and data points that fixed limits push outside the plot.
    func legendAndClippingProblems(_ layout: AxesLayout) -> [String] {
        var problems: [String] = []
        let points = artists.flatMap { $0.occupiedPoints(transform: layout.transform) }
        if let legend = layout.legend {
            let covered = points.filter { legend.frame.contains($0) }.count
            if covered > 0 { problems.append("\(name): the legend box covers \(covered) data point(s)") }
        }
        if xLimits != nil || yLimits != nil {
            let slack = layout.plotRect.inset(left: -1, top: -1, right: -1, bottom: -1)
            let outside = artists.compactMap { $0 as? LineArtist }.flatMap { $0.runs(transform: layout.transform).flatMap { $0 } }
                .filter { !slack.contains($0) }.count
            if outside > 0 { problems.append("\(name): \(outside) data point(s) fall outside its fixed limits and are clipped") }
        }
        return problems
    }
}
