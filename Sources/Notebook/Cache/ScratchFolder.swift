import AtomicFiles
import Foundation

/// A temporary folder of one process, `$TMPDIR/labbook-KIND-PID-UUID` (diff's unpacked revisions,
/// the browser profile of a print, a worker's or an export's figure scratch). Making one first
/// removes those of its kind that a killed process left behind (its process is gone), so a
/// `kill -9` in the middle of `labbook diff` costs disk space only until the next diff.
public enum ScratchFolder {
    /// A new, empty scratch folder of `kind`, after sweeping that kind's leftovers.
    public static func make(_ kind: String) throws -> URL {
        _ = removeStale(kind)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-\(kind)-\(WriterTag.current())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The path a scratch folder of `kind` would have, not yet created (for code that creates it itself).
    public static func path(_ kind: String) -> URL {
        _ = removeStale(kind)
        return FileManager.default.temporaryDirectory.appendingPathComponent("labbook-\(kind)-\(WriterTag.current())")
    }

    /// Removes `labbook-KIND-PID-UUID` folders whose process has ended; returns how many.
    @discardableResult
    public static func removeStale(_ kind: String) -> Int {
        let temporary = FileManager.default.temporaryDirectory
        let prefix = "labbook-\(kind)-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporary.path) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) {
            guard let pid = WriterTag.process(of: name.dropFirst(prefix.count)), WriterTag.hasEnded(pid) else { continue }
            if (try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))) != nil { removed += 1 }
        }
        return removed
    }
}
