import Foundation
@testable import Notebook
import TestSupport
import XCTest

/// The sample report's Markdown and HTML against golden files (`Snapshots/`), with what
/// changes from run to run (date, commit, machine, kernels, durations) masked.
final class SnapshotTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static func normalized(_ text: String) -> String {
        var text = masking(text, #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#, with: "<date>")
        for field in ["Git commit", "Machine", "Kernels", "Report time"] {
            text = masking(text, "(\(field)</th><td>)[^<]*", with: "$1<masked>")
            text = masking(text, "(\\| \(field) \\| )[^|]*", with: "$1<masked> ")
        }
        text = masking(text, #"(class="number">)\d+\.\d+"#, with: "$1<s>")
        text = masking(text, #"\| \d+\.\d{3} \|"#, with: "| <s> |")
        return text
    }

    func testSampleReportMarkdownAndHTMLMatchTheirSnapshots() throws {
        let (output, _) = try runSample()
        let report = output.appendingPathComponent("qs")
        assertSnapshot(Self.normalized(try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)),
                       named: "sample-report.md", in: Self.folder)
        assertSnapshot(Self.normalized(try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)),
                       named: "sample-report.html", in: Self.folder)
        assertSnapshot(Self.normalized(try String(contentsOf: output.appendingPathComponent("index.md"), encoding: .utf8)),
                       named: "sample-index.md", in: Self.folder)
    }
}
