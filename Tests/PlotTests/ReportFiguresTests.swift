import Foundation
import XCTest
@testable import Plot

/// Every committed report figure is its own baseline: redrawn by this code from its committed
/// data file (`reports/qN/figures/NAME.data.json`), it must match the committed PNG within the
/// baseline tolerance, and it must pass the layout checks. So a change to the plotting code
/// that alters a figure fails here until the reports are regenerated (`labbook run`, which
/// draws from the cache in seconds) and the new figures are looked at and committed.
final class ReportFiguresTests: XCTestCase {
    private var reports: URL {
        URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reports")
    }

    private func dataFiles() throws -> [URL] {
        let questions = try FileManager.default.contentsOfDirectory(at: reports, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix("q") }.sorted { $0.path < $1.path }
        return try questions.flatMap { question -> [URL] in
            let figures = question.appendingPathComponent("figures")
            guard FileManager.default.fileExists(atPath: figures.path) else { return [] }
            return try FileManager.default.contentsOfDirectory(at: figures, includingPropertiesForKeys: nil)
                .filter { $0.lastPathComponent.hasSuffix(".data.json") }.sorted { $0.path < $1.path }
        }
    }

    func testEveryReportFigureRedrawsFromItsDataFileAndReadsRight() throws {
        let files = try dataFiles()
        let pngCount = try FileManager.default.contentsOfDirectory(at: reports, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix("q") }
            .flatMap { (try? FileManager.default.contentsOfDirectory(atPath: $0.appendingPathComponent("figures").path)) ?? [] }
            .filter { $0.hasSuffix(".png") && !$0.hasSuffix(".dark.png") }.count
        XCTAssertEqual(files.count, pngCount, "every committed figure has a data file")
        XCTAssertGreaterThan(files.count, 30)
        for file in files {
            let id = "\(file.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent)/\(file.lastPathComponent.dropLast(".data.json".count))"
            let figure = try Figure(document: FigureDocument.decode(Data(contentsOf: file)))
            XCTAssertEqual(try figure.layoutProblems(), [], "\(id) has layout problems")
            let png = file.deletingLastPathComponent().appendingPathComponent("\(file.lastPathComponent.dropLast(".data.json".count)).png")
            let expected = try Data(contentsOf: png), actual = try figure.pngData(scale: 2)
            // Rendering is deterministic: equal bytes are the usual case and need no pixel walk.
            guard expected != actual else { continue }
            let difference = try ImageDifference(expected: expected, actual: actual)
            XCTAssertTrue(difference.sameSize && difference.rms <= BaselineImageTests.tolerance,
                          "\(id): redrawn from its data file it differs from the committed PNG (RMS \(difference.rms), \(difference.differingPixels) pixels); regenerate the reports (labbook run) and look at the figures")
        }
    }
}
