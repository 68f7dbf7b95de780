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

    func figureURLs(question: String, name: String, key: CellKey) -> (png: URL, svg: URL, digest: URL) {
        let folder = directory.appendingPathComponent(question).appendingPathComponent("figures")
        return (folder.appendingPathComponent("\(name)-\(key.short).png"), folder.appendingPathComponent("\(name)-\(key.short).svg"),
                folder.appendingPathComponent("\(name)-\(key.short).sha256.json"))
    }

    /// Sizes and SHA-256 digests of a cached figure's two files, written after them: a figure
    /// counts as cached only when both files still match it (a truncated or edited file is a miss).
    struct FigureDigest: Codable, Equatable {
        var pngBytes: Int
        var pngSHA256: String
        var svgBytes: Int
        var svgSHA256: String

        init(png: Data, svg: Data) {
            pngBytes = png.count
            pngSHA256 = SHA256.hexDigest(of: [UInt8](png))
            svgBytes = svg.count
            svgSHA256 = SHA256.hexDigest(of: [UInt8](svg))
        }
    }

    /// Copies a cached figure's files to `png` and `svg`; false when not cached or when the
    /// cached files no longer match their recorded sizes and digests.
    func copyFigure(question: String, name: String, key: CellKey, to png: URL, _ svg: URL) -> Bool {
        let cached = figureURLs(question: question, name: name, key: key)
        guard let pngData = try? Data(contentsOf: cached.png), let svgData = try? Data(contentsOf: cached.svg),
              let digestData = try? Data(contentsOf: cached.digest),
              let recorded = try? JSONDecoder().decode(FigureDigest.self, from: digestData),
              recorded == FigureDigest(png: pngData, svg: svgData) else { return false }
        do {
            try pngData.write(to: png)
            try svgData.write(to: svg)
            return true
        } catch {
            return false
        }
    }

    func storeFigure(question: String, name: String, key: CellKey, png: URL, svg: URL) throws {
        let cached = figureURLs(question: question, name: name, key: key)
        let pngData = try Data(contentsOf: png), svgData = try Data(contentsOf: svg)
        // The digest last: until it exists the figure is not cached, and every file is written atomically.
        try AtomicFile.write(svgData, to: cached.svg)
        try AtomicFile.write(pngData, to: cached.png)
        try AtomicFile.write(try JSONEncoder.labbook.encode(FigureDigest(png: pngData, svg: svgData)), to: cached.digest)
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
