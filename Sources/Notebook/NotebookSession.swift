import AtomicFiles
import Foundation

/// The state of one question's run: the blocks of its report so far, the cells it ran,
/// and every number it cites. A `Question` fills it in reading order; the report
/// writers turn it into Markdown, HTML and results.json.
public final class NotebookSession {
    public let questionID: String
    public let questionTitle: String
    public let profile: Profile
    public let seed: UInt64
    /// Where figures for this report are written (inside the staging folder).
    public let figureDirectory: URL
    public let cache: ResultCache
    public let console: Console
    /// How the cells the page asks for are obtained: the run's mode (computed, listed, exported).
    public let resolver: any CellResolver
    /// In export mode (`labbook figure export`) the figures asked for are re-drawn to the
    /// request's format, size and theme (cells come from the cache only); no report is written.
    public let figureExport: FigureExportRequest?
    /// The files written in export mode, in order.
    public private(set) var exportedFiles: [URL] = []
    /// Identifies the drawing code (Labbook version and clean git commit); nil disables the figure cache,
    /// e.g. in a working tree with uncommitted changes, where drawing code may have changed, or under --force.
    let figureCodeVersion: String?

    public private(set) var blocks: [ReportBlock] = []
    public private(set) var cellRecords: [CellRecord] = []
    public private(set) var results: [String: ResultValue] = [:]
    public private(set) var headlines: [(label: String, value: String)] = []
    public private(set) var verdicts: [(id: String, verdict: Verdict)] = []
    public private(set) var datasets: [String] = []
    /// Data files written beside the report (see `dataFile`).
    public private(set) var dataFiles: [ReportDataFile] = []
    private var figureCount = 0
    /// Each figure with the keys of the cells computed before it (what it was drawn from).
    public private(set) var figures: [(reference: FigureReference, cells: [String])] = []
    private var usedAnchors: Set<String> = []

    /// The engine code every computed cell's key includes (nil: keys from the cells' versions alone).
    public let code: CodeFingerprint?

    public init(questionID: String, questionTitle: String, profile: Profile, seed: UInt64, figureDirectory: URL,
                cache: ResultCache, console: Console, resolver: any CellResolver = ComputingResolver(),
                figureCodeVersion: String? = nil, figureExport: FigureExportRequest? = nil, code: CodeFingerprint? = nil) {
        self.code = code
        self.figureCodeVersion = figureCodeVersion
        self.figureExport = figureExport
        self.questionID = questionID
        self.questionTitle = questionTitle
        self.profile = profile
        self.seed = seed
        self.figureDirectory = figureDirectory
        self.cache = cache
        self.console = console
        self.resolver = resolver
    }

    // MARK: - Computed cells

    /// The result of the definition's cell for `config`: read from the cache when the same cell,
    /// config, code and inputs were computed before, else computed (the resolver decides).
    public func compute<Config: Codable, Result: Codable>(_ definition: CellDefinition<Config, Result>, config: Config) throws -> Computed<Result> {
        try resolver.resolve([CellCall(definition, config: config)], batch: false, session: self)[0]
    }

    /// Several independent cells of one definition at once (trials whose configurations are
    /// known up front, trainings × seeds, landscape row blocks), results in the order of `configs`.
    /// Serially this is `compute` for each config; with an executor the cells not cached are
    /// first handed to it as one batch (worker processes, or a Slurm job array), so the
    /// definition must be one the question names for workers (`Question.workerCell`).
    public func computeAll<Config: Codable, Result: Codable>(_ definition: CellDefinition<Config, Result>, configs: [Config]) throws -> [Computed<Result>] {
        try computeAll(configs.map { CellCall(definition, config: $0) })
    }

    /// Several independent cells, possibly of different definitions, as one batch: an executor
    /// starts them in the order given (put the longest first, so that the last to finish is a
    /// short one) and runs as many at once as it has workers.
    public func computeAll<Config: Codable, Result: Codable>(_ calls: [CellCall<Config, Result>]) throws -> [Computed<Result>] {
        try resolver.resolve(calls, batch: true, session: self)
    }

