/// One drawing call made on an `Axes`, with its arguments: what a figure's data file records.
///
/// A figure is the list of its calls, so replaying them (`Axes.replay`) on a fresh figure
/// redraws it exactly, through the same validation as the original calls; and the recorded
/// arguments are the figure's numbers, for anyone who wants to plot them in their own style.
/// The case labels are the method's parameter names, so the JSON reads like the call.
public enum AxesCall: Codable, Equatable, Sendable {
    case line(x: [Double], y: [Double], label: String?, color: Color?, width: Double, dash: DashStyle, marker: Marker)
    case scatter(x: [Double], y: [Double], label: String?, color: Color?, size: Double, marker: Marker)
    case filledContour(x: [Double], y: [Double], z: [[Double]], levels: Int, colormap: Colormap, colorbarLabel: String?,
                       center: Double?, valueRange: ClosedRange<Double>?)
    case contourLines(x: [Double], y: [Double], z: [[Double]], levels: [Double], color: Color?, labelLines: Bool)
    case heatmap(values: [[Double]], colormap: Colormap, colorScale: ColorScale, valueRange: ClosedRange<Double>?,
                 colorbarLabel: String?, xTickLabels: [String]?, yTickLabels: [String]?, annotate: Bool,
                 annotationFormat: String, center: Double?)
    case surface3D(x: [Double], y: [Double], z: [[Double]], colormap: Colormap, elevation: Double, azimuth: Double,
                   zLabel: String?)
    case groupedBars(categories: [String], series: [BarSeries])
    case imageGrid(images: [[Double]], imageRows: Int, imageColumns: Int, captions: [String], gridColumns: Int)
    case horizontalLine(y: Double, color: Color, dash: DashStyle, label: String?)
    case verticalLine(x: Double, color: Color, dash: DashStyle, label: String?)
    case text(string: String, x: Double, y: Double, color: Color?)
    case xCategories(labels: [String])
    case parallelCoordinates(dimensions: [ParallelDimension], colorValues: [Double], colorLabel: String, colormap: Colormap)
}

/// One series of `Axes.groupedBars`: a label and one value per category.
public struct BarSeries: Codable, Equatable, Sendable {
    public var label: String
    public var values: [Double]

    public init(label: String, values: [Double]) {
        self.label = label
        self.values = values
    }
}

/// How values map to colours: linearly, or by their logarithm (matplotlib's `LogNorm`), which
/// tells a count of 2 from one of 75 where a linear scale shows both as "small".
public enum ColorScale: String, Codable, Sendable {
    case linear, log
}
