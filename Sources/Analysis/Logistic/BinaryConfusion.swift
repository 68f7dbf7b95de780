import Foundation

/// The four counts of a binary classifier on labelled items, predicting class 1 when
/// `p ≥ threshold` (½ by default, the logistic-regression decision rule `z ≥ 0`).
///
/// ```
/// recall(class 1) = TP / (TP + FN)      recall(class 0) = TN / (TN + FP)
/// balanced accuracy = ½ (recall(class 0) + recall(class 1))
/// ```
/// Balanced accuracy weights both classes equally whatever their shares, so predicting the
/// majority class everywhere scores ½, not the majority's share.
public struct BinaryConfusion: Codable, Equatable, Sendable {
    public var truePositives = 0
    public var falseNegatives = 0
    public var trueNegatives = 0
    public var falsePositives = 0

    public init(truePositives: Int, falseNegatives: Int, trueNegatives: Int, falsePositives: Int) {
        self.truePositives = truePositives
        self.falseNegatives = falseNegatives
        self.trueNegatives = trueNegatives
        self.falsePositives = falsePositives
    }

    /// Counts from predicted probabilities of class 1 and labels in {0, 1}.
    public init(probabilities: [Double], labels: [Double], threshold: Double = 0.5) {
        precondition(probabilities.count == labels.count,
                     "BinaryConfusion: \(probabilities.count) probabilities for \(labels.count) labels")
        for (p, y) in zip(probabilities, labels) {
            switch (y == 1, p >= threshold) {
            case (true, true): truePositives += 1
            case (true, false): falseNegatives += 1
            case (false, false): trueNegatives += 1
            case (false, true): falsePositives += 1
            }
        }
    }

    /// Fraction of class-`label` items classified as `label`; NaN when there are none.
    public func recall(ofClass label: Int) -> Double {
        let (hit, miss) = label == 1 ? (truePositives, falseNegatives) : (trueNegatives, falsePositives)
        return hit + miss == 0 ? .nan : Double(hit) / Double(hit + miss)
    }

    public var balancedAccuracy: Double { (recall(ofClass: 0) + recall(ofClass: 1)) / 2 }

    public var accuracy: Double {
        Double(truePositives + trueNegatives) / Double(truePositives + falseNegatives + trueNegatives + falsePositives)
    }
}
