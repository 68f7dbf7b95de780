import ArgumentParser
import Datasets
import Foundation
import Notebook
import Plot
import Questions
import Tensor

/// `labbook figure list|export|embed|check`: the figures of the current reports, from
/// `reports/figures.json`; any of them re-drawn (from the cache, or else from the figure's
/// committed data file) at another size, format or theme; a paste-ready snippet; a layout check.
struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract: "Figures of the current reports, for embedding in docs.",
        subcommands: [List.self, Export.self, Embed.self, Check.self],
        defaultSubcommand: List.self)

    /// `q3/training-curves`: a question and a figure name, each letters, digits and dashes.
    static func isFigureID(_ id: String) -> Bool {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.first != "." && $0.allSatisfy(allowed.contains) }
    }

    /// Usage errors for ids that are not QUESTION/NAME and sizes outside 10-10000 points.
    static func validate(ids: [String], width: Double?, height: Double?) throws {
        for id in ids where !isFigureID(id) { throw ValidationError("figure id \(id) is not QUESTION/NAME, e.g. q3/training-curves") }
        for (name, value) in [("--width", width), ("--height", height)] {
            if let value, !(value.isFinite && (10...10_000).contains(value)) {
                throw ValidationError("\(name) must be between 10 and 10000 points, got \(value)")
            }
        }
    }

    /// The reports' figures.json; a missing or unreadable one is a usage error naming it.
    static func manifest(in reports: URL) throws -> FigureManifest {
        let url = reports.appendingPathComponent("figures.json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw UsageError(description: "\(url.path) does not exist; `labbook run` writes it with the reports")
        }
        do { return try FigureManifest.load(from: url) } catch { throw UsageError(description: "\(error)") }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every figure: id, number, caption, files, size and the cells it was drawn from.")

        @Option(help: "The reports folder.")
        var out: String = "reports"

        @Flag(help: "Print the manifest (figures.json) as JSON.")
        var json = false

        func run() throws {
            let manifest = try FigureCommand.manifest(in: CommonOptions.absolute(out))
            if json {
                print(String(decoding: try manifest.encoded(), as: UTF8.self))
                return
            }
            for entry in manifest.figures {
                let figure = entry.figure
                print("\(figure.id)  (Figure \(figure.number), \(Int(figure.width))×\(Int(figure.height)) pt, commit \(entry.gitCommit))")
                print("  \(figure.alt)")
                for file in figure.files { print("  \(file.path)  \(file.bytes) bytes  sha256 \(file.sha256.prefix(16))…") }
                print("  drawn from \(figure.cells.count) cell(s)\(figure.cells.isEmpty ? "" : ": " + figure.cells.map { String($0.prefix(12)) }.joined(separator: " "))")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-draw figures (never computes) as PNG, SVG or PDF, at any size and in either theme.",
            discussion: """
            IDs are those of `labbook figure list`, e.g. q3/training-curves. A figure is drawn from the cached results \
            of its cells (profile and seed by default those of the reports in --reports); when the cache lacks them \
            (a fresh clone), from the figure's data file in the reports (NAME.data.json, checked against the SHA-256 in \
            figures.json). PDF keeps text as text, with the fonts embedded. Files are named QUESTION-NAME[.dark].FORMAT; \
            --data adds QUESTION-NAME.data.json, the figure's numbers.
            """)

        @Argument(help: "Figure ids, e.g. q3/training-curves q4/landscape-comparison.")
        var ids: [String]

        @Option(help: "png, svg or pdf.")
        var format: String = "png"

        @Option(help: "Width in points (default: the figure's own).")
        var width: Double?

        @Option(help: "Height in points (default: the figure's own).")
        var height: Double?

        @Option(help: "PNG resolution in pixels per inch (144 = the reports' 2x).")
        var dpi: Double = 144

        @Option(help: "light or dark.")
        var theme: String = "light"

        @Flag(help: "No background: the figure is laid over the page's own colour.")
        var transparent = false

        @Flag(help: "Also write each figure's data file (QUESTION-NAME.data.json) beside it.")
        var data = false

        @Option(help: "Folder to write the files to.")
        var out: String = "figures"

        @Option(help: "The reports whose profile and seed the figures are taken from.")
        var reports: String = "reports"

        @Option(help: "Profile of the cached cells (default: the reports' profile).")
        var profile: Profile?

        @Option(help: "Seed of the cached cells (default: the reports' seed).")
        var seed: UInt64?

        @Option(name: .customLong("cache-dir"), help: "Folder of the result cache (default: .labbook-cache/ in the project).")
        var cacheDirectoryPath: String?

        @Option(name: .customLong("dataset-dir"), help: "The IDX folder the reports were run with, if not the default digits.")
        var datasetDirectory: String?

        func validate() throws {
            guard !ids.isEmpty else { throw ValidationError("name at least one figure id, e.g. q3/training-curves (labbook figure list)") }
            try FigureCommand.validate(ids: ids, width: width, height: height)
            guard FigureExportRequest.Format(rawValue: format) != nil else {
                throw ValidationError("--format must be png, svg or pdf, got \(format)")
            }
            guard ["light", "dark"].contains(theme) else { throw ValidationError("--theme must be light or dark, got \(theme)") }
            guard dpi.isFinite, (18...1200).contains(dpi) else { throw ValidationError("--dpi must be between 18 and 1200, got \(dpi)") }
            try CommonOptions.validateWritableFolder(out, option: "--out")
            if let cacheDirectoryPath { try CommonOptions.validateWritableFolder(cacheDirectoryPath, option: "--cache-dir") }
        }

        func run() throws {
            var wanted: [String: Set<String>] = [:]
            for id in ids {
                let parts = id.split(separator: "/").map(String.init)
                wanted[parts[0].lowercased(), default: []].insert(parts[1])
            }
            let root = ProjectPaths.root()
            var digits: DatasetSource?
            if let datasetDirectory { digits = .directory(CommonOptions.absolute(datasetDirectory).standardizedFileURL.path) }
            let questions: [Question]
            do {
                questions = try QuestionCatalog.select(wanted.keys.sorted(), projectRoot: root, digits: digits)
            } catch {
                throw UsageError(description: "\(error)")
            }
            // The profile and seed the reports were made with, unless given.
            let recorded = wanted.keys.sorted().lazy.compactMap { question in
                try? ResultsFile.load(from: CommonOptions.absolute(reports).appendingPathComponent(question).appendingPathComponent("results.json"))
            }.first
            let chosenProfile = profile ?? recorded.flatMap { Profile(rawValue: $0.metadata.profile) } ?? .default
            let chosenSeed = seed ?? recorded?.metadata.seed ?? 42
            // The reports' data files stand in for the cache only when they are the asked run.
            let reportsAreTheRun = recorded.map { $0.metadata.profile == chosenProfile.rawValue && $0.metadata.seed == chosenSeed } ?? false
            var options = RunOptions(profile: chosenProfile, seed: chosenSeed,
                                     outputDirectory: CommonOptions.absolute(reports), projectRoot: root, forceRecompute: false,
                                     selfContained: false)
            options.useProcessArithmetic()
            if let cacheDirectoryPath { options.cacheDirectory = CommonOptions.absolute(cacheDirectoryPath) }
            let destination = CommonOptions.absolute(out)
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            let runner = NotebookRunner(options: options, console: Console(quiet: true))
            var written: [URL] = []
            for question in questions {
                guard let names = wanted[question.id] else { continue }
                do {
                    written += try runner.exportFigures([question.id: names], from: [question], request: request(destination))
                } catch NotebookError.invalidInput(let message) {
                    throw UsageError(description: message)
                } catch {
                    // Cells not cached (a fresh clone) or their data absent: the committed data files.
                    guard reportsAreTheRun else { throw RunFailure(description: "\(error)") }
                    written += try exportFromDataFiles(question: question.id, names: names, destination: destination, cacheError: error)
                }
            }
            for file in written { print(file.path) }
        }

        private func request(_ destination: URL) -> (Set<String>) -> FigureExportRequest {
            { names in
                FigureExportRequest(names: names, format: FigureExportRequest.Format(rawValue: format)!, width: width, height: height,
                                    dpi: dpi, theme: theme, transparent: transparent, outputDirectory: destination, includesData: data)
            }
        }

        /// Redraws each figure from its data file in --reports; says on standard error why the cache was not used.
        private func exportFromDataFiles(question: String, names: Set<String>, destination: URL, cacheError: Error) throws -> [URL] {
            let reportsURL = CommonOptions.absolute(reports)
            let manifest: FigureManifest
            do {
                manifest = try FigureCommand.manifest(in: reportsURL)
            } catch {
                throw RunFailure(description: "\(cacheError); and no data files to draw from: \(error)")
            }
            let exporter = FigureExporter(request: request(destination)(names))
            var written: [URL] = []
            for name in names.sorted() {
                do {
                    let file = try manifest.dataFile(of: "\(question)/\(name)", reports: reportsURL)
                    written += try exporter.write(document: file.data, source: file.url, question: question, name: name)
                    FileHandle.standardError.write(Data("labbook: \(question)/\(name) redrawn from \(file.url.path) (the cache could not: \(cacheError))\n".utf8))
                } catch NotebookError.invalidInput(let message) {
                    throw RunFailure(description: message)
                } catch {
                    throw RunFailure(description: "\(error)")
                }
            }
            return written
        }
    }
}
