import Foundation
import XCTest
@testable import Plot

/// A figure's data file (`FigureDocument`) must redraw the figure exactly, read as the calls
/// that made it, and refuse anything that is not one.
final class FigureDocumentTests: XCTestCase {
    func testDocumentRedrawsTheSameBytesInBothThemes() throws {
        let original = makeSampleFigure()
        let copy = try Figure(document: FigureDocument.decode(original.document.encoded()))
        // NaN breaks ==, so compare the bytes: a replayed figure records the same calls again.
        XCTAssertTrue(try copy.document.encoded() == original.document.encoded(), "the replay records different calls")
        for theme in [Theme.light, Theme.dark] {
            original.theme = theme
            copy.theme = theme
            XCTAssertEqual(try copy.pngData(scale: 1), try original.pngData(scale: 1), "PNG differs in the \(theme.name) theme")
            XCTAssertEqual(try copy.svgData(), try original.svgData(), "SVG differs in the \(theme.name) theme")
        }
    }

    func testDocumentReadsAsTheCallsWithTheirNumbers() throws {
        let figure = Figure(width: 300, height: 200)
        let axes = figure.axes(0, 0)
        axes.line(x: [1, 2, 3], y: [0.5, .nan, 0.25], label: "loss")
        axes.yScale = .log
        let json = String(decoding: try figure.document.encoded(), as: UTF8.self)
        XCTAssertTrue(json.contains(#""line":{"#), json)
        XCTAssertTrue(json.contains(#""x":[1,2,3]"#), json)
        XCTAssertTrue(json.contains(#""y":[0.5,"NaN",0.25]"#), json)
        XCTAssertTrue(json.contains(#""label":"loss""#), json)
        XCTAssertTrue(json.contains(#""yScale":"log""#), json)
        let back = try FigureDocument.decode(Data(json.utf8))
        guard case let .line(_, y, _, _, _, _, _) = back.axes[0].calls[0] else { return XCTFail("not a line: \(back.axes[0].calls)") }
        XCTAssertTrue(y[1].isNaN)
    }

    func testReplayKeepsInvalidCallsInvalid() throws {
        let figure = Figure(width: 300, height: 200)
        figure.axes(0, 0).line(x: [1, 2], y: [1], label: "bad")
        let copy = try Figure(document: figure.document)
        assertPlotError(copy, .shapeMismatch)
    }

    func testRejectsWhatIsNotAFigureDocument() throws {
        let good = try makeSampleFigure().document.encoded()
        let cases: [(String, Data)] = [
            ("truncated", good.prefix(good.count / 2)),
            ("not JSON", Data("PNG".utf8)),
            ("other format", Data(String(decoding: good, as: UTF8.self).replacingOccurrences(of: "\"labbook-figure\"", with: "\"vega\"").utf8)),
            ("newer version", Data(String(decoding: good, as: UTF8.self).replacingOccurrences(of: "\"version\":1", with: "\"version\":99").utf8)),
        ]
        for (name, data) in cases {
            XCTAssertThrowsError(try FigureDocument.decode(data), name) { error in
                XCTAssertEqual((error as? PlotError)?.kind, .invalidArgument, "\(name): \(error)")
            }
        }
        var document = makeSampleFigure().document
        document.axes[0].row = 7
        XCTAssertThrowsError(try Figure(document: document)) { XCTAssertTrue("\($0)".contains("outside the grid"), "\($0)") }
        document = makeSampleFigure().document
        document.width = 1e9
        XCTAssertThrowsError(try Figure(document: document)) { XCTAssertTrue("\($0)".contains("outside 10...10000"), "\($0)") }
    }

    func testDocumentRedrawsAtAnotherSize() throws {
        let figure = try Figure(document: makeSampleFigure().document, width: 480, height: 300)
        let image = try PNGImage(data: figure.pngData(scale: 1))
        XCTAssertEqual(image.width, 480)
        XCTAssertEqual(image.height, 300)
    }
}
