import Foundation

/// McNemar's exact test of two classifiers on the same test items (McNemar, 1947; the exact
/// binomial form, Edwards 1948 without continuity correction, as `statsmodels`'
/// `mcnemar(exact=True)`): only the discordant items count, those one classifier gets right and
/// the other wrong. Under the null hypothesis of equal accuracy each discordant item is a fair
/// coin, so the two-sided p-value is `min(1, 2 · P(X ≤ min(b, c)))` for `X ~ Binomial(b + c, ½)`.
public struct McNemarTest: Codable, Equatable, Sendable {
    /// Items only the first classifier gets right.
    public var onlyFirstCorrect: Int
    /// Items only the second classifier gets right.
    public var onlySecondCorrect: Int

    public init(onlyFirstCorrect: Int, onlySecondCorrect: Int) {
        precondition(onlyFirstCorrect >= 0 && onlySecondCorrect >= 0, "McNemarTest: counts must be non-negative")
        self.onlyFirstCorrect = onlyFirstCorrect
        self.onlySecondCorrect = onlySecondCorrect
    }

    /// Counts the discordant items of two classifiers' correctness on the same items, pooled
    /// over pairs of runs (`first[k]` against `second[k]`, e.g. seed k of each network).
    public init(firstCorrect: [[Bool]], secondCorrect: [[Bool]]) {
        precondition(firstCorrect.count == secondCorrect.count, "McNemarTest: \(firstCorrect.count) runs against \(secondCorrect.count)")
        var b = 0, c = 0
        for (first, second) in zip(firstCorrect, secondCorrect) {
            precondition(first.count == second.count, "McNemarTest: \(first.count) items against \(second.count)")
            for (x, y) in zip(first, second) where x != y {
                if x { b += 1 } else { c += 1 }
            }
        }
        self.init(onlyFirstCorrect: b, onlySecondCorrect: c)
    }

    public var discordant: Int { onlyFirstCorrect + onlySecondCorrect }

    /// The exact two-sided p-value; 1 when no item is discordant.
    public var pValue: Double {
        let n = discordant
        guard n > 0 else { return 1 }
        let k = min(onlyFirstCorrect, onlySecondCorrect)
        return min(1, 2 * Self.binomialLowerTail(k, trials: n))
    }

    /// `P(X ≤ k)` for `X ~ Binomial(trials, ½)`, summed in log space so that thousands of
    /// discordant items neither overflow nor underflow before the sum.
    static func binomialLowerTail(_ k: Int, trials n: Int) -> Double {
        let logHalfPower = Double(n) * log(0.5)
        let logTerms = (0...k).map { i in logBinomialCoefficient(n, i) + logHalfPower }
        let largest = logTerms.max()!
        return exp(largest) * logTerms.reduce(0) { $0 + exp($1 - largest) }
    }

    static func logBinomialCoefficient(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}

/// Holm's step-down adjustment of several p-values (Holm, 1979): controls the chance of any
/// false rejection among the family at the stated level, uniformly more powerful than
/// Bonferroni. Returns the adjusted p-values in the input order.
public func holmAdjusted(_ pValues: [Double]) -> [Double] {
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    var adjusted = [Double](repeating: 1, count: pValues.count)
    var running = 0.0
    for (rank, index) in order.enumerated() {
        running = max(running, min(1, Double(pValues.count - rank) * pValues[index]))
        adjusted[index] = running
    }
    return adjusted
}