    /// `computeAll` with the batch handed over in decreasing `cost` (a relative estimate), so
    /// that the last cells to start are short ones and the workers finish together; the results
    /// come back in the order of `calls`. Only the order of the work depends on `cost`.
    public func computeAll<Config: Codable, Result: Codable>(_ calls: [CellCall<Config, Result>],
                                                             costliestFirst cost: (Config) -> Int) throws -> [Computed<Result>] {
        let order = calls.indices.sorted { cost(calls[$0].config) > cost(calls[$1].config) }
        let computed = try computeAll(order.map { calls[$0] })
        var results = computed
        for (position, index) in order.enumerated() { results[index] = computed[position] }
        return results
    }

    /// A single cell written in place: `compute` of a definition made here (such a cell never goes to a worker).
    ///
    /// - Parameters:
    ///   - cell: a stable id, unique within the question.
    ///   - version: bump when the code in Questions that assembles the computation changes.
    ///   - config: everything the computation depends on (sizes, seeds, dataset hashes).
    ///   - inputs: keys of earlier cells whose results this one consumes.
    ///   - owner: the question whose cache holds the cell, when not this one.
    public func compute<Config: Codable, Result: Codable>(
        _ cell: String, version: String, config: Config, inputs: [CellKey] = [], ofQuestion owner: String? = nil,
        run: @escaping (Config, CellProgress) throws -> Result
    ) throws -> Computed<Result> {
        try compute(CellDefinition(cell, version: version, inputs: inputs, owner: owner, run: run), config: config)
    }

    /// A cell's key in this session: its definition, config and inputs, and the engine code.
    func key<Config: Codable, Result: Codable>(of definition: CellDefinition<Config, Result>, _ config: Config) throws -> CellKey {
        try definition.key(config, askedBy: questionID, code: code)
    }

    /// The cached result of a cell, if the cache holds it under `key`.
    func cached<Config: Codable, Result: Codable>(_ definition: CellDefinition<Config, Result>,
                                key: CellKey) -> (computed: Computed<Result>, seconds: Double)? {
        let question = definition.question(askedBy: questionID)
        guard let hit = cache.load(Result.self, question: question, cell: definition.name, key: key) else { return nil }
        return (Computed(result: hit.result, key: key, artifacts: artifacts(of: definition, key: key)), hit.seconds)
    }

    func artifacts<Config: Codable, Result: Codable>(of definition: CellDefinition<Config, Result>, key: CellKey) -> URL {
        cache.artifactDirectory(question: definition.question(askedBy: questionID), cell: definition.name, key: key)
    }

    /// Notes how a cell was obtained: in the records (run metadata, `labbook list`) and on the console.
    func note<Config: Codable, Result: Codable>(_ definition: CellDefinition<Config, Result>, key: CellKey, status: CellStatus) {
        let label = definition.label(askedBy: questionID)
        var record = CellRecord(cell: label, kind: "compute", key: key.hex, cached: false, seconds: 0, renderSeconds: 0)
        switch status {
        case .cached(let seconds):
            record.cached = true
            record.seconds = seconds
            console.cellLine(question: questionID, cell: label, status: "cached (computed in \(Console.formatSeconds(seconds)))")
        case .computed(let seconds):
            record.seconds = seconds
            console.cellLine(question: questionID, cell: label, status: "computed in \(Console.formatSeconds(seconds))")
        case .computedBy(let executor, let seconds):
            record.seconds = seconds
            record.executor = executor
            console.cellLine(question: questionID, cell: label, status: "computed by \(executor) in \(Console.formatSeconds(seconds))")
        case .missing(let note):
            record.note = note
        }
        cellRecords.append(record)
    }

    // MARK: - Report blocks

    public func heading(_ title: String, level: Int = 2) {
        blocks.append(.heading(level: level, title: title, anchor: uniqueAnchor(for: title)))
    }

