/// One plotting area inside a `Figure`: its decorations (title, labels, ticks, legend,
/// colorbar) and the artists drawn in its data coordinates.
///
/// Artist calls never throw: the first invalid call is recorded and thrown by the
/// figure's `pngData`/`svgData`/`write*` so report code can stay a flat list of calls.
public final class Axes {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xScale: AxisScale = .linear
    public var yScale: AxisScale = .linear
    /// Fixed limits; nil chooses them from the data with a 5% margin.
    public var xLimits: ClosedRange<Double>?
    public var yLimits: ClosedRange<Double>?
    public var showGrid: Bool = false
    /// Ticks on whole numbers only along x (epochs, steps, counts), however short the range.
    public var xWholeNumberTicks: Bool = false
    public var legendLocation: LegendLocation = .best
    /// One data unit has the same length on both axes (circles look round).
    public var equalAspect: Bool = false

    /// Grid position, used to name the axes in error messages.
    let row: Int
    let column: Int

    var artists: [Artist] = []
    /// Every public drawing call in order: the figure's data file, and how it is redrawn.
    var calls: [AxesCall] = []
    private(set) var recordedError: PlotError?
    /// Categorical tick labels placed at 0, 1, 2, ... (heatmaps, bar charts).
    var xCategories: [String]?
    var yCategories: [String]?
    /// Row 0 at the top, as for images.
    var yInverted = false
    /// False for image grids, which have no data axes of their own.
    var frameVisible = true
    /// When set, the axes is a 3-D projection drawn by this artist alone.
    var surface: SurfaceArtist?
    /// When set, the axes area is tiled with these images instead of a data plot.
    var imageGrid: ImageGridArtist?
    /// When set, the axes is a parallel-coordinates plot drawn by this artist alone.
    var parallel: ParallelCoordinatesArtist?
    private var nextPaletteIndex = 0

    init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    var name: String { "axes (\(row), \(column))" }

    /// Keeps the first problem; later ones are usually consequences of it.
    func record(_ error: PlotError) {
        if recordedError == nil { recordedError = error.prefixed(name) }
    }

    /// The next tab10 colour, so unstyled series get distinct colours in call order.
    func takePaletteColor() -> Color {
        defer { nextPaletteIndex += 1 }
        return Color.palette(nextPaletteIndex)
    }
}
