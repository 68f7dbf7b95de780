import XCTest
@testable import Plot

final class HeatmapArtistTests: XCTestCase {
    func testMaximumCellIsViridisYellowAtItsPosition() throws {
        let figure = Figure(width: 300, height: 300)
        figure.axes(0, 0).heatmap([[0, 1], [2, 3]])
        let image = try PNGImage(data: figure.pngData(scale: 1))
        let yellow = Colormap.viridis.color(at: 1), purple = Colormap.viridis.color(at: 0)
        let (yellowCenter, yellowCount) = centroid(image, near: yellow)
        let (purpleCenter, purpleCount) = centroid(image, near: purple)
        XCTAssertGreaterThan(yellowCount, 3000, "the value-3 cell is viridis yellow #FDE725")
        XCTAssertGreaterThan(purpleCount, 3000)
        // Row 0 is drawn at the top (imshow), so the maximum (row 1, column 1) is lower right.
        XCTAssertGreaterThan(yellowCenter.x, purpleCenter.x)
        XCTAssertGreaterThan(yellowCenter.y, purpleCenter.y)
    }

    func testAnnotationsUseContrastingInk() throws {
        let figure = Figure(width: 300, height: 300)
        figure.axes(0, 0).heatmap([[0, 10], [10, 0]], xTickLabels: ["a", "b"], yTickLabels: ["c", "d"], annotate: true)
        let image = try PNGImage(data: figure.pngData(scale: 2))
        // White digits on the dark cells exist (pure white inside the plot is only text).
        XCTAssertGreaterThan(countPixels(image, near: .white, tolerance: 3), 0)
        XCTAssertNoThrow(try figure.svgData())
    }

    func testDivergingHeatmapCentresAtZero() {
        let artist = HeatmapArtist(values: [[-1, 0, 4]], colormap: .diverging, valueRange: nil, center: nil,
                                   colorbarLabel: nil, annotate: false, annotationFormat: "%.0f")
        XCTAssertEqual(artist.cellColor(0), Colormap.diverging.color(at: 0.5))
        XCTAssertEqual(artist.cellColor(-1), Colormap.diverging.color(at: 0))
        XCTAssertEqual(artist.cellColor(4), Colormap.diverging.color(at: 1))
    }

    private func centroid(_ image: PNGImage, near color: Color) -> (Point, Int) {
        var sx = 0.0, sy = 0.0, n = 0
        for y in 0..<image.height {
            for x in 0..<image.width where channelDistance(image.pixel(x: x, y: y), color) <= 4 {
                sx += Double(x)
                sy += Double(y)
                n += 1
            }
        }
        return (Point(x: sx / Double(max(n, 1)), y: sy / Double(max(n, 1))), n)
    }
}
