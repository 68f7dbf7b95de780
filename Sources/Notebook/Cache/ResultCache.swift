import Checksums
import Foundation

/// One stored cell result, as written to disk.
struct CacheEntry<Result: Codable>: Codable {
    var question: String
    var cell: String
    var key: String
    var seconds: Double
    var createdAt: Date
    var result: Result
}

/// Content-addressed store of computed cell results in `.labbook-cache/`.
///
/// Entries are JSON files named by question, cell and key; they are written atomically,
/// so a run killed mid-write leaves the previous entry intact. An unreadable entry is
/// treated as a miss (and overwritten by the recomputation), never as a crash.
public final class ResultCache {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    func entryURL(question: String, cell: String, key: CellKey) -> URL {
        directory.appendingPathComponent(question).appendingPathComponent("\(cell)-\(key.short).json")
    }

    /// A folder for large binary outputs of a cell (e.g. trained weights), keyed like the entry.
    public func artifactDirectory(question: String, cell: String, key: CellKey) -> URL {
        directory.appendingPathComponent(question).appendingPathComponent("\(cell)-\(key.short).artifacts")
    }

    public func contains(question: String, cell: String, key: CellKey) -> Bool {
        FileManager.default.fileExists(atPath: entryURL(question: question, cell: cell, key: key).path)
    }

    /// The stored result and its original computation time, or nil when absent or unreadable.
    func load<Result: Codable>(_ type: Result.Type, question: String, cell: String, key: CellKey) -> (result: Result, seconds: Double)? {
        let url = entryURL(question: question, cell: cell, key: key)
        guard let data = try? Data(contentsOf: url) else { return nil }
        guard let entry = try? JSONDecoder.labbook.decode(CacheEntry<Result>.self, from: data), entry.key == key.hex else {
            return nil
        }
        return (entry.result, entry.seconds)
    }

    func store<Result: Codable>(_ result: Result, seconds: Double, question: String, cell: String, key: CellKey) throws {
        let entry = CacheEntry(question: question, cell: cell, key: key.hex, seconds: seconds, createdAt: Date(), result: result)
        try AtomicFile.write(try JSONEncoder.labbook.encode(entry), to: entryURL(question: question, cell: cell, key: key))
    }

    // MARK: - Figures

    func figureFolder(question: String) -> URL {
        directory.appendingPathComponent(question).appendingPathComponent("figures")
    }

    func figureDigestURL(question: String, name: String, key: CellKey) -> URL {
        figureFolder(question: question).appendingPathComponent("\(name)-\(key.short).sha256.json")
    }

    /// Sizes and SHA-256 digests of a cached figure's files (`.png`, `.svg`, `.dark.png`, …, by
    /// the suffix after the figure's name), written after them: a figure counts as cached only
    /// when every file still matches (a truncated or edited file is a miss).
    struct FigureDigest: Codable, Equatable {
        struct File: Codable, Equatable {
            var suffix: String
            var bytes: Int
            var sha256: String
        }
        var files: [File]
    }

    /// Copies a cached figure's files into `folder` as `NAME.suffix`; returns their URLs, or nil
    /// when not cached or when a cached file no longer matches its recorded size and digest.
    func copyFigure(question: String, name: String, key: CellKey, into folder: URL) -> [URL]? {
        guard let digestData = try? Data(contentsOf: figureDigestURL(question: question, name: name, key: key)),
              let recorded = try? JSONDecoder().decode(FigureDigest.self, from: digestData), !recorded.files.isEmpty else { return nil }
        var contents: [(URL, Data)] = []
        for file in recorded.files {
            let cached = figureFolder(question: question).appendingPathComponent("\(name)-\(key.short)\(file.suffix)")
            guard let data = try? Data(contentsOf: cached), data.count == file.bytes,
                  SHA256.hexDigest(of: [UInt8](data)) == file.sha256 else { return nil }
            contents.append((folder.appendingPathComponent(name + file.suffix), data))
        }
        do {
            for (url, data) in contents { try data.write(to: url) }
            return contents.map(\.0)
        } catch {
            return nil
        }
    }

    /// Caches a figure's files (each named `NAME.suffix`, e.g. `training-curves.dark.png`).
    func storeFigure(question: String, name: String, key: CellKey, files: [URL]) throws {
        var digests: [FigureDigest.File] = []
        for file in files {
            let suffix = String(file.lastPathComponent.dropFirst(name.count))
            let data = try Data(contentsOf: file)
            try AtomicFile.write(data, to: figureFolder(question: question).appendingPathComponent("\(name)-\(key.short)\(suffix)"))
            digests.append(FigureDigest.File(suffix: suffix, bytes: data.count, sha256: SHA256.hexDigest(of: [UInt8](data))))
        }
        // The digest last: until it exists the figure is not cached, and every file is written atomically.
        try AtomicFile.write(try JSONEncoder.labbook.encode(FigureDigest(files: digests)), to: figureDigestURL(question: question, name: name, key: key))
    }

    /// Deletes the temporary files of writes that a killed process left behind
    /// (`.NAME.UUID.partial`, see `AtomicFile`) when they are older than `age` seconds, so that
    /// a write in progress in another process is never touched; returns how many were removed.
    @discardableResult
    public func removeStalePartialFiles(olderThan age: TimeInterval = 3600, now: Date = Date()) -> Int {
        AtomicFile.removeStalePartials(under: directory, olderThan: age, now: now)
    }

    /// Removes every entry; returns the number of files removed.
    @discardableResult
    public func clear() throws -> Int {
        guard FileManager.default.fileExists(atPath: directory.path) else { return 0 }
        let count = (FileManager.default.enumerator(atPath: directory.path)?.allObjects.count) ?? 0
        try FileManager.default.removeItem(at: directory)
        return count
    }
}

extension JSONEncoder {
    /// Sorted keys and ISO dates: stable bytes for the same value.
    public static var labbook: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }
}

extension JSONDecoder {
    public static var labbook: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
