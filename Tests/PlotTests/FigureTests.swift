import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Plot

final class FigureTests: XCTestCase {
    func testPNGScaleDoublesPixels() throws {
        let figure = Figure(width: 200, height: 150)
        figure.axes(0, 0).line(x: [0, 1], y: [0, 1])
        let one = try PNGImage(data: figure.pngData(scale: 1))
        let two = try PNGImage(data: figure.pngData(scale: 2))
        XCTAssertEqual([one.width, one.height], [200, 150])
        XCTAssertEqual([two.width, two.height], [400, 300])
    }

    func testSampleIsNotBlankAndIsDeterministic() throws {
        let first = try makeSampleFigure().pngData(scale: 1)
        let second = try makeSampleFigure().pngData(scale: 1)
        XCTAssertEqual(first, second, "same input must give identical PNG bytes")
        let image = try PNGImage(data: first)
        XCTAssertGreaterThan(image.distinctColorCount, 500)
        XCTAssertEqual(image.pixel(x: 1, y: 1), PNGImage.Pixel(red: 255, green: 255, blue: 255))
    }

    func testWritesSampleFilesAtomically() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plot-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let figure = makeSampleFigure()
        let png = directory.appendingPathComponent("sample.png"), svg = directory.appendingPathComponent("sample.svg")
        try figure.writePNG(to: png, scale: 2)
        try figure.writeSVG(to: svg)
        XCTAssertEqual(try Data(contentsOf: png), try figure.pngData(scale: 2))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["sample.png", "sample.svg"],
                       "no temporary files left behind")
        // Also leave a copy for people to look at.
        try? figure.writePNG(to: URL(fileURLWithPath: "/tmp/plot-sample.png"), scale: 2)
        try? figure.writeSVG(to: URL(fileURLWithPath: "/tmp/plot-sample.svg"))
    }

    func testWriteToMissingDirectoryThrowsIOError() {
        let figure = Figure()
        figure.axes(0, 0).line(x: [0, 1], y: [1, 2])
        XCTAssertThrowsError(try figure.writePNG(to: URL(fileURLWithPath: "/nonexistent-dir/x.png"))) { error in
            XCTAssertEqual((error as? PlotError)?.kind, .io)
        }
    }

    func testSVGIsWellFormedXML() throws {
        let data = try makeSampleFigure().svgData()
        let parser = XMLParser(data: data)
        let delegate = RootElementRecorder()
        parser.delegate = delegate
        XCTAssertTrue(parser.parse(), "SVG parse error: \(String(describing: parser.parserError))")
        XCTAssertEqual(delegate.root, "svg")
    }

    func testFigureTitleAndEmptyAxesRender() throws {
        let figure = Figure(width: 300, height: 200, rows: 1, columns: 2)
        figure.title = "Only a title"
        let image = try PNGImage(data: figure.pngData(scale: 1))
        XCTAssertGreaterThan(countPixels(image, near: .black, tolerance: 40), 20)
    }
}

private final class RootElementRecorder: NSObject, XMLParserDelegate {
    var root: String?
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if root == nil { root = elementName }
    }
}
