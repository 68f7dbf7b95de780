import Checksums
import AtomicFiles
import Foundation

/// One stored cell result, as written to disk.
struct CacheEntry<Result: Codable>: Codable {
    var question: String
    var cell: String
    var key: String
    var seconds: Double
    var createdAt: Date
    /// The key without the code fingerprint, and the fingerprint's module hashes: how a later
    /// run tells an entry made by older code (stale, and why) from one never computed.
    var codeFreeKey: String?
    var code: [String: String]?
    /// The precision of the products when not fp32 (`CodeFingerprint.precision`); nil: fp32.
    var precision: String?
    /// The kernels that computed it (`CodeFingerprint.kernels`); nil in entries from before they were keyed.
    var kernels: String?
    var result: Result
}

/// An entry without its result: enough to say when and by which code it was computed.
struct CacheEntryHeader: Codable {
    var key: String
    var createdAt: Date
    var codeFreeKey: String?
    var code: [String: String]?
    var precision: String?
    var kernels: String?
}

/// A result computed by other engine code, at another precision or with other kernels
/// (`ResultCache.stale`).
struct StaleEntry<Result> {
    /// The engine modules whose sources changed since.
    var changed: [String]
    /// The precision it was computed at (`fp32` when the entry does not say).
    var precision: String
    /// The kernels it was computed with, when the entry says.
    var kernels: String?
    var result: Result
    var artifacts: URL

    /// Why the cell must be computed again, for `labbook list`, given this run's precision and
    /// kernels: the settings that differ first, then the code if it changed too.
    func reason(runPrecision: String, runKernels: String?) -> String {
        var settings: [String] = []
        if precision != runPrecision { settings.append("computed with \(precision) products, this run uses \(runPrecision)") }
        if let kernels, let runKernels, kernels != runKernels {
            settings.append("computed with kernels \(kernels), this run uses \(runKernels)")
        }
        let code = "engine code changed since it was computed (\(changed.isEmpty ? "fingerprint" : changed.joined(separator: ", ")))"
        guard !settings.isEmpty else { return "stale: \(code)" }
        let stated = "stale: " + settings.joined(separator: "; ")
        return changed.isEmpty ? stated : "\(stated); \(code)"
    }
}

/// Content-addressed store of computed cell results in `.labbook-cache/`.
///
/// Entries are JSON files named by question, cell and key; they are written atomically,
/// so a run killed mid-write leaves the previous entry intact. Each entry is sealed with the
/// SHA-256 of its bytes and of its artifacts (see `CacheSeal`): an unreadable or damaged entry
/// is reported once through `reportDamage`, naming the file, and treated as a miss (and
/// overwritten by the recomputation), never as a crash or a silently different number.
public final class ResultCache {
    public let directory: URL
    /// Receives one line per damaged entry found (the run prints it as a note).
    public var reportDamage: (String) -> Void
    private var reported: Set<String> = []
    /// Entries whose artifacts were checked in this process: a batch looks each cell up twice
    /// (which are missing, then the result), and weights files run to tens of megabytes.
    private var artifactsVerified: Set<String> = []

