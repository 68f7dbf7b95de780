import Foundation

/// Exact second derivatives of a deep linear network's loss in its weights, by Pearlmutter's
/// R-operator ("Fast exact multiplication by the Hessian", Neural Computation 1994): the
/// backpropagation of `valueAndGradient` differentiated in forward mode along a direction V.
/// No step size, so no truncation or cancellation error: the Hessian is exact up to rounding.
///
/// With tangents Ȧ₀ = 0, Ȧ_l = Ȧ_{l−1} W_lᵀ + A_{l−1} V_lᵀ, Ġ_L = (∂²L/∂Z²) Ż and
/// ```
/// (H v)_l = Ġ_lᵀ A_{l−1} + G_lᵀ Ȧ_{l−1}        Ġ_{l−1} = Ġ_l W_l + G_l V_l
/// ```
extension DeepLinearNetwork {
    /// H(θ) v, exactly.
    public func hessianVectorProduct(_ parameters: [Double], _ direction: [Double]) -> [Double] {
        precondition(direction.count == parameterCount, "expected a direction of \(parameterCount) entries")
        let activations = forwardActivations(parameters)
        let tangents = activationTangents(parameters, direction, activations: activations)
        var upstream = lossAndOutputGradient(activations[depth], needGradient: true).gradient
        var upstreamTangent = outputGradientTangent(activations[depth], tangents[depth])
        var product = [Double](repeating: 0, count: parameterCount)
        let offsets = weightOffsets
        for l in stride(from: depth, through: 1, by: -1) {
            let (fanOut, fanIn) = (layerSizes[l], layerSizes[l - 1])
            let part = sum(RowMajorMatrix.transposedMultiply(upstreamTangent, activations[l - 1], rows: fanOut, inner: exampleCount, columns: fanIn),
                           RowMajorMatrix.transposedMultiply(upstream, tangents[l - 1], rows: fanOut, inner: exampleCount, columns: fanIn))
            product.replaceSubrange(offsets[l - 1]..<offsets[l], with: part)
            guard l > 1 else { break }
            let (w, v) = (weight(l, in: parameters), weight(l, in: direction))
            upstreamTangent = sum(RowMajorMatrix.multiply(upstreamTangent, w, rows: exampleCount, inner: fanOut, columns: fanIn),
                                  RowMajorMatrix.multiply(upstream, v, rows: exampleCount, inner: fanOut, columns: fanIn))
            upstream = RowMajorMatrix.multiply(upstream, w, rows: exampleCount, inner: fanOut, columns: fanIn)
        }
        return product
    }

    /// The dense Hessian (row-major), one exact Hessian-vector product per unit vector; the
    /// rounding asymmetry (of order 1e-16 relative) is averaged out.
    public func exactHessian(at parameters: [Double]) -> [Double] {
        let n = parameterCount
        var columns = [Double](repeating: 0, count: n * n)
        var unit = [Double](repeating: 0, count: n)
        for i in 0..<n {
            unit[i] = 1
            columns.replaceSubrange(i * n..<(i + 1) * n, with: hessianVectorProduct(parameters, unit))
            unit[i] = 0
        }
        var hessian = columns
        for r in 0..<n {
            for c in 0..<n { hessian[r * n + c] = 0.5 * (columns[r * n + c] + columns[c * n + r]) }
        }
        return hessian
    }

    /// [Ȧ₀ = 0, Ȧ₁, …, Ȧ_L = Ż] along `direction`.
    func activationTangents(_ parameters: [Double], _ direction: [Double], activations: [[Double]]) -> [[Double]] {
        var tangents = [[Double](repeating: 0, count: inputs.count)]
        for l in 1...depth {
            let (fanIn, fanOut) = (layerSizes[l - 1], layerSizes[l])
            tangents.append(sum(RowMajorMatrix.multiplyTransposed(tangents[l - 1], weight(l, in: parameters), rows: exampleCount, inner: fanIn, columns: fanOut),
                                RowMajorMatrix.multiplyTransposed(activations[l - 1], weight(l, in: direction), rows: exampleCount, inner: fanIn, columns: fanOut)))
        }
        return tangents
    }

    /// Ġ_L = (∂²L/∂Z²) Ż: Ż/n for MSE; for softmax cross-entropy, per example,
    /// m · (s ⊙ (ż − ⟨s, ż⟩))/n with s = softmax(z) and m the example's target mass.
    func outputGradientTangent(_ z: [Double], _ zTangent: [Double]) -> [Double] {
        let scale = 1 / Double(exampleCount)
        switch loss {
        case .meanSquared:
            return zTangent.map { $0 * scale }
        case .softmaxCrossEntropy:
            let k = layerSizes.last!
            var result = [Double](repeating: 0, count: z.count)
            for i in 0..<exampleCount {
                let row = i * k
                let largest = (0..<k).map { z[row + $0] }.max()!
                let exponentials = (0..<k).map { exp(z[row + $0] - largest) }
                let total = exponentials.reduce(0, +)
                let mass = (0..<k).reduce(0) { $0 + targets[row + $1] }
                let projection = (0..<k).reduce(0) { $0 + exponentials[$1] / total * zTangent[row + $1] }
                for j in 0..<k { result[row + j] = mass * exponentials[j] / total * (zTangent[row + j] - projection) * scale }
            }
            return result
        }
    }

    private func sum(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 + $1 } }
}
