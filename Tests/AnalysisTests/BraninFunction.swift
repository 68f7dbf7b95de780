import Analysis
import Foundation

/// The Branin–Hoo function, the standard two-dimensional test of global optimisers
/// (Dixon & Szegő, *Towards Global Optimisation 2*, 1978):
///
/// ```
/// f(x₁, x₂) = a (x₂ − b x₁² + c x₁ − r)² + s (1 − t) cos x₁ + s
/// a = 1, b = 5.1/(4π²), c = 5/π, r = 6, s = 10, t = 1/(8π),  x₁ ∈ [−5, 10], x₂ ∈ [0, 15]
/// ```
///
/// Three global minima, f = 0.397887 at (−π, 12.275), (π, 2.275) and (9.42478, 2.475). Tuners
/// maximise, so the benchmark objective is −f, with maximum ≈ −0.397887.
enum BraninFunction {
    static let minimumValue = 0.397887357729739

    /// The search space x₁ ∈ [−5, 10], x₂ ∈ [0, 15], both uniform.
    static let space = SearchSpace([.uniform("x1", -5...10), .uniform("x2", 0...15)])

    static func value(_ x1: Double, _ x2: Double) -> Double {
        let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
        let bracket = x2 - b * x1 * x1 + c * x1 - 6
        return bracket * bracket + 10 * (1 - t) * cos(x1) + 10
    }

    /// −f at the configuration's x1, x2: the objective to maximise.
    static func negatedValue(_ configuration: Configuration) -> Double {
        -value(configuration.real("x1"), configuration.real("x2"))
    }
}
