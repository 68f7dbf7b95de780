import AtomicFiles
import Foundation
import Notebook
import Plot

/// Writes one figure as `labbook figure export` asks: format, resolution, theme, background,
/// and with `--data` its data file beside it. The one place an exported file is made, whether
/// the figure was drawn from cached results or read back from a report's data file.
public struct FigureExporter {
    public let request: FigureExportRequest

    public init(request: FigureExportRequest) {
        self.request = request
    }

    /// Draws `figure` in the request's theme and format into the request's folder; returns the
    /// files written (the image, then the data file when asked for).
    public func write(_ figure: Figure, question: String, name: String) throws -> [URL] {
        let theme = Theme.named(request.theme) ?? .light
        figure.theme = request.transparent ? theme.transparent : theme
        let url = request.outputDirectory.appendingPathComponent(request.fileName(question: question, figure: name))
        let data: Data
        switch request.format {
        case .png: data = try figure.pngData(scale: request.dpi / 72)
        case .svg: data = try figure.svgData()
        case .pdf: data = try figure.pdfData()
        }
        try AtomicFile.write(data, to: url)
        guard request.includesData else { return [url] }
        let dataURL = request.outputDirectory.appendingPathComponent("\(question)-\(name).data.json")
        try AtomicFile.write(figure.document.encoded(), to: dataURL)
        return [url, dataURL]
    }

    /// Redraws a figure from its data file (a `FigureDocument`), at the request's size.
    public func write(document data: Data, source: URL, question: String, name: String) throws -> [URL] {
        let figure: Figure
        do {
            figure = try Figure(document: FigureDocument.decode(data), width: request.width, height: request.height)
        } catch {
            throw NotebookError.invalidInput("\(source.path): \(error)")
        }
        return try write(figure, question: question, name: name)
    }
}
