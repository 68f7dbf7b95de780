import Foundation

/// The smallest deep linear network: one input x, one hidden unit, one output, squared error,
/// ```
/// L(a, b) = (a b x − y)²
/// ∇L = 2(abx − y) x (b, a)
/// H  = [[2b²x²,          2x(2abx − y)],
///       [2x(2abx − y),   2a²x²       ]]
/// ```
/// At the origin H = [[0, −2xy], [−2xy, 0]] with eigenvalues ±2xy: a strict saddle, so even
/// this two-parameter "linear" model has a non-convex loss in its weights, while it is convex
/// (a parabola) in the product w = ab.
public struct ScalarTwoLayerNetwork: DifferentiableObjective, Codable {
    public var input: Double
    public var target: Double

    public init(input: Double = 1, target: Double = 1) {
        self.input = input
        self.target = target
    }

    /// Parameters are (a, b).
    public var parameterCount: Int { 2 }

    public func value(_ parameters: [Double]) -> Double {
        let residual = parameters[0] * parameters[1] * input - target
        return residual * residual
    }

    public func valueAndGradient(_ parameters: [Double]) -> (value: Double, gradient: [Double]) {
        let a = parameters[0], b = parameters[1]
        let residual = a * b * input - target
        return (residual * residual, [2 * residual * input * b, 2 * residual * input * a])
    }

    /// The exact 2 × 2 Hessian, row-major.
    public func hessian(_ parameters: [Double]) -> [Double] {
        let a = parameters[0], b = parameters[1], x = input
        let mixed = 2 * x * (2 * a * b * x - target)
        return [2 * b * b * x * x, mixed, mixed, 2 * a * a * x * x]
    }
}
