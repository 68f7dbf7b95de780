import Foundation

/// A deep linear network f(x) = W_L ⋯ W₂ W₁ x (no biases, no activations) with a loss over a
/// fixed data set, in Float64: the model behind the claim "a deep network with linear activations
/// trained with MSE is a convex problem". As a function of the end-to-end matrix W = W_L ⋯ W₁
/// the MSE is convex, but as a function of the weights it is not (for L ≥ 2): it is a polynomial
/// of degree 2L with saddle points, e.g. at W = 0, although every local minimum is global
/// (Kawaguchi 2016).
///
/// Parameters are the row-major weight matrices concatenated, W₁ (d₁ × d₀) first; layer l maps
/// d_{l−1} to d_l, so each output unit's incoming weights are one row (one "filter").
/// With `Z = X W₁ᵀ ⋯ W_Lᵀ` (n × d_L) and targets Y (n × d_L):
/// ```
/// meanSquared:          L = (1/2n) Σᵢ ‖zᵢ − yᵢ‖²                    ∂L/∂Z = (Z − Y)/n
/// softmaxCrossEntropy:  L = (1/n) Σᵢ Σₖ yᵢₖ (logΣⱼ e^{zᵢⱼ} − zᵢₖ)    ∂L/∂Z = (softmax(Z) Σₖyᵢₖ − Y)/n
/// ```
/// and backpropagation with A₀ = X, A_l = A_{l−1} W_lᵀ, G_L = ∂L/∂Z:
/// ```
/// ∂L/∂W_l = G_lᵀ A_{l−1}        G_{l−1} = G_l W_l
/// ```
public struct DeepLinearNetwork: DifferentiableObjective {
    /// The two losses the assignment compares, as values so an analysis switches by argument.
    public enum Loss: String, Codable, CaseIterable {
        case meanSquared = "MSE"
        case softmaxCrossEntropy = "cross-entropy"
    }

    /// [d₀ (input), d₁, …, d_L (output)].
    public let layerSizes: [Int]
    public let loss: Loss
    /// X, n × d₀ row-major.
    public let inputs: [Double]
    /// Y, n × d_L row-major (one-hot for classification).
    public let targets: [Double]
    /// n.
    public let exampleCount: Int

    public init(layerSizes: [Int], loss: Loss, inputs: [Double], targets: [Double]) {
        precondition(layerSizes.count >= 2 && layerSizes.allSatisfy { $0 > 0 }, "need at least input and output sizes, all positive")
        let inputSize = layerSizes.first!, outputSize = layerSizes.last!
        precondition(inputs.count % inputSize == 0, "inputs must be n × \(inputSize)")
        let count = inputs.count / inputSize
        precondition(count > 0 && targets.count == count * outputSize, "targets must be \(count) × \(outputSize)")
        self.layerSizes = layerSizes
        self.loss = loss
        self.inputs = inputs
        self.targets = targets
        self.exampleCount = count
    }

    /// The same data and loss with different hidden sizes (the depth experiment).
    public func with(layerSizes: [Int]) -> DeepLinearNetwork {
        DeepLinearNetwork(layerSizes: layerSizes, loss: loss, inputs: inputs, targets: targets)
    }

    /// The same data and architecture under the other loss.
    public func with(loss: Loss) -> DeepLinearNetwork {
        DeepLinearNetwork(layerSizes: layerSizes, loss: loss, inputs: inputs, targets: targets)
    }

    /// L, the number of weight matrices.
    public var depth: Int { layerSizes.count - 1 }

    public var parameterCount: Int { weightOffsets.last! }

    /// Where W_l starts in the parameter vector, for l = 1…L, followed by the total count.
    public var weightOffsets: [Int] {
        var offsets = [0]
        for l in 1...depth { offsets.append(offsets[l - 1] + layerSizes[l] * layerSizes[l - 1]) }
        return offsets
    }

    /// W_l (d_l × d_{l−1}, row-major) for l in 1…L.
    public func weight(_ layer: Int, in parameters: [Double]) -> [Double] {
        precondition((1...depth).contains(layer), "layer must be in 1...\(depth)")
        let offsets = weightOffsets
        return Array(parameters[offsets[layer - 1]..<offsets[layer]])
    }

