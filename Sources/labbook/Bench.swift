import ArgumentParser
import Benchmarks
import Datasets
import Experiments
import Foundation
import Questions

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks (not tests): print timings, as JSON with --json.",
        subcommands: [PeakBench.self, RoundTripBench.self, MLPBench.self, LandscapeBench.self, LeNetBench.self, ResNet18Bench.self, ResNet50Bench.self, LayersBench.self])

    struct MLPBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mlp",
            abstract: "Train the Q3 MLP recipe (784-128-64-10, Adam, batch 32) on 80% of a training set and time each epoch.")

        @Option(help: "Dataset: mnist, fashion-mnist, mnist-5k, or a folder holding the four IDX files.")
        var dataset: String = "fashion-mnist"

        @Option(help: "Epochs to train.")
        var epochs: Int = 10

        @OptionGroup var output: BenchOutputOptions

        func validate() throws {
            guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
        }

        func run() throws {
            let source = try datasetSource(named: dataset)
            try output.report({
                try runMLPBenchmark(dataset: source, epochs: epochs, threads: output.threads, seed: output.seed,
                                    projectRoot: ProjectPaths.root(), log: output.json ? nil : { print($0) })
            }, summary: { report in
                String(format: "%@ on %@ (%d images): %.3f s/epoch, test accuracy %.4f, %d threads",
                       report.workload, report.dataset, report.trainSamples, report.secondsPerEpoch, report.testAccuracy, report.threads)
            })
        }
    }

    struct LandscapeBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "landscape",
            abstract: "Time the 2-D filter-normalised loss landscape of the Q3 MLP (after one training epoch).")

        @Option(help: "Dataset whose test images are the evaluation set.")
        var dataset: String = "fashion-mnist"

        @Option(help: "Grid points per axis.")
        var grid: Int = 51

        @Option(help: "Evaluation images.")
        var images: Int = 10_000

        @OptionGroup var output: BenchOutputOptions

        func validate() throws {
            try BenchLimits.check("--grid", grid, within: BenchLimits.grid)
            guard images > 0 else { throw ValidationError("--images must be positive") }
        }

        func run() throws {
            let source = try datasetSource(named: dataset)
            try output.report({
                try runLandscapeBenchmark(dataset: source, grid: grid, evaluationImages: images, threads: output.threads,
                                          seed: output.seed, projectRoot: ProjectPaths.root())
            }, summary: { report in
                String(format: "%d×%d landscape on %d %@ images: %.1f s, %.1f points/s, %d threads",
                       report.grid, report.grid, report.evaluationImages, report.dataset, report.seconds, report.pointsPerSecond, report.threads)
            })
        }
    }
}

extension Bench {
    struct LeNetBench: ConvolutionalBenchCommand {
        static let workload = ConvolutionalArchitecture.leNet5
        static let configuration = CommandConfiguration(
            commandName: "lenet", abstract: "Time LeNet-5 training steps (Adam, batch 64); reports seconds per 60k-image epoch.")
        @OptionGroup var options: ConvolutionalBenchOptions
    }

    struct ResNet18Bench: ConvolutionalBenchCommand {
        static let workload = ConvolutionalArchitecture.resNet18
        static let configuration = CommandConfiguration(
            commandName: "resnet18", abstract: "Time ResNet-18 training steps (Adam, batch 64) on 28x28 digits; reports images per second.")
        @OptionGroup var options: ConvolutionalBenchOptions
    }

    struct ResNet50Bench: ConvolutionalBenchCommand {
        static let workload = ConvolutionalArchitecture.resNet50
        static let configuration = CommandConfiguration(
            commandName: "resnet50", abstract: "Time ResNet-50 training steps (Adam, batch 64) on 28x28 digits; reports images per second.")
        @OptionGroup var options: ConvolutionalBenchOptions
    }
}

