import AtomicFiles
import Foundation
import Checksums
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
        let drawn = folder.appendingPathComponent("drawn"), copies = folder.appendingPathComponent("copies")
        try FileManager.default.createDirectory(at: drawn, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
        let files = ["f.png", "f.svg", "f.dark.png", "f.dark.svg"].map { drawn.appendingPathComponent($0) }
        for (index, file) in files.enumerated() { try Data(repeating: UInt8(index), count: 1000 + index).write(to: file) }
        try cache.storeFigure(question: "q1", name: "f", key: key, files: files)
        let copied = try XCTUnwrap(cache.copyFigure(question: "q1", name: "f", key: key, into: copies))
        XCTAssertEqual(copied.map(\.lastPathComponent), ["f.png", "f.svg", "f.dark.png", "f.dark.svg"])
        for (copy, original) in zip(copied, files) { XCTAssertEqual(try Data(contentsOf: copy), try Data(contentsOf: original)) }
        let cachedDarkPNG = cache.figureFolder(question: "q1").appendingPathComponent("f-\(key.short).dark.png")
        try Data(repeating: 2, count: 500).write(to: cachedDarkPNG)   // truncated
        XCTAssertNil(cache.copyFigure(question: "q1", name: "f", key: key, into: copies))
        try Data(repeating: 9, count: 1002).write(to: cachedDarkPNG)  // same size, other bytes
        XCTAssertNil(cache.copyFigure(question: "q1", name: "f", key: key, into: copies))
    }

    /// A killed writer's partial file goes at once, a live writer's stays; names without a
    /// process id (older Labbooks) go once an hour old.
    func testPartialFilesOfKilledWritesAreRemovedAndLiveOnesKept() throws {
        let folder = try temporaryDirectory()
        let cache = ResultCache(directory: folder)
        let q1 = folder.appendingPathComponent("q1")
        try FileManager.default.createDirectory(at: q1, withIntermediateDirectories: true)
        let dead = q1.appendingPathComponent(".entry.json.2147483646-\(UUID().uuidString).partial")
        let live = q1.appendingPathComponent(".entry.json.\(getpid())-\(UUID().uuidString).partial")
        let old = q1.appendingPathComponent(".entry.json.A.partial"), young = q1.appendingPathComponent(".entry.json.B.partial")
        for file in [dead, live, old, young] { try Data("x".utf8).write(to: file) }
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: old.path)
        XCTAssertEqual(cache.removeStalePartialFiles(), 2)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: q1.path)), [live.lastPathComponent, young.lastPathComponent])
    }

    func testUnwritableTargetsGiveTheSystemsReasonNotACocoaCode() throws {
        XCTAssertThrowsError(try AtomicFile.write("x", to: URL(fileURLWithPath: "/proc/labbook-test/report.md"))) { error in
            XCTAssertTrue("\(error)".contains("/proc/labbook-test"), "\(error)")
            XCTAssertFalse("\(error)".contains("NSCocoaErrorDomain"), "\(error)")
        }
    }

    func testMarkdownEscapesInterpolatedHTML() {
        XCTAssertEqual(Escaping.markdownText("/data/<script>alert(1)</script>"), "/data/&lt;script&gt;alert(1)&lt;/script&gt;")
        XCTAssertEqual(Escaping.markdownText("**bold** and `code`"), "**bold** and `code`")
        let table = MarkdownWriter.render(.table(Table(caption: "on <b>x</b>", headers: ["a"], rows: [["<img src=x>"]])))
        XCTAssertFalse(table.contains("<b>") || table.contains("<img"), table)
    }
}

/// `reports/figures.json`: every figure with its id, size and file hashes, matching the files.
final class FigureManifestTests: XCTestCase {
    func testTheManifestListsEveryFigureAndItsHashesMatchTheFiles() throws {
        let (output, _) = try runSample()
        let manifest = try FigureManifest.load(from: output.appendingPathComponent("figures.json"))
        XCTAssertEqual(manifest.figures.map(\.figure.id), ["qs/sample", "qs/surface"])
        XCTAssertEqual(manifest.figures[1].figure.files.map(\.path), ["qs/figures/surface.png", "qs/figures/surface.svg", "qs/figures/surface.csv"])
        let figure = try XCTUnwrap(manifest.figures.first?.figure)
        XCTAssertEqual(figure.number, 1)
        XCTAssertTrue(figure.alt.hasPrefix("Figure 1: "))
        XCTAssertEqual(figure.files.map(\.path), ["qs/figures/sample.png", "qs/figures/sample.svg", "qs/figures/sample.dark.png", "qs/figures/sample.dark.svg"])
        for file in figure.files {
            let data = try Data(contentsOf: output.appendingPathComponent(file.path))
            XCTAssertEqual(file.bytes, data.count)
            XCTAssertEqual(file.sha256, SHA256.hexDigest(of: [UInt8](data)))
        }
        XCTAssertFalse(figure.cells.isEmpty, "the sample figure follows two computed cells")
        XCTAssertGreaterThan(figure.width, 0)
    }
}
