import Foundation

/// Console output for runs: one line per cell, and a live progress bar with ETA for long
/// cells when stdout is a terminal (plain, occasional lines otherwise, so logs stay readable).
public final class Console {
    public let isTerminal: Bool
    public let quiet: Bool

    public init(quiet: Bool = false, isTerminal: Bool = isatty(STDOUT_FILENO) != 0) {
        self.quiet = quiet
        self.isTerminal = isTerminal
    }

    public func line(_ text: String) {
        guard !quiet else { return }
        if isTerminal { clearStatus() }
        print(text)
        fflush(stdout)
    }

    public func cellLine(question: String, cell: String, status: String) {
        line("  \(question) › \(cell): \(status)")
    }

    /// Rewrites the current terminal line (progress bars); ignored when not a terminal.
    public func status(_ text: String) {
        guard !quiet, isTerminal else { return }
        print("\r\u{1B}[2K" + text, terminator: "")
        fflush(stdout)
    }

    public func clearStatus() {
        guard !quiet, isTerminal else { return }
        print("\r\u{1B}[2K", terminator: "")
        fflush(stdout)
    }

    public static func formatSeconds(_ seconds: Double) -> String {
        if seconds < 0.01 { return "<0.01 s" }
        if seconds < 10 { return String(format: "%.2f s", seconds) }
        if seconds < 120 { return String(format: "%.1f s", seconds) }
        return String(format: "%dm %02ds", Int(seconds) / 60, Int(seconds) % 60)
    }
}
