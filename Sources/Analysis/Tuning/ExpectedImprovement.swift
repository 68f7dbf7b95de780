import Foundation

/// Expected improvement over the best score so far, for maximisation, and its logarithm computed
/// without underflow.
///
/// For a Gaussian posterior N(μ, σ²) and incumbent f*, with z = (μ − f*)/σ
/// (Jones, Schonlau & Welch, "Efficient Global Optimization of Expensive Black-Box Functions",
/// J. Global Optimization 13, 1998):
///
/// ```
/// EI = E[max(f − f*, 0)] = σ h(z),   h(z) = z Φ(z) + φ(z)
/// ```
///
/// h(z) underflows to 0 once z ≲ −38, and loses all relative accuracy long before, which leaves the
/// acquisition flat exactly where a fitted GP is confident (Ament et al., "Unexpected Improvements to
/// Expected Improvement for Bayesian Optimization", NeurIPS 2023). ``logarithm(mean:standardDeviation:incumbent:)``
/// evaluates log h in three regimes:
///
/// ```
/// z > −1:        log(z Φ(z) + φ(z))                              (direct, no cancellation)
/// −10 < z ≤ −1:  log φ(z) + log(1 − |z| m(|z|))                  m(t) = Φ(−t)/φ(t), Mills ratio,
///                                                                 = √(π/2) erfcx(t/√2)
/// z ≤ −10:       log φ(z) + log Σₖ (−1)^{k+1} (2k−1)!! / z^{2k}   (asymptotic series of 1 − t m(t))
/// ```
///
/// erfcx(x) = e^{x²} erfc(x) is taken as exp(x²)·erfc(x), exact to rounding for x ≤ 7.1 where
/// erfc(x) ≥ 10⁻²³ is a normal double.
public enum ExpectedImprovement {
    /// EI = σ h(z) (0 when σ = 0 and μ ≤ f*).
    public static func value(mean: Double, standardDeviation: Double, incumbent: Double) -> Double {
        guard standardDeviation > 0 else { return max(mean - incumbent, 0) }
        let z = (mean - incumbent) / standardDeviation
        return standardDeviation * (z * standardNormalCumulative(z) + standardNormalDensity(z))
    }

    /// log EI = log σ + log h(z), finite for any finite z (−∞ only when σ = 0 and μ ≤ f*).
    public static func logarithm(mean: Double, standardDeviation: Double, incumbent: Double) -> Double {
        guard standardDeviation > 0 else { return log(max(mean - incumbent, 0)) }
        return log(standardDeviation) + logImprovementFactor((mean - incumbent) / standardDeviation)
    }

    /// log h(z), h(z) = z Φ(z) + φ(z): the EI of a unit-variance posterior.
    public static func logImprovementFactor(_ z: Double) -> Double {
        let logDensity = -0.5 * z * z - 0.5 * log(2 * Double.pi)
        if z > -1 {
            return log(z * standardNormalCumulative(z) + standardNormalDensity(z))
        }
        let t = -z
        if t < 10 {
            let millsRatio = (Double.pi / 2).squareRoot() * scaledComplementaryErrorFunction(t / 2.0.squareRoot())
            return logDensity + log1p(-t * millsRatio)
        }
        // 1 − t m(t) = 1/t² − 3/t⁴ + 15/t⁶ − …; for t ≥ 10 the terms shrink fast over the first
        // few dozen, far past double precision, so summing until negligible is safe.
        let inverseSquare = 1 / (t * t)
        var term = inverseSquare, sum = 0.0, k = 1.0
        while abs(term) > 1e-17 * abs(sum) || sum == 0 {
            sum += term
            term *= -(2 * k + 1) * inverseSquare
            k += 1
            if k > 30 { break }
        }
        return logDensity + log(sum)
    }

    /// φ(z) = e^{−z²/2} / √(2π).
    public static func standardNormalDensity(_ z: Double) -> Double {
        exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
    }

    /// Φ(z) = erfc(−z/√2) / 2, accurate in the lower tail where 1 − Φ(−z) would cancel.
    public static func standardNormalCumulative(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// erfcx(x) = e^{x²} erfc(x), for 0 ≤ x ≤ 7.1 (see the type's documentation).
    static func scaledComplementaryErrorFunction(_ x: Double) -> Double {
        exp(x * x) * erfc(x)
    }
}
