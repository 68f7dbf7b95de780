import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `PID-UUID`, the tag that temporary files and staging folders carry, so that a later run
/// can tell what a killed process left behind (its process is gone) from work in progress.
public enum WriterTag {
    /// The tag for something this process is about to write.
    public static func current() -> String { "\(getpid())-\(UUID().uuidString)" }

    /// The process id of a tag, nil for text that is not one (names from older Labbooks).
    public static func process(of tag: Substring) -> pid_t? {
        let parts = tag.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, parts[1].count == 36, let pid = pid_t(parts[0]) else { return nil }
        return pid
    }

    /// Whether the process that wrote `pid`'s tag has ended.
    public static func hasEnded(_ pid: pid_t) -> Bool { kill(pid, 0) != 0 && errno == ESRCH }
}
