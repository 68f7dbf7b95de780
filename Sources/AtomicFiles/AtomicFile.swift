import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that a reader never sees a half-written one: the bytes go to a
/// temporary file in the same folder, which is then renamed over the target
/// (rename is atomic within one file system).
public enum AtomicFile {
    /// Writes `data` to `url` atomically; `createsFolder` first creates the missing folders
    /// (reports do; a figure written into a folder that is not there is the caller's error).
    public static func write(_ data: Data, to url: URL, createsFolder: Bool = true) throws {
        let folder = url.deletingLastPathComponent()
        if createsFolder {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw AtomicFileError("cannot create the folder \(folder.path) (\(reason(error)))")
            }
        }
        // The writer's process id in the name lets a later run tell a killed write from one in progress.
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(WriterTag.current()).partial")
        do {
            do { try data.write(to: temporary) } catch {
                throw AtomicFileError("cannot write \(url.path) (\(reason(error)))")
            }
            if rename(temporary.path, url.path) != 0 {
                throw AtomicFileError("cannot rename \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    public static func write(_ string: String, to url: URL) throws {
        try write(Data(string.utf8), to: url)
    }

    /// The operating system's reason (e.g. "Permission denied") rather than Foundation's
    /// `NSCocoaErrorDomain Code=513` text.
    public static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }

    /// Removes the `.partial` files under `folder` (recursively) that `write` leaves when its
    /// process is killed between writing and renaming, and the weights files' `.NAME.PID.tmp`:
    /// those whose writer (the process id in the name) is gone, and, for `.partial` names without
    /// one, those older than `age` seconds. A write in progress in a live process is never touched.
    public static func removeStalePartials(under folder: URL, olderThan age: TimeInterval, now: Date) -> Int {
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.contentModificationDateKey]) else { return 0 }
        var removed = 0
        for case let file as URL in files where file.lastPathComponent.hasSuffix(".partial") || file.lastPathComponent.hasSuffix(".tmp") {
            let stale: Bool
            if let writer = writerProcess(of: file.lastPathComponent) {
                stale = WriterTag.hasEnded(writer)
            } else if file.lastPathComponent.hasSuffix(".tmp") {
                continue
            } else {
                let modified = (try? file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? now
                stale = now.timeIntervalSince(modified) > age
            }
            if stale, (try? FileManager.default.removeItem(at: file)) != nil { removed += 1 }
        }
        return removed
    }

    /// The process id in `.NAME.PID-UUID.partial`, or in `.NAME.PID.tmp` (trained weights being
    /// written, NN's WeightsFile); nil for other names.
    public static func writerProcess(of name: String) -> pid_t? {
        if name.hasPrefix("."), name.hasSuffix(".tmp") {
            let stem = name.dropLast(".tmp".count)
            guard let dot = stem.lastIndex(of: ".") else { return nil }
            return pid_t(stem[stem.index(after: dot)...])
        }
        let stem = name.dropLast(".partial".count)
        guard let dot = stem.lastIndex(of: ".") else { return nil }
        return WriterTag.process(of: stem[stem.index(after: dot)...])
    }
}

/// A file `AtomicFile` could not write, with the operating system's reason.
public struct AtomicFileError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
