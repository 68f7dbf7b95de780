import XCTest
@testable import Plot

/// Invalid input becomes a thrown, descriptive `PlotError` at render time, never a crash.
final class AxesTests: XCTestCase {
    private func figure(_ build: (Axes) -> Void) -> Figure {
        let figure = Figure(width: 300, height: 200, rows: 1, columns: 2)
        build(figure.axes(0, 1))
        return figure
    }

    func testMismatchedLineLengths() {
        let f = figure { $0.line(x: [0, 1, 2], y: [0, 1]) }
        assertPlotError(f, .shapeMismatch)
        XCTAssertThrowsError(try f.pngData()) { error in
            XCTAssertTrue("\(error)".contains("axes (0, 1)"), "\(error)")
            XCTAssertTrue("\(error)".contains("3 x values but 2 y values"), "\(error)")
        }
    }

    func testContourShapeErrors() {
        let x = [0.0, 1, 2], y = [0.0, 1]
        assertPlotError(figure { $0.filledContour(x: x, y: y, z: [[0, 1, 2]]) }, .shapeMismatch)
        assertPlotError(figure { $0.contourLines(x: x, y: y, z: [[0, 1], [1, 2]], levels: [0.5]) }, .shapeMismatch)
        assertPlotError(figure { $0.surface3D(x: x, y: y, z: [[0, 1, 2], [1, 2]]) }, .shapeMismatch)
        assertPlotError(figure { $0.filledContour(x: x, y: y, z: [[.nan, .nan, .nan], [.nan, .nan, .nan]]) }, .noFiniteData)
    }

    func testEmptyAndNaNOnlyData() {
        assertPlotError(figure { $0.line(x: [], y: []) }, .emptyData)
        assertPlotError(figure { $0.scatter(x: [.nan, 1], y: [1, .nan]) }, .noFiniteData)
        assertPlotError(figure { $0.heatmap([]) }, .emptyData)
        assertPlotError(figure { $0.heatmap([[.nan]]) }, .noFiniteData)
    }

    func testNonPositiveValuesOnLogAxis() {
        assertPlotError(figure { axes in
            axes.line(x: [1, 2, 3], y: [1, 0, 2])
            axes.yScale = .log
        }, .nonPositiveOnLogAxis)
        assertPlotError(figure { axes in
            axes.line(x: [1, 2], y: [1, 2])
            axes.xScale = .log
            axes.xLimits = -1...1
        }, .nonPositiveOnLogAxis)
    }

    func testOtherShapeErrors() {
        assertPlotError(figure { $0.heatmap([[1, 2], [3]]) }, .shapeMismatch)
        assertPlotError(figure { $0.heatmap([[1, 2]], xTickLabels: ["a"]) }, .shapeMismatch)
        assertPlotError(figure { $0.groupedBars(categories: ["a", "b"], series: [BarSeries(label: "s", values: [1])]) }, .shapeMismatch)
        assertPlotError(figure { $0.imageGrid(images: [[0, 1, 0]], imageRows: 2, imageColumns: 2, captions: [], gridColumns: 1) },
                        .shapeMismatch)
        assertPlotError(figure { $0.imageGrid(images: [[0]], imageRows: 1, imageColumns: 1, captions: ["a", "b"], gridColumns: 1) },
                        .shapeMismatch)
        assertPlotError(figure { $0.scatter(x: [1], y: [1], size: -1) }, .invalidArgument)
        assertPlotError(figure { $0.line(x: [1, 2], y: [1, 2]); $0.xLimits = 3...3 }, .invalidArgument)
    }

    func testNaNPointsLeaveGapsInLines() throws {
        let figure = Figure(width: 200, height: 120)
        let axes = figure.axes(0, 0)
        let red = Color(red: 1, green: 0, blue: 0)
        axes.line(x: [0, 0.4, 0.5, 0.6, 1], y: [0.5, 0.5, .nan, 0.5, 0.5], color: red, width: 4)
        axes.xLimits = 0...1
        axes.yLimits = 0...1
        let image = try PNGImage(data: figure.pngData(scale: 2))
        var columns = Set<Int>()
        for y in 0..<image.height { for x in 0..<image.width where channelDistance(image.pixel(x: x, y: y), red) < 10 { columns.insert(x) } }
        let span = try XCTUnwrap(columns.max()) - XCTUnwrap(columns.min()) + 1
        XCTAssertGreaterThan(columns.count, 100, "the line is drawn in its colour")
        XCTAssertGreaterThan(span - columns.count, 40, "a gap of about a fifth of the width where y is NaN")
    }

    func testLegendBestAvoidsTheData() throws {
        let figure = Figure()
        let axes = figure.axes(0, 0)
        axes.line(x: [0, 1, 2, 3], y: [3, 2.9, 0.2, 0.1], label: "falls to lower right")
        let layout = try axes.layout(in: Rect(x: 0, y: 0, width: 640, height: 480), measurer: CairoRenderer.measuring())
        let frame = try XCTUnwrap(layout.legend?.frame)
        XCTAssertEqual(layout.legend?.covered, 0)
        XCTAssertGreaterThan(frame.midX, layout.plotRect.midX, "right side is free")
        XCTAssertLessThan(frame.midY, layout.plotRect.midY, "upper right corner is free")
        axes.legendLocation = .lowerLeft
        let fixed = try axes.layout(in: Rect(x: 0, y: 0, width: 640, height: 480), measurer: CairoRenderer.measuring())
        XCTAssertLessThan(try XCTUnwrap(fixed.legend?.frame).midX, fixed.plotRect.midX)
    }

    func testAutoLimitsHaveSmallMarginsAndImagesAreTight() throws {
        let figure = Figure()
        let axes = figure.axes(0, 0)
        axes.line(x: [0, 10], y: [0, 1])
        let layout = try axes.layout(in: Rect(x: 0, y: 0, width: 640, height: 480), measurer: CairoRenderer.measuring())
        assertClose(layout.transform.x.lower, -0.5)
        assertClose(layout.transform.x.upper, 10.5)
        let image = Figure().axes(0, 0)
        image.heatmap([[1, 2, 3]])
        let tight = try image.layout(in: Rect(x: 0, y: 0, width: 640, height: 480), measurer: CairoRenderer.measuring())
        assertClose(tight.transform.x.lower, -0.5)
        assertClose(tight.transform.x.upper, 2.5)
    }
}
