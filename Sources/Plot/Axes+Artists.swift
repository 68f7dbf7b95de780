/// The public artist-adding calls. Each validates shapes now (recording, not throwing,
/// errors) and defers scale-dependent checks (log axes) to render time.
extension Axes {
    public func line(x: [Double], y: [Double], label: String? = nil, color: Color? = nil,
                     width: Double = 1.5, dash: DashStyle = .solid, marker: Marker = .none) {
        calls.append(.line(x: x, y: y, label: label, color: color, width: width, dash: dash, marker: marker))
        guard checkSeries(x: x, y: y, artist: "line"), checkArgument(width >= 0, "line width \(width) is negative") else { return }
        artists.append(LineArtist(x: x, y: y, label: label, color: color ?? takePaletteColor(), width: width,
                                  dash: dash, marker: marker, markerSize: max(4.5, 3 * width), connected: true))
    }

    public func scatter(x: [Double], y: [Double], label: String? = nil, color: Color? = nil,
                        size: Double = 4, marker: Marker = .circle) {
        calls.append(.scatter(x: x, y: y, label: label, color: color, size: size, marker: marker))
        guard checkSeries(x: x, y: y, artist: "scatter"), checkArgument(size > 0, "scatter size \(size) must be positive") else { return }
        artists.append(LineArtist(x: x, y: y, label: label, color: color ?? takePaletteColor(), width: 0,
                                  dash: .solid, marker: marker == .none ? .circle : marker, markerSize: size, connected: false))
    }

    /// Filled bands between `levels` automatically chosen nice levels, with a colorbar.
    /// `z[j][i]` is the value at `(x[i], y[j])`, as in matplotlib. `valueRange` sets the range
    /// the levels span instead of the data's, so several panels share one colour scale.
    public func filledContour(x: [Double], y: [Double], z: [[Double]], levels: Int = 12,
                              colormap: Colormap = .viridis, colorbarLabel: String? = nil, center: Double? = nil,
                              valueRange: ClosedRange<Double>? = nil) {
        calls.append(.filledContour(x: x, y: y, z: z, levels: levels, colormap: colormap, colorbarLabel: colorbarLabel,
                                    center: center, valueRange: valueRange))
        guard let grid = checkGrid(x: x, y: y, z: z, artist: "filledContour"),
              checkArgument(levels >= 1, "filledContour needs at least one level, got \(levels)") else { return }
        artists.append(FilledContourArtist(grid: grid, levelCount: levels, colormap: colormap,
                                           colorbarLabel: colorbarLabel, center: center, valueRange: valueRange))
    }

    /// Isolines at the given `levels`, labelled inline with their values; in the theme's ink
    /// unless `color` is given.
    public func contourLines(x: [Double], y: [Double], z: [[Double]], levels: [Double],
                             color: Color? = nil, labelLines: Bool = true) {
        calls.append(.contourLines(x: x, y: y, z: z, levels: levels, color: color, labelLines: labelLines))
        guard let grid = checkGrid(x: x, y: y, z: z, artist: "contourLines"),
              checkArgument(!levels.isEmpty, "contourLines needs at least one level") else { return }
        artists.append(ContourLineArtist(grid: grid, levels: levels, color: color, labelLines: labelLines))
    }

