import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Notebook
import Plot
import TestSupport
import XCTest

/// `labbook figure export`: figures re-drawn from the cache of a quick-profile run, in each
/// format, at the asked size and theme; never computing, never touching the reports.
final class FigureExportTests: XCTestCase {
    func testExportRoundTripsEachFormatFromTheCacheOnly() throws {
        let folder = try TemporaryDirectory()
        let reports = folder.url.appendingPathComponent("reports"), cache = folder.url.appendingPathComponent("cache")
        let exports = folder.url.appendingPathComponent("exports")
        let run = try LabbookProcess.run(["run", "q3", "--profile", "quick", "--out", reports.path, "--cache-dir", cache.path])
        XCTAssertEqual(run.status, 0, run.error)
        let resultsBefore = try Data(contentsOf: reports.appendingPathComponent("q3/results.json"))
        let common = ["--reports", reports.path, "--cache-dir", cache.path, "--out", exports.path]

        let png = try LabbookProcess.run(["figure", "export", "q3/training-curves", "--width", "400", "--height", "300", "--dpi", "216"] + common)
        XCTAssertEqual(png.status, 0, png.error)
        let pngFile = exports.appendingPathComponent("q3-training-curves.png")
        XCTAssertEqual(png.output.trimmingCharacters(in: .whitespacesAndNewlines), pngFile.path)
        let image = try PNGImage(data: Data(contentsOf: pngFile))
        XCTAssertEqual([image.width, image.height], [1200, 900], "400×300 points at 216 dpi (3 pixels per point)")
        XCTAssertEqual(image.pixel(x: 0, y: 0), PNGImage.Pixel(red: 255, green: 255, blue: 255))

        let dark = try LabbookProcess.run(["figure", "export", "q3/training-curves", "--theme", "dark", "--transparent"] + common)
        XCTAssertEqual(dark.status, 0, dark.error)
        let darkImage = try PNGImage(data: Data(contentsOf: exports.appendingPathComponent("q3-training-curves.dark.png")))
        XCTAssertEqual(darkImage.pixel(x: 0, y: 0).alpha, 0, "transparent background")

        let svg = try LabbookProcess.run(["figure", "export", "q3/training-curves", "q3/mlp-landscape-2d", "--format", "svg", "--width", "500"] + common)
        XCTAssertEqual(svg.status, 0, svg.error)
        for name in ["q3-training-curves.svg", "q3-mlp-landscape-2d.svg"] {
            let data = try Data(contentsOf: exports.appendingPathComponent(name))
            let parser = XMLParser(data: data)
            let root = RootElement()
            parser.delegate = root
            XCTAssertTrue(parser.parse(), "\(name) is well-formed XML")
            XCTAssertEqual(root.name, "svg")
            XCTAssertEqual(root.attributes["width"], "500pt", name)
        }

        let pdf = try LabbookProcess.run(["figure", "export", "q3/training-curves", "--format", "pdf", "--width", "360", "--height", "240"] + common)
        XCTAssertEqual(pdf.status, 0, pdf.error)
        let pdfText = String(decoding: try Data(contentsOf: exports.appendingPathComponent("q3-training-curves.pdf")), as: UTF8.self)
        XCTAssertTrue(pdfText.hasPrefix("%PDF-"))
        XCTAssertEqual(pdfText.components(separatedBy: "/MediaBox [ 0 0 360 240 ]").count, 2, "one page of 360×240 points")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/pdfinfo") {
            let info = try runCommand("/usr/bin/pdfinfo", [exports.appendingPathComponent("q3-training-curves.pdf").path])
            XCTAssertTrue(info.contains("Pages:           1"), info)
            XCTAssertTrue(info.contains("Page size:       360 x 240 pts"), info)
        }

        XCTAssertEqual(try Data(contentsOf: reports.appendingPathComponent("q3/results.json")), resultsBefore, "export leaves the reports alone")

        // Bad requests: nothing cached for the full profile (exit 1, naming the command), an
        // unknown figure or format (exit 2).
        let uncached = try LabbookProcess.run(["figure", "export", "q3/training-curves", "--profile", "full"] + common)
        XCTAssertEqual(uncached.status, 1)
        XCTAssertTrue(uncached.error.contains("labbook run q3 --profile full"), uncached.error)
        let unknown = try LabbookProcess.run(["figure", "export", "q3/no-such-figure"] + common)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.error.contains("q3/no-such-figure") && unknown.error.contains("labbook figure list"), unknown.error)
        let format = try LabbookProcess.run(["figure", "export", "q3/training-curves", "--format", "gif"] + common)
        XCTAssertEqual(format.status, 2)
        XCTAssertTrue(format.error.contains("--format must be png, svg or pdf"), format.error)
    }
}

/// The first element of an XML document and its attributes.
private final class RootElement: NSObject, XMLParserDelegate {
    var name: String?
    var attributes: [String: String] = [:]
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == nil { name = elementName; self.attributes = attributes }
    }
}