    /// A paragraph (or several) of Markdown; values interpolated into it are escaped (`Prose`).
    public func prose(_ text: Prose) {
        blocks.append(.prose(text.markdown))
    }

    /// Adds a numbered figure; `draw` writes its files (PNG and SVG, and the dark variants if
    /// it draws them); it is skipped in probe and export mode.
    ///
    /// Figures are drawn only from computed results, so the keys of the cells computed so far,
    /// the caption and the drawing code's version determine them: with a `figureCodeVersion`,
    /// a figure drawn before under the same key is copied from the cache instead of redrawn.
    @discardableResult
    public func figure(_ name: String, caption: Prose, attachments: FigureAttachments = FigureAttachments(),
                       draw: (FigureFiles) throws -> Void) throws -> FigureReference {
        figureCount += 1
        let caption = caption.markdown
        var reference = FigureReference(number: figureCount, name: name, caption: caption, dataFiles: attachments.dataFiles,
                                        surfaceViewer: attachments.surfaceViewer)
        if writesFigures {
            let start = Date()
            try FileManager.default.createDirectory(at: figureDirectory, withIntermediateDirectories: true)
            let files = FigureFiles(folder: figureDirectory, name: name)
            var reused = false
            if let figureCodeVersion {
                let key = try CellKey(question: questionID, cell: "figure \(name)", version: figureCodeVersion, config: caption,
                                      inputs: cellRecords.compactMap { $0.key.map { CellKey(hex: $0) } })
                reused = cache.copyFigure(question: questionID, name: name, key: key, into: figureDirectory) != nil
                if !reused {
                    try drawFigure(name, draw, files)
                    try cache.storeFigure(question: questionID, name: name, key: key, files: files.existing)
                }
            } else {
                try drawFigure(name, draw, files)
            }
            reference.hasDarkVariant = FileManager.default.fileExists(atPath: files.darkPNG.path)
            // Data files are cheap text made from the cells' results: written on every run.
            for file in attachments.dataFiles {
                try AtomicFile.write(Data(file.contents.utf8), to: figureDirectory.appendingPathComponent(file.fileName))
            }
            cellRecords.append(CellRecord(cell: "figure \(name)", kind: "figure", key: nil, cached: reused, seconds: 0,
                                          renderSeconds: Date().timeIntervalSince(start)))
        }
        blocks.append(.figure(reference))
        figures.append((reference, cellRecords.compactMap { $0.key }))
        return reference
    }

    /// Writes a data file into the report folder (beside report.md) and lists it, with its
    /// SHA-256, in results.json; returns its path relative to the report, for links. Nothing is
    /// written in probe, export or worker mode.
    @discardableResult
    public func dataFile(_ fileName: String, description: String, contents: String) throws -> String {
        precondition(!fileName.contains("/") && !fileName.hasPrefix("."), "dataFile: a plain file name, got \(fileName)")
        let data = Data(contents.utf8)
        if writesFigures {
            try AtomicFile.write(data, to: figureDirectory.deletingLastPathComponent().appendingPathComponent(fileName))
        }
        dataFiles.append(ReportDataFile(path: fileName, description: description, contents: data))
        return fileName
    }

    /// Whether `figure` writes files in this mode (a report run; not a listing or an export).
    public var writesFigures: Bool { resolver.writesReport && figureExport == nil }

    /// Notes a file written by an export (see `figureExport`).
    public func recordExport(_ files: [URL]) {
        exportedFiles += files
    }

    private func drawFigure(_ name: String, _ draw: (FigureFiles) throws -> Void, _ files: FigureFiles) throws {
        do {
            try draw(files)
        } catch {
            throw NotebookError.cell(question: questionID, cell: "figure \(name)", underlying: error)
        }
    }

    /// A Markdown link to a figure of this report, for evidence bullets and prose.
    public func link(_ figure: FigureReference) -> String {
        "[Figure \(figure.number)](#\(figure.anchor))"
    }