    /// `values[row][column]` drawn as cells, row 0 at the top (like imshow), with a colorbar.
    /// For `.diverging`, `center` (default 0 when the data has both signs) maps to white.
    /// `colorScale: .log` colours counts by their logarithm; values below the range's lower end
    /// (zeros, by default the range starts at the smallest positive value) take the lowest colour.
    public func heatmap(_ values: [[Double]], colormap: Colormap = .viridis, colorScale: ColorScale = .linear,
                        valueRange: ClosedRange<Double>? = nil, colorbarLabel: String? = nil, xTickLabels: [String]? = nil,
                        yTickLabels: [String]? = nil, annotate: Bool = false, annotationFormat: String = "%.0f",
                        center: Double? = nil) {
        calls.append(.heatmap(values: values, colormap: colormap, colorScale: colorScale, valueRange: valueRange,
                              colorbarLabel: colorbarLabel, xTickLabels: xTickLabels, yTickLabels: yTickLabels, annotate: annotate,
                              annotationFormat: annotationFormat, center: center))
        guard let first = values.first, !first.isEmpty else { return record(PlotError(.emptyData, "heatmap has no cells")) }
        guard values.allSatisfy({ $0.count == first.count }) else {
            return record(PlotError(.shapeMismatch, "heatmap rows have different lengths \(Set(values.map(\.count)).sorted())"))
        }
        guard values.contains(where: { $0.contains(where: \.isFinite) }) else {
            return record(PlotError(.noFiniteData, "heatmap has no finite values"))
        }
        if let labels = xTickLabels, labels.count != first.count {
            return record(PlotError(.shapeMismatch, "heatmap has \(first.count) columns but \(labels.count) xTickLabels"))
        }
        if let labels = yTickLabels, labels.count != values.count {
            return record(PlotError(.shapeMismatch, "heatmap has \(values.count) rows but \(labels.count) yTickLabels"))
        }
        if let range = valueRange, !(range.lowerBound < range.upperBound) {
            return record(PlotError(.invalidArgument, "heatmap valueRange \(range) is empty"))
        }
        if colorScale == .log {
            guard center == nil else { return record(PlotError(.invalidArgument, "a log colour scale has no centre")) }
            guard (valueRange?.lowerBound ?? 1) > 0, values.contains(where: { $0.contains { $0 > 0 } }) else {
                return record(PlotError(.nonPositiveOnLogAxis, "a log colour scale needs positive values and a positive valueRange"))
            }
        }
        artists.append(HeatmapArtist(values: values, colormap: colormap, colorScale: colorScale, valueRange: valueRange, center: center,
                                     colorbarLabel: colorbarLabel, annotate: annotate, annotationFormat: annotationFormat))
        xCategories = xTickLabels ?? xCategories
        yCategories = yTickLabels ?? yCategories
        yInverted = true
        equalAspect = true
    }

    /// A shaded 3-D surface; turns this axes into a 3-D box (x/yLabel label its floor axes).
    public func surface3D(x: [Double], y: [Double], z: [[Double]], colormap: Colormap = .viridis,
                          elevation: Double = 30, azimuth: Double = -60, zLabel: String? = nil) {
        calls.append(.surface3D(x: x, y: y, z: z, colormap: colormap, elevation: elevation, azimuth: azimuth, zLabel: zLabel))
        guard let grid = checkGrid(x: x, y: y, z: z, artist: "surface3D") else { return }
        surface = SurfaceArtist(grid: grid, colormap: colormap, elevation: elevation, azimuth: azimuth, zLabel: zLabel)
    }

    /// Side-by-side bars per category, one colour per series, with a legend.
    public func groupedBars(categories: [String], series: [BarSeries]) {
        calls.append(.groupedBars(categories: categories, series: series))
        guard !categories.isEmpty, !series.isEmpty else { return record(PlotError(.emptyData, "groupedBars needs categories and series")) }
        for s in series where s.values.count != categories.count {
            return record(PlotError(.shapeMismatch,
                                    "groupedBars series \"\(s.label)\" has \(s.values.count) values for \(categories.count) categories"))
        }
        let colored = series.map { (label: $0.label, values: $0.values, color: takePaletteColor()) }
        artists.append(BarArtist(categoryCount: categories.count, series: colored))
        xCategories = categories
    }

    /// Tiles grayscale images (`imageRows*imageColumns` values in 0...1, 1 drawn as black ink,
    /// matplotlib's gray_r) in `gridColumns` columns, each with a caption underneath.
    public func imageGrid(images: [[Double]], imageRows: Int, imageColumns: Int, captions: [String], gridColumns: Int) {
        calls.append(.imageGrid(images: images, imageRows: imageRows, imageColumns: imageColumns, captions: captions,
                                gridColumns: gridColumns))
        guard !images.isEmpty else { return record(PlotError(.emptyData, "imageGrid has no images")) }
        guard imageRows > 0, imageColumns > 0, gridColumns > 0 else {
            return record(PlotError(.invalidArgument, "imageGrid sizes must be positive (\(imageRows)x\(imageColumns), \(gridColumns) columns)"))
        }
        if let bad = images.firstIndex(where: { $0.count != imageRows * imageColumns }) {
            return record(PlotError(.shapeMismatch,
                                    "imageGrid image \(bad) has \(images[bad].count) values, expected \(imageRows)x\(imageColumns)"))
        }
        guard captions.isEmpty || captions.count == images.count else {
            return record(PlotError(.shapeMismatch, "imageGrid has \(images.count) images but \(captions.count) captions"))
        }
        imageGrid = ImageGridArtist(images: images, imageRows: imageRows, imageColumns: imageColumns,
                                    captions: captions, gridColumns: gridColumns)
        frameVisible = false
    }

