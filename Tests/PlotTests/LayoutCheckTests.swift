import Foundation
import XCTest
@testable import Plot

/// `Figure.layoutProblems()` finds what a plotting expert would reject (each check is shown
/// failing on a figure made to fail it), and the layout features keep real figures clear of it.
final class LayoutCheckTests: XCTestCase {
    func testSampleFigureHasNoLayoutProblems() throws {
        XCTAssertEqual(try makeSampleFigure().layoutProblems(), [])
    }

    func testRepeatedTickLabelIsReported() throws {
        let figure = Figure(width: 300, height: 200)
        figure.axes(0, 0).categoricalX(["SGD", "SGD"])
        figure.axes(0, 0).scatter(x: [0, 1], y: [1, 2])
        let problems = try figure.layoutProblems()
        XCTAssertTrue(problems.contains { $0.contains("\"SGD\" repeats") }, "\(problems)")
    }

    func testTextLeavingTheCanvasIsReported() throws {
        let figure = Figure(width: 200, height: 120)
        figure.axes(0, 0).line(x: [0, 1], y: [0, 1])
        figure.axes(0, 0).yLabel = "a y label far too long to fit beside a plot this short"
        let problems = try figure.layoutProblems()
        XCTAssertTrue(problems.contains { $0.contains("leaves the 200x120 canvas") }, "\(problems)")
    }

    func testOverlappingLabelsAreReported() throws {
        let figure = Figure(width: 400, height: 300)
        figure.axes(0, 0).line(x: [0, 1], y: [0, 1])
        figure.axes(0, 0).text("first note", x: 0.2, y: 0.6)
        figure.axes(0, 0).text("second note", x: 0.25, y: 0.6)
        let problems = try figure.layoutProblems()
        XCTAssertTrue(problems.contains { $0.contains("overlaps") }, "\(problems)")
    }

    func testLegendForcedOntoDataIsReportedAndBestMovesItOutside() throws {
        func figure(_ location: LegendLocation) -> Figure {
            let figure = Figure(width: 400, height: 300)
            let axes = figure.axes(0, 0)
            // Points everywhere: no place inside the axes is free.
            let grid = stride(from: 0.0, through: 1.0, by: 0.05).map { $0 }
            axes.scatter(x: grid.flatMap { x in grid.map { _ in x } }, y: grid.flatMap { _ in grid }, label: "everywhere")
            axes.yLimits = -0.02...1.02
            axes.legendLocation = location
            return figure
        }
        let forced = try figure(.upperRight).layoutProblems()
        XCTAssertTrue(forced.contains { $0.contains("legend box covers") }, "\(forced)")
        XCTAssertEqual(try figure(.best).layoutProblems(), [])
        let layout = try figure(.best).layout()
        let legend = try XCTUnwrap(layout.axes[0].legend)
        XCTAssertGreaterThan(legend.frame.minX, layout.axes[0].plotRect.maxX, "best with no free place goes outside the plot")
    }

    func testBestLegendUsesAnEdgeCentreWhenTheCornersAreTaken() throws {
        let figure = Figure(width: 400, height: 300)
        let axes = figure.axes(0, 0)
        // A V: every corner region holds data, the bottom centre does not.
        let x = stride(from: 0.0, through: 1.0, by: 0.02).map { $0 }
        axes.line(x: x, y: x.map { abs($0 - 0.5) * 2 }, label: "V shape")
        axes.line(x: x, y: x.map { 1 - abs($0 - 0.5) * 2 }, label: "Λ shape")
        axes.yLimits = -0.05...1.05
        XCTAssertEqual(try figure.layoutProblems(), [])
    }

    func testClippedDataIsReported() throws {
        let figure = Figure(width: 300, height: 200)
        figure.axes(0, 0).line(x: [0, 1, 2], y: [0, 5, 1])
        figure.axes(0, 0).yLimits = 0...2
        let problems = try figure.layoutProblems()
        XCTAssertTrue(problems.contains { $0.contains("clipped") }, "\(problems)")
    }

