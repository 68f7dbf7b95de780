import Foundation
@testable import Notebook
import XCTest

/// Cache entries and artifacts carry their SHA-256: a flipped digit or a truncated weights
/// file is reported once, naming the file, and the cell recomputed; older unsealed entries
/// still read.
final class SealedCacheTests: XCTestCase {
    struct Config: Codable { var size: Int }

    private func cache(_ directory: URL, reports: Reports) -> ResultCache {
        ResultCache(directory: directory, reportDamage: { reports.lines.append($0) })
    }

    final class Reports { var lines: [String] = [] }

    func testAFlippedDigitIsFoundNamedOnceAndTheCellRecomputed() throws {
        let reports = Reports()
        let cache = cache(try temporaryDirectory(), reports: reports)
        let key = try CellKey(question: "q", cell: "train", version: "1", config: Config(size: 1))
        try cache.store(["testAccuracy": 0.869], seconds: 1, question: "q", cell: "train", key: key)
        let url = cache.entryURL(question: "q", cell: "train", key: key)
        XCTAssertEqual(cache.load([String: Double].self, question: "q", cell: "train", key: key)?.result, ["testAccuracy": 0.869])
        let text = try String(contentsOf: url, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "0.869", with: "0.919").utf8).write(to: url)
        XCTAssertNil(cache.load([String: Double].self, question: "q", cell: "train", key: key))
        XCTAssertNil(cache.load([String: Double].self, question: "q", cell: "train", key: key))
        XCTAssertEqual(reports.lines.count, 1, "reported once")
        XCTAssertTrue(reports.lines[0].contains(url.path) && reports.lines[0].contains("SHA-256"), reports.lines[0])

        // Through a session: the cell runs again and its (deterministic) result is back.
        var runs = 0
        let session = NotebookSession(questionID: "q", questionTitle: "t", profile: .quick, seed: 1,
                                      figureDirectory: try temporaryDirectory(), cache: cache, console: Console(quiet: true))
        let computed = try session.compute("train", version: "1", config: Config(size: 1)) { _, _ -> [String: Double] in
            runs += 1
            return ["testAccuracy": 0.869]
        }
        XCTAssertEqual(runs, 1)
        XCTAssertEqual(computed.result, ["testAccuracy": 0.869])
        XCTAssertNotNil(cache.load([String: Double].self, question: "q", cell: "train", key: key))
    }

    func testADamagedArtifactMakesItsCellAMissAndOnlyThatCell() throws {
        let reports = Reports()
        let directory = try temporaryDirectory()
        let cache = cache(directory, reports: reports)
        let (weighted, other) = (try CellKey(question: "q", cell: "mlp", version: "1", config: Config(size: 2)),
                                 try CellKey(question: "q", cell: "other", version: "1", config: Config(size: 3)))
        let artifacts = cache.artifactDirectory(question: "q", cell: "mlp", key: weighted)
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        try Data(repeating: 7, count: 4096).write(to: artifacts.appendingPathComponent("mlp.weights"))
        try cache.store([1.0], seconds: 1, question: "q", cell: "mlp", key: weighted)
        try cache.store([2.0], seconds: 1, question: "q", cell: "other", key: other)
        try Data(repeating: 7, count: 100).write(to: artifacts.appendingPathComponent("mlp.weights"))   // truncated
        XCTAssertNil(cache.load([Double].self, question: "q", cell: "mlp", key: weighted))
        XCTAssertEqual(cache.load([Double].self, question: "q", cell: "other", key: other)?.result, [2.0])
        XCTAssertTrue(reports.lines.first?.contains("mlp.weights has 100 bytes, 4096 were written") ?? false, "\(reports.lines)")
        let verification = ResultCache(directory: directory).verify()
        XCTAssertEqual(verification.verified, 1)
        XCTAssertEqual(verification.damaged.map { URL(fileURLWithPath: $0.path).lastPathComponent },
                       [cache.entryURL(question: "q", cell: "mlp", key: weighted).lastPathComponent])
    }

    func testEntriesWrittenBeforeSealsStillRead() throws {
        let directory = try temporaryDirectory()
        let cache = ResultCache(directory: directory, reportDamage: { XCTFail("unexpected report: \($0)") })
        let key = try CellKey(question: "q", cell: "old", version: "1", config: Config(size: 4))
        let entry = CacheEntry(question: "q", cell: "old", key: key.hex, seconds: 2, createdAt: Date(), result: [3.0])
        let url = cache.entryURL(question: "q", cell: "old", key: key)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder.labbook.encode(entry).write(to: url)
        XCTAssertEqual(cache.load([Double].self, question: "q", cell: "old", key: key)?.result, [3.0])
        XCTAssertEqual(cache.verify().unsealed.count, 1)
    }
}
