import Foundation

/// Chooses tick positions and their labels.
///
/// Linear ticks step by 1, 2, 2.5 or 5 times a power of ten (the "nice numbers" readers can
/// interpolate between); log ticks sit on whole decades.
public enum TickLocator {
    /// At most `maxTicks` nice ticks inside `lower...upper` (inclusive, with rounding slack).
    public static func linear(lower: Double, upper: Double, maxTicks: Int = 6) -> [Double] {
        guard lower.isFinite, upper.isFinite else { return [] }
        var (low, high) = (min(lower, upper), max(lower, upper))
        if high - low < 1e-12 * max(1, abs(low)) {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        let step = niceStep(lower: low, upper: high, maxTicks: max(2, maxTicks))
        return ticks(lower: low, upper: high, step: step)
    }

    /// The step `linear` uses for this range.
    public static func niceStep(lower: Double, upper: Double, maxTicks: Int = 6) -> Double {
        let span = upper - lower
        guard span > 0 else { return 1 }
        var magnitude = pow(10, floor(log10(span / Double(maxTicks))))
        // Walk up the 1-2-2.5-5 ladder until the ticks fit.
        while true {
            for multiple in [1, 2, 2.5, 5] {
                let step = multiple * magnitude
                if ticks(lower: lower, upper: upper, step: step).count <= maxTicks { return step }
            }
            magnitude *= 10
        }
    }

    private static func ticks(lower: Double, upper: Double, step: Double) -> [Double] {
        let slack = step * 1e-9
        let first = (lower / step - 1e-9).rounded(.up)
        let last = (upper / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 10_000 else { return [] }
        return stride(from: first, through: last, by: 1).map { index in
            let value = index * step
            return abs(value) < slack ? 0 : value
        }
    }

    /// Whole decades inside `lower...upper` (both positive); thinned to every 2nd, 3rd...
    /// decade when there would be more than `maxTicks`.
    public static func logDecades(lower: Double, upper: Double, maxTicks: Int = 8) -> [Double] {
        guard lower > 0, upper > 0, lower.isFinite, upper.isFinite else { return [] }
        let first = Int((log10(min(lower, upper)) - 1e-9).rounded(.up))
        let last = Int((log10(max(lower, upper)) + 1e-9).rounded(.down))
        guard last >= first else { return [] }
        let every = max(1, Int((Double(last - first + 1) / Double(max(1, maxTicks))).rounded(.up)))
        return stride(from: first, through: last, by: every).map { pow(10, Double($0)) }
    }

    /// 2x..9x each decade, for unlabeled minor ticks on log axes.
    static func logMinor(lower: Double, upper: Double) -> [Double] {
        guard lower > 0, upper > lower else { return [] }
        let first = Int(floor(log10(lower))), last = Int(ceil(log10(upper)))
        guard last - first <= 12 else { return [] }
        var result: [Double] = []
        for exponent in first...last {
            for multiple in 2...9 {
                let value = Double(multiple) * pow(10, Double(exponent))
                if value >= lower && value <= upper { result.append(value) }
            }
        }
        return result
    }

    /// A label for `value` with just enough decimals to tell ticks `step` apart.
    public static func label(_ value: Double, step: Double) -> String {
        let value = abs(value) < abs(step) * 1e-9 ? 0 : value
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude >= 1e5 || magnitude < 1e-4 || step < 1e-5) {
            return minus(String(format: "%.3g", value))
        }
        var decimals = 0
        while decimals < 8 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, abs(scaled)) { break }
            decimals += 1
        }
        return minus(String(format: "%.\(decimals)f", value))
    }

    /// Labels for a whole row of ticks that never repeat: `label` per value, and where two
    /// would read the same (a narrow range far from zero: 0.319501, 0.319503 both "0.32"),
    /// more significant digits until each tick reads differently.
    public static func labels(_ values: [Double], step: Double) -> [String] {
        let plain = values.map { label($0, step: step) }
        guard Set(plain).count < values.count else { return plain }
        // Fixed decimals first, so every label of the row has the same number of them.
        if let largest = values.map(abs).max(), largest < 1e5 {
            for decimals in 1...12 {
                let candidate = values.map { minus(String(format: "%.\(decimals)f", abs($0) < abs(step) * 1e-9 ? 0 : $0)) }
                if Set(candidate).count == values.count { return candidate }
            }
        }
        for digits in 4...15 {
            let candidate = values.map { minus(String(format: "%.\(digits)g", abs($0) < abs(step) * 1e-9 ? 0 : $0)) }
            if Set(candidate).count == values.count { return candidate }
        }
        return plain
    }

    /// "10⁻³" style label for a decade tick; DejaVu Sans has the superscript glyphs.
    public static func logLabel(_ value: Double) -> String {
        let exponent = Int(log10(value).rounded())
        let superscripts: [Character: Character] = [
            "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻",
        ]
        return "10" + String(String(exponent).map { superscripts[$0] ?? $0 })
    }

    /// matplotlib prints a true minus sign, which lines up with digits.
    static func minus(_ text: String) -> String {
        text.replacingOccurrences(of: "-", with: "\u{2212}")
    }
}
