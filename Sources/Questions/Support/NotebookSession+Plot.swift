import Foundation
import Notebook
import Plot

extension NotebookSession {
    /// A figure drawn by `draw` into a fresh `Figure`: in a report run as PNG (2x) and SVG in the
    /// light theme and again in the dark one (`NAME.dark.png/.svg`), with its data file
    /// `NAME.data.json` (the figure as data: `FigureDocument`) beside them; in export mode, only
    /// if asked for, in the request's format, size and theme. `draw` runs once: both themes
    /// and the data file come from the same drawing.
    @discardableResult
    func plot(_ name: String, caption: Prose, width: Double = 720, height: Double = 440, rows: Int = 1, columns: Int = 1,
              attachments: FigureAttachments = FigureAttachments(), draw: (Figure) throws -> Void) throws -> FigureReference {
        func drawn() throws -> Figure {
            let figure = Figure(width: width, height: height, rows: rows, columns: columns)
            do { try draw(figure) } catch { throw NotebookError.cell(question: questionID, cell: "figure \(name)", underlying: error) }
            return figure
        }
        if let request = figureExport, request.names.contains(name) {
            let figure = try Figure(document: try drawn().document, width: request.width, height: request.height)
            recordExport(try FigureExporter(request: request).write(figure, question: questionID, name: name))
        }
        guard writesFigures else { return try figure(name, caption: caption, attachments: attachments) { _ in } }
        let figure = try drawn()
        var attachments = attachments
        attachments.dataFiles.insert(FigureDataFile(label: "data (JSON)", fileName: "\(name).data.json",
                                                    contents: String(decoding: try figure.document.encoded(), as: UTF8.self)), at: 0)
        return try self.figure(name, caption: caption, attachments: attachments) { files in
            for (theme, png, svg) in [(Theme.light, files.png, files.svg), (Theme.dark, files.darkPNG, files.darkSVG)] {
                figure.theme = theme
                try figure.writePNG(to: png, scale: 2)
                try figure.writeSVG(to: svg)
            }
        }
    }
}

/// Formats numbers for prose: fixed decimals, or scientific for very small or large magnitudes.
func format(_ value: Double, digits: Int = 4) -> String {
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude < 1e-3 || magnitude >= 1e5 { return String(format: "%.\(max(digits - 2, 1))e", value) }
    return String(format: "%.\(digits)f", value)
}

func percent(_ fraction: Double, digits: Int = 1) -> String {
    String(format: "%.\(digits)f%%", fraction * 100)
}

func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }

func standardDeviation(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let m = mean(values)
    return sqrt(values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1))
}

/// Every `step`-th element, always keeping the last, to thin dense grids for 3-D plots.
func every<T>(_ values: [T], _ step: Int) -> [T] {
    var picked = stride(from: 0, to: values.count, by: step).map { values[$0] }
    if (values.count - 1) % step != 0, let last = values.last { picked.append(last) }
    return picked
}

/// p-values as a reader reads them: 0.012, 3.1e-05, "< 1e-12".
func formatP(_ p: Double) -> String {
    if p < 1e-12 { return "< 1e-12" }
    return p < 0.001 ? String(format: "%.1e", p) : String(format: "%.3f", p)
}
