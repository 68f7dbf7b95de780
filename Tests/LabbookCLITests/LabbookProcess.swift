import Foundation

/// Runs the built `labbook` binary end to end, as a user would, and collects what it printed
/// and how it ended.
enum LabbookProcess {
    struct Outcome {
        var status: Int32
        var output: String
        var error: String
        /// True when a signal ended the process (a crash: SIGSEGV, SIGFPE, SIGABRT, ...);
        /// `status` is then the signal's number.
        var crashed: Bool
    }

    /// `LABBOOK_BINARY` when set, so the same tests can run against a release build
    /// (`-Ounchecked`, where a missed check is a crash rather than a failed precondition):
    /// `LABBOOK_BINARY=.build/release/labbook swift test --filter DataValidationTests`.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["LABBOOK_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        // The test bundle sits next to the executables in .build/<configuration>/.
        let candidates = [Bundle.main.bundleURL] + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        for directory in candidates {
            let url = directory.appendingPathComponent("labbook")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/labbook")
    }

    /// - Parameter directory: the working directory (default: the test's own); a folder that
    ///   looks like a project root makes `labbook` keep its cache and reports there.
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws -> Outcome {
        try launch(binary, arguments, environment: environment, in: directory)
    }

    /// Any other command (`command[0]` is the executable's path), e.g. a project script.
    static func shell(_ command: [String], environment: [String: String] = [:]) throws -> Outcome {
        try launch(URL(fileURLWithPath: command[0]), Array(command.dropFirst()), environment: environment, in: nil)
    }

    private static func launch(_ executable: URL, _ arguments: [String], environment: [String: String], in directory: URL?) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // stderr stays far below a pipe's buffer, so reading stdout first cannot block the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                       error: String(decoding: errorData, as: UTF8.self),
                       crashed: process.terminationReason == .uncaughtSignal)
    }
}
