import ArgumentParser
import Datasets
import Foundation
import Questions

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks (not tests): print timings, as JSON with --json.",
        subcommands: [MLPBench.self])

    struct MLPBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mlp",
            abstract: "Train the Q3 MLP recipe (784-128-64-10, Adam, batch 32) on 80% of a training set and time each epoch.")

        @Option(help: "Dataset: mnist, fashion-mnist or mnist-5k.")
        var dataset: String = "fashion-mnist"

        @Option(help: "Epochs to train.")
        var epochs: Int = 10

        @Option(help: "Threads for OpenBLAS and element-wise kernels.")
        var threads: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Seed for initialisation and shuffling.")
        var seed: UInt64 = 42

        @Flag(help: "Print one JSON object instead of a readable summary.")
        var json = false

        func validate() throws {
            guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
            guard threads > 0 else { throw ValidationError("--threads must be positive") }
        }

        func run() throws {
            let source: DatasetSource
            do { source = try DatasetSource(name: dataset) } catch { throw UsageError(description: "\(error)") }
            let report: MLPBenchmarkReport
            do {
                report = try runMLPBenchmark(dataset: source, epochs: epochs, threads: threads, seed: seed, projectRoot: ProjectPaths.root(),
                                             log: json ? nil : { print($0) })
            } catch {
                throw RunFailure(description: "\(error)")
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(String(format: "%@ on %@ (%d images): %.3f s/epoch, test accuracy %.4f, %d threads",
                             report.workload, report.dataset, report.trainSamples, report.secondsPerEpoch, report.testAccuracy, report.threads))
            }
        }
    }
}
