import Foundation

/// Debian's Chromium run headless on a page, as the browser tests need it: the page's DOM
/// after its scripts ran, a screenshot, and the console messages it logged. Flags and output
/// formats are documented in docs/browser-check.md.
public struct HeadlessChromium {
    public let executable: URL

    /// Chromium from `LABBOOK_CHROMIUM` or /usr/bin/chromium; nil when not installed.
    public static func find() -> HeadlessChromium? {
        let path = ProcessInfo.processInfo.environment["LABBOOK_CHROMIUM"] ?? "/usr/bin/chromium"
        return FileManager.default.isExecutableFile(atPath: path) ? HeadlessChromium(executable: URL(fileURLWithPath: path)) : nil
    }

    /// Software WebGL without console noise, and the page's console on stderr.
    static let flags = ["--headless", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                        "--enable-logging=stderr", "--window-size=1200,800", "--virtual-time-budget=5000"]

    public struct Outcome {
        public var stdout: String
        /// The page's console messages and uncaught errors (`…:INFO:CONSOLE:…` lines).
        public var consoleLines: [String]
    }

    /// The serialised DOM of `url` after load; `dark` makes the page see
    /// `prefers-color-scheme: dark` (Chromium's `--force-dark-mode`).
    public func dumpDOM(_ url: String, dark: Bool = false) throws -> Outcome {
        try run((dark ? ["--force-dark-mode"] : []) + ["--dump-dom", url])
    }

    public func screenshot(_ url: String, to file: URL, dark: Bool = false) throws -> Outcome {
        try run((dark ? ["--force-dark-mode"] : []) + ["--screenshot=\(file.path)", url])
    }

    /// `print-to-pdf` of a page, without the browser's header and footer.
    public func printToPDF(_ url: String, to file: URL) throws -> Outcome {
        try run(["--print-to-pdf=\(file.path)", "--no-pdf-header-footer", url])
    }

    private func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        // A hung browser must not hang the suite.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["120", executable.path] + Self.flags + arguments
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-chromium-\(UUID().uuidString)")
        process.arguments!.insert("--user-data-dir=\(profile.path)", at: 2)
        defer { try? FileManager.default.removeItem(at: profile) }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes while it runs: a DOM dump can exceed the pipe buffer.
        var stdout = Data(), stderr = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { stdout = output.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        stderr = error.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ChromiumError(status: process.terminationStatus, stderr: String(decoding: stderr, as: UTF8.self))
        }
        let console = String(decoding: stderr, as: UTF8.self).split(separator: "\n").map(String.init).filter { $0.contains(":INFO:CONSOLE") }
        return Outcome(stdout: String(decoding: stdout, as: UTF8.self), consoleLines: console)
    }
}

public struct ChromiumError: Error, CustomStringConvertible {
    public var status: Int32
    public var stderr: String
    public var description: String { "chromium exited with status \(status)\(status == 124 ? " (timed out)" : ""): \(stderr.suffix(2000))" }
}
