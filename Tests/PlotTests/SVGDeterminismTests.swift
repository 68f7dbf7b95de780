import Foundation
@testable import Plot
import XCTest

/// The same figure gives the same SVG bytes whatever was drawn before it in the process
/// (Cairo's id counters are global), so `labbook diff` sees no change where there is none.
final class SVGDeterminismTests: XCTestCase {
    private func figure(seed: Double) -> Figure {
        let figure = Figure(width: 320, height: 240)
        let axes = figure.axes(0, 0)
        axes.heatmap([[1, 2 + seed], [3, 4]], colorbarLabel: "count")
        axes.title = "confusion"
        return figure
    }

    func testRenderingTwiceInDifferentOrdersGivesIdenticalBytes() throws {
        let first = try figure(seed: 0).svgData()
        for _ in 0..<3 { _ = try figure(seed: 1).svgData() }   // advances Cairo's counters
        let second = try figure(seed: 0).svgData()
        XCTAssertEqual(first, second)
        let text = String(decoding: second, as: UTF8.self)
        XCTAssertTrue(text.contains(#"id="surface1""#), "ids renumbered from 1")
    }

    func testReferencesFollowTheirRenamedDefinitions() {
        let svg = ##"<svg><defs><image id="image1678"/><pattern id="pattern12"><use href="#image1678"/></pattern></defs><rect fill="url(#pattern12)"/><g id="surface1674"><use href="#glyph0-3"/></g></svg>"##
        let canonical = String(decoding: SVGIdentifiers.canonical(Data(svg.utf8)), as: UTF8.self)
        XCTAssertEqual(canonical, ##"<svg><defs><image id="image1"/><pattern id="pattern1"><use href="#image1"/></pattern></defs><rect fill="url(#pattern1)"/><g id="surface1"><use href="#glyph0-3"/></g></svg>"##)
    }
}
