import Foundation

/// Brier score (Brier, 1950), the mean squared difference between the predicted probability of
/// class 1 and the label:
/// ```
/// Brier = (1/n) Σ (pᵢ − yᵢ)²
/// ```
/// 0 is perfect; always predicting ½ scores ¼. It is a proper scoring rule, minimised in
/// expectation by the true probabilities (and equal to twice the mean of MSE's per-example loss).
public func brierScore(probabilities: [Double], labels: [Double]) -> Double {
    precondition(!labels.isEmpty && probabilities.count == labels.count, "brierScore: one probability per label")
    return zip(probabilities, labels).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(labels.count)
}

/// Log loss (mean negative log-likelihood of the labels):
/// ```
/// log loss = −(1/n) Σ [ yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ) ]
/// ```
/// Always predicting ½ scores log 2 ≈ 0.693. Probabilities are clipped to
/// `[clip, 1 − clip]` (default 10⁻¹⁵, as scikit-learn long did) so that one confidently wrong
/// prediction rounded to exactly 0 or 1 costs −log(10⁻¹⁵) ≈ 34.5 instead of infinity.
public func logLoss(probabilities: [Double], labels: [Double], clip: Double = 1e-15) -> Double {
    precondition(!labels.isEmpty && probabilities.count == labels.count, "logLoss: one probability per label")
    precondition(clip >= 0 && clip < 0.5, "logLoss: clip must be in [0, ½)")
    var total = 0.0
    for (p, y) in zip(probabilities, labels) {
        let clipped = min(max(p, clip), 1 - clip)
        total -= y * log(clipped) + (1 - y) * log(1 - clipped)
    }
    return total / Double(labels.count)
}
