import ArgumentParser
import CPlatform
import Foundation
import Notebook
import Questions
import Tensor

/// `labbook cell run FILE`: the worker side of `--executor local|slurm`. Not for people: the
/// driver writes the request file and starts this.
struct CellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cell",
        abstract: "Compute one cell from a request file (what executor workers run).",
        subcommands: [RunCell.self])

    struct RunCell: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Compute the request's one cell (the question names its definition) into the cache.")

        @Argument(help: "A request file written by `labbook run --executor ...` (in the cache's requests/ folder).")
        var request: String

        func run() throws {
            try Self.endWithDriver()
            try Self.takeCoreShare()
            let request = try CellRequest.load(from: CommonOptions.absolute(request))
            guard let profile = Profile(rawValue: request.profile) else {
                throw UsageError(description: "request names unknown profile \(request.profile)")
            }
            let root = URL(fileURLWithPath: request.projectRoot)
            let questions: [Question]
            do {
                questions = try QuestionCatalog.select([request.question], projectRoot: root,
                                                       digits: request.datasetDirectory.map { .directory($0) })
            } catch {
                throw UsageError(description: "\(error)")
            }
            var options = RunOptions(profile: profile, seed: request.seed, outputDirectory: root.appendingPathComponent("reports"),
                                     projectRoot: root, forceRecompute: false, selfContained: false)
            options.useProcessArithmetic()
            options.cacheDirectory = URL(fileURLWithPath: request.cacheDirectory)
            do {
                try NotebookRunner(options: options, console: Console(quiet: true)).runWorker(questions[0], request: request)
            } catch {
                throw RunFailure(description: "\(error)")
            }
        }

        /// A worker uses the cores it was given for the engine's parallel loops, which is what a
        /// cell that sizes its threads from `Parallelism` then sees (Q4's trainings, the
        /// landscapes): a local worker's share (`LABBOOK_CORES`, see `LocalExecutor.coresPerWorker`),
        /// or a Slurm task's `--cpus-per-task` (`SLURM_CPUS_PER_TASK`, which Slurm sets only when
        /// asked, e.g. `--sbatch-arg=--cpus-per-task=2`). Without either the worker has the
        /// processors it finds. OpenBLAS keeps its own default: its threaded products can change
        /// the last bits with the thread count, and a cell that does not choose it must give a
        /// serial run's result.
        static func takeCoreShare() throws {
            let environment = ProcessInfo.processInfo.environment
            for variable in [LocalExecutor.coresVariable, "SLURM_CPUS_PER_TASK"] {
                guard let value = environment[variable] else { continue }
                guard let cores = Int(value), (1...4096).contains(cores) else {
                    throw UsageError(description: "\(variable) must be a whole number of cores from 1 to 4096, got '\(value)'")
                }
                Parallelism.coreCount = cores
                return
            }
        }

        /// A local worker ends when its driver does (Ctrl-C, SIGTERM, even SIGKILL): the kernel
        /// sends it SIGTERM once its parent is gone. The driver names itself in
        /// `LABBOOK_DRIVER_PID`; a driver already gone before this point means there is nobody to
        /// report to. (Slurm tasks have no such variable: scancel ends them.)
        static func endWithDriver() throws {
            guard let value = ProcessInfo.processInfo.environment[LocalExecutor.driverVariable], let driver = Int32(value) else { return }
            _ = labbook_set_parent_death_signal(SIGTERM)
            guard getppid() == driver else { throw RunFailure(description: "the driver (process \(driver)) is gone; nothing to compute for") }
        }
    }
}