extension Bench {
    struct PeakBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "peak",
            abstract: "Measure the machine's practical peak: OpenBLAS sgemm GFLOP/s on one core and on all cores.")

        @Option(help: "Matrix side of the square product.")
        var size: Int = 2048

        @Option(help: "Products per thread count; the fastest is reported.")
        var repeats: Int = 3

        @OptionGroup var output: BenchOutputOptions

        func validate() throws {
            guard (64...8192).contains(size) else { throw ValidationError("--size must be between 64 and 8192") }
            guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be between 1 and 100") }
        }

        func run() throws {
            try output.report({
                runPeakBenchmark(size: size, repeats: repeats, cores: output.threads, seed: output.seed)
            }, summary: { report in
                String(format: "sgemm %d³: %.1f GFLOP/s on 1 core, %.1f GFLOP/s on %d cores (max relative error %.1e)",
                       report.size, report.singleCoreGFLOPS, report.allCoresGFLOPS, report.cores, report.maximumRelativeError)
            })
        }
    }

    struct RoundTripBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "round-trip",
            abstract: "Time a cache line's round trip between two cores: which placement a virtual machine's cores are in.",
            discussion: """
                Two threads pass a counter back and forth; the median batch's mean round trip is reported. \
                Every benchmark records it at its start, and compare.sh around each run, because on a VM \
                whose vCPUs move apart now and then (round trips several times longer) every parallel \
                training step slows down, in every framework, while the sgemm peak does not show it.
                """)

        @Option(help: "Batches of round trips; the median batch is reported.")
        var batches: Int = 9

        @Option(name: .customLong("round-trips"), help: "Round trips per batch.")
        var roundTrips: Int = 2000

        @Flag(help: "Print one JSON object instead of a readable summary.")
        var json = false

        func validate() throws {
            guard (1...1000).contains(batches) else { throw ValidationError("--batches must be between 1 and 1000") }
            guard (1...1_000_000).contains(roundTrips) else { throw ValidationError("--round-trips must be between 1 and 1000000") }
        }

        func run() throws {
            guard let report = measureCoreRoundTrip(batches: batches, roundTrips: roundTrips) else {
                throw RunFailure(description: "bench round-trip: needs two processors this process may run on, with a thread "
                                 + "running on each at once (only one is allowed, or a batch of round trips took over 100 ms)")
            }
            print(json ? try jsonLine(report)
                  : String(format: "core round trip %.0f ns (batches %.0f-%.0f ns, %d × %d round trips)",
                           report.nanoseconds, report.fastestBatchNanoseconds, report.slowestBatchNanoseconds,
                           report.batches, report.roundTripsPerBatch))
        }
    }

    struct LayersBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "layers",
            abstract: "Time each convolution shape of LeNet-5, ResNet-18 and ResNet-50 alone (fastest forward and backward pass).")

        @Option(help: "Images per batch.")
        var batch: Int = 64

        @Option(help: "Passes per shape; the fastest is reported.")
        var repeats: Int = 7

        @OptionGroup var output: BenchOutputOptions

        func validate() throws {
            try BenchLimits.check("--batch", batch, within: BenchLimits.batch)
            guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
        }

        func run() throws {
            try output.report({
                runConvolutionLayerBenchmark(batch: batch, repeats: repeats, threads: output.threads, seed: output.seed)
            }, summary: { report in
                let rows = report.layers.map { layer in
                    layer.layer.padding(toLength: 36, withPad: " ", startingAt: 0)
                        + String(format: "forward %7.2f ms (%5.1f GFLOP/s)   backward %7.2f ms (%5.1f GFLOP/s)",
                                 layer.forwardMilliseconds, layer.forwardGFLOPS, layer.backwardMilliseconds, layer.backwardGFLOPS)
                }
                return (["Convolution layers at batch \(report.batch), fastest of \(report.repeats), \(report.threads) threads:"] + rows)
                    .joined(separator: "\n")
            })
        }
    }
}

struct ConvolutionalBenchOptions: ParsableArguments {
    @Option(help: "Dataset: mnist, fashion-mnist or mnist-5k (default: the default digits).")
    var dataset: String?

    @Option(help: "Training steps to time (after the warm-up steps); the throughput is the median step's.")
    var steps: Int = 30

    @Option(help: "Untimed training steps before the timed ones.")
    var warmup: Int = 3

    @Option(help: "Mini-batch size.")
    var batch: Int = 64

    @OptionGroup var output: BenchOutputOptions

    func validate() throws {
        try BenchLimits.check("--steps", steps, within: BenchLimits.steps)
        try BenchLimits.check("--warmup", warmup, within: BenchLimits.warmupSteps)
        try BenchLimits.check("--batch", batch, within: BenchLimits.batch)
    }
}

/// The three convolutional benchmarks differ only in their workload.
protocol ConvolutionalBenchCommand: ParsableCommand {
    static var workload: ConvolutionalArchitecture { get }
    var options: ConvolutionalBenchOptions { get }
}

extension ConvolutionalBenchCommand {
    func run() throws {
        let root = ProjectPaths.root()
        let source = try options.dataset.map(datasetSource(named:)) ?? DatasetSource.defaultDigits(projectRoot: root)
        try options.output.report({
            try runConvolutionalBenchmark(Self.workload, named: Self.configuration.commandName ?? Self.workload.rawValue,
                                          dataset: source, steps: options.steps, warmupSteps: options.warmup, batchSize: options.batch,
                                          threads: options.output.threads, seed: options.output.seed, projectRoot: root)
        }, summary: { report in
            String(format: "%@ on %@: %.0f images/s (%.2f s per 60k epoch), peak RSS %.0f MiB, %d threads",
                   report.workload, report.dataset, report.trainImagesPerSecond, report.secondsPerEpoch,
                   report.peakResidentMegabytes, report.threads)
        })
    }
}