    public init(directory: URL, reportDamage: @escaping (String) -> Void = { FileHandle.standardError.write(Data("labbook: \($0)\n".utf8)) }) {
        self.directory = directory
        self.reportDamage = reportDamage
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

    /// The stored result and its original computation time, or nil when absent, unreadable or
    /// damaged (the last two reported).
    func load<Result: Codable>(_ type: Result.Type, question: String, cell: String, key: CellKey) -> (result: Result, seconds: Double)? {
        let url = entryURL(question: question, cell: cell, key: key)
        guard let data = try? Data(contentsOf: url) else { return nil }
        let body: Data
        switch CacheSeal.read(data) {
        case .damaged(let reason):
            return damaged(url, reason)
        case .unsealed(let unsealed):
            body = unsealed
        case .sealed(let sealed, let seal):
            if !artifactsVerified.contains(url.path) {
                if let problem = seal.artifactProblem(in: artifactDirectory(question: question, cell: cell, key: key)) { return damaged(url, problem) }
                artifactsVerified.insert(url.path)
            }
            body = sealed
        }
        guard let entry = try? JSONDecoder.labbook.decode(CacheEntry<Result>.self, from: body) else {
            return damaged(url, "it is not a result of this cell's code (unreadable JSON or another format)")
        }
        guard entry.key == key.hex else { return damaged(url, "it holds the result of another key") }
        return (entry.result, entry.seconds)
    }

    private func damaged<T>(_ url: URL, _ reason: String) -> T? {
        if reported.insert(url.path).inserted { reportDamage("cache entry \(url.path) is damaged: \(reason); recomputing that cell") }
        return nil
    }

    /// Writes the entry sealed with its SHA-256 and its artifacts' (written by the cell before this).
    func store<Result: Codable>(_ result: Result, seconds: Double, question: String, cell: String, key: CellKey,
                                codeFreeKey: CellKey? = nil, code: CodeFingerprint? = nil) throws {
        let entry = CacheEntry(question: question, cell: cell, key: key.hex, seconds: seconds, createdAt: Date(),
                               codeFreeKey: codeFreeKey?.hex, code: code?.modules, precision: code?.precision,
                               kernels: code?.kernels, result: result)
        let body = try JSONEncoder.labbook.encode(entry)
        let seal = try CacheSeal.sealing(body, artifactDirectory: artifactDirectory(question: question, cell: cell, key: key))
        try AtomicFile.write(try CacheSeal.file(body: body, seal: seal), to: entryURL(question: question, cell: cell, key: key))
        reported.remove(entryURL(question: question, cell: cell, key: key).path)
        artifactsVerified.remove(entryURL(question: question, cell: cell, key: key).path)
    }

    /// The newest entry of this cell with the same code-free key that other engine code, another
    /// precision or other kernels computed, with the modules that changed since and the settings
    /// it used, or nil when there is none: why a cell is stale, and what it said then.
    func stale<Result: Codable>(_ type: Result.Type, question: String, cell: String, codeFreeKey: CellKey,
                                code: CodeFingerprint) -> StaleEntry<Result>? {
        let folder = directory.appendingPathComponent(question)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return nil }
        var newest: (date: Date, entry: StaleEntry<Result>)?
        for name in names where name.hasPrefix("\(cell)-") && name.hasSuffix(".json") && name.count == cell.count + 18 {
            let url = folder.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url) else { continue }
            let body: Data
            switch CacheSeal.read(data) {
            case .damaged: continue
            case .unsealed(let unsealed): body = unsealed
            case .sealed(let sealed, _): body = sealed
            }
            // The header decides; only the matching entry's result is decoded.
            guard let header = try? JSONDecoder.labbook.decode(CacheEntryHeader.self, from: body),
                  header.codeFreeKey == codeFreeKey.hex, let older = header.code,
                  newest.map({ $0.date < header.createdAt }) ?? true,
                  let entry = try? JSONDecoder.labbook.decode(CacheEntry<Result>.self, from: body) else { continue }
            newest = (header.createdAt, StaleEntry(changed: code.changedModules(since: CodeFingerprint(modules: older)),
                                                   precision: header.precision ?? "fp32", kernels: header.kernels, result: entry.result,
                                                   artifacts: url.deletingPathExtension().appendingPathExtension("artifacts")))
        }
        return newest?.entry
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

extension ResultCache {
    /// What `verify` found in a whole cache.
    public struct Verification {
        public var verified: Int = 0
        /// Entries written before seals existed: readable, but nothing to check them against.
        public var unsealed: [String] = []
        /// Each damaged entry with the reason.
        public var damaged: [(path: String, reason: String)] = []
    }

    /// Checks every cell entry (and its artifacts) against its seal, without knowing the
    /// cells' types: `labbook cache verify`. Figures are checked when they are used.
    public func verify() -> Verification {
        var verification = Verification()
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return verification }
        for case let url as URL in walker {
            let components = url.pathComponents
            guard url.pathExtension == "json", !components.contains("figures"), !components.contains("requests"),
                  !url.lastPathComponent.hasPrefix("."), !components.contains(where: { $0.hasSuffix(".artifacts") }) else { continue }
            guard let data = try? Data(contentsOf: url) else {
                verification.damaged.append((url.path, "unreadable"))
                continue
            }
            switch CacheSeal.read(data) {
            case .damaged(let reason):
                verification.damaged.append((url.path, reason))
            case .unsealed:
                verification.unsealed.append(url.path)
            case .sealed(_, let seal):
                let artifacts = url.deletingPathExtension().appendingPathExtension("artifacts")
                if let problem = seal.artifactProblem(in: artifacts) {
                    verification.damaged.append((url.path, problem))
                } else {
                    verification.verified += 1
                }
            }
        }
        return verification
    }
}
