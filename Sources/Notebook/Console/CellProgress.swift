import Foundation

/// Progress of one long computation, handed to the experiment's closure.
///
/// On a terminal it draws `label [#####.....] 45% ETA 12 s`, at most ten times a
/// second; elsewhere it prints a plain line at every 25% so CI logs show life without noise.
public final class CellProgress {
    public let label: String
    let console: Console
    /// A folder for the cell's large outputs (created on demand by the cell).
    public let artifactDirectory: URL
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastQuarter = 0

    init(label: String, console: Console, artifactDirectory: URL) {
        self.label = label
        self.console = console
        self.artifactDirectory = artifactDirectory
    }

    /// Reports that `completed` of `total` units are done.
    public func update(_ completed: Int, of total: Int) {
        guard total > 0 else { return }
        let fraction = min(1, max(0, Double(completed) / Double(total)))
        let elapsed = Date().timeIntervalSince(start)
        if console.isTerminal {
            guard Date().timeIntervalSince(lastDraw) > 0.1 || completed == total else { return }
            lastDraw = Date()
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let eta = fraction > 0 ? elapsed / fraction - elapsed : 0
            console.status("  \(label) \(bar) \(Int(fraction * 100))% (\(completed)/\(total)) ETA \(Console.formatSeconds(eta))")
        } else {
            let quarter = Int(fraction * 4)
            if quarter > lastQuarter && quarter < 4 {
                lastQuarter = quarter
                console.line("  \(label): \(quarter * 25)% after \(Console.formatSeconds(elapsed))")
            }
        }
    }

    /// A transient line on a terminal, replaced by the next (e.g. Keras's live batch line);
    /// nothing in logs or CI output.
    public func status(_ text: String) {
        guard console.isTerminal else { return }
        console.status("    " + text)
    }

    /// A line of log output from the computation (e.g. a Keras-style epoch line).
    public func log(_ text: String) {
        console.line("    " + text)
    }

    func finish() {
        console.clearStatus()
    }
}
