import Foundation

/// Writes files so that a reader never sees a half-written one: the bytes go to a
/// temporary file in the same folder, which is then renamed over the target
/// (rename is atomic within one file system).
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw NotebookError.io("cannot create the folder \(folder.path) (\(reason(error)))")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
        do {
            do { try data.write(to: temporary) } catch {
                throw NotebookError.io("cannot write \(url.path) (\(reason(error)))")
            }
            if rename(temporary.path, url.path) != 0 {
                throw NotebookError.io("cannot rename \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
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
    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }

    /// Removes `.partial` files under `folder` (recursively) last modified more than `age`
    /// seconds before `now`: what `write` leaves when its process is killed between writing and
    /// renaming. Younger ones may belong to a write in progress and are kept.
    static func removeStalePartials(under folder: URL, olderThan age: TimeInterval, now: Date) -> Int {
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.contentModificationDateKey]) else { return 0 }
        var removed = 0
        for case let file as URL in files where file.lastPathComponent.hasSuffix(".partial") {
            let modified = (try? file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? now
            if now.timeIntervalSince(modified) > age, (try? FileManager.default.removeItem(at: file)) != nil { removed += 1 }
        }
        return removed
    }
}
