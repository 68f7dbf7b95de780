import Foundation

// MARK: - End-to-end map, initialisation and the symmetries of the weights

extension DeepLinearNetwork {
    /// W = W_L ⋯ W₂ W₁ (d_L × d₀, row-major): the only thing the network's function depends on.
    /// The loss is convex in W; every reparametrisation below changes θ but not W.
    public func endToEndMatrix(_ parameters: [Double]) -> [Double] {
        var product = weight(1, in: parameters)
        for l in stride(from: 2, through: depth, by: 1) {
            product = RowMajorMatrix.multiply(weight(l, in: parameters), product,
                                              rows: layerSizes[l], inner: layerSizes[l - 1], columns: layerSizes[0])
        }
        return product
    }

    /// Glorot (Xavier) uniform initialisation, each W_l ~ U(−r, r) with
    /// ```
    /// r = √(6 / (d_{l−1} + d_l))
    /// ```
    /// so activations and gradients keep their variance through the layers.
    public func glorotUniformParameters(seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        var parameters: [Double] = []
        parameters.reserveCapacity(parameterCount)
        for l in 1...depth {
            let limit = sqrt(6 / Double(layerSizes[l - 1] + layerSizes[l]))
            for _ in 0..<(layerSizes[l] * layerSizes[l - 1]) {
                parameters.append((2 * generator.nextUniform() - 1) * limit)
            }
        }
        return parameters
    }

    /// Relabels the units of hidden layer `layer` (the outputs of W_layer, 1 ≤ layer < L): new unit i
    /// is old unit `permutation[i]`. Rows of W_layer and columns of W_{layer+1} move together,
    /// ```
    /// W_layer ← P W_layer,    W_{layer+1} ← W_{layer+1} Pᵀ,    so W_{layer+1} W_layer is unchanged:
    /// ```
    /// the same function at a different θ. Averaging two such twins generally changes the function,
    /// one reason the loss in θ cannot be convex while it has isolated minima.
    public func permuteHiddenUnits(_ parameters: [Double], layer: Int, permutation: [Int]) -> [Double] {
        precondition((1..<depth).contains(layer), "layer must be a hidden layer in 1..<\(depth)")
        let width = layerSizes[layer]
        precondition(permutation.sorted() == Array(0..<width), "permutation must rearrange 0..<\(width)")
        let offsets = weightOffsets
        let fanIn = layerSizes[layer - 1], fanOut = layerSizes[layer + 1]
        var result = parameters
        for (newUnit, oldUnit) in permutation.enumerated() {
            for c in 0..<fanIn {
                result[offsets[layer - 1] + newUnit * fanIn + c] = parameters[offsets[layer - 1] + oldUnit * fanIn + c]
            }
            for r in 0..<fanOut {
                result[offsets[layer] + r * width + newUnit] = parameters[offsets[layer] + r * width + oldUnit]
            }
        }
        return result
    }

    /// Multiplies hidden unit `unit` of layer `layer` by c on the way in and 1/c on the way out
    /// (row `unit` of W_layer × c, column `unit` of W_{layer+1} ÷ c): the rescaling symmetry.
    /// c = −1 gives the sign-flipped twin, whose midpoint with θ zeroes that unit.
    public func rescaleHiddenUnit(_ parameters: [Double], layer: Int, unit: Int, by factor: Double) -> [Double] {
        precondition((1..<depth).contains(layer), "layer must be a hidden layer in 1..<\(depth)")
        precondition(factor != 0, "a zero factor is not invertible")
        let width = layerSizes[layer]
        precondition((0..<width).contains(unit), "unit must be in 0..<\(width)")
        let offsets = weightOffsets
        let fanIn = layerSizes[layer - 1], fanOut = layerSizes[layer + 1]
        var result = parameters
        for c in 0..<fanIn { result[offsets[layer - 1] + unit * fanIn + c] *= factor }
        for r in 0..<fanOut { result[offsets[layer] + r * width + unit] /= factor }
        return result
    }
}
