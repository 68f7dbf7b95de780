/// Builds marker shapes so lines, scatter plots and legend swatches draw them identically.
enum MarkerPath {
    /// Appends the outline of `marker` centred at `center` with overall size `size` points
    /// (the diameter of the circle; other shapes have matching visual weight).
    static func add(_ marker: Marker, at center: Point, size: Double, to path: inout Path) {
        let r = size / 2
        switch marker {
        case .none:
            return
        case .circle:
            path.addCircle(center: center, radius: r)
        case .square:
            let side = r * 0.886 // equal area to the circle
            path.addPolygon([center + Point(x: -side, y: -side), center + Point(x: side, y: -side),
                             center + Point(x: side, y: side), center + Point(x: -side, y: side)])
        case .triangle:
            let s = r * 1.2
            path.addPolygon([center + Point(x: 0, y: -s), center + Point(x: s * 0.866, y: s * 0.5),
                             center + Point(x: -s * 0.866, y: s * 0.5)])
        case .cross:
            // Drawn as a filled plus-shaped "x" so it renders with fill like the others.
            let s = r * 0.95, t = max(0.6, r * 0.28)
            for (dx, dy) in [(1.0, 1.0), (1.0, -1.0)] {
                let along = Point(x: dx, y: dy).normalized, across = Point(x: -along.y, y: along.x)
                path.addPolygon([center + along * s + across * t, center + along * s - across * t,
                                 center - along * s - across * t, center - along * s + across * t])
            }
        }
    }

    /// Draws markers at `points` in one fill (fast, and seam-free for overlapping markers).
    static func draw(_ marker: Marker, at points: [Point], size: Double, color: Color, in renderer: Renderer) {
        guard marker != .none, !points.isEmpty else { return }
        var path = Path()
        for p in points { add(marker, at: p, size: size, to: &path) }
        renderer.fill(path, color: color)
        // A thin darker rim separates overlapping markers, as matplotlib's edge does; a pale
        // marker (white on a contour map) gets a dark rim so it also shows on a white legend box.
        let pale = color.luminance > 0.75
        renderer.stroke(path, style: StrokeStyle(color: pale ? Color(red: 0.15, green: 0.15, blue: 0.15) : color.shaded(0.7),
                                                 width: pale ? 0.8 : 0.5))
    }
}
