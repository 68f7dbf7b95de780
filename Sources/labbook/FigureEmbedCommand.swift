import ArgumentParser
import Foundation
import Notebook
import Plot

/// `labbook figure embed ID`: a paste-ready snippet for the user's own document.
extension FigureCommand {
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a paste-ready snippet that embeds a figure: Markdown, HTML or LaTeX.",
            discussion: """
            Paths are relative to --relative-to (default: the current folder). HTML uses the SVG with its dark \
            variant for readers who prefer dark pages, with width and height so the page does not shift; LaTeX \
            includes QUESTION-NAME.pdf as `labbook figure export ID --format pdf` writes it, with caption and label.
            """)

        @Argument(help: "Figure id, e.g. q3/training-curves.")
        var id: String

        @Option(help: "markdown, html or latex.")
        var format: String = "markdown"

        @Option(help: "The reports folder.")
        var out: String = "reports"

        @Option(name: .customLong("relative-to"), help: "Folder the snippet's paths are relative to (the document's folder).")
        var relativeTo: String = "."

        func validate() throws {
            try FigureCommand.validate(ids: [id], width: nil, height: nil)
            guard FigureSnippet.Format(rawValue: format) != nil else {
                throw ValidationError("--format must be markdown, html or latex, got \(format)")
            }
        }

        func run() throws {
            let reportsURL = CommonOptions.absolute(out)
            let manifest = try FigureCommand.manifest(in: reportsURL)
            guard let entry = manifest.entry(id) else {
                throw UsageError(description: "the reports in \(reportsURL.path) have no figure \(id); `labbook figure list` shows the figures")
            }
            let snippet = FigureSnippet(figure: entry.figure, reports: reportsURL, relativeTo: CommonOptions.absolute(relativeTo))
            print(snippet.text(FigureSnippet.Format(rawValue: format)!))
        }
    }
}
