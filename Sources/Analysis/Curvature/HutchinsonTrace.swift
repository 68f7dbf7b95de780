import Foundation

/// A Monte-Carlo estimate with its standard error.
public struct TraceEstimate: Codable {
    /// (1/s) Σ zᵢᵀ A zᵢ.
    public var estimate: Double
    /// sample standard deviation / √s (0 for a single sample).
    public var standardError: Double
    public var samples: Int
}

/// Hutchinson's estimator of tr(A) for an operator known only through v ↦ A v:
/// ```
/// tr(A) = E[zᵀ A z]   for z with independent Rademacher (±1) entries
/// ```
/// Rademacher probes give the smallest variance among i.i.d. probes, Var = 2 Σ_{i≠j} A²ᵢⱼ, so
/// the estimate is exact for diagonal A and converges as 1/√samples otherwise. For a Hessian,
/// tr(H)/n is the mean curvature.
///
/// - Parameters:
///   - dimension: n.
///   - samples: number of probe vectors (operator applications).
///   - seed: seeds the probes.
public func hutchinsonTrace(dimension: Int, samples: Int, seed: UInt64 = 0,
                            applying applyOperator: ([Double]) -> [Double]) -> TraceEstimate {
    precondition(dimension > 0 && samples > 0, "dimension and samples must be positive")
    var generator = SeededGenerator(seed: seed)
    var quadraticForms: [Double] = []
    quadraticForms.reserveCapacity(samples)
    for _ in 0..<samples {
        let probe = (0..<dimension).map { _ in generator.next() & 1 == 0 ? -1.0 : 1.0 }
        quadraticForms.append(dot(probe, applyOperator(probe)))
    }
    let mean = quadraticForms.reduce(0, +) / Double(samples)
    guard samples > 1 else { return TraceEstimate(estimate: mean, standardError: 0, samples: 1) }
    let variance = quadraticForms.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples - 1)
    return TraceEstimate(estimate: mean, standardError: sqrt(variance / Double(samples)), samples: samples)
}
