import Foundation

/// Box constraints on the hyperparameters, in normalised target units and unit-hypercube inputs.
///
/// Bounding the length scales keeps the fit away from the two degenerate optima of the marginal
/// likelihood with few points: ℓ → 0 (every point explained as noise-free, isolated spikes) and
/// ℓ → ∞ (a constant). The noise floor keeps K well conditioned.
public struct GaussianProcessHyperparameterBounds: Codable, Hashable, Sendable {
    public var lengthScale: ClosedRange<Double>
    public var signalVariance: ClosedRange<Double>
    public var noiseVariance: ClosedRange<Double>

    public init(lengthScale: ClosedRange<Double> = 0.01...20, signalVariance: ClosedRange<Double> = 0.05...20,
                noiseVariance: ClosedRange<Double> = 1e-6...1) {
        precondition(lengthScale.lowerBound > 0 && signalVariance.lowerBound > 0 && noiseVariance.lowerBound > 0,
                     "bounds must be positive")
        self.lengthScale = lengthScale
        self.signalVariance = signalVariance
        self.noiseVariance = noiseVariance
    }
}

extension GaussianProcess {
    /// The Gaussian process whose hyperparameters maximise the log marginal likelihood of the
    /// normalised targets within `bounds` (type-II maximum likelihood; Rasmussen & Williams 2006, §5.4).
    ///
    /// Each log-hyperparameter θⱼ ∈ [aⱼ, bⱼ] is written θⱼ = aⱼ + (bⱼ − aⱼ)·sigmoid(uⱼ), and L-BFGS
    /// maximises over unconstrained u with the analytic gradient (chain rule through the sigmoid).
    /// The marginal likelihood is multimodal, so the search starts from a default point
    /// (ℓ = 0.3, σ² = 1, σₙ² = 10⁻³) and `restarts` random ones; the best end point wins.
    ///
    /// - Returns: nil only if no start could be factorised at all.
    public static func fitted(inputs: [[Double]], targets: [Double],
                              bounds: GaussianProcessHyperparameterBounds = GaussianProcessHyperparameterBounds(),
                              restarts: Int = 2, iterations: Int = 50,
                              using generator: inout SeededGenerator) -> GaussianProcess? {
        precondition(!inputs.isEmpty && inputs.count == targets.count, "need as many targets as inputs, at least one")
        let dimension = inputs[0].count
        let (mean, scale) = normalisation(of: targets)
        let normalised = targets.map { ($0 - mean) / scale }
        let lower = [Double](repeating: log(bounds.lengthScale.lowerBound), count: dimension)
            + [log(bounds.signalVariance.lowerBound), log(bounds.noiseVariance.lowerBound)]
        let upper = [Double](repeating: log(bounds.lengthScale.upperBound), count: dimension)
            + [log(bounds.signalVariance.upperBound), log(bounds.noiseVariance.upperBound)]

        func logValues(_ u: [Double]) -> [Double] {
            u.indices.map { lower[$0] + (upper[$0] - lower[$0]) * sigmoid(u[$0]) }
        }
        func negativeLikelihood(_ u: [Double]) -> (value: Double, gradient: [Double])? {
            let theta = logValues(u)
            guard let (value, gradient) = logMarginalLikelihood(
                inputs: inputs, normalisedTargets: normalised,
                hyperparameters: GaussianProcessHyperparameters(logValues: theta)) else { return nil }
            return (-value, u.indices.map { j in
                let s = sigmoid(u[j])
                return -gradient[j] * (upper[j] - lower[j]) * s * (1 - s)
            })
        }

        let defaultStart = GaussianProcessHyperparameters(
            lengthScales: [Double](repeating: 0.3, count: dimension), signalVariance: 1, noiseVariance: 1e-3).logValues
        var starts = [defaultStart.indices.map { j in
            logit((min(max(defaultStart[j], lower[j]), upper[j]) - lower[j]) / (upper[j] - lower[j]))
        }]
        for _ in 0..<restarts {
            starts.append(lower.indices.map { _ in 4 * generator.nextUniform() - 2 })  // sigmoid ∈ [0.12, 0.88]
        }

        var best: (point: [Double], value: Double)?
        for start in starts {
            guard let result = LimitedMemoryBFGS.minimize(from: start, maximumIterations: iterations,
                                                          function: negativeLikelihood) else { continue }
            if best == nil || result.value < best!.value { best = result }
        }
        guard let best else { return nil }
        return GaussianProcess(inputs: inputs, targets: targets,
                               hyperparameters: GaussianProcessHyperparameters(logValues: logValues(best.point)))
    }
}


/// Inverse of the sigmoid, kept finite at the ends of [0, 1].
private func logit(_ p: Double) -> Double {
    let p = min(max(p, 1e-9), 1 - 1e-9)
    return log(p / (1 - p))
}
