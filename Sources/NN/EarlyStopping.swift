/// Stops training once validation accuracy has stopped improving (Keras's `EarlyStopping`
/// monitoring `val_accuracy`, without restoring earlier weights): after each epoch the best
/// validation accuracy so far is kept, and `patience` epochs in a row that do not beat it by more
/// than `minimumImprovement` end the run. The epoch cap of `Trainer.fit` still applies.
public struct EarlyStopping: Codable, Equatable, Sendable {
    public var patience: Int
    public var minimumImprovement: Double

    public init(patience: Int, minimumImprovement: Double = 0) {
        precondition(patience > 0, "EarlyStopping: patience must be positive, got \(patience)")
        self.patience = patience
        self.minimumImprovement = minimumImprovement
    }

    /// Whether to stop after the epochs whose validation accuracies are `history`.
    public func shouldStop(validationAccuracies history: [Double]) -> Bool {
        guard history.count > patience else { return false }
        let before = history.dropLast(patience).max() ?? -.infinity
        return history.suffix(patience).allSatisfy { $0 <= before + minimumImprovement }
    }

    /// The 1-based epoch of the best validation accuracy (the first on ties).
    public static func bestEpoch(validationAccuracies history: [Double]) -> Int? {
        guard let best = history.max() else { return nil }
        return history.firstIndex(of: best).map { $0 + 1 }
    }
}
