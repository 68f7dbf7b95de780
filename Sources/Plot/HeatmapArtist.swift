import Foundation

/// A matrix drawn as coloured cells, row 0 at the top (imshow), optionally with each
/// cell's value printed in black or white, whichever reads better on that cell.
struct HeatmapArtist: Artist {
    let values: [[Double]]
    let colormap: Colormap
    let normalization: ColorNormalization
    let colorbarLabel: String?
    let annotate: Bool
    let annotationFormat: String

    init(values: [[Double]], colormap: Colormap, colorScale: ColorScale = .linear, valueRange: ClosedRange<Double>?,
         center: Double?, colorbarLabel: String?, annotate: Bool, annotationFormat: String) {
        self.values = values
        self.colormap = colormap
        self.colorbarLabel = colorbarLabel
        self.annotate = annotate
        self.annotationFormat = annotationFormat
        let finite = values.flatMap { $0 }.filter { colorScale == .linear || $0 > 0 }
        let data = DataExtent.range(finite) ?? 0...1
        var range = valueRange ?? data
        var center = center
        if colormap == .diverging, center == nil, range.lowerBound < 0, range.upperBound > 0 { center = 0 }
        if range.lowerBound == range.upperBound {
            range = colorScale == .log ? (range.lowerBound / 2)...(range.upperBound * 2) : (range.lowerBound - 0.5)...(range.upperBound + 0.5)
        }
        normalization = ColorNormalization(lower: range.lowerBound, upper: range.upperBound, center: center,
                                           logarithmic: colorScale == .log)
    }

    var rows: Int { values.count }
    var columns: Int { values[0].count }

    var extent: DataExtent? {
        DataExtent(x: -0.5...(Double(columns) - 0.5), y: -0.5...(Double(rows) - 0.5), tight: true)
    }

    var colorbar: ColorbarSpec? {
        ColorbarSpec(colormap: colormap, normalization: normalization, label: colorbarLabel, levels: nil)
    }

    func validate(xScale: AxisScale, yScale: AxisScale) throws {
        guard xScale == .linear, yScale == .linear else {
            throw PlotError(.invalidArgument, "heatmap cells are indexed 0, 1, ...; it needs linear axes")
        }
    }

    func cellColor(_ value: Double) -> Color { colormap.color(at: normalization.position(of: value)) }

    func draw(in renderer: Renderer, transform: DataTransform) {
        let image = RasterImage(width: columns, height: rows) { column, row in cellColor(values[row][column]) }
        let a = transform.point(-0.5, -0.5), b = transform.point(Double(columns) - 0.5, Double(rows) - 0.5)
        let rect = Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y))
        if a.y <= b.y {
            renderer.drawImage(image, in: rect, smooth: false)
        } else {
            // y not inverted: flip rows so row 0 still sits at data y = 0.
            let flipped = RasterImage(width: columns, height: rows) { column, row in image.pixels[(rows - 1 - row) * columns + column] }
            renderer.drawImage(flipped, in: rect, smooth: false)
        }
        guard annotate else { return }
        let cellSize = min(rect.width / Double(columns), rect.height / Double(rows))
        let size = min(9, max(5, cellSize * 0.38))
        for row in 0..<rows {
            for column in 0..<columns where values[row][column].isFinite {
                let value = values[row][column]
                let text = TickLocator.minus(String(format: annotationFormat, value))
                let ink: Color = cellColor(value).luminance > 0.45 ? .black : .white
                renderer.drawText(text, at: transform.point(Double(column), Double(row)),
                                  style: TextStyle(size: size, color: ink), anchor: .center)
            }
        }
    }
}
