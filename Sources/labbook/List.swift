import ArgumentParser
import Foundation
import Tensor
import Notebook
import Questions

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List questions and their computed cells with cache state.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        var options = RunOptions(profile: common.profile, seed: common.seed, outputDirectory: common.outputDirectory,
                                 projectRoot: common.projectRoot, forceRecompute: false, selfContained: false)
        options.useProcessArithmetic()
        if let cache = common.cacheDirectory { options.cacheDirectory = cache }
        let runner = NotebookRunner(options: options, console: Console(quiet: true))
        print("Profile \(common.profile.rawValue), seed \(common.seed), cache \(options.cacheDirectory.path), engine code \(runner.code.digest.prefix(12))")
        for entry in runner.list(QuestionCatalog.all(projectRoot: common.projectRoot, digits: try common.digits())) {
            print("\(entry.question.id): \(entry.question.title)")
            for record in entry.cells where record.kind == "compute" {
                let state = record.cached ? "cached (\(Console.formatSeconds(record.seconds)))" : record.note ?? "not cached"
                print("  \(record.cell.padding(toLength: 28, withPad: " ", startingAt: 0)) \((record.key ?? "").prefix(12))  \(state)")
            }
            if let stopped = entry.stoppedAt {
                print("  … cells after \(stopped) depend on its result and are listed once it is computed")
            }
        }
    }
}
