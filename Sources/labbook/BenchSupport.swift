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
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
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
