import Foundation

/// Isolines at given levels, optionally labelled inline (matplotlib's contour + clabel):
/// each label sits on a fairly long stretch of its line, rotated to follow it, with the
/// line broken underneath so the number stays readable.
struct ContourLineArtist: Artist {
    let grid: GridData
    let levels: [Double]
    let color: Color?
    let labelLines: Bool

    var extent: DataExtent? { grid.extent }

    func validate(xScale: AxisScale, yScale: AxisScale) throws {
        try grid.validate(xScale: xScale, yScale: yScale, artist: "contourLines")
    }

    func draw(in renderer: Renderer, transform: DataTransform) {
        let style = TextStyle(size: 7.5, color: color)
        var placed: [Rect] = []
        var path = Path()
        for level in levels {
            let label = TickLocator.minus(String(format: "%g", level))
            let labelWidth = renderer.measure(label, style: style).width
            for line in MarchingSquares.isolines(grid, level: level) {
                let page = line.map { transform.point($0.x, $0.y) }
                let lengths = cumulativeLengths(page)
                let total = lengths.last ?? 0
                let gap = labelWidth / 2 + 3
                var cut: ClosedRange<Double>?
                if labelLines && total > 3 * labelWidth + 10 {
                    // Try the middle first, then quarter points, skipping spots that collide.
                    for fraction in [0.5, 0.25, 0.75, 0.375, 0.625, 0.125, 0.875] {
                        let s = total * fraction
                        guard s - gap > 0, s + gap < total else { continue }
                        let center = pointAt(s, page, lengths)
                        let box = Rect(x: center.x - gap, y: center.y - gap, width: 2 * gap, height: 2 * gap)
                        if placed.contains(where: { $0.intersects(box) }) { continue }
                        placed.append(box)
                        let direction = pointAt(s + 2, page, lengths) - pointAt(s - 2, page, lengths)
                        var angle = atan2(-direction.y, direction.x)
                        if angle > .pi / 2 { angle -= .pi } else if angle < -.pi / 2 { angle += .pi }
                        renderer.drawText(label, at: center, style: style, anchor: .center, rotation: angle)
                        cut = (s - gap)...(s + gap)
                        break
                    }
                }
                for piece in pieces(page, lengths, excluding: cut) { path.addPolyline(piece) }
            }
        }
        renderer.stroke(path, style: StrokeStyle(color: color ?? renderer.theme.ink, width: 0.9))
    }

    private func cumulativeLengths(_ points: [Point]) -> [Double] {
        var lengths = [0.0]
        for (a, b) in zip(points, points.dropFirst()) { lengths.append(lengths[lengths.count - 1] + (b - a).length) }
        return lengths
    }

    private func pointAt(_ s: Double, _ points: [Point], _ lengths: [Double]) -> Point {
        let s = min(max(s, 0), lengths[lengths.count - 1])
        var k = 1
        while k < lengths.count - 1 && lengths[k] < s { k += 1 }
        let span = lengths[k] - lengths[k - 1]
        return span > 0 ? points[k - 1] + (points[k] - points[k - 1]) * ((s - lengths[k - 1]) / span) : points[k]
    }

    /// The polyline with the arc-length interval `excluding` removed (zero, one or two pieces).
    private func pieces(_ points: [Point], _ lengths: [Double], excluding cut: ClosedRange<Double>?) -> [[Point]] {
        guard let cut, points.count > 1 else { return [points] }
        var before: [Point] = [], after: [Point] = []
        for (k, p) in points.enumerated() {
            if lengths[k] < cut.lowerBound { before.append(p) } else if lengths[k] > cut.upperBound { after.append(p) }
        }
        before.append(pointAt(cut.lowerBound, points, lengths))
        after.insert(pointAt(cut.upperBound, points, lengths), at: 0)
        return [before, after].filter { $0.count > 1 }
    }
}
