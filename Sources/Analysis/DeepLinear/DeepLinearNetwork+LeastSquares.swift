import Foundation

extension DeepLinearNetwork {
    /// The minimiser of the mean-squared loss over end-to-end matrices W (d_L × d₀), from the
    /// normal equations
    /// ```
    /// (XᵀX/n + λI) Wᵀ = XᵀY/n
    /// ```
    /// to compare with ``endToEndMatrix(_:)`` of trained weights: any depth reaches it when the
    /// hidden layers are at least min(d₀, d_L) wide, because every local minimum is global.
    /// Nil when XᵀX/n + λI is singular (use a small `ridge` λ for rank-deficient inputs).
    public func leastSquaresSolution(ridge: Double = 0) -> [Double]? {
        let inputSize = layerSizes.first!, outputSize = layerSizes.last!
        let scale = 1 / Double(exampleCount)
        var gram = RowMajorMatrix.transposedMultiply(inputs, inputs, rows: inputSize, inner: exampleCount, columns: inputSize)
        for index in gram.indices { gram[index] *= scale }
        for i in 0..<inputSize { gram[i * inputSize + i] += ridge }
        var crossMoments = RowMajorMatrix.transposedMultiply(inputs, targets, rows: inputSize, inner: exampleCount, columns: outputSize)
        for index in crossMoments.indices { crossMoments[index] *= scale }
        guard let cholesky = CholeskyFactorization(gram, size: inputSize, maximumRelativeJitter: 0) else { return nil }
        let transposedSolution = cholesky.solve(crossMoments, columns: outputSize)
        return RowMajorMatrix.transpose(transposedSolution, rows: inputSize, columns: outputSize)
    }
}