    public func table(_ table: Table) {
        blocks.append(.table(table))
    }

    /// Shows the metrics as a small table and records each under its key in results.json.
    public func metrics(_ metrics: [Metric]) {
        for metric in metrics { results[metric.key] = .number(metric.value) }
        blocks.append(.metrics(metrics))
    }

    public func claim(_ check: ClaimCheck) {
        results["claim.\(check.id).verdict"] = .text(check.verdict.rawValue)
        verdicts.append((check.id, check.verdict))
        blocks.append(.claim(check))
    }

    public func preformatted(_ text: String, caption: String? = nil) {
        blocks.append(.preformatted(caption: caption, text: text))
    }

    // MARK: - Numbers and metadata

    /// Records a number the report cites (results.json); returns it for inline use.
    @discardableResult
    public func record(_ key: String, _ value: Double) -> Double {
        results[key] = .number(value)
        return value
    }

    public func record(_ key: String, text: String) {
        results[key] = .text(text)
    }

    public func record(_ key: String, numbers: [Double]) {
        results[key] = .numbers(numbers)
    }

    /// A headline number for the index page.
    public func headline(_ label: String, _ value: String) {
        headlines.append((label, value))
    }

    public func usesDataset(_ description: String) {
        if !datasets.contains(description) { datasets.append(description) }
    }

    private func uniqueAnchor(for title: String) -> String {
        let base = Anchor.slug(title)
        var anchor = base
        var suffix = 2
        while usedAnchors.contains(anchor) {
            anchor = "\(base)-\(suffix)"
            suffix += 1
        }
        usedAnchors.insert(anchor)
        return anchor
    }
}

/// What happened to one cell in this run, for the console, `labbook list` and run metadata.
public struct CellRecord: Codable {
    public var cell: String
    public var kind: String
    public var key: String?
    public var cached: Bool
    public var seconds: Double
    public var renderSeconds: Double
    /// The executor whose worker computed the cell in this run (`local ×2`, `slurm`); nil when
    /// this process computed it or it came from the cache.
    public var executor: String?
    /// Why a cell `labbook list` found missing must be computed (stale, and why), if known.
    public var note: String?

    public init(cell: String, kind: String, key: String?, cached: Bool, seconds: Double, renderSeconds: Double, executor: String? = nil) {
        self.cell = cell
        self.kind = kind
        self.key = key
        self.cached = cached
        self.seconds = seconds
        self.renderSeconds = renderSeconds
        self.executor = executor
    }

    /// How the run obtained this cell, for the metadata tables.
    public var status: String {
        switch (kind, cached) {
        case ("figure", true): return "reused"
        case ("figure", false): return "drawn"
        case (_, true): return "cached"
        default: return executor.map { "computed by \($0)" } ?? "computed"
        }
    }

    /// Seconds spent in this run (drawing for figures), or the original computation time for cached cells.
    public var reportedSeconds: Double { kind == "figure" ? renderSeconds : seconds }
}

/// A value in results.json.
public enum ResultValue: Codable, Equatable {
    case number(Double)
    case text(String)
    case numbers([Double])

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .numbers(let values): try container.encode(values)
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let values = try? container.decode([Double].self) { self = .numbers(values) }
        else { self = .text(try container.decode(String.self)) }
    }
}

/// GitHub-compatible heading anchors: lowercase, spaces to hyphens, punctuation dropped.
public enum Anchor {
    public static func slug(_ title: String) -> String {
        var slug = ""
        for character in title.lowercased() {
            if character.isLetter || character.isNumber || character == "-" || character == "_" { slug.append(character) }
            else if character == " " { slug.append("-") }
        }
        return slug
    }
}

/// How a resolver obtained a cell, for `NotebookSession.note`.
enum CellStatus {
    case cached(seconds: Double)
    case computed(seconds: Double)
    case computedBy(String, seconds: Double)
    /// Not in the cache (`labbook list`), with why, when known (stale).
    case missing(note: String?)
}
