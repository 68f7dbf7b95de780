import Foundation
@testable import Notebook
import XCTest

/// `Prose`: the author's Markdown kept, every interpolated value escaped, numbers formatted in
/// place (issue 24's prose type; issue 25's HTML injection through dataset and folder names).
final class ProseTests: XCTestCase {
    let hostile = #"/data/q8"><img src=x onerror=alert(1)>"#

    func testInterpolatedValuesAreEscapedAndTheAuthorsMarkdownIsKept() {
        let link = "[Figure 2](#figure-curves)"
        let prose: Prose = "**Data:** \(hostile), see \(link) and $x < 1$ <sup>1</sup>."
        XCTAssertFalse(prose.markdown.contains("<img"), prose.markdown)
        XCTAssertTrue(prose.markdown.contains("&lt;img src=x onerror=alert(1)&gt;"), prose.markdown)
        XCTAssertTrue(prose.markdown.hasPrefix("**Data:** "), "literal Markdown is the author's")
        XCTAssertTrue(prose.markdown.contains("[Figure 2](#figure-curves)"), "links survive")
        XCTAssertTrue(prose.markdown.contains("$x < 1$ <sup>1</sup>"), "literal HTML and formulas are the author's")
        let nested: Prose = "Before. \(prose)"
        XCTAssertTrue(nested.markdown.hasSuffix(prose.markdown), "prose inside prose is not escaped twice")
    }

    func testNumbersAreFormattedByTheInterpolation() {
        let prose: Prose = "accuracy \(0.976543, digits: 3), change \(-0.5, digits: 2), count \(42)"
        XCTAssertEqual(prose.markdown, "accuracy 0.977, change −0.50, count 42")
    }

    func testAHostileValueNeverReachesTheHTMLAsMarkup() throws {
        let writer = HTMLWriter(templates: try TemplateSet(directory: repositoryRoot.appendingPathComponent("templates")), selfContained: false, katexDirectory: nil)
        let html = try writer.render(.prose(Prose("Dataset: \(hostile).").markdown), reportDirectory: URL(fileURLWithPath: "/nonexistent"))
        XCTAssertFalse(html.contains("<img"), html)
        let caption = try writer.render(.table(Table(caption: "Trials on \(hostile)", headers: ["a"], rows: [["1"]])),
                                        reportDirectory: URL(fileURLWithPath: "/nonexistent"))
        XCTAssertFalse(caption.contains("<img"), caption)
        let claim = try writer.render(.claim(ClaimCheck(id: "c", claim: "On \(hostile)", verdict: .supported, evidence: ["Data \(hostile)."],
                                                        conclusion: "So \(hostile).", decisionRule: "If \(hostile).")),
                                      reportDirectory: URL(fileURLWithPath: "/nonexistent"))
        XCTAssertFalse(claim.contains("<img"), claim)
        let metrics = try writer.render(.metrics([Metric(key: "k", label: "Accuracy on \(hostile)", value: 0.5)]),
                                        reportDirectory: URL(fileURLWithPath: "/nonexistent"))
        XCTAssertFalse(metrics.contains("<img"), metrics)
    }
}
