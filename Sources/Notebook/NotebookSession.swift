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
    let forceRecompute: Bool
    /// In probe mode (`labbook list`) nothing is computed or drawn: the walk stops at the first cache miss.
    let probeOnly: Bool
    /// In export mode (`labbook figure export`) cells come from the cache only and the figures
    /// asked for are re-drawn to the request's format, size and theme; no report is written.
    public let figureExport: FigureExportRequest?
    /// The files written in export mode, in order.
    public private(set) var exportedFiles: [URL] = []
    /// Where `computeAll` sends the cells it lacks; nil computes them here, one by one.
    public var executor: (any CellExecutor)?
    /// What a worker request needs besides the cell (project and dataset folders).
    public var requestContext: (projectRoot: URL, datasetDirectory: String?)?
    /// In a worker (`labbook cell run`), the key of the one cell to compute; every other cell
    /// must come from the cache.
    public var workerTarget: String?
    /// Cells whose results an executor's workers computed in this run, by key, with its name.
    private var executedBy: [String: String] = [:]
    /// Identifies the drawing code (Labbook version and clean git commit); nil disables the figure cache,
    /// e.g. in a working tree with uncommitted changes, where drawing code may have changed.
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
                cache: ResultCache, console: Console, forceRecompute: Bool = false, probeOnly: Bool = false,
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
        self.forceRecompute = forceRecompute
        self.probeOnly = probeOnly
    }

    // MARK: - Computed cells

    /// Runs an experiment, or returns its cached result when the same cell, config, code
    /// version and inputs were computed before.
    ///
    /// - Parameters:
    ///   - cell: a stable id, unique within the question.
    ///   - version: bump when the computation's code changes, to invalidate old results.
    ///   - config: everything the computation depends on (sizes, seeds, dataset hashes).
    ///   - inputs: keys of earlier cells whose results this one consumes.
    public func compute<Config: Codable, Result: Codable>(
        _ cell: String, version: String, config: Config, inputs: [CellKey] = [], ofQuestion owner: String? = nil,
        run: (Config, CellProgress) throws -> Result
    ) throws -> Computed<Result> {
        // A cell of another question (`ofQuestion`) is keyed and cached as that question's own,
        // so both reports share one result whichever runs first.
        let question = owner ?? questionID
        let label = question == questionID ? cell : "\(question)/\(cell)"
        let key = try cellKey(question: question, cell: cell, version: version, config: config, inputs: inputs)
        let isTarget = workerTarget == key.hex
        // Under --force a cell is read back only if this run computed it (an executor's batch).
        let mayReuse = !forceRecompute || workerTarget != nil || executedBy[key.hex] != nil
        if mayReuse, !isTarget, let hit = cache.load(Result.self, question: question, cell: cell, key: key) {
            let executor = executedBy[key.hex]
            cellRecords.append(CellRecord(cell: label, kind: "compute", key: key.hex, cached: executor == nil, seconds: hit.seconds,
                                          renderSeconds: 0, executor: executor))
            let status = executor.map { "computed by \($0) in \(Console.formatSeconds(hit.seconds))" }
                ?? "cached (computed in \(Console.formatSeconds(hit.seconds)))"
            console.cellLine(question: questionID, cell: label, status: status)
            return Computed(result: hit.result, key: key, artifacts: cache.artifactDirectory(question: question, cell: cell, key: key))
        }
        if workerTarget != nil && !isTarget {
            throw NotebookError.io("worker: cell \(questionID)/\(label) (key \(key.hex.prefix(12))) is not cached; a worker computes only its own cell")
        }
        if probeOnly {
            var record = CellRecord(cell: label, kind: "compute", key: key.hex, cached: false, seconds: 0, renderSeconds: 0)
            record.note = try staleness(question: question, cell: cell, version: version, config: config, inputs: inputs)
            cellRecords.append(record)
            throw ProbeStopped(cell: label)
        }
        if figureExport != nil {
            throw NotebookError.notCached(question: questionID, cell: label, profile: profile.rawValue)
        }
        let artifacts = cache.artifactDirectory(question: question, cell: cell, key: key)
        let progress = CellProgress(label: "\(questionID) › \(label)", console: console, artifactDirectory: artifacts)
        let start = Date()
        let result: Result
        do {
            result = try run(config, progress)
        } catch {
            progress.finish()
            throw NotebookError.cell(question: questionID, cell: label, underlying: error)
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        try cache.store(result, seconds: seconds, question: question, cell: cell, key: key,
                        codeFreeKey: try CellKey(question: question, cell: cell, version: version, config: config, inputs: inputs), code: code)
        if isTarget { throw WorkerFinished() }
        cellRecords.append(CellRecord(cell: label, kind: "compute", key: key.hex, cached: false, seconds: seconds, renderSeconds: 0))
        console.cellLine(question: questionID, cell: label, status: "computed in \(Console.formatSeconds(seconds))")
        return Computed(result: result, key: key, artifacts: artifacts)
    }

    /// Several independent cells of one kind at once (trials whose configurations are known up
    /// front, trainings × seeds, landscape row blocks), results in the order of `configs`.
    ///
    /// Serially this is `compute` for each config. With an `executor`, the cells not cached are
    /// first handed to it as one batch (worker processes, or a Slurm job array) and then read
    /// from the cache, so the keys and results are the same whichever executor ran them.
    public func computeAll<Config: Codable, Result: Codable>(
        _ cell: String, version: String, configs: [Config], inputs: [CellKey] = [], ofQuestion owner: String? = nil,
        run: (Config, CellProgress) throws -> Result
    ) throws -> [Computed<Result>] {
        if let executor, let requestContext, workerTarget == nil, !probeOnly, figureExport == nil {
            let question = owner ?? questionID
            let keys = try configs.map { try cellKey(question: question, cell: cell, version: version, config: $0, inputs: inputs) }
            var seen = Set<String>()
            // --force hands every cell of the batch to the executor (once per run), not to a serial loop here.
            let missing = keys.filter { key in
                seen.insert(key.hex).inserted && executedBy[key.hex] == nil
                    && (forceRecompute || cache.load(Result.self, question: question, cell: cell, key: key) == nil)
            }
            if !missing.isEmpty {
                let label = question == questionID ? cell : "\(question)/\(cell)"
                let requests = missing.map { key in
                    CellRequest(question: questionID, cell: label, key: key.hex, profile: profile.rawValue, seed: seed,
                                projectRoot: requestContext.projectRoot.path, cacheDirectory: cache.directory.path,
                                datasetDirectory: requestContext.datasetDirectory)
                }
                let files = requests.map { $0.file(in: cache.directory) }
                for (request, file) in zip(requests, files) {
                    try AtomicFile.write(try JSONEncoder.labbook.encode(request), to: file)
                }
                defer {
                    for file in files { try? FileManager.default.removeItem(at: file) }
                    // This driver's folder goes once its last batch is done (rmdir: only if empty).
                    if let folder = files.first?.deletingLastPathComponent() { rmdir(folder.path) }
                }
                try executor.run(requests, requestFiles: files, console: console)
                for key in missing {
                    // Never fall back to computing here what a worker should have stored.
                    guard cache.load(Result.self, question: question, cell: cell, key: key) != nil else {
                        throw NotebookError.io("\(executor.name) finished, but cell \(label) (key \(key.hex.prefix(12))) is not in the cache \(cache.directory.path); is it on a filesystem the workers share?")
                    }
                    executedBy[key.hex] = executor.name
                }
            }
        }
        if let workerTarget {
            // A worker computes its own cell of the batch and stops; its siblings may not exist yet.
            let question = owner ?? questionID
            for config in configs where try cellKey(question: question, cell: cell, version: version, config: config, inputs: inputs).hex == workerTarget {
                _ = try compute(cell, version: version, config: config, inputs: inputs, ofQuestion: owner, run: run)
            }
        }
        return try configs.map { try compute(cell, version: version, config: $0, inputs: inputs, ofQuestion: owner, run: run) }
    }

    /// A computed cell's key: its identity, config, version and inputs, and the engine code.
    private func cellKey<Config: Encodable>(question: String, cell: String, version: String, config: Config,
                                            inputs: [CellKey]) throws -> CellKey {
        try CellKey(question: question, cell: cell, version: code?.version(version) ?? version, config: config, inputs: inputs)
    }

    /// Why a cell that is not cached has to be computed: "stale: engine code changed (NN, Tensor)"
    /// when older code computed it, nil when it never was.
    private func staleness<Config: Encodable>(question: String, cell: String, version: String, config: Config,
                                              inputs: [CellKey]) throws -> String? {
        guard let code else { return nil }
        let codeFree = try CellKey(question: question, cell: cell, version: version, config: config, inputs: inputs)
        guard let changed = cache.staleness(question: question, cell: cell, codeFreeKey: codeFree, code: code) else { return nil }
        return "stale: engine code changed since it was computed (\(changed.isEmpty ? "fingerprint" : changed.joined(separator: ", ")))"
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
            if let figureCodeVersion, !forceRecompute {
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
        if !probeOnly && figureExport == nil && workerTarget == nil {
            try AtomicFile.write(data, to: figureDirectory.deletingLastPathComponent().appendingPathComponent(fileName))
        }
        dataFiles.append(ReportDataFile(path: fileName, description: description, contents: data))
        return fileName
    }

    /// Whether `figure` writes files in this mode (a report run; not probe, export or worker).
    public var writesFigures: Bool { !probeOnly && figureExport == nil && workerTarget == nil }

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

/// A computed cell's result together with its key (to pass as an input to later cells)
/// and its artifact folder (for large binary outputs such as weights).
public struct Computed<Result> {
    public let result: Result
    public let key: CellKey
    public let artifacts: URL
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

/// Thrown in probe mode at the first cell whose result is not cached.
public struct ProbeStopped: Error {
    public let cell: String
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