    /// Names, shapes and offsets of the weights, for filter-normalised landscape directions.
    public var parameterLayout: ParameterLayout {
        ParameterLayout(sequential: (1...depth).map {
            (name: "W\($0)", shape: [layerSizes[$0], layerSizes[$0 - 1]], role: .weight)
        })
    }

    /// Z = X W₁ᵀ ⋯ W_Lᵀ, n × d_L.
    public func outputs(_ parameters: [Double]) -> [Double] {
        forwardActivations(parameters).last!
    }

    public func value(_ parameters: [Double]) -> Double {
        lossAndOutputGradient(outputs(parameters), needGradient: false).value
    }

    public func valueAndGradient(_ parameters: [Double]) -> (value: Double, gradient: [Double]) {
        let activations = forwardActivations(parameters)
        let (value, outputGradient) = lossAndOutputGradient(activations.last!, needGradient: true)
        var upstream = outputGradient
        var gradient = [Double](repeating: 0, count: parameterCount)
        let offsets = weightOffsets
        for l in stride(from: depth, through: 1, by: -1) {
            let fanOut = layerSizes[l], fanIn = layerSizes[l - 1]
            let weightGradient = RowMajorMatrix.transposedMultiply(upstream, activations[l - 1],
                                                                   rows: fanOut, inner: exampleCount, columns: fanIn)
            gradient.replaceSubrange(offsets[l - 1]..<offsets[l], with: weightGradient)
            if l > 1 {
                upstream = RowMajorMatrix.multiply(upstream, weight(l, in: parameters),
                                                   rows: exampleCount, inner: fanOut, columns: fanIn)
            }
        }
        return (value, gradient)
    }

    /// Fraction of examples whose largest output is at the target's largest entry.
    public func accuracy(_ parameters: [Double]) -> Double {
        let z = outputs(parameters)
        let k = layerSizes.last!
        var correct = 0
        for i in 0..<exampleCount {
            let row = i * k
            let predicted = (0..<k).max { z[row + $0] < z[row + $1] }!
            let actual = (0..<k).max { targets[row + $0] < targets[row + $1] }!
            if predicted == actual { correct += 1 }
        }
        return Double(correct) / Double(exampleCount)
    }

    /// [A₀ = X, A₁, …, A_L = Z].
    func forwardActivations(_ parameters: [Double]) -> [[Double]] {
        precondition(parameters.count == parameterCount, "expected \(parameterCount) parameters")
        var activations = [inputs]
        for l in 1...depth {
            activations.append(RowMajorMatrix.multiplyTransposed(activations[l - 1], weight(l, in: parameters),
                                                                 rows: exampleCount, inner: layerSizes[l - 1], columns: layerSizes[l]))
        }
        return activations
    }

    /// L(Z) and, if asked, ∂L/∂Z.
    func lossAndOutputGradient(_ z: [Double], needGradient: Bool) -> (value: Double, gradient: [Double]) {
        let k = layerSizes.last!
        let scale = 1 / Double(exampleCount)
        var total = 0.0
        var gradient = needGradient ? [Double](repeating: 0, count: z.count) : []
        switch loss {
        case .meanSquared:
            for index in 0..<z.count {
                let residual = z[index] - targets[index]
                total += residual * residual
                if needGradient { gradient[index] = residual * scale }
            }
            return (0.5 * total * scale, gradient)
        case .softmaxCrossEntropy:
            for i in 0..<exampleCount {
                let row = i * k
                var largest = -Double.infinity
                for j in 0..<k { largest = max(largest, z[row + j]) }
                var sumOfExponentials = 0.0
                for j in 0..<k { sumOfExponentials += exp(z[row + j] - largest) }
                let logSumExp = largest + log(sumOfExponentials)
                var targetMass = 0.0
                for j in 0..<k {
                    targetMass += targets[row + j]
                    total += targets[row + j] * (logSumExp - z[row + j])
                }
                if needGradient {
                    for j in 0..<k {
                        gradient[row + j] = (exp(z[row + j] - logSumExp) * targetMass - targets[row + j]) * scale
                    }
                }
            }
            return (total * scale, gradient)
        }
    }
}
