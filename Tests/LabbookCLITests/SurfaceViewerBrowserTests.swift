import Foundation
import Plot
import TestSupport
import XCTest

/// Opens a generated quick-profile report in headless Chromium (software WebGL) and checks the
/// interactive loss-surface viewer: it draws a non-blank surface, its log/linear toggle changes
/// the picture, and the page logs nothing to the console. `make setup` installs Chromium.
final class SurfaceViewerBrowserTests: XCTestCase {
    func testViewerRendersAndItsScaleToggleChangesTheCanvas() throws {
        let chromium = try XCTUnwrap(HeadlessChromium.find(), "chromium is not installed: run scripts/setup.sh (make setup) first")
        let folder = try TemporaryDirectory()
        let cache = folder.url.appendingPathComponent("cache").path
        let linked = folder.url.appendingPathComponent("reports"), inlined = folder.url.appendingPathComponent("inline")
        let run = try LabbookProcess.run(["run", "q3", "--profile", "quick", "--out", linked.path, "--cache-dir", cache])
        XCTAssertEqual(run.status, 0, run.error)
        // The same report as one self-contained file (three.js and the viewer inlined), from the cache.
        let inline = try LabbookProcess.run(["run", "q3", "--profile", "quick", "--self-contained", "--out", inlined.path, "--cache-dir", cache])
        XCTAssertEqual(inline.status, 0, inline.error)

        for reports in [linked, inlined] {
            let page = reports.appendingPathComponent("q3/report.html")
            let html = try String(contentsOf: page, encoding: .utf8)
            let viewerCount = html.components(separatedBy: "class=\"surface-viewer\"").count - 1
            XCTAssertEqual(viewerCount, 1, "Q3 has one 2-D landscape")
            let outcome = try chromium.dumpDOM(page.absoluteString + "#labbook-selftest")
            XCTAssertEqual(outcome.consoleLines, [], "\(page.path) logged to the console")
            let report = try selfTest(outcome.stdout)
            XCTAssertNil(report.errors, "uncaught errors in \(page.path): \(report.errors ?? "")")
            XCTAssertEqual(report.viewers, viewerCount)
            for result in report.results { assertViewerReadsRight(result, page: page.path, dark: false) }
        }

        // Dark pages get a dark viewer; a panels viewer (several surfaces, one scale) draws every panel.
        let darkOutcome = try chromium.dumpDOM(linked.appendingPathComponent("q3/report.html").absoluteString + "#labbook-selftest", dark: true)
        XCTAssertEqual(darkOutcome.consoleLines, [])
        for result in try selfTest(darkOutcome.stdout).results { assertViewerReadsRight(result, page: "q3 (dark)", dark: true) }
        let panelsPage = try panelsCopy(of: linked.appendingPathComponent("q3/report.html"))
        let panelsOutcome = try chromium.dumpDOM(panelsPage.absoluteString + "#labbook-selftest")
        XCTAssertEqual(panelsOutcome.consoleLines, [])
        let panels = try selfTest(panelsOutcome.stdout)
        XCTAssertNil(panels.errors)
        XCTAssertEqual(panels.results.first?["panels"] as? Int, 2, "\(panels.results)")
        for result in panels.results { assertViewerReadsRight(result, page: "panels page", dark: false) }

        // Screenshots of the viewer alone in the window (its "full window" view), in both scales:
        // the surface fills a good share of the picture, and switching the scale changes it.
        // (Headless screenshots of a scrolled page come out blank, hence the full-window view.)
        let page = linked.appendingPathComponent("q3/report.html").absoluteString + "#labbook-viewer=figure-mlp-landscape-2d"
        var pictures: [PNGImage] = []
        for (index, hash) in ["", "&labbook-scale=linear"].enumerated() {
            let shot = folder.url.appendingPathComponent("viewer-\(index).png")
            let outcome = try chromium.screenshot(page + hash, to: shot)
            XCTAssertEqual(outcome.consoleLines, [])
            let image = try PNGImage(data: Data(contentsOf: shot))
            XCTAssertEqual(image.width, 1200)
            XCTAssertGreaterThan(colouredFraction(image), 0.03, "the viewer's screenshot \(shot.path) shows no coloured surface")
            pictures.append(image)
        }
        var changed = 0, sampled = 0
        for y in stride(from: 0, to: pictures[0].height, by: 3) {
            for x in stride(from: 0, to: pictures[0].width, by: 3) {
                if pictures[0].pixel(x: x, y: y) != pictures[1].pixel(x: x, y: y) { changed += 1 }
                sampled += 1
            }
        }
        XCTAssertGreaterThan(Double(changed) / Double(sampled), 0.05, "log and linear scale look the same")
    }

