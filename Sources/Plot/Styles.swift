/// How a stroke is broken into dashes. Patterns scale with line width, as in matplotlib,
/// so a thick dashed line still reads as dashed.
public enum DashStyle: String, Codable, Sendable {
    case solid, dashed, dotted, dashDot

    /// On/off lengths in points for a line of `width` points (empty means solid).
    func pattern(width: Double) -> [Double] {
        let w = max(width, 1)
        switch self {
        case .solid: return []
        case .dashed: return [3.7 * w, 1.6 * w]
        case .dotted: return [1 * w, 1.65 * w]
        case .dashDot: return [6.4 * w, 1.6 * w, 1 * w, 1.6 * w]
        }
    }
}

/// The symbol drawn at each data point.
public enum Marker: String, Codable, Sendable {
    case none, circle, square, triangle, cross
}

/// How data values map to positions along an axis.
public enum AxisScale: String, Codable, Sendable {
    case linear, log
}

/// Where the legend box sits: a corner inside the axes; `best` picks the place inside that hides
/// the fewest data points (matplotlib's `loc="best"`), and moves outside (right of the plot) when
/// every place inside would hide some; `outsideRight` is always beside the plot.
public enum LegendLocation: String, Codable, Sendable {
    case upperRight, upperLeft, lowerRight, lowerLeft, best, outsideRight
}

/// Everything a renderer needs to stroke a path.
struct StrokeStyle {
    var color: Color
    var width: Double
    var dash: DashStyle = .solid
    /// Round joins keep dense curves (loss curves, isolines) free of spikes.
    var roundJoins: Bool = true
}

/// Font parameters for a piece of text. Sizes are in points.
struct TextStyle {
    var size: Double = 9
    /// nil draws in the theme's ink.
    var color: Color? = nil
    var bold: Bool = false

    static let tick = TextStyle(size: 8.5)
    static let label = TextStyle(size: 9.5)
    static let title = TextStyle(size: 10.5, bold: true)
    static let figureTitle = TextStyle(size: 13, bold: true)
    static let small = TextStyle(size: 7.5)
}

/// Which point of the text's box is placed at the given position.
struct TextAnchor {
    enum Horizontal { case left, center, right }
    enum Vertical { case top, center, baseline, bottom }
    var horizontal: Horizontal
    var vertical: Vertical

    static let center = TextAnchor(horizontal: .center, vertical: .center)
    static let topCenter = TextAnchor(horizontal: .center, vertical: .top)
    static let bottomCenter = TextAnchor(horizontal: .center, vertical: .bottom)
    static let leftCenter = TextAnchor(horizontal: .left, vertical: .center)
    static let rightCenter = TextAnchor(horizontal: .right, vertical: .center)
    static let leftBaseline = TextAnchor(horizontal: .left, vertical: .baseline)

    /// Where the text's baseline starts relative to the anchor point, for text `width` points
    /// wide in a font of `size`. Fixed fractions of the font size (DejaVu cap height ~0.73 em,
    /// descent ~0.24 em) rather than per-string extents, so "0.1" and "10" share a baseline.
    func offset(width: Double, size: Double) -> Point {
        let dx: Double
        switch horizontal {
        case .left: dx = 0
        case .center: dx = -width / 2
        case .right: dx = -width
        }
        let dy: Double
        switch vertical {
        case .top: dy = 0.76 * size
        case .center: dy = 0.365 * size
        case .baseline: dy = 0
        case .bottom: dy = -0.24 * size
        }
        return Point(x: dx, y: dy)
    }
}
