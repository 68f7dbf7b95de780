import Foundation
import XCTest
@testable import Plot

/// Asserts |actual - expected| <= atol + rtol * |expected|.
func assertClose(_ actual: Double, _ expected: Double, rtol: Double = 1e-9, atol: Double = 1e-9,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertLessThanOrEqual(abs(actual - expected), atol + rtol * abs(expected),
                             "\(actual) != \(expected) \(message)", file: file, line: line)
}

/// Largest per-channel difference in 0...255 units between a pixel and a colour.
func channelDistance(_ pixel: PNGImage.Pixel, _ color: Color) -> Double {
    let c = pixel.color
    return 255 * max(abs(c.red - color.red), abs(c.green - color.green), abs(c.blue - color.blue))
}

/// How many pixels are within `tolerance` (0...255) of `color`.
func countPixels(_ image: PNGImage, near color: Color, tolerance: Double = 6) -> Int {
    var count = 0
    for y in 0..<image.height {
        for x in 0..<image.width where channelDistance(image.pixel(x: x, y: y), color) <= tolerance { count += 1 }
    }
    return count
}

/// Expects the figure to fail rendering with a `PlotError` of `kind`.
func assertPlotError(_ figure: Figure, _ kind: PlotError.Kind, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try figure.pngData(scale: 1), file: file, line: line) { error in
        guard let plotError = error as? PlotError else { return XCTFail("not a PlotError: \(error)", file: file, line: line) }
        XCTAssertEqual(plotError.kind, kind, plotError.description, file: file, line: line)
        XCTAssertFalse(plotError.message.isEmpty, file: file, line: line)
    }
    XCTAssertThrowsError(try figure.svgData(), file: file, line: line)
}

/// A 2x3 figure exercising every artist, shared by the output tests and the sample render.
func makeSampleFigure() -> Figure {
    let figure = Figure(width: 960, height: 600, rows: 2, columns: 3)
    figure.title = "Labbook Plot sample"

    let curves = figure.axes(0, 0)
    let steps = (0..<60).map(Double.init)
    curves.line(x: steps, y: steps.map { 2.3 * exp(-$0 / 15) + 0.1 }, label: "train loss", marker: .none)
    var validation = steps.map { 2.3 * exp(-$0 / 20) + 0.25 }
    validation[30] = .nan
    curves.line(x: steps, y: validation, label: "validation", dash: .dashed, marker: .circle)
    curves.scatter(x: [10, 25, 40], y: [1.0, 0.6, 0.45], label: "checkpoints", marker: .triangle)
    curves.horizontalLine(y: 0.1, label: "floor")
    curves.text("NaN gap", x: 31, y: 1.2)
    curves.title = "Loss curves"
    curves.xLabel = "epoch"
    curves.yLabel = "loss"
    curves.showGrid = true

    let contour = figure.axes(0, 1)
    let grid = stride(from: -2.0, through: 2.0, by: 0.1).map { $0 }
    let z = grid.map { y in grid.map { x in x * x + 2 * y * y + 0.5 * x * y } }
    contour.filledContour(x: grid, y: grid, z: z, levels: 10, colorbarLabel: "loss")
    contour.contourLines(x: grid, y: grid, z: z, levels: [1, 2, 4, 8], color: .white)
    contour.title = "Loss landscape"
    contour.xLabel = "α"
    contour.yLabel = "β"
    contour.equalAspect = true

    let confusion = figure.axes(0, 2)
    let classes = ["cat", "dog", "bird", "frog"]
    let counts: [[Double]] = [[50, 3, 2, 0], [4, 45, 1, 5], [1, 2, 48, 4], [0, 6, 3, 41]]
    confusion.heatmap(counts, colorbarLabel: "count", xTickLabels: classes, yTickLabels: classes, annotate: true)
    confusion.title = "Confusion matrix"
    confusion.xLabel = "predicted"
    confusion.yLabel = "true"

    let saddle = figure.axes(1, 0)
    let s = stride(from: -1.0, through: 1.0, by: 0.08).map { $0 }
    saddle.surface3D(x: s, y: s, z: s.map { y in s.map { x in x * x - y * y } }, zLabel: "f(x, y)")
    saddle.title = "Saddle"
    saddle.xLabel = "x"
    saddle.yLabel = "y"

    let bars = figure.axes(1, 1)
    bars.groupedBars(categories: ["SGD", "Adam", "RMSprop"],
                     series: [BarSeries(label: "MLP", values: [0.91, 0.95, 0.94]), BarSeries(label: "LeNet-5", values: [0.97, 0.99, 0.985])])
    bars.title = "Test accuracy"
    bars.yLabel = "accuracy"
    bars.showGrid = true

    let digits = figure.axes(1, 2)
    digits.imageGrid(images: (0..<8).map(digitLikeImage), imageRows: 28, imageColumns: 28,
                     captions: (0..<8).map { "label \($0)" }, gridColumns: 4)
    digits.title = "Samples"
    return figure
}

/// A 28x28 ring or bar pattern standing in for an MNIST digit.
func digitLikeImage(_ seed: Int) -> [Double] {
    (0..<(28 * 28)).map { index in
        let x = Double(index % 28) - 13.5, y = Double(index / 28) - 13.5
        let radius = (x * x / Double(30 + 10 * seed % 40) + y * y / 80).squareRoot()
        return seed % 2 == 0 ? max(0, 1 - abs(radius - 1) * 3) : max(0, 1 - abs(x - Double(seed - 4)) / 2.5) * (abs(y) < 10 ? 1 : 0)
    }
}
