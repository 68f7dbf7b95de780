import Foundation
@testable import Notebook
import TestSupport
import XCTest

final class ReportWritingTests: XCTestCase {
    func testEveryLinkAndAnchorInMarkdownAndHTMLResolves() throws {
        let (output, _) = try runSample()
        let report = output.appendingPathComponent("qs")
        XCTAssertEqual(try ReportLinks.unresolved(inReportAt: report), [])
        let markdown = try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(ReportLinks.links(in: markdown, markdown: true).contains("figures/sample.png"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("index.html").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("assets/style.css").path))
    }

    /// Data files are written beside their figure, linked from both reports and listed with
    /// their hash in results.json; the viewer's JSON is embedded inertly and its scripts loaded.
    func testFigureDataFilesAndSurfaceViewer() throws {
        let (output, _) = try runSample()
        let report = output.appendingPathComponent("qs")
        XCTAssertEqual(try String(contentsOf: report.appendingPathComponent("figures/surface.csv"), encoding: .utf8), "alpha,beta,loss\n0,0,1\n")
        let markdown = try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("data: [CSV](figures/surface.csv)"), markdown)
        let html = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<a class=\"data-link\" href=\"figures/surface.csv\">CSV</a>"))
        XCTAssertTrue(html.contains("<div class=\"surface-viewer\" data-figure=\"figure-surface\" hidden>"))
        XCTAssertTrue(html.contains("{\"title\":\"<\\/script><b>x<\\/b>\"}"), "</ is escaped inside the JSON script")
        XCTAssertEqual(html.components(separatedBy: "<script src=\"../assets/landscape-viewer.js\"></script>").count, 2, "loaded once")
        if FileManager.default.fileExists(atPath: ReportAssets.debianThree.appendingPathComponent("build/three.min.js").path) {
            for asset in ["three/three.min.js", "three/OrbitControls.js", "landscape-viewer.js"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("assets/\(asset)").path), asset)
            }
        }
        let results = try ResultsFile.load(from: report.appendingPathComponent("results.json"))
        let entry = try XCTUnwrap(results.figures?.first { $0.id == "qs/surface" })
        let csv = try XCTUnwrap(entry.files.first { $0.path == "qs/figures/surface.csv" })
        XCTAssertEqual(csv.bytes, 22)
        XCTAssertEqual(try ReportLinks.unresolved(inReportAt: report), [])
    }

    /// A figure drawn in both themes gets a <picture> whose dark source applies when the reader's
    /// system prefers dark; a figure drawn only light keeps a plain image.
    func testDarkVariantsAreOfferedByPrefersColorScheme() throws {
        let (output, _) = try runSample()
        let html = try String(contentsOf: output.appendingPathComponent("qs/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<picture><source srcset=\"figures/sample.dark.png\" media=\"(prefers-color-scheme: dark)\"><img src=\"figures/sample.png\""), html)
        XCTAssertTrue(html.contains("<picture><img src=\"figures/surface.png\""))
        let css = try String(contentsOf: output.appendingPathComponent("assets/style.css"), encoding: .utf8)
        XCTAssertTrue(css.contains("@media (prefers-color-scheme: dark)"))
        let inline = try runSample(selfContained: true).output
        let embedded = try String(contentsOf: inline.appendingPathComponent("qs/report.html"), encoding: .utf8)
        XCTAssertTrue(embedded.contains("<source srcset=\"data:image/png;base64,"))
    }

    func testLinkCheckerReportsABrokenFigureAndAnchor() throws {
        let (output, _) = try runSample()
        let report = output.appendingPathComponent("qs")
        try FileManager.default.removeItem(at: report.appendingPathComponent("figures/sample.png"))
        let problems = try ReportLinks.unresolved(inReportAt: report)
        XCTAssertTrue(problems.contains { $0.contains("figures/sample.png") }, "\(problems)")
    }

    func testHTMLEscapesTextAndKeepsFormulas() throws {
        let (output, _) = try runSample()
        let html = try String(contentsOf: output.appendingPathComponent("qs/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Sample &lt;question&gt; &amp; friends"))
        XCTAssertTrue(html.contains("Escapes &lt;this&gt; &amp; that"))
        XCTAssertTrue(html.contains("&lt;b&gt;bold?&lt;/b&gt;"))
        XCTAssertFalse(html.contains("<b>bold?</b>"))
        XCTAssertTrue(html.contains("<span class=\"math inline\">x_i * y_i</span>"), "formula survives Markdown conversion")
        XCTAssertTrue(html.contains("<span class=\"math display\">\\sum_i w_i</span>"))
        XCTAssertTrue(html.contains("<strong>Figure 1.</strong>"))
        XCTAssertTrue(html.contains("SUPPORTED"))
    }

    func testResultsJSONHoldsMetricsVerdictsAndMetadata() throws {
        let (output, _) = try runSample()
        let results = try ResultsFile.load(from: output.appendingPathComponent("qs/results.json"))
        XCTAssertEqual(results.values["qs.second"], .number(15))
        XCTAssertEqual(results.verdicts["sample"], .supported)
        XCTAssertEqual(results.metadata.profile, "quick")
        XCTAssertEqual(results.metadata.seed, 1)
        XCTAssertEqual(results.metadata.cells.filter { $0.kind == "compute" }.count, 2)
    }

    func testSelfContainedEmbedsFigures() throws {
        let (output, _) = try runSample(selfContained: true)
        let html = try String(contentsOf: output.appendingPathComponent("qs/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("src=\"data:image/png;base64,"))
        XCTAssertFalse(html.contains("href=\"../assets/style.css\""))
    }

    func testFailedQuestionLeavesPreviousReportInPlace() throws {
        let (output, _) = try runSample()
        let before = try String(contentsOf: output.appendingPathComponent("qs/report.md"), encoding: .utf8)
        struct Failing: Question {
            let id = "qs"
            let title = "fails"
            func build(_ session: NotebookSession) throws {
                session.prose("half")
                _ = try session.compute("boom", version: "1", config: CounterConfig(size: 1)) { _, _ -> Int in
                    throw NotebookError.invalidInput("deliberate failure")
                }
            }
        }
        let runner = NotebookRunner(options: RunOptions(profile: .quick, seed: 1, outputDirectory: output,
                                                        projectRoot: output.deletingLastPathComponent(), forceRecompute: false, selfContained: false),
                                    console: Console(quiet: true))
        XCTAssertEqual(try runner.run([Failing()]), ["qs"])
        XCTAssertEqual(try String(contentsOf: output.appendingPathComponent("qs/report.md"), encoding: .utf8), before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no staging folders left behind")
    }

    func testMathExtractionIgnoresCodeSpansAndEscapedDollars() {
        var found: [String] = []
        _ = MathAwareMarkdown.extractFormulas("cost \\$5 and `$x$` but $y_1$") { tex, _ in
            found.append(tex)
            return "T"
        }
        XCTAssertEqual(found, ["y_1"])
    }
}

