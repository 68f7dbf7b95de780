/// Where everything of one Axes goes on the page, computed before anything is drawn.
struct AxesLayout {
    struct Tick {
        var value: Double
        var label: String
    }

    enum Kind { case cartesian, surface, imageGrid, parallel }

    var kind: Kind
    var cell: Rect
    /// The data area (inside the spines).
    var plotRect: Rect
    var transform: DataTransform
    /// The data ranges shown (cartesian axes).
    var xRange: ClosedRange<Double> = 0...1
    var yRange: ClosedRange<Double> = 0...1
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
    /// The legend sits right of the plot (its space reserved), not inside it.
    var legendOutside = false

    /// Page points per data unit of an equal-aspect plot (the smaller of the two directions).
    var unitScale: Double {
        min(plotRect.width / (xRange.upperBound - xRange.lowerBound), plotRect.height / (yRange.upperBound - yRange.lowerBound))
    }

    static let tickLength = 3.5
    static let tickLabelGap = 2.5

    /// A layout with no data axes (3-D and image grids use only `plotRect`).
    static func plain(kind: Kind, cell: Rect, plotRect: Rect) -> AxesLayout {
        let mapping = AxisMapping(scale: .linear, lower: 0, upper: 1, start: plotRect.minX, end: plotRect.maxX)
        return AxesLayout(kind: kind, cell: cell, plotRect: plotRect, transform: DataTransform(x: mapping, y: mapping))
    }
}
