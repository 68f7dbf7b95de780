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
    private let grid: [Axes]

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
        try draw(layouts, on: CairoRenderer(surface: surface, scale: scale, theme: theme))
        return try surface.pngData()
    }

    public func writePNG(to url: URL, scale: Double = 2) throws {
        try AtomicFile.write(pngData(scale: scale), to: url)
    }

    /// SVG bytes (a complete document) of the same drawing.
    public func svgData() throws -> Data {
        let layouts = try layout()
        let surface = try CairoSurface(svgWidth: width, height: height)
        try draw(layouts, on: CairoRenderer(surface: surface, theme: theme))
        try surface.finish()
        return SVGIdentifiers.canonical(surface.streamedBytes)
    }

    public func writeSVG(to url: URL) throws {
        try AtomicFile.write(svgData(), to: url)
    }

    /// PDF bytes: one page of `width` x `height` points, text kept as text.
    public func pdfData() throws -> Data {
        let layouts = try layout()
        let surface = try CairoSurface(pdfWidth: width, height: height)
        try draw(layouts, on: CairoRenderer(surface: surface, theme: theme))
        try surface.finish()
        return surface.streamedBytes
    }

    // MARK: - Layout then draw

    private static let margin = 4.0

    private var titleHeight: Double { title == nil ? 0 : TextStyle.figureTitle.size * 1.3 + 6 }

    /// Each axes' layout in its grid cell; throws the first recorded or validation error.
    private func layout() throws -> [AxesLayout] {
        guard width.isFinite, height.isFinite, width >= 10, height >= 10 else {
            throw PlotError(.invalidArgument, "figure size \(width)x\(height) points is too small")
        }
        let measurer = try CairoRenderer.measuring()
        let top = Figure.margin + titleHeight
        let cellWidth = (width - 2 * Figure.margin) / Double(columns)
        let cellHeight = (height - top - Figure.margin) / Double(rows)
        return try grid.map { axes in
            let cell = Rect(x: Figure.margin + Double(axes.column) * cellWidth, y: top + Double(axes.row) * cellHeight,
                            width: cellWidth, height: cellHeight)
            return try axes.layout(in: cell, measurer: measurer)
        }
    }

    private func draw(_ layouts: [AxesLayout], on renderer: CairoRenderer) throws {
        if theme.background.alpha > 0 { renderer.paintBackground(theme.background) }
        if let title {
            renderer.drawText(title, at: Point(x: width / 2, y: Figure.margin + 4), style: .figureTitle, anchor: .topCenter)
        }
        for (axes, layout) in zip(grid, layouts) { axes.draw(layout, renderer: renderer) }
        try renderer.checkStatus()
    }
}
