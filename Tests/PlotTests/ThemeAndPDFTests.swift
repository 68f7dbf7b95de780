import Foundation
import XCTest
@testable import Plot

final class ThemeAndPDFTests: XCTestCase {
    /// The dark theme changes the furniture (background, text, frame) and nothing else: the
    /// data's colours are the same pixels in both drawings.
    func testDarkThemeRepaintsTheFurnitureOnly() throws {
        let light = makeSampleFigure(), dark = makeSampleFigure()
        dark.theme = .dark
        let lightImage = try PNGImage(data: light.pngData(scale: 1)), darkImage = try PNGImage(data: dark.pngData(scale: 1))
        XCTAssertEqual(darkImage.pixel(x: 1, y: 1), PNGImage.Pixel(red: 0x0D, green: 0x11, blue: 0x17))
        let lightBlack = countPixels(lightImage, near: .black, tolerance: 2), darkBlack = countPixels(darkImage, near: .black, tolerance: 2)
        XCTAssertGreaterThan(lightBlack, 500)
        XCTAssertLessThan(darkBlack, lightBlack / 10, "no black text or frames on the dark background (the rest is data drawn in black)")
        XCTAssertGreaterThan(countPixels(darkImage, near: Theme.dark.ink, tolerance: 30), 50, "text and frames in the dark ink")
        let palette = Color.palette(0)
        // Same data pixels; only anti-aliased edges blend with the other background.
        let lightSeries = Double(countPixels(lightImage, near: palette, tolerance: 2)), darkSeries = Double(countPixels(darkImage, near: palette, tolerance: 2))
        XCTAssertGreaterThan(lightSeries, 1000)
        XCTAssertEqual(darkSeries, lightSeries, accuracy: 0.01 * lightSeries, "the first series is drawn the same")
        XCTAssertNotEqual(try light.svgData(), try dark.svgData())
    }

    func testTransparentThemeLeavesTheBackgroundClear() throws {
        let figure = makeSampleFigure()
        figure.theme = Theme.light.transparent
        let image = try PNGImage(data: figure.pngData(scale: 1))
        XCTAssertEqual(image.pixel(x: 1, y: 1).alpha, 0)
        XCTAssertEqual(Theme.named("dark"), .dark)
        XCTAssertNil(Theme.named("sepia"))
    }

    /// One page of exactly the figure's size in points, text kept as text with the font embedded.
    func testPDFIsOnePageOfTheFigureSizeWithEmbeddedText() throws {
        let figure = Figure(width: 321, height: 123)
        figure.axes(0, 0).line(x: [0, 1, 2], y: [2, 0, 1], label: "series")
        figure.axes(0, 0).xLabel = "epoch"
        let pdf = try figure.pdfData()
        let text = String(decoding: pdf, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("%PDF-"))
        XCTAssertTrue(text.contains("/MediaBox [ 0 0 321 123 ]"), "page size in points")
        XCTAssertEqual(text.components(separatedBy: "/Type /Page\n").count + text.components(separatedBy: "/Type /Page ").count - 2, 1, "one page")
        XCTAssertTrue(text.contains("/FontFile2") || text.contains("/FontFile3") || text.contains("/FontFile "), "the font is embedded")
        XCTAssertTrue(text.hasSuffix("%%EOF\n") || text.hasSuffix("%%EOF"))
    }
}
