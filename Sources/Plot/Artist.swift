/// Something Axes draws in data coordinates: knows *what* to draw, never *how*.
///
/// Artists are validated when the figure renders (so artist calls stay non-throwing),
/// report their extent for automatic limits, and optionally a legend entry and colorbar.
protocol Artist {
    var extent: DataExtent? { get }
    var legendEntries: [LegendEntry] { get }
    var colorbar: ColorbarSpec? { get }
    /// Throws for data the current axis scales cannot show (e.g. zero on a log axis).
    func validate(xScale: AxisScale, yScale: AxisScale) throws
    func draw(in renderer: Renderer, transform: DataTransform)
    /// Page points the legend should avoid covering (for `LegendLocation.best`).
    func occupiedPoints(transform: DataTransform) -> [Point]
}

extension Artist {
    var legendEntries: [LegendEntry] { [] }
    var colorbar: ColorbarSpec? { nil }
    func validate(xScale: AxisScale, yScale: AxisScale) throws {}
    func occupiedPoints(transform: DataTransform) -> [Point] { [] }
}

/// Shared check for artists whose coordinates may sit on a log axis.
func requirePositive(_ values: [Double], scale: AxisScale, axis: String, artist: String) throws {
    guard scale == .log else { return }
    if let bad = values.first(where: { $0.isFinite && $0 <= 0 }) {
        throw PlotError(.nonPositiveOnLogAxis, "\(artist) has \(axis) = \(bad), which a log \(axis) axis cannot show")
    }
}

/// A row of the legend: its text and what the swatch looks like.
struct LegendEntry {
    enum Swatch {
        case line(color: Color, width: Double, dash: DashStyle, marker: Marker)
        case marker(color: Color, marker: Marker)
        case patch(color: Color)
    }
    var label: String
    var swatch: Swatch
}

/// What a colorbar next to the axes should show.
struct ColorbarSpec: Equatable {
    var colormap: Colormap
    var normalization: ColorNormalization
    var label: String?
    /// Discrete band edges for filled contours; nil for a continuous gradient.
    var levels: [Double]?
}