/// Export without the cache (a fresh clone): figures redrawn from the reports' data files, checked
/// against figures.json; `--data`, `figure embed` and `figure check` on the same reports.
final class FigureDataFileTests: XCTestCase {
    func testExportFromDataFilesEmbedAndCheck() throws {
        let folder = try TemporaryDirectory()
        let reports = folder.url.appendingPathComponent("reports"), cache = folder.url.appendingPathComponent("cache")
        let empty = folder.url.appendingPathComponent("empty-cache"), exports = folder.url.appendingPathComponent("exports")
        let run = try LabbookProcess.run(["run", "q3", "--profile", "quick", "--out", reports.path, "--cache-dir", cache.path])
        XCTAssertEqual(run.status, 0, run.error)
        let manifest = try FigureManifest.load(from: reports.appendingPathComponent("figures.json"))
        let entry = try XCTUnwrap(manifest.entry("q3/training-curves"))
        XCTAssertTrue(entry.figure.files.contains { $0.path == "q3/figures/training-curves.data.json" }, "\(entry.figure.files)")

        let common = ["--reports", reports.path, "--cache-dir", empty.path, "--out", exports.path]
        let fromData = try LabbookProcess.run(["figure", "export", "q3/training-curves", "q3/tuning-parallel-coordinates", "--data"] + common)
        XCTAssertEqual(fromData.status, 0, fromData.error)
        XCTAssertTrue(fromData.error.contains("redrawn from \(reports.path)/q3/figures/training-curves.data.json"), fromData.error)
        // Redrawn from the data file at the report's own size and scale: the very same PNG.
        XCTAssertEqual(try Data(contentsOf: exports.appendingPathComponent("q3-training-curves.png")),
                       try Data(contentsOf: reports.appendingPathComponent("q3/figures/training-curves.png")))
        XCTAssertEqual(try Data(contentsOf: exports.appendingPathComponent("q3-training-curves.data.json")),
                       try Data(contentsOf: reports.appendingPathComponent("q3/figures/training-curves.data.json")))

        // A data file changed after the run is refused, naming it; another profile never falls back.
        let dataFile = reports.appendingPathComponent("q3/figures/training-curves.data.json")
        let original = try Data(contentsOf: dataFile)
        try Data(String(decoding: original, as: UTF8.self).replacingOccurrences(of: "\"x\":[1,", with: "\"x\":[9,").utf8).write(to: dataFile)
        let tampered = try LabbookProcess.run(["figure", "export", "q3/training-curves"] + common)
        XCTAssertEqual(tampered.status, 1)
        XCTAssertTrue(tampered.error.contains(dataFile.path) && tampered.error.contains("SHA-256"), tampered.error)
        try original.write(to: dataFile)
        let otherProfile = try LabbookProcess.run(["figure", "export", "q3/training-curves", "--profile", "full"] + common)
        XCTAssertEqual(otherProfile.status, 1)
        XCTAssertTrue(otherProfile.error.contains("labbook run q3 --profile full"), otherProfile.error)

        let markdown = try LabbookProcess.run(["figure", "embed", "q3/training-curves", "--out", reports.path, "--relative-to", folder.url.path])
        XCTAssertEqual(markdown.status, 0, markdown.error)
        XCTAssertTrue(markdown.output.hasPrefix("![Figure "), markdown.output)
        XCTAssertTrue(markdown.output.contains("(reports/q3/figures/training-curves.png)"), markdown.output)
        let html = try LabbookProcess.run(["figure", "embed", "q3/training-curves", "--format", "html", "--out", reports.path, "--relative-to", reports.path])
        XCTAssertTrue(html.output.contains(#"<source srcset="q3/figures/training-curves.dark.svg" media="(prefers-color-scheme: dark)">"#), html.output)
        XCTAssertTrue(html.output.contains(#"width="\#(Int(entry.figure.width))" height="\#(Int(entry.figure.height))""#), html.output)
        let latex = try LabbookProcess.run(["figure", "embed", "q3/training-curves", "--format", "latex", "--out", reports.path])
        XCTAssertTrue(latex.output.contains(#"\includegraphics[width=\linewidth]{q3-training-curves.pdf}"#), latex.output)
        XCTAssertTrue(latex.output.contains(#"\label{fig:q3-training-curves}"#), latex.output)
        let badFormat = try LabbookProcess.run(["figure", "embed", "q3/training-curves", "--format", "rtf", "--out", reports.path])
        XCTAssertEqual(badFormat.status, 2)

        let check = try LabbookProcess.run(["figure", "check", "--out", reports.path])
        XCTAssertEqual(check.status, 0, check.output + check.error)
        XCTAssertTrue(check.output.contains("q3/tuning-parallel-coordinates: ok"), check.output)
        // Squeezed to a stamp, the same figures no longer fit their labels: the check says so.
        let squeezed = try LabbookProcess.run(["figure", "check", "q3/training-curves", "--width", "120", "--height", "90", "--out", reports.path])
        XCTAssertEqual(squeezed.status, 1, squeezed.output)
        XCTAssertTrue(squeezed.output.contains("problem(s)"), squeezed.output)
    }
}

/// LaTeX escaping of captions keeps `$…$` math and escapes TeX's special characters.
final class FigureSnippetTests: XCTestCase {
    func testLaTeXEscaping() {
        XCTAssertEqual(FigureSnippet.escapeLaTeX("50% of #3 & a_b {x}"), ##"50\% of \#3 \& a\_b \{x\}"##)
        XCTAssertEqual(FigureSnippet.escapeLaTeX("loss $\\lambda_{min} < 0$ here"), "loss $\\lambda_{min} < 0$ here")
        XCTAssertEqual(FigureSnippet.escapeLaTeX("costs $5"), #"costs \$5"#)
    }
}