    func testLogColourScaleSpacesDecadesEvenly() throws {
        let figure = Figure(width: 300, height: 260)
        let axes = figure.axes(0, 0)
        axes.heatmap([[1, 10], [100, 1000]], colorScale: .log, colorbarLabel: "count")
        let heatmap = try XCTUnwrap(axes.artists.first as? HeatmapArtist)
        for (value, expected) in [(1.0, 0.0), (10, 1.0 / 3), (100, 2.0 / 3), (1000, 1), (0, 0)] {
            assertClose(heatmap.normalization.position(of: value), expected, atol: 1e-12, "position of \(value)")
        }
        let labels = Colorbar(spec: try XCTUnwrap(heatmap.colorbar)).ticks().map(\.label)
        XCTAssertEqual(labels, ["1", "10", "100", "1000"])
        XCTAssertEqual(try figure.layoutProblems(), [])
        let negative = Figure(width: 300, height: 260)
        negative.axes(0, 0).heatmap([[-1, -2]], colorScale: .log)
        assertPlotError(negative, .nonPositiveOnLogAxis)
    }

    func testSharedColourBarIsDrawnOnceAndRefusesDifferentScales() throws {
        func panels(_ second: ClosedRange<Double>) throws -> Figure {
            let figure = Figure(width: 700, height: 300, columns: 2)
            figure.sharedColorbar = true
            figure.axes(0, 0).heatmap([[1, 2], [3, 4]], valueRange: 0...5, colorbarLabel: "v")
            figure.axes(0, 1).heatmap([[4, 3], [2, 1]], valueRange: second, colorbarLabel: "v")
            figure.axes(0, 0).yLabel = "rows"
            return figure
        }
        let layout = try panels(0...5).layout()
        XCTAssertNotNil(layout.sharedColorbar)
        XCTAssertTrue(layout.axes.allSatisfy { $0.colorbar == nil }, "no per-axes colour bars")
        // The equal-aspect panels line up at one size although only the first has a y label.
        XCTAssertEqual(layout.axes[0].plotRect.width, layout.axes[1].plotRect.width, accuracy: 1e-9)
        XCTAssertEqual(layout.axes[0].plotRect.minY, layout.axes[1].plotRect.minY, accuracy: 1e-9)
        XCTAssertEqual(try panels(0...5).layoutProblems(), [])
        assertPlotError(try panels(0...9), .invalidArgument)
    }

    func testParallelCoordinatesTickEachAxisInItsOwnUnits() throws {
        let rates = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 2e-4, 5e-3]
        let hidden = [64.0, 128, 256, 64, 128, 256, 64]
        let scores = [0.91, 0.95, 0.97, 0.96, 0.93, 0.92, 0.965]
        let figure = Figure(width: 700, height: 340)
        let dimensions = [ParallelDimension(label: "learning rate", values: rates, scale: .log),
                          ParallelDimension(label: "hidden units", values: hidden, scale: .log),
                          ParallelDimension(label: "validation accuracy", values: scores)]
        figure.axes(0, 0).parallelCoordinates(dimensions, colorValues: scores, colorLabel: "validation accuracy")
        let artist = try XCTUnwrap(figure.axes(0, 0).parallel)
        XCTAssertEqual(artist.ticks(0).map(\.label), ["10⁻⁴", "10⁻³", "10⁻²"])
        XCTAssertEqual(artist.ticks(1).map(\.label), ["64", "128", "256"])
        XCTAssertEqual(try figure.layoutProblems(), [])
        let labels = try recordedTexts(figure)
        for label in ["learning rate", "hidden units", "validation accuracy"] { XCTAssertTrue(labels.contains(label), "\(label) missing: \(labels)") }

        let mismatched = Figure(width: 700, height: 340)
        mismatched.axes(0, 0).parallelCoordinates([dimensions[0], ParallelDimension(label: "x", values: [1])], colorValues: scores, colorLabel: "s")
        assertPlotError(mismatched, .shapeMismatch)
    }

    func testPaleMarkersGetADarkEdge() throws {
        let figure = Figure(width: 200, height: 160)
        figure.axes(0, 0).scatter(x: [0.5], y: [0.5], label: "trained", color: .white, size: 12)
        let image = try PNGImage(data: figure.pngData(scale: 2))
        // The legend box is white: its swatch is only visible through its dark rim.
        XCTAssertGreaterThan(countPixels(image, near: Color(red: 0.15, green: 0.15, blue: 0.15), tolerance: 40), 20)
    }

    private func recordedTexts(_ figure: Figure) throws -> [String] {
        let recorder = TextRecorder(theme: .light, measurer: try CairoRenderer.measuring())
        try figure.draw(figure.layout(), on: recorder)
        return recorder.inspection.texts.map(\.text)
    }
}
