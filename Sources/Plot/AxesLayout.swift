/// Where everything of one Axes goes on the page, computed before anything is drawn.
struct AxesLayout {
    struct Tick {
        var value: Double
        var label: String
    }

    enum Kind { case cartesian, surface, imageGrid }

    var kind: Kind
    var cell: Rect
    /// The data area (inside the spines).
    var plotRect: Rect
    var transform: DataTransform
    var xTicks: [Tick] = []
    var yTicks: [Tick] = []
    var xMinorTicks: [Double] = []
    var yMinorTicks: [Double] = []
    /// Category labels too wide to sit level are drawn at 45 degrees.
    var xTickLabelsRotated = false
    /// Space the tick labels take (height below the x axis, width left of the y axis).
    var xTickLabelExtent = 0.0
    var yTickLabelExtent = 0.0
    var colorbar: Colorbar?
    /// The legend, its box, and how many data points it covers (for `best` headroom).
    var legend: (legend: Legend, frame: Rect, covered: Int)?

    static let tickLength = 3.5
    static let tickLabelGap = 2.5

    /// A layout with no data axes (3-D and image grids use only `plotRect`).
    static func plain(kind: Kind, cell: Rect, plotRect: Rect) -> AxesLayout {
        let mapping = AxisMapping(scale: .linear, lower: 0, upper: 1, start: plotRect.minX, end: plotRect.maxX)
        return AxesLayout(kind: kind, cell: cell, plotRect: plotRect, transform: DataTransform(x: mapping, y: mapping))
    }
}
