import Foundation

/// Keras 3's console format, so logs compare line by line with the Python runs:
///
/// ```
/// Epoch 3/10
/// 1500/1500 - 0s - 212us/step - accuracy: 0.9732 - loss: 0.0708 - val_accuracy: 0.9676 - val_loss: 0.1028
/// ```
/// Metrics appear in alphabetical order, values with four decimals (scientific notation at or
/// below 1e-3), as in `keras.utils.Progbar`.
public enum KerasProgressFormat {
    /// `Epoch 3/10`.
    public static func epochHeader(epoch: Int, of epochs: Int) -> String {
        "Epoch \(epoch)/\(epochs)"
    }

    /// The line printed when an epoch ends (Keras `verbose=2`).
    public static func summaryLine(steps: Int, elapsedSeconds: Double, metrics: [String: Double]) -> String {
        "\(steps)/\(steps) - \(String(format: "%.0f", elapsedSeconds))s - "
            + timePerStep(steps > 0 ? elapsedSeconds / Double(steps) : 0) + formattedMetrics(metrics)
    }

    /// The live line of a terminal (Keras `verbose=1`): count, a 20-cell bar, the estimated
    /// time left (or the elapsed time once finished), the time per step and the metrics so far.
    public static func progressLine(step: Int, of steps: Int, elapsedSeconds: Double, metrics: [String: Double]) -> String {
        let width = String(steps).count
        let count = String(repeating: " ", count: max(0, width - String(step).count)) + String(step)
        let filled = steps > 0 ? min(20, step * 20 / steps) : 20
        let bar = "\u{1B}[1m" + String(repeating: "━", count: filled) + "\u{1B}[0m"
            + "\u{1B}[2m" + String(repeating: "━", count: 20 - filled) + "\u{1B}[0m"
        let perStep = step > 0 ? elapsedSeconds / Double(step) : 0
        let time = step < steps ? duration(perStep * Double(steps - step)) : "\(String(format: "%.0f", elapsedSeconds))s"
        return "\(count)/\(steps) \(bar) \(time) \(timePerStep(perStep))" + formattedMetrics(metrics)
    }

    /// `2s/step`, `3ms/step` or `212us/step`, as Keras picks the unit.
    public static func timePerStep(_ seconds: Double) -> String {
        if seconds >= 1 || seconds == 0 { return String(format: "%.0fs/step", seconds) }
        if seconds >= 1e-3 { return String(format: "%.0fms/step", seconds * 1e3) }
        return String(format: "%.0fus/step", seconds * 1e6)
    }

    /// ` - accuracy: 0.9732 - loss: 0.0708`, names sorted.
    public static func formattedMetrics(_ metrics: [String: Double]) -> String {
        metrics.keys.sorted().map { name in
            let value = metrics[name]!
            let text = abs(value) > 1e-3 ? String(format: "%.4f", value) : String(format: "%.4e", value)
            return " - \(name): \(text)"
        }.joined()
    }

    /// `7s`, `1:05` or `1:02:03`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole >= 3600 { return String(format: "%d:%02d:%02d", whole / 3600, (whole % 3600) / 60, whole % 60) }
        if whole >= 60 { return String(format: "%d:%02d", whole / 60, whole % 60) }
        return "\(whole)s"
    }
}
