import ArgumentParser
import Datasets
import Foundation
import Tensor

/// Options every benchmark shares.
struct BenchOutputOptions: ParsableArguments {
    @Option(help: "Cores the engine uses (the MLP also gives them to OpenBLAS; convolutional benchmarks run OpenBLAS single-threaded).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Seed for initialisation, shuffling and directions.")
    var seed: UInt64 = 42

    @Flag(help: "Print one JSON object instead of a readable summary.")
    var json = false

    func validate() throws {
        try BenchLimits.check("--threads", threads, within: BenchLimits.threads)
    }

    /// Runs a benchmark and prints its report: JSON with `--json`, else `summary`.
    /// A failure while measuring exits 1 with its message.
    func report<Report: Encodable>(_ measure: () throws -> Report, summary: (Report) -> String) throws {
        let report: Report
        do {
            report = try measure()
        } catch {
            throw RunFailure(description: "\(error)")
        }
        let kernels = BLASCoreStartup.kernelDescription
        print(json ? try jsonLine(report, adding: ["kernels": kernels]) : summary(report) + "\nkernels: \(kernels)")
    }
}

/// The largest values the benchmarks accept. Past them a flag asks for what no run here can
/// give (release builds drop the engine's preconditions, so the run would crash, not stop):
/// `--threads 4294967296` became 0 threads in a 32-bit count, and `--batch 100000` asked the
/// allocator for tens of GB of activations. Memory no longer grows with `--steps`, but time does.
enum BenchLimits {
    /// Engine and OpenBLAS threads (OpenBLAS takes an `Int32`; beyond the cores they only wait).
    static var threads: ClosedRange<Int> { 1...max(256, ProcessInfo.processInfo.activeProcessorCount) }
    /// Images per mini-batch: ResNet-50 keeps megabytes of activations per image for its
    /// backward pass (911 MB peak at batch 64).
    static let batch = 1...1024
    /// Timed training steps (the phase measurement runs as many again).
    static let steps = 1...10_000
    /// Untimed steps before them.
    static let warmupSteps = 0...10_000
    /// Landscape points per axis: the grid holds `grid * grid` losses (51 makes the report's).
    static let grid = 2...1_001

    /// - Throws: a usage error (exit 2) stating the limit when `value` is outside `range`.
    static func check(_ flag: String, _ value: Int, within range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
    }
}

/// A dataset named on the command line, or a folder holding the four standard IDX files;
/// anything else is a usage error (exit 2).
func datasetSource(named name: String) throws -> DatasetSource {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory), isDirectory.boolValue {
        return .directory(name)
    }
    do { return try DatasetSource(name: name) } catch { throw UsageError(description: "\(error)") }
}

/// One JSON object on one line with sorted keys, for benchmark output; `extra` adds
/// top-level keys (every benchmark states the kernels it ran with).
func jsonLine<Value: Encodable>(_ value: Value, adding extra: [String: KernelDescription] = [:]) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var data = try encoder.encode(value)
    if !extra.isEmpty, var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
        for (key, addition) in extra { object[key] = try JSONSerialization.jsonObject(with: encoder.encode(addition)) }
        data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
    return String(decoding: data, as: UTF8.self)
}
