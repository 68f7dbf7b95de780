import Dispatch
import Foundation

/// Runs a command found on the PATH (git, tar, sbatch, scontrol) and collects what it printed.
public enum CommandOutput {
    /// Standard output, trimmed; nil when the command cannot start or exits non-zero. Its
    /// standard error is discarded.
    public static func run(_ arguments: [String]) -> String? {
        guard let result = try? capture(arguments), result.status == 0 else { return nil }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Exit status, standard output and standard error; throws only when it cannot start.
    public static func capture(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        do { try process.run() } catch { throw NotebookError.io("cannot run \(arguments.first ?? ""): \(error)") }
        // Both pipes drain at once, so neither can fill up and stall the command.
        final class Collected: @unchecked Sendable { var data = Data() }
        let errorData = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errorData.data = error.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData.data, as: UTF8.self))
    }
}
