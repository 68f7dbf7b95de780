/// What a `Trainer` reports while it runs, as Keras sends epoch and batch events to its
/// callbacks. The trainer prints nothing itself: whoever receives the events decides what a
/// terminal or a log shows (Labbook's `Console`, through `CellProgress`, draws both the cell's
/// bar and the Keras batch line).
public enum TrainingEvent: Sendable, Equatable {
    case epochStarted(epoch: Int, of: Int)
    /// After a mini-batch, at most about twenty times a second and always after the last one.
    case batchFinished(step: Int, of: Int, elapsedSeconds: Double, metrics: [String: Double])
    /// After the epoch's validation, with its training and validation metrics.
    case epochFinished(epoch: Int, of: Int, steps: Int, elapsedSeconds: Double, metrics: [String: Double])
    case stoppedEarly(afterEpoch: Int, patience: Int)

    /// The Keras-style log line (`Epoch 3/10`, the epoch summary, the early-stopping note);
    /// nil for batches, which feed a live progress line instead (`progressLine`).
    public var logLine: String? {
        switch self {
        case .epochStarted(let epoch, let epochs):
            return KerasProgressFormat.epochHeader(epoch: epoch, of: epochs)
        case .epochFinished(_, _, let steps, let elapsed, let metrics):
            return KerasProgressFormat.summaryLine(steps: steps, elapsedSeconds: elapsed, metrics: metrics)
        case .stoppedEarly(let epoch, let patience):
            return "Early stopping after epoch \(epoch): val_accuracy has not improved for \(patience) epoch\(patience == 1 ? "" : "s")"
        case .batchFinished:
            return nil
        }
    }

    /// Keras's live terminal line for a batch event (`verbose=1`), nil for the others.
    public var progressLine: String? {
        guard case .batchFinished(let step, let steps, let elapsed, let metrics) = self else { return nil }
        return KerasProgressFormat.progressLine(step: step, of: steps, elapsedSeconds: elapsed, metrics: metrics)
    }
}
