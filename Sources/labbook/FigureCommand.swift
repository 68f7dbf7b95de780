import ArgumentParser
import Foundation
import Notebook

/// `labbook figure list`: the figures of the current reports, from `reports/figures.json`.
struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract: "Figures of the current reports, for embedding in docs.",
        subcommands: [List.self],
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
}
