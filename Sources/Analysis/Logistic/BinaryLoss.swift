import Foundation

/// The two losses the assignment compares for logistic regression, as values so the
/// same analysis runs on either by changing one argument.
///
/// Both are written per example as a function of the logit `z` and the label `y ∈ {0, 1}`,
/// with `p = σ(z)`:
/// ```
/// crossEntropy:      ℓ(z) = −y log p − (1 − y) log(1 − p) = softplus(z) − y z
/// meanSquaredError:  ℓ(z) = ½ (p − y)²            (the assignment's J = ½ Σ (h(x) − y)²)
/// ```
/// The derivatives in z are what make one convex and the other not: the chain rule
/// through a linear model `z = wᵀx + b` gives Hessian `Σ ℓ''(zᵢ) x̃ᵢ x̃ᵢᵀ`, which is positive
/// semidefinite for every parameter value exactly when `ℓ'' ≥ 0` everywhere.
public enum BinaryLoss: String, Codable, CaseIterable {
    case crossEntropy = "cross-entropy"
    case meanSquaredError = "MSE"

    /// ℓ(z, y), computed without overflow for large |z|.
    @inline(__always)
    public func value(logit z: Double, label y: Double) -> Double {
        switch self {
        case .crossEntropy:
            return softplus(z) - y * z
        case .meanSquaredError:
            let difference = sigmoid(z) - y
            return 0.5 * difference * difference
        }
    }

    /// dℓ/dz. Cross-entropy: p − y. MSE: (p − y) σ'(z), which vanishes when σ saturates.
    @inline(__always)
    public func derivative(logit z: Double, label y: Double) -> Double {
        let p = sigmoid(z)
        switch self {
        case .crossEntropy: return p - y
        case .meanSquaredError: return (p - y) * p * (1 - p)
        }
    }

    /// d²ℓ/dz². Cross-entropy: σ'(z) ≥ 0. MSE: σ'² + (p − y) σ'' with σ'' = σ'(1 − 2p), negative for confident mistakes.
    @inline(__always)
    public func secondDerivative(logit z: Double, label y: Double) -> Double {
        let p = sigmoid(z)
        let slope = p * (1 - p)
        switch self {
        case .crossEntropy: return slope
        case .meanSquaredError: return slope * slope + (p - y) * slope * (1 - 2 * p)
        }
    }
}

/// σ(z) = 1 / (1 + e^−z), evaluated on the side that cannot overflow.
@inline(__always)
public func sigmoid(_ z: Double) -> Double {
    if z >= 0 { return 1 / (1 + exp(-z)) }
    let e = exp(z)
    return e / (1 + e)
}

/// softplus(z) = log(1 + e^z), stable for large |z|.
@inline(__always)
public func softplus(_ z: Double) -> Double {
    z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
}
