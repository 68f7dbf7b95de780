import Foundation

/// Maps data values on one axis to page coordinates (linear or log10).
struct AxisMapping {
    var scale: AxisScale
    var lower: Double
    var upper: Double
    /// Page coordinate of `lower` and `upper`; for y, start is the bottom of the plot.
    var start: Double
    var end: Double

    func forward(_ value: Double) -> Double {
        scale == .log ? (value > 0 ? log10(value) : -.infinity) : value
    }

    func page(_ value: Double) -> Double {
        let a = forward(lower), b = forward(upper)
        guard b != a else { return (start + end) / 2 }
        return start + (forward(value) - a) / (b - a) * (end - start)
    }

    /// Points per data unit along this axis (linear axes only; used for equal aspect).
    var pointsPerUnit: Double { abs(end - start) / max(1e-300, abs(forward(upper) - forward(lower))) }
}

/// The data-to-page transform of one Axes.
struct DataTransform {
    var x: AxisMapping
    var y: AxisMapping

    func point(_ dataX: Double, _ dataY: Double) -> Point {
        Point(x: x.page(dataX), y: y.page(dataY))
    }
}

/// The finite data range an artist covers, for automatic limits.
struct DataExtent {
    var x: ClosedRange<Double>?
    var y: ClosedRange<Double>?
    /// Images and contours fill the whole plot; no margin is added around them.
    var tight: Bool = false
    /// Bars keep zero on the edge of the plot (no margin below a baseline at zero).
    var stickyZero: Bool = false

    /// Finite min...max of `values`, nil when none are finite.
    static func range(_ values: [Double]) -> ClosedRange<Double>? {
        var low = Double.infinity, high = -Double.infinity
        for v in values where v.isFinite {
            low = min(low, v)
            high = max(high, v)
        }
        return low <= high ? low...high : nil
    }

    static func union(_ a: ClosedRange<Double>?, _ b: ClosedRange<Double>?) -> ClosedRange<Double>? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a.lowerBound, b.lowerBound)...max(a.upperBound, b.upperBound)
    }
}
