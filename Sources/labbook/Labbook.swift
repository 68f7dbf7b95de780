import ArgumentParser
import Foundation
import Notebook
import Tensor

/// The `labbook` command: regenerates the assignment's reports (and prints them as one PDF),
/// lists and clears the cache, manages datasets and runs benchmarks.
struct Labbook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labbook",
        abstract: "Regenerate the deep-learning assignment as measured, reproducible reports.",
        version: RunMetadata.labbookVersion,
        subcommands: [Run.self, PDFCommand.self, List.self, Diff.self, FigureCommand.self, Clean.self, CacheCommand.self, DataCommand.self, Bench.self, CellCommand.self])
}

/// Entry point: usage errors (bad flags, unknown questions) exit with 2, failures with 1.
@main
enum Main {
    static func main() {
        // The tool trains in bf16 mixed precision where the CPU has AVX512_BF16: over 3 seeds per
        // network, Q4's test accuracies matched fp32's within the seed spread (README, "bf16 mixed
        // precision"). `LABBOOK_PRECISION=fp32` keeps fp32; the library's own default is fp32.
        // Workers inherit the variable, so driver and workers agree.
        if ProcessInfo.processInfo.environment[ComputePrecision.variable] == nil {
            setenv(ComputePrecision.variable, "auto", 1)
        }
        // Before anything else: OpenBLAS's core is fixed when the library starts, so a core
        // chosen from CPU features may need this process to start again (see BLASCoreStartup).
        do { try BLASCoreStartup.applyBeforeWork() } catch { fail("\(error)", code: 2) }
        do {
            try ResourceLimits.check()
        } catch {
            // _exit: under a small address space OpenBLAS's exit handler never returns.
            FileHandle.standardError.write(Data("labbook: error: \(error)\n".utf8))
            _exit(1)
        }
        HeapReuse.enable()   // training steps reuse freed buffers instead of faulting in new pages
        do {
            var command = try Labbook.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)   // `diff`'s "something changed": its listing is already printed
        } catch let error as UsageError {
            fail(error.description, code: 2)
        } catch let error as RunFailure {
            fail(error.description, code: 1)
        } catch {
            let code = Labbook.exitCode(for: error)
            if code == .success { Labbook.exit(withError: error) }   // --help, --version
            // ArgumentParser's message starts with its own "Error: "; ours already says "error:".
            var message = Labbook.fullMessage(for: error)
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            fail(message, code: code == .validationFailure ? 2 : 1)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("labbook: error: \(message)\n".utf8))
        if code == 2 { FileHandle.standardError.write(Data("Run 'labbook --help' for usage.\n".utf8)) }
        exit(code)
    }
}

/// A problem with what the user asked for (exit 2), as opposed to a failure while doing it (exit 1).
struct UsageError: Error, CustomStringConvertible {
    let description: String
}

/// A failure while running (exit 1), with a message that says what failed.
struct RunFailure: Error, CustomStringConvertible {
    let description: String
}
