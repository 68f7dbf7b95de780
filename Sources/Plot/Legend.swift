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

    /// Distance between the plot's right spine and a legend placed outside it.
    static let outsideGap = 10.0

    /// The box for `location`; `best` tries matplotlib's nine places inside the axes (corners,
    /// edge centres, centre) and picks the one covering the fewest occupied points; `outsideRight`
    /// sits beside the plot, top-aligned, covering nothing.
    func frame(location: LegendLocation, plotRect: Rect, occupied: [Point], measurer: TextMeasuring) -> (frame: Rect, covered: Int) {
        let size = size(measurer: measurer)
        let left = plotRect.minX + Legend.inset, right = plotRect.maxX - Legend.inset - size.width
        let top = plotRect.minY + Legend.inset, bottom = plotRect.maxY - Legend.inset - size.height
        let middleX = plotRect.midX - size.width / 2, middleY = plotRect.midY - size.height / 2
        func box(_ x: Double, _ y: Double) -> Rect { Rect(x: x, y: y, width: size.width, height: size.height) }
        switch location {
        case .upperLeft: return (box(left, top), 0)
        case .lowerLeft: return (box(left, bottom), 0)
        case .lowerRight: return (box(right, bottom), 0)
        case .upperRight: return (box(right, top), 0)
        case .outsideRight: return (box(plotRect.maxX + Legend.outsideGap, plotRect.minY), 0)
        case .best: break
        }
        // matplotlib's order breaks ties: upper right, upper left, lower left, lower right, right,
        // centre left, centre right, lower centre, upper centre, centre.
        let candidates = [box(right, top), box(left, top), box(left, bottom), box(right, bottom), box(right, middleY),
                          box(left, middleY), box(middleX, bottom), box(middleX, top), box(middleX, middleY)]
        var best = candidates[0], fewest = Int.max
        for rect in candidates {
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
                if color.luminance > 0.75 {
                    // A pale line (a white path over a contour map) gets a dark casing on the legend box.
                    renderer.stroke(.segment(Point(x: x0, y: y), Point(x: x1, y: y)),
                                    style: StrokeStyle(color: Color(red: 0.15, green: 0.15, blue: 0.15), width: width + 1.6, dash: dash))
                }
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
