import Foundation

/// A number measured once per seed: its mean, sample standard deviation and range, so that a
/// report states how much of a difference is the seed's doing.
struct SeedSpread: Codable, Equatable {
    var values: [Double]

    var count: Int { values.count }
    var mean: Double { Questions.mean(values) }
    /// Sample standard deviation (n - 1); 0 for a single value.
    var standardDeviation: Double { Questions.standardDeviation(values) }
    var minimum: Double { values.min() ?? .nan }
    var maximum: Double { values.max() ?? .nan }

    /// "0.9772 ± 0.0011 (3 seeds, 0.9760–0.9781)".
    func formatted(digits: Int = 4) -> String {
        let f = "%.\(digits)f"
        guard count > 1 else { return String(format: f, mean) + " (1 seed)" }
        return String(format: "\(f) ± \(f) (%d seeds, \(f)–\(f))", mean, standardDeviation, count, minimum, maximum)
    }
}

/// The standard error of an accuracy `p` measured on `n` test images, `sqrt(p (1 - p) / n)`:
/// how much the test set's own sampling moves it.
func accuracyStandardError(_ accuracy: Double, testCount: Int) -> Double {
    guard testCount > 0 else { return .nan }
    return (accuracy * (1 - accuracy) / Double(testCount)).squareRoot()
}
