import Checksums
import Foundation

/// One figure of a report as a docs build needs it: a stable id to embed it by, its number and
/// caption, alt text, size, and a SHA-256 of each file to notice that it changed; plus the keys
/// of the cells it was drawn from.
public struct FigureEntry: Codable, Equatable {
    public struct File: Codable, Equatable {
        /// Relative to the reports folder, e.g. `q3/figures/training-curves.png`.
        public var path: String
        public var bytes: Int
        public var sha256: String
    }

    /// `q3/training-curves`.
    public var id: String
    public var question: String
    public var number: Int
    public var caption: String
    /// The caption without Markdown, with its figure number: what a screen reader says.
    public var alt: String
    /// Points (the PNG is drawn at twice this many pixels).
    public var width: Double
    public var height: Double
    public var files: [File]
    /// The computed cells whose results the figure was drawn from (their cache keys).
    public var cells: [String]

    /// The entry for a figure whose files are in `folder` (a report's `figures/`).
    init(question: String, reference: FigureReference, cells: [String], folder: URL) {
        id = "\(question)/\(reference.name)"
        self.question = question
        number = reference.number
        caption = reference.caption
        alt = "Figure \(reference.number): " + MarkdownWriter.plainText(reference.caption)
        self.cells = cells
        var size = (width: 0.0, height: 0.0)
        files = ([reference.pngPath, reference.svgPath] + (reference.hasDarkVariant ? [reference.darkPngPath, reference.darkSvgPath] : [])
                 + reference.dataFiles.map(\.path)).compactMap { relative in
            guard let data = try? Data(contentsOf: folder.deletingLastPathComponent().appendingPathComponent(relative)) else { return nil }
            if relative.hasSuffix(".png"), let pixels = Self.pngSize(data) { size = (Double(pixels.width) / 2, Double(pixels.height) / 2) }
            return File(path: "\(question)/\(relative)", bytes: data.count, sha256: SHA256.hexDigest(of: [UInt8](data)))
        }
        (width, height) = size
    }

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        func number(_ offset: Int) -> Int { bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (number(16), number(20))
    }
}

/// `reports/figures.json`: every figure of the current reports, with the run that drew them,
/// so a docs build can embed a figure by id and detect that it changed.
public struct FigureManifest: Codable {
    public struct Entry: Codable {
        public var figure: FigureEntry
        public var labbookVersion: String
        public var gitCommit: String
        public var runDate: Date
    }

    public var figures: [Entry]

    public init(reports: [ResultsFile]) {
        figures = reports.flatMap { report in
            (report.figures ?? []).map { Entry(figure: $0, labbookVersion: report.metadata.labbookVersion,
                                               gitCommit: report.metadata.gitCommit, runDate: report.metadata.date) }
        }
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder.labbook
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    public static func load(from url: URL) throws -> FigureManifest {
        do {
            return try JSONDecoder.labbook.decode(FigureManifest.self, from: Data(contentsOf: url))
        } catch {
            throw NotebookError.invalidInput("\(url.path): not a Labbook figure manifest (\(error)); `labbook run` writes it")
        }
    }

    /// The entry for figure `id` (`q3/training-curves`), if the reports have it.
    public func entry(_ id: String) -> Entry? {
        figures.first { $0.figure.id == id }
    }

    /// The bytes of figure `id`'s data file (`NAME.data.json`) under `reports`, checked against
    /// the SHA-256 recorded here: a file edited or damaged since the run is refused, naming it.
    public func dataFile(of id: String, reports: URL) throws -> (data: Data, url: URL) {
        guard let entry = entry(id) else {
            throw NotebookError.invalidInput("the reports in \(reports.path) have no figure \(id); `labbook figure list` shows the figures")
        }
        guard let file = entry.figure.files.first(where: { $0.path.hasSuffix(".data.json") }) else {
            throw NotebookError.invalidInput("figure \(id) in \(reports.path) has no data file (reports written before data files existed); run `labbook run \(entry.figure.question)` to write one")
        }
        guard !file.path.hasPrefix("/"), !file.path.split(separator: "/").contains("..") else {
            throw NotebookError.invalidInput("figures.json in \(reports.path) lists \(file.path) for \(id), which is outside the reports folder")
        }
        let url = reports.appendingPathComponent(file.path)
        guard let data = try? Data(contentsOf: url) else { throw NotebookError.io("\(url.path): cannot be read") }
        let digest = SHA256.hexDigest(of: [UInt8](data))
        guard digest == file.sha256 else {
            throw NotebookError.invalidInput("\(url.path) does not match the SHA-256 in figures.json (\(digest.prefix(12))… ≠ \(file.sha256.prefix(12))…): it changed after the run that wrote it")
        }
        return (data, url)
    }
}