    /// What a reviewer needs from every viewer: it draws, the scale toggle changes it, its axes are
    /// ticked, the floor carries contours, the trained point shows, and it follows the page's scheme.
    private func assertViewerReadsRight(_ result: [String: Any], page: String, dark: Bool,
                                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(result["error"], "\(page): \(result)", file: file, line: line)
        XCTAssertNotEqual(result["before"] as? String, result["after"] as? String, "the log toggle must change the canvas: \(result)", file: file, line: line)
        XCTAssertGreaterThan(result["nonBlankFraction"] as? Double ?? 0, 0.05, "the surface canvas is blank: \(result)", file: file, line: line)
        XCTAssertGreaterThan(result["tickLabels"] as? Int ?? 0, 5, "axes without tick labels: \(result)", file: file, line: line)
        XCTAssertGreaterThan(result["floorContours"] as? Int ?? 0, 10, "no contour projection on the floor: \(result)", file: file, line: line)
        XCTAssertEqual(result["trainedMarkerVisible"] as? Bool, true, "the trained point is hidden: \(result)", file: file, line: line)
        XCTAssertEqual(result["dark"] as? Bool, dark, "\(page): \(result)", file: file, line: line)
        XCTAssertEqual(result["background"] as? String, dark ? "#0d1117" : "#ffffff", "\(page): \(result)", file: file, line: line)
    }

    /// A copy of a report page whose one surface viewer holds that surface twice as panels (the
    /// shape Q4's landscape comparison writes), beside the original in the same folder.
    private func panelsCopy(of page: URL) throws -> URL {
        let html = try String(contentsOf: page, encoding: .utf8)
        let open = #"<script type="application/json" class="surface-data">"#
        let start = try XCTUnwrap(html.range(of: open)), end = try XCTUnwrap(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let surface = String(html[start.upperBound..<end.lowerBound])
        let panels = #"{"panels":["# + surface + "," + surface + #"],"sharedScale":true}"#
        let copy = page.deletingLastPathComponent().appendingPathComponent("panels.html")
        try html.replacingCharacters(in: start.upperBound..<end.lowerBound, with: panels).write(to: copy, atomically: true, encoding: .utf8)
        return copy
    }

    /// The share of pixels with a clear hue (the viridis surface; not white, grey text or lines).
    private func colouredFraction(_ image: PNGImage) -> Double {
        var coloured = 0, sampled = 0
        for y in stride(from: 0, to: image.height, by: 3) {
            for x in stride(from: 0, to: image.width, by: 3) {
                let pixel = image.pixel(x: x, y: y)
                if Int(max(pixel.red, pixel.green, pixel.blue)) - Int(min(pixel.red, pixel.green, pixel.blue)) > 40 { coloured += 1 }
                sampled += 1
            }
        }
        return Double(coloured) / Double(sampled)
    }

    /// The viewer's self-test result on `<body data-selftest="…">` (see docs/browser-check.md).
    private func selfTest(_ dom: String) throws -> (viewers: Int, results: [[String: Any]], errors: String?) {
        let body = try XCTUnwrap(dom.range(of: "<body[^>]*>", options: .regularExpression).map { String(dom[$0]) }, "no <body> in the DOM dump")
        func attribute(_ name: String) -> String? {
            guard let range = body.range(of: "\(name)=\"[^\"]*\"", options: .regularExpression) else { return nil }
            let raw = body[range].dropFirst(name.count + 2).dropLast()
            return raw.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }
        let json = try XCTUnwrap(attribute("data-selftest"), "the viewer wrote no self-test result: \(body)")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return (object["viewers"] as? Int ?? -1, object["results"] as? [[String: Any]] ?? [], attribute("data-selftest-errors"))
    }
}
