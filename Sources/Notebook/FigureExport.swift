import Foundation

/// What `labbook figure export` asks of one question's run: which figures (by name), in which
/// format, size and theme, and where to write them. Plain values: the plotting code (which owns
/// the figures) reads them and draws; Notebook itself draws nothing.
public struct FigureExportRequest {
    public enum Format: String, CaseIterable, Sendable {
        case png, svg, pdf
    }

    /// Figure names within the question (`training-curves` for `q3/training-curves`).
    public var names: Set<String>
    public var format: Format
    /// Points; nil keeps the figure's own size.
    public var width: Double?
    public var height: Double?
    /// PNG pixels per inch (72 points): 144 gives the reports' 2x.
    public var dpi: Double
    /// `light` or `dark`.
    public var theme: String
    public var transparent: Bool
    public var outputDirectory: URL
    /// Also write each figure's data file (`QUESTION-NAME.data.json`) beside it.
    public var includesData: Bool

    public init(names: Set<String>, format: Format, width: Double?, height: Double?, dpi: Double, theme: String,
                transparent: Bool, outputDirectory: URL, includesData: Bool = false) {
        self.includesData = includesData
        self.names = names
        self.format = format
        self.width = width
        self.height = height
        self.dpi = dpi
        self.theme = theme
        self.transparent = transparent
        self.outputDirectory = outputDirectory
    }

    /// `q3-training-curves.dark.pdf`: unique across questions, the theme named when not light.
    public func fileName(question: String, figure: String) -> String {
        "\(question)-\(figure)\(theme == "light" ? "" : ".\(theme)").\(format.rawValue)"
    }
}

extension NotebookRunner {
    /// Re-draws figures from cached results only: runs each question's build in export mode
    /// (a cell missing from the cache stops it with the command that computes it) and returns
    /// the files written. `figures` maps question ids to figure names.
    public func exportFigures(_ figures: [String: Set<String>], from questions: [Question],
                              request: (Set<String>) -> FigureExportRequest) throws -> [URL] {
        var written: [URL] = []
        for question in questions {
            guard let names = figures[question.id], !names.isEmpty else { continue }
            try question.checkInputs(profile: options.profile)
            let scratch = ScratchFolder.path("export")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let session = NotebookSession(questionID: question.id, questionTitle: question.title, profile: options.profile,
                                          seed: options.seed, figureDirectory: scratch,
                                          cache: ResultCache(directory: options.cacheDirectory), console: console,
                                          resolver: CacheOnlyResolver(), figureExport: request(names), code: code)
            try question.build(session)
            let drawn = Set(session.figures.map(\.reference.name))
            let unknown = names.subtracting(drawn).sorted()
            guard unknown.isEmpty else {
                throw NotebookError.invalidInput("\(question.id) has no figure \(unknown.map { "\(question.id)/\($0)" }.joined(separator: ", ")) in the \(options.profile.rawValue) profile; `labbook figure list` shows the figures")
            }
            written += session.exportedFiles
        }
        return written
    }
}
