import CPlatform
import AtomicFiles
import Foundation

/// Options of one `labbook run`.
public struct RunOptions {
    public var profile: Profile
    public var seed: UInt64
    public var outputDirectory: URL
    public var projectRoot: URL
    public var forceRecompute: Bool
    public var selfContained: Bool
    /// The kernels this process computes with (BLAS core, SIMD level), for the run metadata.
    public var kernels: String
    /// Where batches of independent cells go (`--executor`); nil computes them here.
    public var executor: (any CellExecutor)?
    /// `--dataset-dir`, passed on to workers.
    public var datasetDirectory: String?
    /// The convolution products' precision (`fp32`, `bf16`): part of every computed cell's key
    /// when not fp32, since it changes the numbers.
    public var precision = "fp32"
    /// The kernels whose choice changes results (`CodeFingerprint.kernels`): part of every
    /// computed cell's key when set, as the `labbook` tool always does.
    public var resultKernels: String?

    public init(profile: Profile, seed: UInt64, outputDirectory: URL, projectRoot: URL, forceRecompute: Bool, selfContained: Bool,
                kernels: String = "") {
        self.profile = profile
        self.seed = seed
        self.outputDirectory = outputDirectory
        self.projectRoot = projectRoot
        self.forceRecompute = forceRecompute
        self.selfContained = selfContained
        self.kernels = kernels
    }

    /// Where cell results are cached: `.labbook-cache/` in the project unless set (tests use a
    /// temporary folder, so they never touch the project's cache).
    public var cacheDirectory: URL {
        get { customCacheDirectory ?? projectRoot.appendingPathComponent(".labbook-cache") }
        set { customCacheDirectory = newValue }
    }
    private var customCacheDirectory: URL?
    public var templateDirectory: URL { projectRoot.appendingPathComponent("templates") }
}

/// Runs questions and writes their reports, one question at a time.
///
/// Each report is built in a staging folder next to its final place and swapped in by
/// rename only when complete, so a failed or interrupted run leaves the previous report
/// untouched. The index and the assignment document are rebuilt from every question's
/// report afterwards.
public final class NotebookRunner {
    public let options: RunOptions
    public let console: Console

    /// The engine code every computed cell's key includes; the same for a driver and its workers.
    public let code: CodeFingerprint

    /// How a report run obtains its cells: one resolver for the whole run, so a cell two
    /// questions share is computed once, even under --force.
    let resolver: ComputingResolver

    public init(options: RunOptions, console: Console = Console()) {
        self.options = options
        self.console = console
        var code = CodeFingerprint.of(projectRoot: options.projectRoot)
        code.precision = options.precision == "fp32" ? nil : options.precision
        code.kernels = options.resultKernels
        self.code = code
        resolver = ComputingResolver(forceRecompute: options.forceRecompute, executor: options.executor,
                                     requestContext: .init(projectRoot: options.projectRoot, datasetDirectory: options.datasetDirectory))
    }

    /// Labbook's version and the last commit that changed anything but the reports, when the
    /// checkout is clean (see `NotebookSession.figure`): committing regenerated reports does not
    /// change the drawing code, so it does not invalidate cached figures. Nil under --force, which
    /// redraws every figure.
    lazy var figureCodeVersion: String? = {
        guard !options.forceRecompute else { return nil }
        let commit = RunMetadata.gitCommit(in: options.projectRoot, ignoring: options.outputDirectory)
        guard !commit.hasSuffix("-dirty"), !commit.hasPrefix("unknown"),
              let codeCommit = RunMetadata.lastCommit(in: options.projectRoot, ignoring: options.outputDirectory) else { return nil }
        return "\(RunMetadata.labbookVersion)+\(codeCommit)"
    }()

    /// Runs the questions in order; returns the ids of those that failed (with their errors printed).
    /// - Throws: `NotebookError.unusableInput` before writing anything when a question's
    ///   inputs fail `checkInputs(profile:)`.
    @discardableResult
    public func run(_ questions: [Question]) throws -> [String] {
        for question in questions {
            do { try question.checkInputs(profile: options.profile) } catch { throw NotebookError.unusableInput(question: question.id, underlying: error) }
        }
        let templates = try TemplateSet(directory: options.templateDirectory)
        Self.removeStaleStaging(in: options.outputDirectory)
        ResultCache(directory: options.cacheDirectory).removeStalePartialFiles()
        CellRequest.removeStaleFolders(in: options.cacheDirectory)
        let assets = try ReportAssets(outputDirectory: options.outputDirectory, templates: templates)
        try assets.install()
        var failures: [String] = []
        for (index, question) in questions.enumerated() {
            console.line("[\(index + 1)/\(questions.count)] \(question.id): \(question.title)")
            let start = Date()
            do {
                try runOne(question, templates: templates, assets: assets)
                console.line("  \(question.id) › report written in \(Console.formatSeconds(Date().timeIntervalSince(start))) → \(options.outputDirectory.appendingPathComponent(question.id).path)/report.html")
            } catch {
                console.line("  \(question.id) › FAILED: \(error)")
                failures.append(question.id)
            }
        }
        try IndexWriter(templates: templates, outputDirectory: options.outputDirectory, selfContained: options.selfContained).write()
        // All questions in the folder as one page (cheap: it rewrites the pages just written);
        // `labbook run --pdf` and `labbook pdf` print it.
        let document = AssignmentDocument(templates: templates, reportsDirectory: options.outputDirectory)
        let chapters = try document.chapters()
        if !chapters.isEmpty { try document.write(chapters) }
        return failures
    }

