/// The legend box: one row per labelled artist with a swatch that repeats the artist's
/// look (line with dash and marker, lone marker, or filled patch).
struct Legend {
    let entries: [LegendEntry]

    private static let style = TextStyle(size: 8.5)
    private static let padding = 5.0
    private static let swatchLength = 20.0
    private static let rowHeight = 13.0
    /// Distance from the axes edge, so the box never touches the spines.
    private static let inset = 6.0

    func size(measurer: TextMeasuring) -> Size {
        let text = entries.map { measurer.measure($0.label, style: Legend.style).width }.max() ?? 0
        return Size(width: 2 * Legend.padding + Legend.swatchLength + 6 + text,
                    height: 2 * Legend.padding + Double(entries.count) * Legend.rowHeight - 2)
    }

    /// The box for `location`; `best` picks the corner covering the fewest occupied points.
    func frame(location: LegendLocation, plotRect: Rect, occupied: [Point], measurer: TextMeasuring) -> (frame: Rect, covered: Int) {
        let size = size(measurer: measurer)
        func box(_ corner: LegendLocation) -> Rect {
            let left = plotRect.minX + Legend.inset, right = plotRect.maxX - Legend.inset - size.width
            let top = plotRect.minY + Legend.inset, bottom = plotRect.maxY - Legend.inset - size.height
            switch corner {
            case .upperLeft: return Rect(x: left, y: top, width: size.width, height: size.height)
            case .lowerLeft: return Rect(x: left, y: bottom, width: size.width, height: size.height)
            case .lowerRight: return Rect(x: right, y: bottom, width: size.width, height: size.height)
            case .upperRight, .best: return Rect(x: right, y: top, width: size.width, height: size.height)
            }
        }
        guard location == .best else { return (box(location), 0) }
        // matplotlib's preference order breaks ties.
        let candidates: [LegendLocation] = [.upperRight, .upperLeft, .lowerLeft, .lowerRight]
        var best = box(.upperRight), fewest = Int.max
        for corner in candidates {
            let rect = box(corner)
            let covered = occupied.filter { rect.contains($0) }.count
            if covered < fewest {
                fewest = covered
                best = rect
            }
        }
        return (best, fewest)
    }

    func draw(in frame: Rect, renderer: Renderer) {
        renderer.fillAndStroke(.rect(frame), fill: renderer.theme.legendFill,
                               stroke: StrokeStyle(color: renderer.theme.legendEdge, width: 0.8, roundJoins: false))
        for (index, entry) in entries.enumerated() {
            let y = frame.minY + Legend.padding + (Double(index) + 0.5) * Legend.rowHeight - 1
            let x0 = frame.minX + Legend.padding, x1 = x0 + Legend.swatchLength
            let middle = Point(x: (x0 + x1) / 2, y: y)
            switch entry.swatch {
            case let .line(color, width, dash, marker):
                renderer.stroke(.segment(Point(x: x0, y: y), Point(x: x1, y: y)), style: StrokeStyle(color: color, width: width, dash: dash))
                MarkerPath.draw(marker, at: [middle], size: max(4.5, 3 * width), color: color, in: renderer)
            case let .marker(color, marker):
                MarkerPath.draw(marker, at: [middle], size: 6, color: color, in: renderer)
            case let .patch(color):
                renderer.fill(.rect(Rect(x: x0 + 2, y: y - 4.5, width: Legend.swatchLength - 4, height: 9)), color: color)
            }
            renderer.drawText(entry.label, at: Point(x: x1 + 6, y: y), style: Legend.style, anchor: .leftCenter)
        }
    }
}
