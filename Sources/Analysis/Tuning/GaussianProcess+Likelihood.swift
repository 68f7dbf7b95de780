import Foundation

/// The log marginal likelihood and its gradient in log-hyperparameters: what
/// ``GaussianProcess/fitted(inputs:targets:bounds:restarts:iterations:using:)`` maximises.
extension GaussianProcess {
    /// log p(y | X, θ) and ∂/∂θ for θ = (log ℓ₁, …, log ℓ_d, log σ², log σₙ²)
    /// (Rasmussen & Williams 2006, eqs. 2.30 and 5.9):
    ///
    /// ```
    /// log p = −½ yᵀα − Σᵢ log Lᵢᵢ − (n/2) log 2π,         α = K⁻¹ y
    /// ∂log p/∂θⱼ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θⱼ)
    /// ```
    ///
    /// with ∂K/∂log σₙ² = σₙ² I and the kernel's own derivatives for the rest
    /// (``MaternKernel/gradientWithRespectToLogHyperparameters(_:_:)``).
    ///
    /// - Returns: nil when K cannot be factorised.
    public static func logMarginalLikelihood(inputs: [[Double]], normalisedTargets y: [Double],
                                             hyperparameters: GaussianProcessHyperparameters)
        -> (value: Double, gradient: [Double])? {
        let n = inputs.count
        let dimension = hyperparameters.lengthScales.count
        let kernel = MaternKernel(lengthScales: hyperparameters.lengthScales, signalVariance: hyperparameters.signalVariance)
        guard let factorization = CholeskyFactorization(
            covarianceMatrix(inputs, kernel: kernel, noiseVariance: hyperparameters.noiseVariance), size: n) else { return nil }
        let alpha = factorization.solve(y)
        var fit = 0.0
        for i in 0..<n { fit += y[i] * alpha[i] }
        let value = -0.5 * fit - 0.5 * factorization.logDeterminant - 0.5 * Double(n) * log(2 * Double.pi)

        // W = ααᵀ − K⁻¹ is symmetric, so tr(W ∂K) = Σᵢ Wᵢᵢ ∂Kᵢᵢ + 2 Σ_{i>j} Wᵢⱼ ∂Kᵢⱼ.
        let inverse = factorization.inverse()
        var gradient = [Double](repeating: 0, count: dimension + 2)
        for i in 0..<n {
            let wDiagonal = alpha[i] * alpha[i] - inverse[i * n + i]
            gradient[dimension] += 0.5 * wDiagonal * hyperparameters.signalVariance
            gradient[dimension + 1] += 0.5 * wDiagonal * hyperparameters.noiseVariance
            for j in 0..<i {
                let w = alpha[i] * alpha[j] - inverse[i * n + j]
                let kernelGradient = kernel.gradientWithRespectToLogHyperparameters(inputs[i], inputs[j])
                for p in 0...dimension { gradient[p] += w * kernelGradient[p] }
            }
        }
        return (value, gradient)
    }
}
