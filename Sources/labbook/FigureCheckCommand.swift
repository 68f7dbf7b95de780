import ArgumentParser
import Foundation
import Notebook
import Plot

/// `labbook figure check`: the layout checks of the reports' figures, from their data files.
extension FigureCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every figure's layout from its data file: overlapping or repeated labels, text off the canvas, legends over data, clipped data.",
            discussion: "Exit status 1 when a figure has a problem. --width/--height check the figures at another size.")

        @Argument(help: "Figure ids (default: every figure in the reports).")
        var ids: [String] = []

        @Option(help: "The reports folder.")
        var out: String = "reports"

        @Option(help: "Width in points (default: the figure's own).")
        var width: Double?

        @Option(help: "Height in points (default: the figure's own).")
        var height: Double?

        func validate() throws {
            try FigureCommand.validate(ids: ids, width: width, height: height)
        }

        func run() throws {
            let reportsURL = CommonOptions.absolute(out)
            let manifest = try FigureCommand.manifest(in: reportsURL)
            let chosen = ids.isEmpty ? manifest.figures.map(\.figure.id) : ids
            var faulty = 0
            for id in chosen {
                do {
                    let file = try manifest.dataFile(of: id, reports: reportsURL)
                    let figure = try Figure(document: FigureDocument.decode(file.data), width: width, height: height)
                    let problems = try figure.layoutProblems()
                    print("\(id): \(problems.isEmpty ? "ok" : "\(problems.count) problem(s)")")
                    for problem in problems { print("  \(problem)") }
                    if !problems.isEmpty { faulty += 1 }
                } catch NotebookError.invalidInput(let message) {
                    throw UsageError(description: message)
                } catch {
                    throw RunFailure(description: "\(id): \(error)")
                }
            }
            if faulty > 0 { throw ExitCode(1) }
        }
    }
}
