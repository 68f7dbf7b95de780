import XCTest
@testable import Plot

final class ImageGridArtistTests: XCTestCase {
    func testOnesAreBlackInkOnWhite() throws {
        let figure = Figure(width: 200, height: 120)
        let half = (0..<16).map { $0 % 4 < 2 ? 1.0 : 0.0 } // left half ink
        figure.axes(0, 0).imageGrid(images: [half, half], imageRows: 4, imageColumns: 4, captions: ["a", "b"], gridColumns: 2)
        let image = try PNGImage(data: figure.pngData(scale: 2))
        XCTAssertGreaterThan(countPixels(image, near: .black, tolerance: 2), 2000)
        XCTAssertNoThrow(try figure.svgData())
    }
}
