import Foundation
@testable import Notebook
import XCTest

/// What killed runs leave behind is cleaned, the report swap never leaves a gap, cached
/// figures are checked before reuse, and Markdown escapes what it interpolates.
final class OutputHygieneTests: XCTestCase {
    func testStaleStagingFoldersOfDeadRunsAreRemovedAndLiveOnesKept() throws {
        let output = try temporaryDirectory()
        let uuid = UUID().uuidString
        let dead = output.appendingPathComponent(".q1.staging-2147483646-\(uuid)")
        let retired = output.appendingPathComponent(".q2.old-2147483646-\(uuid)")
        let live = output.appendingPathComponent(".q3.staging-\(getpid())-\(uuid)")
        let legacyOld = output.appendingPathComponent(".q4.staging-\(uuid)")
        let legacyNew = output.appendingPathComponent(".q1.staging-\(UUID().uuidString)")
        let report = output.appendingPathComponent("q1")
        for folder in [dead, retired, live, legacyOld, legacyNew, report] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: legacyOld.path)
        NotebookRunner.removeStaleStaging(in: output)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: output.path))
        XCTAssertEqual(left, [live.lastPathComponent, legacyNew.lastPathComponent, "q1"])
    }

    func testSwapExchangesTheFoldersAndRemovesTheOldReport() throws {
        let output = try temporaryDirectory()
        let destination = output.appendingPathComponent("q1"), staging = output.appendingPathComponent(".q1.staging-1-x")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: destination.appendingPathComponent("report.md"))
        try Data("new".utf8).write(to: staging.appendingPathComponent("report.md"))
        try NotebookRunner.swapIn(staging, at: destination)
        XCTAssertEqual(try String(contentsOf: destination.appendingPathComponent("report.md"), encoding: .utf8), "new")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: output.path), ["q1"])
        // First report: nothing to exchange with.
        let fresh = output.appendingPathComponent("q2"), freshStaging = output.appendingPathComponent(".q2.staging-1-y")
        try FileManager.default.createDirectory(at: freshStaging, withIntermediateDirectories: true)
        try NotebookRunner.swapIn(freshStaging, at: fresh)
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh.path))
    }

    func testATruncatedCachedFigureIsNotReused() throws {
        let folder = try temporaryDirectory()
        let cache = ResultCache(directory: folder.appendingPathComponent("cache"))
        let key = try CellKey(question: "q1", cell: "figure f", version: "1", config: "caption", inputs: [])
        let png = folder.appendingPathComponent("f.png"), svg = folder.appendingPathComponent("f.svg")
        try Data(repeating: 7, count: 1000).write(to: png)
        try Data("<svg/>".utf8).write(to: svg)
        try cache.storeFigure(question: "q1", name: "f", key: key, png: png, svg: svg)
        let copyPNG = folder.appendingPathComponent("copy.png"), copySVG = folder.appendingPathComponent("copy.svg")
        XCTAssertTrue(cache.copyFigure(question: "q1", name: "f", key: key, to: copyPNG, copySVG))
        let cachedPNG = cache.figureURLs(question: "q1", name: "f", key: key).png
        try Data(repeating: 7, count: 500).write(to: cachedPNG)   // truncated
        XCTAssertFalse(cache.copyFigure(question: "q1", name: "f", key: key, to: copyPNG, copySVG))
        try Data(repeating: 8, count: 1000).write(to: cachedPNG)  // same size, other bytes
        XCTAssertFalse(cache.copyFigure(question: "q1", name: "f", key: key, to: copyPNG, copySVG))
    }

    func testOldPartialFilesAreRemovedAndYoungOnesKept() throws {
        let folder = try temporaryDirectory()
        let cache = ResultCache(directory: folder)
        let old = folder.appendingPathComponent("q1/.entry.json.A.partial"), young = folder.appendingPathComponent("q1/.entry.json.B.partial")
        try FileManager.default.createDirectory(at: old.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: old)
        try Data("y".utf8).write(to: young)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: old.path)
        XCTAssertEqual(cache.removeStalePartialFiles(), 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: old.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: young.path))
    }

    func testUnwritableTargetsGiveTheSystemsReasonNotACocoaCode() throws {
        XCTAssertThrowsError(try AtomicFile.write("x", to: URL(fileURLWithPath: "/proc/labbook-test/report.md"))) { error in
            XCTAssertTrue("\(error)".contains("/proc/labbook-test"), "\(error)")
            XCTAssertFalse("\(error)".contains("NSCocoaErrorDomain"), "\(error)")
        }
    }

    func testMarkdownEscapesInterpolatedHTML() {
        XCTAssertEqual(MarkdownWriter.escapeHTML("/data/<script>alert(1)</script>"), "/data/&lt;script&gt;alert(1)&lt;/script&gt;")
        XCTAssertEqual(MarkdownWriter.escapeHTML("**bold** and `code`"), "**bold** and `code`")
        let table = MarkdownWriter.render(.table(Table(caption: "on <b>x</b>", headers: ["a"], rows: [["<img src=x>"]])))
        XCTAssertFalse(table.contains("<b>") || table.contains("<img"), table)
    }
}
