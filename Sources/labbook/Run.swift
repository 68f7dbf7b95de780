import ArgumentParser
import Foundation
import Tensor
import Notebook
import Questions

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run questions (all by default) and write their Markdown and HTML reports.",
        discussion: "Computed cells are cached in .labbook-cache/; a second run with nothing changed only re-renders. assignment.html holds every report in the folder as one document; --pdf prints it.")

    @Argument(help: "Questions to run, e.g. q1 (default: all).")
    var questions: [String] = []

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Recompute every cell even when a cached result exists.")
    var force = false

    @Flag(name: .long, help: "Embed figures, CSS and KaTeX in each HTML file.")
    var selfContained = false

    @Flag(name: .long, help: "Also print assignment.pdf (all reports in one document) with headless Chromium.")
    var pdf = false

    @Option(help: "Where batches of independent cells run: serial (here, one by one), local (--jobs worker processes) or slurm (one job array per batch).")
    var executor: String = "serial"

    @Option(help: "Worker processes at a time for --executor local.")
    var jobs: Int = 2

    @Option(help: "Slurm partition for --executor slurm (default: the cluster's default).")
    var partition: String?

    @Option(name: .customLong("max-jobs"), help: "At most this many Slurm tasks of a batch at once.")
    var maxJobs: Int?

    @Option(name: .customLong("sbatch-arg"), help: "An extra sbatch argument, e.g. --sbatch-arg=--time=2:00:00 (repeatable).")
    var sbatchArguments: [String] = []

    func validate() throws {
        guard ["serial", "local", "slurm"].contains(executor) else { throw ValidationError("--executor must be serial, local or slurm, got \(executor)") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 64, got \(jobs)") }
        if let maxJobs, !(1...10_000).contains(maxJobs) { throw ValidationError("--max-jobs must be between 1 and 10000, got \(maxJobs)") }
    }

    func run() throws {
        let root = common.projectRoot
        let digits = try common.digits()
        let selected: [Question]
        do {
            selected = try QuestionCatalog.select(questions, projectRoot: root, digits: digits)
        } catch {
            throw UsageError(description: "\(error)")
        }
        var options = RunOptions(profile: common.profile, seed: common.seed, outputDirectory: common.outputDirectory,
                                 projectRoot: root, forceRecompute: force, selfContained: selfContained)
        options.useProcessArithmetic()
        if let cache = common.cacheDirectory { options.cacheDirectory = cache }
        options.datasetDirectory = common.datasetDirectory.map { CommonOptions.absolute($0).standardizedFileURL.path }
        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        switch executor {
        case "local": options.executor = LocalExecutor(jobs: jobs, binary: binary)
        case "slurm": options.executor = SlurmExecutor(binary: binary, partition: partition, maxJobs: maxJobs, sbatchArguments: sbatchArguments)
        default: break
        }
        let start = Date()
        let failures: [String]
        do {
            failures = try NotebookRunner(options: options).run(selected)
        } catch let error as NotebookError {
            throw RunFailure(description: "\(error)")
        }
        print("Reports in \(options.outputDirectory.path)/index.html (\(Console.formatSeconds(Date().timeIntervalSince(start))))")
        if pdf { try AssignmentPDF.print(reports: options.outputDirectory) }
        if !failures.isEmpty {
            throw RunFailure(description: "failed: \(failures.joined(separator: ", ")) (previous reports, if any, were left in place)")
        }
    }
}
