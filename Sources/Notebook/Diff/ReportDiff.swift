import Checksums
import Foundation

/// What changed between two report folders (DVC's `metrics diff` and `plots diff` for
/// Labbook's reports): numbers in each question's results.json that moved by more than a
/// relative tolerance, verdicts that flipped, headlines, figures whose files differ, and the
/// run metadata (dataset, profile, kernels, machine) that explains why.
public struct ReportDiff {
    public enum Kind: String, Codable, Sendable {
        case question, value, verdict, headline, figure, metadata
    }

    /// One difference; `old`/`new` are nil where the item exists on one side only.
    public struct Change: Codable, Equatable, Sendable {
        public var kind: Kind
        public var question: String
        public var key: String
        public var old: String?
        public var new: String?
        /// |new − old| / |old| for numbers.
        public var relativeChange: Double?
        /// Counts toward "something changed" (the exit status); metadata only explains.
        public var significant: Bool
    }

    public var changes: [Change]
    public var tolerance: Double

    public var significantChanges: [Change] { changes.filter(\.significant) }

    /// Compares the reports in folders `old` and `new` (each holding `qN/results.json`).
    /// - Parameters:
    ///   - tolerance: relative change a number may make without counting (0 = any change counts).
    ///   - ignoring: value keys to leave out, matched as substrings (e.g. `seconds` for timings).
    /// - Throws: `NotebookError.invalidInput` when a folder holds no reports or a file is not one.
    public static func compare(_ old: URL, _ new: URL, tolerance: Double, ignoring ignored: [String] = []) throws -> ReportDiff {
        let before = try questions(in: old), after = try questions(in: new)
        var changes: [Change] = []
        for id in Set(before.keys).union(after.keys).sorted() {
            guard let a = before[id], let b = after[id] else {
                changes.append(Change(kind: .question, question: id, key: id, old: before[id] == nil ? nil : "present",
                                      new: after[id] == nil ? nil : "present", relativeChange: nil, significant: true))
                continue
            }
            let (oldResults, newResults) = (try ResultsFile.load(from: a.appendingPathComponent("results.json")),
                                            try ResultsFile.load(from: b.appendingPathComponent("results.json")))
            changes += valueChanges(id, oldResults.values, newResults.values, tolerance: tolerance, ignoring: ignored)
            for key in Set(oldResults.verdicts.keys).union(newResults.verdicts.keys).sorted()
            where oldResults.verdicts[key] != newResults.verdicts[key] {
                changes.append(Change(kind: .verdict, question: id, key: key, old: oldResults.verdicts[key]?.rawValue,
                                      new: newResults.verdicts[key]?.rawValue, relativeChange: nil, significant: true))
            }
            let oldHeadlines = Dictionary(oldResults.headlines.map { ($0.label, $0.value) }, uniquingKeysWith: { $1 })
            let newHeadlines = Dictionary(newResults.headlines.map { ($0.label, $0.value) }, uniquingKeysWith: { $1 })
            for label in Set(oldHeadlines.keys).union(newHeadlines.keys).sorted() where oldHeadlines[label] != newHeadlines[label] {
                changes.append(Change(kind: .headline, question: id, key: label, old: oldHeadlines[label], new: newHeadlines[label],
                                      relativeChange: nil, significant: true))
            }
            let oldMetadata = metadataFields(oldResults.metadata), newMetadata = metadataFields(newResults.metadata)
            for (field, value) in oldMetadata where newMetadata[field] != value {
                changes.append(Change(kind: .metadata, question: id, key: field, old: value, new: newMetadata[field],
                                      relativeChange: nil, significant: false))
            }
            changes += try figureChanges(id, a.appendingPathComponent("figures"), b.appendingPathComponent("figures"))
        }
        return ReportDiff(changes: changes, tolerance: tolerance)
    }

    /// The report folders (`qN/` with a results.json) of a reports folder, by question id.
    static func questions(in folder: URL) throws -> [String: URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw NotebookError.invalidInput("\(folder.path) is not a folder")
        }
        var found: [String: URL] = [:]
        for name in names where !name.hasPrefix(".") {
            let report = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: report.appendingPathComponent("results.json").path) { found[name] = report }
        }
        guard !found.isEmpty else { throw NotebookError.invalidInput("\(folder.path) holds no reports (no */results.json)") }
        return found
    }

    static func valueChanges(_ question: String, _ old: [String: ResultValue], _ new: [String: ResultValue], tolerance: Double,
                             ignoring ignored: [String]) -> [Change] {
        var changes: [Change] = []
        for key in Set(old.keys).union(new.keys).sorted() where !ignored.contains(where: { key.contains($0) }) {
            let a = old[key], b = new[key]
            guard a != b else { continue }
            if case .number(let x)? = a, case .number(let y)? = b {
                let relative = x == y ? 0 : abs(y - x) / max(abs(x), 1e-12)
                let bothNaN = x.isNaN && y.isNaN
                if !bothNaN && !(relative <= tolerance) {
                    changes.append(Change(kind: .value, question: question, key: key, old: describe(a), new: describe(b),
                                          relativeChange: relative.isFinite ? relative : nil, significant: true))
                }
            } else {
                changes.append(Change(kind: .value, question: question, key: key, old: a.map(describe), new: b.map(describe),
                                      relativeChange: nil, significant: true))
            }
        }
        return changes
    }

    static func describe(_ value: ResultValue?) -> String {
        switch value {
        case .number(let x)?: return String(format: "%.6g", x)
        case .text(let text)?: return text
        case .numbers(let values)?: return "[\(values.count) numbers]"
        case nil: return "–"
        }
    }

    static func metadataFields(_ metadata: RunMetadata) -> [String: String] {
        ["profile": metadata.profile, "seed": String(metadata.seed), "datasets": metadata.datasets.joined(separator: "; "),
         "machine": metadata.machine, "kernels": metadata.kernels ?? "not recorded", "git commit": metadata.gitCommit]
    }

    /// Figure files (PNG, SVG) added, removed or with other bytes, compared by SHA-256.
    static func figureChanges(_ question: String, _ old: URL, _ new: URL) throws -> [Change] {
        func digests(_ folder: URL) -> [String: String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            var result: [String: String] = [:]
            for name in names where name.hasSuffix(".png") || name.hasSuffix(".svg") {
                if let data = try? Data(contentsOf: folder.appendingPathComponent(name)) { result[name] = SHA256.hexDigest(of: [UInt8](data)) }
            }
            return result
        }
        let a = digests(old), b = digests(new)
        return Set(a.keys).union(b.keys).sorted().compactMap { name in
            guard a[name] != b[name] else { return nil }
            return Change(kind: .figure, question: question, key: "figures/\(name)", old: a[name].map { String($0.prefix(12)) },
                          new: b[name].map { String($0.prefix(12)) }, relativeChange: nil, significant: true)
        }
    }

    /// A plain-text listing, one change a line, grouped by kind.
    public var summary: String {
        guard !changes.isEmpty else { return "No changes (tolerance \(tolerance))." }
        var lines = ["\(significantChanges.count) change(s) beyond tolerance \(tolerance); \(changes.count - significantChanges.count) metadata difference(s):"]
        for change in changes {
            let relative = change.relativeChange.map { String(format: " (%+.2f%%)", $0 * 100) } ?? ""
            lines.append("  \(change.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(change.question) \(change.key): \(change.old ?? "–") → \(change.new ?? "–")\(relative)")
        }
        return lines.joined(separator: "\n")
    }
}
