import Foundation
import TestSupport
import XCTest

/// `labbook diff` on report folders built in the test: a folder against itself is empty (exit
/// 0), against a changed copy it finds exactly the change (exit 1), bad input exits 2.
final class DiffCommandTests: XCTestCase {
    func results(accuracy: Double, verdict: String, machine: String = "test machine") -> String {
        """
        {"question":"q9","title":"Sample","headlines":[{"label":"Accuracy","value":"\(accuracy)"}],
         "verdicts":{"claim":"\(verdict)"},
         "values":{"q9.accuracy":\(accuracy),"q9.parameters":1000,"q9.seconds":1.5},
         "metadata":{"date":"2026-12-01T00:00:00Z","gitCommit":"abc","labbookVersion":"0.2.0","machine":"\(machine)",
                     "profile":"quick","seed":42,"datasets":["mnist-5k"],"cells":[],"totalSeconds":1}}
        """
    }

    func reportsFolder(accuracy: Double, verdict: String = "SUPPORTED", figure: [UInt8] = [1, 2, 3], machine: String = "test machine") throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        try folder.write(Array(results(accuracy: accuracy, verdict: verdict, machine: machine).utf8), to: "q9/results.json")
        try folder.write(figure, to: "q9/figures/curve.png")
        return folder
    }

    func testAFolderAgainstItselfHasNoChanges() throws {
        let reports = try reportsFolder(accuracy: 0.98)
        let outcome = try LabbookProcess.run(["diff", reports.url.path, reports.url.path])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        XCTAssertTrue(outcome.output.contains("No changes"), outcome.output)
    }

    func testAChangedCopyShowsExactlyItsChanges() throws {
        let old = try reportsFolder(accuracy: 0.98)
        let new = try reportsFolder(accuracy: 0.97, verdict: "REFUTED", figure: [1, 2, 4], machine: "other machine")
        let page = try TemporaryDirectory()
        let outcome = try LabbookProcess.run(["diff", old.url.path, new.url.path, "--html", page.url.path])
        XCTAssertEqual(outcome.status, 1, outcome.error)
        for fragment in ["value    q9 q9.accuracy: 0.98 → 0.97", "verdict  q9 claim: SUPPORTED → REFUTED", "headline q9 Accuracy",
                         "figure   q9 figures/curve.png", "metadata q9 machine: test machine → other machine"] {
            XCTAssertTrue(outcome.output.contains(fragment), "missing '\(fragment)' in\n\(outcome.output)")
        }
        XCTAssertFalse(outcome.output.contains("q9.parameters"), "unchanged values are not listed")
        let html = try String(contentsOf: page.path("index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("old/q9/figures/curve.png") && html.contains("new/q9/figures/curve.png"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: page.path("new/q9/figures/curve.png").path))
    }

    func testToleranceAndIgnoredKeys() throws {
        let old = try reportsFolder(accuracy: 0.98), new = try reportsFolder(accuracy: 0.9801)
        // 0.01% apart: within 1e-3, but the headline text still changed.
        let outcome = try LabbookProcess.run(["diff", old.url.path, new.url.path, "--tolerance", "1e-3"])
        XCTAssertFalse(outcome.output.contains("value    q9 q9.accuracy"), outcome.output)
        XCTAssertTrue(outcome.output.contains("headline"), outcome.output)
    }

    func testBadInputExitsTwo() throws {
        let reports = try reportsFolder(accuracy: 0.98)
        XCTAssertEqual(try LabbookProcess.run(["diff", reports.url.path, "/nonexistent-labbook-reports"]).status, 2)
        XCTAssertEqual(try LabbookProcess.run(["diff", reports.url.path, reports.url.path, "--tolerance", "-1"]).status, 2)
        let empty = try TemporaryDirectory()
        let outcome = try LabbookProcess.run(["diff", reports.url.path, empty.url.path])
        XCTAssertEqual(outcome.status, 2)
        XCTAssertTrue(outcome.error.contains("holds no reports"), outcome.error)
    }

    /// Git revisions of reports/: the committed reports against themselves.
    func testGitRevisionsOfTheReports() throws {
        let outcome = try LabbookProcess.run(["diff", "HEAD", "HEAD"], in: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent())
        XCTAssertEqual(outcome.status, 0, outcome.error)
        XCTAssertTrue(outcome.output.contains("No changes"), outcome.output)
    }
}
