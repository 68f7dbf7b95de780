import Foundation

/// The contents of a question's results.json: every number the report cites, the
/// verdicts, the index headlines and the run metadata. The index page is built from
/// these files, so it never needs to rerun anything.
public struct ResultsFile: Codable {
    public struct Headline: Codable {
        public var label: String
        public var value: String
    }

    public var question: String
    public var title: String
    public var headlines: [Headline]
    public var verdicts: [String: Verdict]
    public var values: [String: ResultValue]
    public var metadata: RunMetadata
    /// The report's figures (nil in reports written before figures were listed).
    public var figures: [FigureEntry]?
    /// Data files beside the report (nil where a report ships none).
    public var dataFiles: [ReportDataFile]?

    /// - Parameter figureDirectory: where the report's figure files are, to size and hash them.
    public init(session: NotebookSession, metadata: RunMetadata, figureDirectory: URL? = nil) {
        question = session.questionID
        title = session.questionTitle
        headlines = session.headlines.map { Headline(label: $0.label, value: $0.value) }
        verdicts = Dictionary(session.verdicts.map { ($0.id, $0.verdict) }, uniquingKeysWith: { _, last in last })
        values = session.results
        self.metadata = metadata
        dataFiles = session.dataFiles.isEmpty ? nil : session.dataFiles
        figures = figureDirectory.map { folder in
            session.figures.map { FigureEntry(question: session.questionID, reference: $0.reference, cells: $0.cells, folder: folder) }
        }
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder.labbook
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    public static func load(from url: URL) throws -> ResultsFile {
        do {
            return try JSONDecoder.labbook.decode(ResultsFile.self, from: Data(contentsOf: url))
        } catch {
            throw NotebookError.invalidInput("\(url.path): not a Labbook results file (\(error))")
        }
    }
}