    func runOne(_ question: Question, templates: TemplateSet, assets: ReportAssets) throws {
        let fileManager = FileManager.default
        let output = options.outputDirectory
        try fileManager.createDirectory(at: output, withIntermediateDirectories: true)
        let staging = output.appendingPathComponent(".\(question.id).staging-\(WriterTag.current())")
        defer { try? fileManager.removeItem(at: staging) }
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)

        let start = Date()
        let session = NotebookSession(questionID: question.id, questionTitle: question.title, profile: options.profile,
                                      seed: options.seed, figureDirectory: staging.appendingPathComponent("figures"),
                                      cache: ResultCache(directory: options.cacheDirectory), console: console,
                                      resolver: resolver, figureCodeVersion: figureCodeVersion, code: code)
        try question.build(session)
        let metadata = RunMetadata(session: session, projectRoot: options.projectRoot, outputDirectory: options.outputDirectory,
                                   totalSeconds: Date().timeIntervalSince(start), kernels: options.kernels)

        let title = "\(question.id.uppercased()): \(question.title)"
        try AtomicFile.write(MarkdownWriter.render(title: title, blocks: session.blocks, metadata: metadata),
                             to: staging.appendingPathComponent("report.md"))
        let html = HTMLWriter(templates: templates, selfContained: options.selfContained, katexDirectory: assets.katexSource, threeDirectory: assets.threeSource)
        try AtomicFile.write(try html.render(title: title, blocks: session.blocks, metadata: metadata, reportDirectory: staging),
                             to: staging.appendingPathComponent("report.html"))
        try AtomicFile.write(try ResultsFile(session: session, metadata: metadata, figureDirectory: staging.appendingPathComponent("figures")).encoded(),
                             to: staging.appendingPathComponent("results.json"))
        try Self.swapIn(staging, at: output.appendingPathComponent(question.id))
    }

    /// A worker's run (`labbook cell run`): asks `question` for the request's definition by name,
    /// computes the one cell and stores it in the cache. Nothing else of the question runs.
    public func runWorker(_ question: Question, request: CellRequest) throws {
        let cache = ResultCache(directory: options.cacheDirectory)
        let context = WorkerContext(request: request, profile: options.profile, cache: cache)
        guard let cell = try question.workerCell(named: request.name, context: context) else {
            throw NotebookError.invalidInput("\(question.id) has no batch cell named \(request.name) for a worker (request for \(request.cell), key \(request.key.prefix(12))): the request does not match this code")
        }
        try cell.run(request, cache: cache, code: code)
    }

    /// Replaces `destination` by `staging` so that at every instant one of them is in place: an
    /// atomic exchange of the two paths (renameat2 `RENAME_EXCHANGE`), after which the old
    /// report sits at `staging` and is removed. Where the file system cannot exchange, two
    /// renames, restoring the old folder if the second fails.
    static func swapIn(_ staging: URL, at destination: URL) throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: destination.path) else {
            try fileManager.moveItem(at: staging, to: destination)
            return
        }
        #if os(Linux)
        if labbook_exchange_paths(staging.path, destination.path) == 0 {
            try? fileManager.removeItem(at: staging)   // now the old report
            return
        }
        #endif
        let retired = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).old-\(WriterTag.current())")
        try fileManager.moveItem(at: destination, to: retired)
        do {
            try fileManager.moveItem(at: staging, to: destination)
        } catch {
            try? fileManager.moveItem(at: retired, to: destination)
            throw error
        }
        try? fileManager.removeItem(at: retired)
    }

    /// Removes the hidden staging and retired report folders (`.qN.staging-PID-UUID`,
    /// `.qN.old-PID-UUID`) that runs killed before their cleanup left in `output`. A folder
    /// whose process is still alive belongs to a run in progress and is kept; one without a
    /// process id (written by an older Labbook) is removed once an hour old.
    static func removeStaleStaging(in output: URL, now: Date = Date()) {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: output.path) else { return }
        for name in names where name.hasPrefix(".") && (name.contains(".staging-") || name.contains(".old-")) {
            let url = output.appendingPathComponent(name)
            let tag = name.components(separatedBy: name.contains(".staging-") ? ".staging-" : ".old-").last ?? ""
            if let pid = WriterTag.process(of: Substring(tag)) {
                if !WriterTag.hasEnded(pid) { continue }   // that run is still going
            } else {
                let modified = (try? fileManager.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? now
                if now.timeIntervalSince(modified) < 3600 { continue }
            }
            try? fileManager.removeItem(at: url)
        }
    }

    /// Walks each question without computing anything, to show which cells are cached, which are
    /// stale (and why) and which were never computed; the walk of a question stops at the first
    /// cell never computed (see `ListingResolver`).
    public func list(_ questions: [Question]) -> [(question: Question, cells: [CellRecord], stoppedAt: String?)] {
        questions.map { question in
            let session = NotebookSession(questionID: question.id, questionTitle: question.title, profile: options.profile,
                                          seed: options.seed, figureDirectory: URL(fileURLWithPath: "/nonexistent"),
                                          cache: ResultCache(directory: options.cacheDirectory), console: Console(quiet: true),
                                          resolver: ListingResolver(), code: code)
            var stoppedAt: String?
            do {
                try question.build(session)
            } catch let stop as ProbeStopped {
                stoppedAt = stop.cell
            } catch {
                stoppedAt = "error: \(error)"
            }
            return (question, session.cellRecords, stoppedAt)
        }
    }
}
