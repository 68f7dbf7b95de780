import ArgumentParser
import Datasets
import Foundation
import Notebook
import Questions
import Tensor

/// `labbook figure list|export`: the figures of the current reports, from `reports/figures.json`,
/// and any of them re-drawn from the cache at another size, format or theme.
struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract: "Figures of the current reports, for embedding in docs.",
        subcommands: [List.self, Export.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every figure: id, number, caption, files, size and the cells it was drawn from.")

        @Option(help: "The reports folder.")
        var out: String = "reports"

        @Flag(help: "Print the manifest (figures.json) as JSON.")
        var json = false

        func run() throws {
            let manifestURL = CommonOptions.absolute(out).appendingPathComponent("figures.json")
            guard FileManager.default.fileExists(atPath: manifestURL.path) else {
                throw UsageError(description: "\(manifestURL.path) does not exist; `labbook run` writes it with the reports")
            }
            let manifest: FigureManifest
            do { manifest = try FigureManifest.load(from: manifestURL) } catch { throw RunFailure(description: "\(error)") }
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
            abstract: "Re-draw figures from cached results (never computes) as PNG, SVG or PDF, at any size and in either theme.",
            discussion: """
            IDs are those of `labbook figure list`, e.g. q3/training-curves. The cells a figure is drawn from must be \
            cached for the profile and seed (by default those of the reports in --reports); PDF keeps text as text, \
            with the fonts embedded. Files are named QUESTION-NAME[.dark].FORMAT.
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
            for id in ids where id.split(separator: "/").count != 2 {
                throw ValidationError("figure id \(id) is not QUESTION/NAME, e.g. q3/training-curves")
            }
            guard FigureExportRequest.Format(rawValue: format) != nil else {
                throw ValidationError("--format must be png, svg or pdf, got \(format)")
            }
            guard ["light", "dark"].contains(theme) else { throw ValidationError("--theme must be light or dark, got \(theme)") }
            for (name, value) in [("--width", width), ("--height", height)] {
                if let value, !(value.isFinite && (10...10_000).contains(value)) {
                    throw ValidationError("\(name) must be between 10 and 10000 points, got \(value)")
                }
            }
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
            var options = RunOptions(profile: chosenProfile, seed: seed ?? recorded?.metadata.seed ?? 42,
                                     outputDirectory: CommonOptions.absolute(reports), projectRoot: root, forceRecompute: false,
                                     selfContained: false, kernels: BLASCoreStartup.kernelDescription.description)
            if let cacheDirectoryPath { options.cacheDirectory = CommonOptions.absolute(cacheDirectoryPath) }
            let destination = CommonOptions.absolute(out)
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            let written: [URL]
            do {
                written = try NotebookRunner(options: options, console: Console(quiet: true)).exportFigures(wanted, from: questions) { names in
                    FigureExportRequest(names: names, format: FigureExportRequest.Format(rawValue: format)!, width: width, height: height,
                                        dpi: dpi, theme: theme, transparent: transparent, outputDirectory: destination)
                }
            } catch NotebookError.invalidInput(let message) {
                throw UsageError(description: message)
            } catch {
                throw RunFailure(description: "\(error)")
            }
            for file in written { print(file.path) }
        }
    }
}
