import Foundation

/// Hyperparameters of a ``GaussianProcess`` with a ``MaternKernel``, in *normalised* target units
/// (targets shifted to zero mean and scaled to unit variance before fitting).
public struct GaussianProcessHyperparameters: Codable, Hashable, Sendable {
    /// ℓᵢ per input coordinate (inputs live in the unit hypercube).
    public var lengthScales: [Double]
    /// σ², the prior variance of the latent function.
    public var signalVariance: Double
    /// σₙ², the observation-noise variance added to the kernel diagonal.
    public var noiseVariance: Double

    public init(lengthScales: [Double], signalVariance: Double, noiseVariance: Double) {
        self.lengthScales = lengthScales
        self.signalVariance = signalVariance
        self.noiseVariance = noiseVariance
    }

    /// (log ℓ₁, …, log ℓ_d, log σ², log σₙ²): the coordinates the fit optimises in.
    public var logValues: [Double] {
        lengthScales.map { log($0) } + [log(signalVariance), log(noiseVariance)]
    }

    public init(logValues: [Double]) {
        precondition(logValues.count >= 3, "need at least one length scale, σ² and σₙ²")
        self.init(lengthScales: logValues.dropLast(2).map { exp($0) },
                  signalVariance: exp(logValues[logValues.count - 2]),
                  noiseVariance: exp(logValues[logValues.count - 1]))
    }
}

/// Gaussian-process regression of a score over the encoded search space: the surrogate of
/// Bayesian optimisation (Rasmussen & Williams, *Gaussian Processes for Machine Learning*, 2006,
/// Algorithm 2.1).
///
/// With normalised targets y = (score − mean)/scale, K = k(X, X) + σₙ² I = L Lᵀ and α = K⁻¹ y:
///
/// ```
/// μ(x*)  = k*ᵀ α
/// σ²(x*) = k(x*, x*) − vᵀv,   v = L⁻¹ k*
/// ```
///
/// ``posterior(at:)`` reports both in the original score units (mean·scale + mean, σ·scale) and
/// σ is the uncertainty of the latent function, without the observation noise.
public struct GaussianProcess: Sendable {
    /// Training inputs, each a point of the unit hypercube.
    public let inputs: [[Double]]
    /// Training targets in the original scale.
    public let targets: [Double]
    public let hyperparameters: GaussianProcessHyperparameters
    /// The mean and standard deviation used to normalise the targets (scale 1 if they are constant).
    public let targetMean: Double
    public let targetScale: Double

    let factorization: CholeskyFactorization
    /// α = K⁻¹ y (normalised y).
    let weights: [Double]

    public var kernel: MaternKernel {
        MaternKernel(lengthScales: hyperparameters.lengthScales, signalVariance: hyperparameters.signalVariance)
    }

    /// Nil when the kernel matrix cannot be factorised even with jitter.
    public init?(inputs: [[Double]], targets: [Double], hyperparameters: GaussianProcessHyperparameters) {
        precondition(!inputs.isEmpty && inputs.count == targets.count, "need as many targets as inputs, at least one")
        precondition(inputs.allSatisfy { $0.count == hyperparameters.lengthScales.count }, "one length scale per coordinate")
        let (mean, scale) = GaussianProcess.normalisation(of: targets)
        let normalised = targets.map { ($0 - mean) / scale }
        let kernel = MaternKernel(lengthScales: hyperparameters.lengthScales, signalVariance: hyperparameters.signalVariance)
        guard let factorization = CholeskyFactorization(
            GaussianProcess.covarianceMatrix(inputs, kernel: kernel, noiseVariance: hyperparameters.noiseVariance),
            size: inputs.count) else { return nil }
        self.inputs = inputs
        self.targets = targets
        self.hyperparameters = hyperparameters
        (targetMean, targetScale) = (mean, scale)
        self.factorization = factorization
        weights = factorization.solve(normalised)
    }

    /// Posterior mean and standard deviation of the latent function at each point, in the
    /// original target scale.
    public func posterior(at points: [[Double]]) -> (mean: [Double], standardDeviation: [Double]) {
        var means: [Double] = [], deviations: [Double] = []
        means.reserveCapacity(points.count)
        deviations.reserveCapacity(points.count)
        for point in points {
            let (mean, deviation) = normalisedPosterior(at: point)
            means.append(mean * targetScale + targetMean)
            deviations.append(deviation * targetScale)
        }
        return (means, deviations)
    }

    /// Mean and standard deviation in normalised units, for the acquisition function.
    func normalisedPosterior(at point: [Double]) -> (mean: Double, standardDeviation: Double) {
        let kernel = self.kernel
        let crossCovariance = inputs.map { kernel(point, $0) }
        var mean = 0.0
        for i in weights.indices { mean += crossCovariance[i] * weights[i] }
        let v = factorization.solveLower(crossCovariance)
        var explained = 0.0
        for x in v { explained += x * x }
        return (mean, max(kernel.signalVariance - explained, 0).squareRoot())
    }

    /// The normalised targets: (y − mean)/scale, the vector α was solved for.
    public var normalisedTargets: [Double] {
        targets.map { ($0 - targetMean) / targetScale }
    }

    /// log p(y | X, θ) of the normalised targets (see ``logMarginalLikelihood(inputs:normalisedTargets:hyperparameters:)``).
    public var logMarginalLikelihood: Double {
        var fit = 0.0
        for (y, a) in zip(normalisedTargets, weights) { fit += y * a }
        return -0.5 * fit - 0.5 * factorization.logDeterminant - 0.5 * Double(inputs.count) * log(2 * Double.pi)
    }

    /// Sample mean and standard deviation; a scale of 1 when fewer than two distinct targets.
    static func normalisation(of targets: [Double]) -> (mean: Double, scale: Double) {
        let mean = targets.reduce(0, +) / Double(targets.count)
        let variance = targets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(targets.count)
        let scale = variance.squareRoot()
        return (mean, scale > 1e-12 * max(abs(mean), 1) ? scale : 1)
    }

    /// k(X, X) + σₙ² I, row-major.
    static func covarianceMatrix(_ inputs: [[Double]], kernel: MaternKernel, noiseVariance: Double) -> [Double] {
        let n = inputs.count
        var matrix = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            matrix[i * n + i] = kernel.signalVariance + noiseVariance
            for j in 0..<i {
                let value = kernel(inputs[i], inputs[j])
                matrix[i * n + j] = value
                matrix[j * n + i] = value
            }
        }
        return matrix
    }
}
