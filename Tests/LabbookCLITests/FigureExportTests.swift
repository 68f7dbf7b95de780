import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
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
