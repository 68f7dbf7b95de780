import Foundation

/// Predicted probabilities of class 1 against how often class 1 actually occurs, in equal-width
/// bins of the prediction (DeGroot & Fienberg, 1983; Guo et al., "On Calibration of Modern Neural
/// Networks", 2017). Bin `k` of `B` holds the predictions in `[k/B, (k+1)/B)`, the last bin
/// also `p = 1`. The expected calibration error is the count-weighted gap:
/// ```
/// ECE = Σ_k (n_k / n) · | mean(p in bin k) − mean(y in bin k) |
/// ```
/// A perfectly calibrated classifier has ECE 0 in the limit of many items per bin; with few
/// items the estimate is biased upwards, so two classifiers are compared on the same items.
public struct ReliabilityDiagram: Codable, Equatable, Sendable {
    public struct Bin: Codable, Equatable, Sendable {
        public var lower: Double
        public var upper: Double
        public var count: Int
        /// Mean predicted probability of class 1 in the bin; NaN when empty.
        public var meanPrediction: Double
        /// Fraction of the bin's items that are class 1; NaN when empty.
        public var observedFrequency: Double
    }

    public var bins: [Bin]

    public init(probabilities: [Double], labels: [Double], binCount: Int = 15) {
        precondition(binCount > 0, "ReliabilityDiagram: binCount must be positive")
        precondition(probabilities.count == labels.count,
                     "ReliabilityDiagram: \(probabilities.count) probabilities for \(labels.count) labels")
        var counts = [Int](repeating: 0, count: binCount)
        var predictionSums = [Double](repeating: 0, count: binCount)
        var labelSums = [Double](repeating: 0, count: binCount)
        for (p, y) in zip(probabilities, labels) {
            precondition(p >= 0 && p <= 1, "ReliabilityDiagram: probability \(p) outside [0, 1]")
            let k = min(Int(p * Double(binCount)), binCount - 1)
            counts[k] += 1
            predictionSums[k] += p
            labelSums[k] += y
        }
        bins = (0..<binCount).map { k in
            let n = Double(counts[k])
            return Bin(lower: Double(k) / Double(binCount), upper: Double(k + 1) / Double(binCount), count: counts[k],
                       meanPrediction: counts[k] == 0 ? .nan : predictionSums[k] / n,
                       observedFrequency: counts[k] == 0 ? .nan : labelSums[k] / n)
        }
    }

    public var itemCount: Int { bins.reduce(0) { $0 + $1.count } }

    public var expectedCalibrationError: Double {
        let total = Double(itemCount)
        guard total > 0 else { return .nan }
        return bins.filter { $0.count > 0 }.reduce(0) { sum, bin in
            sum + Double(bin.count) / total * abs(bin.meanPrediction - bin.observedFrequency)
        }
    }
}

/// ECE over `binCount` equal-width bins of the predicted probability of class 1 (see ``ReliabilityDiagram``).
public func expectedCalibrationError(probabilities: [Double], labels: [Double], binCount: Int = 15) -> Double {
    ReliabilityDiagram(probabilities: probabilities, labels: labels, binCount: binCount).expectedCalibrationError
}
