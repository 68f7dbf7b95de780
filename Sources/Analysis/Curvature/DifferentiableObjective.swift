import Foundation

/// A scalar objective over a flat Float64 parameter vector θ ∈ ℝⁿ, so curvature and landscape
/// tools work for any model + loss: logistic regression, deep linear networks, and (through a
/// wrapper that copies to and from Float32 tensors) the engine's MLP.
///
/// Conformers promise that `valueAndGradient(θ).value == value(θ)` and that the gradient is
/// the exact (analytic or autodiff) ∇L(θ); Hessian-vector products are built from it by
/// finite differences (see ``hessianVectorProduct(_:at:vector:relativeStep:)``).
public protocol DifferentiableObjective {
    /// n, the length of every parameter vector this objective accepts.
    var parameterCount: Int { get }
    /// L(θ).
    func value(_ parameters: [Double]) -> Double
    /// L(θ) and ∇L(θ) in one pass.
    func valueAndGradient(_ parameters: [Double]) -> (value: Double, gradient: [Double])
}

extension DifferentiableObjective {
    /// ∇L(θ) alone.
    public func gradient(_ parameters: [Double]) -> [Double] {
        valueAndGradient(parameters).gradient
    }
}
