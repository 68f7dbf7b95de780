import AtomicFiles
import Foundation

/// A page of one or more Axes in a grid, with an optional overall title, rendered to PNG
/// or SVG by the same drawing code.
///
/// Sizes are in points; PNG output has `scale` device pixels per point. Rendering is
/// deterministic: the same figure always encodes to the same PNG bytes.
public final class Figure {
    public let width: Double
    public let height: Double
    public let rows: Int
    public let columns: Int
    /// The figure title (matplotlib's suptitle), above all axes.
    public var title: String?
    /// The colours of everything but the data (background, text, frames, grid).
    public var theme: Theme = .light
    /// One colour bar at the right for all axes, instead of one per axes: for panels drawn on
    /// one colour scale (rendering fails if their scales differ).
    public var sharedColorbar = false
    let grid: [Axes]

    public init(width: Double = 640, height: Double = 480, rows: Int = 1, columns: Int = 1) {
        self.width = width
        self.height = height
        self.rows = max(1, rows)
        self.columns = max(1, columns)
        grid = (0..<max(1, rows)).flatMap { row in (0..<max(1, columns)).map { Axes(row: row, column: $0) } }
    }

    /// The axes at a 0-based grid position; out of range is a programming error.
    public func axes(_ row: Int, _ column: Int) -> Axes {
        precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                     "axes(\(row), \(column)) outside a \(rows)x\(columns) figure")
        return grid[row * columns + column]
    }

    /// PNG bytes at `scale` device pixels per point (2 suits high-density screens).
    public func pngData(scale: Double = 2) throws -> Data {
        guard scale.isFinite, scale > 0 else { throw PlotError(.invalidArgument, "PNG scale \(scale) must be positive") }
        let layouts = try layout()
        let surface = try CairoSurface(imageWidth: Int((width * scale).rounded(.up)), height: Int((height * scale).rounded(.up)))
        try render(layouts, on: CairoRenderer(surface: surface, scale: scale, theme: theme))
        return try surface.pngData()
    }

    /// Writes a figure file whole or not at all (see `AtomicFile`), into an existing folder.
    private func writeAtomically(_ data: Data, to url: URL) throws {
        do {
            try AtomicFile.write(data, to: url, createsFolder: false)
        } catch {
            throw PlotError(.io, "\(error)")
        }
    }

    public func writePNG(to url: URL, scale: Double = 2) throws {
        try writeAtomically(pngData(scale: scale), to: url)
    }

    /// SVG bytes (a complete document) of the same drawing.
    public func svgData() throws -> Data {
        let layouts = try layout()
        let surface = try CairoSurface(svgWidth: width, height: height)
        try render(layouts, on: CairoRenderer(surface: surface, theme: theme))
        try surface.finish()
        return SVGIdentifiers.canonical(surface.streamedBytes)
    }

    public func writeSVG(to url: URL) throws {
        try writeAtomically(svgData(), to: url)
    }

    /// PDF bytes: one page of `width` x `height` points, text kept as text.
    public func pdfData() throws -> Data {
        let layouts = try layout()
        let surface = try CairoSurface(pdfWidth: width, height: height)
        try render(layouts, on: CairoRenderer(surface: surface, theme: theme))
        try surface.finish()
        return surface.streamedBytes
    }

    // MARK: - Layout then draw

    private static let margin = 4.0

    private var titleHeight: Double { title == nil ? 0 : TextStyle.figureTitle.size * 1.3 + 6 }

    /// The figure-wide colour bar and the layout of every axes (in grid order).
    struct Layout {
        var axes: [AxesLayout]
        var sharedColorbar: (colorbar: Colorbar, rect: Rect)?
    }

    /// Each axes' layout in its grid cell; throws the first recorded or validation error.
    func layout() throws -> Layout {
        guard width.isFinite, height.isFinite, width >= 10, height >= 10 else {
            throw PlotError(.invalidArgument, "figure size \(width)x\(height) points is too small")
        }
        let measurer = try CairoRenderer.measuring()
        let shared = try sharedColorbarSpec().map(Colorbar.init)
        let reserved = shared.map { $0.reservedWidth(measurer: measurer) + 4 } ?? 0
        let top = Figure.margin + titleHeight
        let cellWidth = (width - 2 * Figure.margin - reserved) / Double(columns)
        let cellHeight = (height - top - Figure.margin) / Double(rows)
        var layouts = try grid.map { axes in
            let cell = Rect(x: Figure.margin + Double(axes.column) * cellWidth, y: top + Double(axes.row) * cellHeight,
                            width: cellWidth, height: cellHeight)
            return try axes.layout(in: cell, measurer: measurer, showsColorbar: shared == nil)
        }
        alignEqualAspectRows(&layouts, measurer: measurer)
        guard let shared else { return Layout(axes: layouts, sharedColorbar: nil) }
        let plots = layouts.filter { $0.kind == .cartesian }.map(\.plotRect)
        let minY = plots.map(\.minY).min() ?? top, maxY = plots.map(\.maxY).max() ?? height - Figure.margin
        // Colorbar.draw puts the bar `gap` right of the rectangle it is given.
        let anchor = Rect(x: width - Figure.margin - reserved, y: minY, width: 0, height: maxY - minY)
        return Layout(axes: layouts, sharedColorbar: (shared, anchor))
    }

    /// The one colour scale of all axes, when the figure shares it; different scales are an error.
    private func sharedColorbarSpec() throws -> ColorbarSpec? {
        guard sharedColorbar else { return nil }
        let specs = grid.flatMap { $0.artists.compactMap(\.colorbar) }
        guard let first = specs.first else { return nil }
        if let different = specs.first(where: { $0 != first }) {
            throw PlotError(.invalidArgument, "sharedColorbar: the axes use different colour scales (\(first.normalization) and \(different.normalization)); give them one valueRange")
        }
        return first
    }

    /// Equal-aspect panels in one row (maps, confusion matrices) get one data scale, so they are
    /// the same size and line up whatever labels each carries.
    private func alignEqualAspectRows(_ layouts: inout [AxesLayout], measurer: TextMeasuring) {
        for row in 0..<rows {
            let members = grid.indices.filter {
                grid[$0].row == row && grid[$0].equalAspect && grid[$0].xScale == .linear && grid[$0].yScale == .linear && layouts[$0].kind == .cartesian
            }
            guard members.count > 1 else { continue }
            let scale = members.map { layouts[$0].unitScale }.min() ?? 1
            for index in members where layouts[index].unitScale > scale {
                layouts[index] = grid[index].relayout(layouts[index], unitScale: scale, measurer: measurer)
            }
        }
    }

    /// Draws onto a Cairo surface and throws the first error Cairo recorded.
    private func render(_ layout: Layout, on renderer: CairoRenderer) throws {
        draw(layout, on: renderer)
        try renderer.checkStatus()
    }

    /// Draws through any renderer (Cairo, or the layout checks' text recorder).
    func draw(_ layout: Layout, on renderer: Renderer) {
        if theme.background.alpha > 0 { renderer.paintBackground(theme.background) }
        if let title {
            renderer.drawText(title, at: Point(x: width / 2, y: Figure.margin + 4), style: .figureTitle, anchor: .topCenter)
        }
        for (axes, axesLayout) in zip(grid, layout.axes) { axes.draw(axesLayout, renderer: renderer) }
        if let shared = layout.sharedColorbar { shared.colorbar.draw(in: shared.rect, renderer: renderer) }
    }
}
