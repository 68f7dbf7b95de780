import XCTest
@testable import Plot

final class TickLocatorTests: XCTestCase {
    func testUnitRangeGivesFifths() {
        let ticks = TickLocator.linear(lower: 0, upper: 1)
        XCTAssertEqual(ticks.count, 6)
        for (tick, expected) in zip(ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]) { assertClose(tick, expected, atol: 1e-12) }
        XCTAssertEqual(ticks.map { TickLocator.label($0, step: 0.2) }, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    func testStepsAreOneTwoFiveMultiples() {
        for (lower, upper) in [(0.0, 7.3), (-3.2, 48.0), (0.001, 0.0173), (1e3, 8.7e4), (-1.0, 1.0)] {
            let ticks = TickLocator.linear(lower: lower, upper: upper, maxTicks: 7)
            XCTAssertGreaterThanOrEqual(ticks.count, 3, "\(lower)...\(upper)")
            XCTAssertLessThanOrEqual(ticks.count, 7)
            let step = ticks[1] - ticks[0]
            let mantissa = step / pow(10, floor(log10(step)))
            XCTAssertTrue([1, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-6 }, "step \(step)")
            XCTAssertTrue(ticks.allSatisfy { $0 >= lower - 1e-9 && $0 <= upper + 1e-9 })
        }
    }

    func testLabelsUseMinusSignAndNoNegativeZero() {
        XCTAssertEqual(TickLocator.label(-0.5, step: 0.5), "\u{2212}0.5")
        XCTAssertEqual(TickLocator.label(-1e-17, step: 0.5), "0.0")
        XCTAssertEqual(TickLocator.label(2.5, step: 2.5), "2.5")
        XCTAssertEqual(TickLocator.label(20, step: 10), "20")
    }

    func testLogDecades() {
        let ticks = TickLocator.logDecades(lower: 1e-3, upper: 1e1)
        XCTAssertEqual(ticks.count, 5)
        for (tick, expected) in zip(ticks, [1e-3, 1e-2, 1e-1, 1, 10]) { assertClose(tick, expected, rtol: 1e-12) }
        XCTAssertEqual(ticks.map(TickLocator.logLabel), ["10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹"])
        XCTAssertEqual(TickLocator.logDecades(lower: 1e-12, upper: 1e12, maxTicks: 6).count, 5, "thinned to every 5th decade")
    }

    func testLogAxisLayoutUsesDecadeTicks() throws {
        let figure = Figure()
        let axes = figure.axes(0, 0)
        axes.yScale = .log
        axes.yLimits = 1e-3...1e1
        axes.line(x: [0, 1, 2], y: [1e-3, 0.1, 10])
        let layout = try axes.layout(in: Rect(x: 0, y: 0, width: 640, height: 480), measurer: CairoRenderer.measuring())
        XCTAssertEqual(layout.yTicks.map(\.label), ["10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹"])
        XCTAssertFalse(layout.yMinorTicks.isEmpty)
        XCTAssertNoThrow(try figure.pngData(scale: 1))
    }

    /// A one- or two-epoch curve would get ticks at 1.2, 1.4...; epochs have no fractions.
    func testWholeNumberTicksForShortEpochAxes() throws {
        for epochs in [[1.0], [1.0, 2.0]] {
            let figure = Figure()
            let axes = figure.axes(0, 0)
            axes.line(x: epochs, y: epochs.map { 0.5 / $0 })
            let plain = try axes.layout(in: Rect(x: 0, y: 0, width: 640, height: 480), measurer: CairoRenderer.measuring())
            XCTAssertTrue(plain.xTicks.contains { $0.value != $0.value.rounded() }, "without the option the ticks are fractional")
            axes.xWholeNumberTicks = true
            let layout = try axes.layout(in: Rect(x: 0, y: 0, width: 640, height: 480), measurer: CairoRenderer.measuring())
            XCTAssertEqual(layout.xTicks.map(\.value), epochs)
            XCTAssertEqual(layout.xTicks.map(\.label), epochs.map { String(Int($0)) })
        }
    }

    /// Twenty runs: the nice step 2.5 becomes 5 on a whole-number axis (no "2.5" run).
    func testWholeNumberTicksNeverHalveARunIndex() throws {
        let figure = Figure()
        let axes = figure.axes(0, 0)
        axes.scatter(x: (1...20).map(Double.init), y: (1...20).map { 1 / Double($0) })
        axes.xWholeNumberTicks = true
        let layout = try axes.layout(in: Rect(x: 0, y: 0, width: 640, height: 480), measurer: CairoRenderer.measuring())
        XCTAssertFalse(layout.xTicks.isEmpty)
        XCTAssertTrue(layout.xTicks.allSatisfy { $0.value == $0.value.rounded() && !$0.label.contains(".") }, "\(layout.xTicks.map(\.label))")
    }
}

final class DistinctTickLabelTests: XCTestCase {
    /// A narrow range far from zero (the many-starts losses): every tick reads differently.
    func testLabelsNeverRepeatAtTheShownPrecision() {
        let values = TickLocator.linear(lower: 0.319_500, upper: 0.319_510, maxTicks: 6)
        XCTAssertGreaterThan(values.count, 2)
        let step = values[1] - values[0]
        XCTAssertLessThan(Set(values.map { TickLocator.label($0, step: step) }).count, values.count, "the single-value labels do repeat")
        let labels = TickLocator.labels(values, step: step)
        XCTAssertEqual(Set(labels).count, values.count, "\(labels)")
        XCTAssertEqual(Set(labels.map { $0.split(separator: ".").last?.count ?? 0 }).count, 1, "one number of decimals for the row: \(labels)")
    }

    func testOrdinaryRangesKeepTheirShortLabels() {
        XCTAssertEqual(TickLocator.labels([0, 0.5, 1], step: 0.5), ["0.0", "0.5", "1.0"])
        XCTAssertEqual(TickLocator.labels([-2, 0, 2], step: 2), ["\u{2212}2", "0", "2"])
    }
}