    public func horizontalLine(y: Double, color: Color = .gray, dash: DashStyle = .dashed, label: String? = nil) {
        calls.append(.horizontalLine(y: y, color: color, dash: dash, label: label))
        artists.append(ReferenceLineArtist(orientation: .horizontal, value: y, color: color, dash: dash, label: label))
    }

    public func verticalLine(x: Double, color: Color = .gray, dash: DashStyle = .dashed, label: String? = nil) {
        calls.append(.verticalLine(x: x, color: color, dash: dash, label: label))
        artists.append(ReferenceLineArtist(orientation: .vertical, value: x, color: color, dash: dash, label: label))
    }

    /// Text whose left baseline sits at data point (x, y); in the theme's ink unless `color` is given.
    public func text(_ string: String, x: Double, y: Double, color: Color? = nil) {
        calls.append(.text(string: string, x: x, y: y, color: color))
        artists.append(TextArtist(text: string, x: x, y: y, color: color))
    }

    /// Makes x a categorical axis: one tick at 0, 1, 2, ... labelled with `labels`, and no
    /// fractional ticks between them (data for category k is drawn at x = k).
    public func categoricalX(_ labels: [String]) {
        calls.append(.xCategories(labels: labels))
        guard !labels.isEmpty else { return record(PlotError(.emptyData, "categoricalX needs at least one label")) }
        xCategories = labels
        if xLimits == nil { xLimits = -0.5...(Double(labels.count) - 0.5) }
    }

    /// Turns this axes into a parallel-coordinates plot: one vertical axis per dimension, one
    /// line per item (the i-th value of every dimension) coloured by `colorValues[i]`.
    public func parallelCoordinates(_ dimensions: [ParallelDimension], colorValues: [Double], colorLabel: String,
                                    colormap: Colormap = .viridis) {
        calls.append(.parallelCoordinates(dimensions: dimensions, colorValues: colorValues, colorLabel: colorLabel, colormap: colormap))
        guard dimensions.count >= 2 else { return record(PlotError(.emptyData, "parallelCoordinates needs at least two dimensions")) }
        for dimension in dimensions where dimension.values.count != colorValues.count {
            return record(PlotError(.shapeMismatch,
                                    "parallelCoordinates dimension \"\(dimension.label)\" has \(dimension.values.count) values for \(colorValues.count) items"))
        }
        for dimension in dimensions where dimension.scale == .log && dimension.values.contains(where: { $0.isFinite && $0 <= 0 }) {
            return record(PlotError(.nonPositiveOnLogAxis, "parallelCoordinates dimension \"\(dimension.label)\" is on a log axis but has values <= 0"))
        }
        guard colorValues.contains(where: \.isFinite) else { return record(PlotError(.noFiniteData, "parallelCoordinates has no finite colour value")) }
        parallel = ParallelCoordinatesArtist(dimensions: dimensions, colorValues: colorValues, colorLabel: colorLabel, colormap: colormap)
        frameVisible = false
    }

    // MARK: - Validation helpers

    private func checkArgument(_ condition: Bool, _ message: @autoclosure () -> String) -> Bool {
        if !condition { record(PlotError(.invalidArgument, message())) }
        return condition
    }

    private func checkSeries(x: [Double], y: [Double], artist: String) -> Bool {
        guard !x.isEmpty else {
            record(PlotError(.emptyData, "\(artist) has no points"))
            return false
        }
        guard x.count == y.count else {
            record(PlotError(.shapeMismatch, "\(artist) has \(x.count) x values but \(y.count) y values"))
            return false
        }
        guard zip(x, y).contains(where: { $0.isFinite && $1.isFinite }) else {
            record(PlotError(.noFiniteData, "\(artist) has no point with finite x and y"))
            return false
        }
        return true
    }

    private func checkGrid(x: [Double], y: [Double], z: [[Double]], artist: String) -> GridData? {
        do {
            return try GridData(x: x, y: y, z: z)
        } catch let error as PlotError {
            record(PlotError(error.kind, "\(artist): \(error.message)"))
            return nil
        } catch {
            return nil
        }
    }
}
