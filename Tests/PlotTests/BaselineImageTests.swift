import Foundation
import XCTest
@testable import Plot

/// Image baselines (matplotlib's `image_comparison`): each kind of figure the reports draw is
/// rendered from small fixed data and compared with a committed PNG in `Baselines/` within a
/// stated tolerance. A failure writes the expected, actual and difference images and names
/// them; `LABBOOK_RECORD_BASELINES=1 make test` re-records every baseline deliberately.
final class BaselineImageTests: XCTestCase {
    /// RMS of channel differences, 0-255 units: anti-aliasing noise stays far below it, a moved
    /// label or a changed colour goes far above.
    static let tolerance = 0.5

    func testLinesWithLegendAndLogAxis() throws {
        let figure = Figure(width: 420, height: 280)
        let axes = figure.axes(0, 0)
        let epochs = (1...12).map(Double.init)
        axes.line(x: epochs, y: epochs.map { 2 * exp(-$0 / 3) + 0.05 }, label: "training", marker: .circle)
        axes.line(x: epochs, y: epochs.map { 2 * exp(-$0 / 4) + 0.12 }, label: "validation", dash: .dashed)
        axes.horizontalLine(y: 0.1, label: "floor")
        axes.yScale = .log
        axes.xWholeNumberTicks = true
        axes.xLabel = "epoch"
        axes.yLabel = "loss"
        axes.showGrid = true
        try assertBaseline(figure, named: "lines-log-legend")
    }

    func testFilledContourWithPaleMarkerAndPath() throws {
        let figure = Figure(width: 380, height: 320)
        let axes = figure.axes(0, 0)
        let grid = stride(from: -1.0, through: 1.0, by: 0.1).map { $0 }
        let z = grid.map { b in grid.map { a in log10(0.05 + a * a + 2 * b * b + 0.6 * a * b) } }
        axes.filledContour(x: grid, y: grid, z: z, levels: 10, colorbarLabel: "log₁₀ loss")
        axes.contourLines(x: grid, y: grid, z: z, levels: [-0.5, 0], color: .white)
        axes.line(x: [-0.8, -0.4, -0.1, 0], y: [0.7, 0.3, 0.1, 0], label: "path", color: .white, marker: .circle)
        axes.scatter(x: [0], y: [0], label: "trained", color: .white, size: 6)
        axes.xLabel = "α"
        axes.yLabel = "β"
        axes.equalAspect = true
        try assertBaseline(figure, named: "contour-marker-path")
    }

    func testLogHeatmapsWithOneSharedColourBar() throws {
        let figure = Figure(width: 560, height: 260, columns: 2)
        figure.sharedColorbar = true
        let classes = ["0", "1", "2"]
        for (column, counts) in [[[980.0, 2, 0], [5, 1120, 1], [0, 75, 950]], [[975.0, 0, 7], [1, 1130, 3], [2, 9, 1010]]].enumerated() {
            let axes = figure.axes(0, column)
            axes.heatmap(counts, colorScale: .log, valueRange: 1...1130, colorbarLabel: "images", xTickLabels: classes,
                         yTickLabels: classes, annotate: true)
            axes.title = column == 0 ? "model A" : "model B"
            axes.xLabel = "predicted"
            axes.yLabel = column == 0 ? "true" : nil
        }
        try assertBaseline(figure, named: "heatmaps-log-shared")
    }

    func testSteepSurface() throws {
        let figure = Figure(width: 380, height: 320)
        let s = stride(from: -1.0, through: 1.0, by: 0.1).map { $0 }
        figure.axes(0, 0).surface3D(x: s, y: s, z: s.map { y in s.map { x in 1 / (1 + exp(-8 * (x + 0.4 * y))) } }, zLabel: "loss")
        figure.axes(0, 0).xLabel = "w"
        figure.axes(0, 0).yLabel = "b"
        try assertBaseline(figure, named: "surface-steep")
    }

    func testBarsAndCategoricalAxis() throws {
        let figure = Figure(width: 560, height: 260, columns: 2)
        figure.axes(0, 0).groupedBars(categories: ["grid", "random", "Bayesian"],
                                      series: [BarSeries(label: "best", values: [0.972, 0.975, 0.976]),
                                               BarSeries(label: "median", values: [0.95, 0.962, 0.968])])
        figure.axes(0, 0).yLimits = 0.9...1
        let spread = figure.axes(0, 1)
        spread.categoricalX(["balanced", "imbalanced"])
        spread.scatter(x: [0, 0, 0, 1, 1, 1], y: [0.91, 0.92, 0.915, 0.84, 0.88, 0.86], label: "seeds")
        spread.yLabel = "accuracy"
        try assertBaseline(figure, named: "bars-categorical")
    }

    func testParallelCoordinates() throws {
        let figure = Figure(width: 560, height: 280)
        let rates = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 2e-4, 5e-3, 7e-4]
        let scores = [0.91, 0.95, 0.97, 0.96, 0.93, 0.92, 0.965, 0.955]
        figure.axes(0, 0).parallelCoordinates([
            ParallelDimension(label: "learning rate", values: rates, scale: .log),
            ParallelDimension(label: "batch size", values: [32, 64, 128, 32, 64, 128, 32, 64], scale: .log),
            ParallelDimension(label: "validation accuracy", values: scores),
        ], colorValues: scores, colorLabel: "validation accuracy")
        try assertBaseline(figure, named: "parallel-coordinates")
    }

    func testEverythingInTheDarkTheme() throws {
        let figure = makeSampleFigure()
        figure.theme = .dark
        try assertBaseline(figure, named: "sample-dark")
    }

    // MARK: - Comparison

    private func assertBaseline(_ figure: Figure, named name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try figure.layoutProblems(), [], "\(name) has layout problems", file: file, line: line)
        let actual = try figure.pngData(scale: 1)
        let folder = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Baselines")
        let url = folder.appendingPathComponent("\(name).png")
        let recording = ProcessInfo.processInfo.environment["LABBOOK_RECORD_BASELINES"].map { !$0.isEmpty && $0 != "0" } ?? false
        guard !recording, let expected = try? Data(contentsOf: url) else {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try actual.write(to: url)
            if !recording { XCTFail("recorded missing baseline \(url.path); look at it and run again", file: file, line: line) }
            return
        }
        let difference = try ImageDifference(expected: expected, actual: actual)
        guard !(difference.sameSize && difference.rms <= Self.tolerance) else { return }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-baseline-failures")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try expected.write(to: out.appendingPathComponent("\(name)-expected.png"))
        try actual.write(to: out.appendingPathComponent("\(name)-actual.png"))
        try difference.differencePNG().write(to: out.appendingPathComponent("\(name)-difference.png"))
        XCTFail("""
            \(name) differs from its baseline: RMS \(String(format: "%.2f", difference.rms)) > \(Self.tolerance) \
            (\(difference.differingPixels) pixels differ\(difference.sameSize ? "" : ", and the size changed")); \
            see \(out.path)/\(name)-{expected,actual,difference}.png. LABBOOK_RECORD_BASELINES=1 re-records it if intended.
            """, file: file, line: line)
    }
}
