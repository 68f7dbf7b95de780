import Foundation

/// The Matérn-5/2 covariance with one length scale per input dimension (automatic relevance
/// determination):
///
/// ```
/// r² = Σᵢ (aᵢ − bᵢ)² / ℓᵢ²
/// k(a, b) = σ² (1 + √5 r + 5r²/3) exp(−√5 r)
/// ```
///
/// Twice differentiable, so the surrogate is smooth without the squared exponential's unrealistic
/// infinite smoothness (Rasmussen & Williams, *Gaussian Processes for Machine Learning*, 2006,
/// §4.2, eq. 4.17; Snoek, Larochelle & Adams, "Practical Bayesian Optimization of Machine Learning
/// Algorithms", NeurIPS 2012, recommend it for hyperparameter tuning).
public struct MaternKernel: Codable, Hashable, Sendable {
    /// ℓᵢ, one per input coordinate.
    public var lengthScales: [Double]
    /// σ², the prior variance k(x, x).
    public var signalVariance: Double

    public init(lengthScales: [Double], signalVariance: Double) {
        precondition(lengthScales.allSatisfy { $0 > 0 } && signalVariance > 0, "kernel hyperparameters must be positive")
        self.lengthScales = lengthScales
        self.signalVariance = signalVariance
    }

    /// k(a, b).
    public func callAsFunction(_ a: [Double], _ b: [Double]) -> Double {
        value(atScaledDistance: scaledDistance(a, b))
    }

    /// σ² (1 + √5 r + 5r²/3) exp(−√5 r) as a function of the scaled distance r.
    public func value(atScaledDistance r: Double) -> Double {
        let s = 5.0.squareRoot() * r
        return signalVariance * (1 + s + s * s / 3) * exp(-s)
    }

    /// r = ‖(a − b) / ℓ‖.
    public func scaledDistance(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == lengthScales.count && b.count == lengthScales.count, "dimension mismatch")
        var sum = 0.0
        for i in a.indices {
            let d = (a[i] - b[i]) / lengthScales[i]
            sum += d * d
        }
        return sum.squareRoot()
    }

    /// ∂k(a, b)/∂log ℓᵢ for every i, then ∂k/∂log σ².
    ///
    /// With s = √5 r, dk/dr = −(5/3) σ² r (1 + s) e^{−s} and ∂r/∂log ℓᵢ = −(aᵢ − bᵢ)²/(ℓᵢ² r), so
    ///
    /// ```
    /// ∂k/∂log ℓᵢ = (5/3) σ² (1 + s) e^{−s} (aᵢ − bᵢ)²/ℓᵢ²      (no 1/r: finite at r = 0)
    /// ∂k/∂log σ² = k
    /// ```
    public func gradientWithRespectToLogHyperparameters(_ a: [Double], _ b: [Double]) -> [Double] {
        let r = scaledDistance(a, b)
        let s = 5.0.squareRoot() * r
        let common = 5.0 / 3.0 * signalVariance * (1 + s) * exp(-s)
        var gradient = a.indices.map { i -> Double in
            let d = (a[i] - b[i]) / lengthScales[i]
            return common * d * d
        }
        gradient.append(value(atScaledDistance: r))
        return gradient
    }
}
