import Foundation

/// A binary logistic-regression problem: data `X` (n × d, row-major), labels `y ∈ {0, 1}`
/// and a loss. Parameters are `θ = (w₁ … w_d, b)`; every quantity is the mean over examples.
///
/// Gradient and Hessian are analytic (the tests check them against finite differences):
/// ```
/// ∇L = (1/n) Σ ℓ'(zᵢ) x̃ᵢ        H = (1/n) Σ ℓ''(zᵢ) x̃ᵢ x̃ᵢᵀ        x̃ = (x, 1), z = wᵀx + b
/// ```
public struct LogisticRegression {
    public let features: [Double]
    public let labels: [Double]
    public let count: Int
    public let dimension: Int
    public let loss: BinaryLoss

    public init(features: [Double], labels: [Double], dimension: Int, loss: BinaryLoss) {
        precondition(dimension > 0 && features.count == labels.count * dimension, "features must be labels.count × dimension")
        self.features = features
        self.labels = labels
        self.count = labels.count
        self.dimension = dimension
        self.loss = loss
    }

    /// The same data under the other loss.
    public func with(loss: BinaryLoss) -> LogisticRegression {
        LogisticRegression(features: features, labels: labels, dimension: dimension, loss: loss)
    }

    public var parameterCount: Int { dimension + 1 }

    /// z = Xw + b for all examples.
    public func logits(_ parameters: [Double]) -> [Double] {
        precondition(parameters.count == parameterCount, "expected \(parameterCount) parameters")
        var logits = [Double](repeating: parameters[dimension], count: count)
        features.withUnsafeBufferPointer { x in
            parameters.withUnsafeBufferPointer { w in
                for i in 0..<count {
                    var sum = 0.0
                    let row = i * dimension
                    for j in 0..<dimension { sum += x[row + j] * w[j] }
                    logits[i] += sum
                }
            }
        }
        return logits
    }

    public func value(_ parameters: [Double]) -> Double {
        let z = logits(parameters)
        var total = 0.0
        for i in 0..<count { total += loss.value(logit: z[i], label: labels[i]) }
        return total / Double(count)
    }

    /// Loss and gradient in one pass over the data.
    public func valueAndGradient(_ parameters: [Double]) -> (value: Double, gradient: [Double]) {
        let evaluation = evaluate(parameters)
        return (evaluation.value, evaluation.gradient)
    }

    /// Loss, gradient and accuracy in one pass over the data, for training loops that track
    /// accuracy every step without a second pass.
    public func evaluate(_ parameters: [Double]) -> (value: Double, gradient: [Double], accuracy: Double) {
        let z = logits(parameters)
        var total = 0.0
        var correct = 0
        var gradient = [Double](repeating: 0, count: parameterCount)
        let scale = 1 / Double(count)
        features.withUnsafeBufferPointer { x in
            gradient.withUnsafeMutableBufferPointer { g in
                for i in 0..<count {
                    total += loss.value(logit: z[i], label: labels[i])
                    if (z[i] >= 0 ? 1.0 : 0.0) == labels[i] { correct += 1 }
                    let slope = loss.derivative(logit: z[i], label: labels[i]) * scale
                    let row = i * dimension
                    for j in 0..<dimension { g[j] += slope * x[row + j] }
                    g[dimension] += slope
                }
            }
        }
        return (total * scale, gradient, Double(correct) * scale)
    }

    /// The full (d+1) × (d+1) Hessian, row-major. Meant for small d (the 1-feature toy).
    public func hessian(_ parameters: [Double]) -> [Double] {
        let z = logits(parameters)
        let size = parameterCount
        var hessian = [Double](repeating: 0, count: size * size)
        var augmented = [Double](repeating: 1, count: size)
        for i in 0..<count {
            let weight = loss.secondDerivative(logit: z[i], label: labels[i]) / Double(count)
            for j in 0..<dimension { augmented[j] = features[i * dimension + j] }
            for r in 0..<size {
                for c in 0..<size { hessian[r * size + c] += weight * augmented[r] * augmented[c] }
            }
        }
        return hessian
    }

    /// Fraction of examples classified correctly (p ≥ ½ means class 1).
    public func accuracy(_ parameters: [Double]) -> Double {
        let z = logits(parameters)
        var correct = 0
        for i in 0..<count where (z[i] >= 0 ? 1.0 : 0.0) == labels[i] { correct += 1 }
        return Double(correct) / Double(count)
    }
}
