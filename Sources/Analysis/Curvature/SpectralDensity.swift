import Foundation

/// An eigenvalue density estimated by stochastic Lanczos quadrature (Ghorbani, Krishnan & Xiao
/// 2019): for each Rademacher probe z, the Lanczos tridiagonal started at z/‖z‖ has Ritz values
/// θₖ and weights τₖ = (first eigenvector component)², and
/// ```
/// φ(λ) ≈ (1/probes) Σ_probes Σₖ τₖ δ(λ − θₖ)        (∫ φ = 1, E[∫ λ φ] = tr(A)/n)
/// ```
public struct SpectralDensity: Codable {
    /// Ritz values θₖ, one array per probe.
    public var nodes: [[Double]]
    /// Quadrature weights τₖ, one array per probe, each summing to 1.
    public var weights: [[Double]]

    /// The density smoothed with a Gaussian kernel of the given width, on a grid of λ values:
    /// `φ_σ(λ) = (1/probes) Σ τₖ 𝒩(λ; θₖ, σ²)`.
    public func smoothed(at grid: [Double], bandwidth: Double) -> [Double] {
        precondition(bandwidth > 0, "bandwidth must be positive")
        let normalisation = 1 / (Double(max(nodes.count, 1)) * bandwidth * sqrt(2 * .pi))
        return grid.map { lambda in
            var sum = 0.0
            for (probeNodes, probeWeights) in zip(nodes, weights) {
                for (node, weight) in zip(probeNodes, probeWeights) {
                    let z = (lambda - node) / bandwidth
                    sum += weight * exp(-0.5 * z * z)
                }
            }
            return sum * normalisation
        }
    }

    /// ∫ λ φ(λ) dλ, an estimate of tr(A)/n.
    public var mean: Double {
        var total = 0.0
        for (probeNodes, probeWeights) in zip(nodes, weights) {
            for (node, weight) in zip(probeNodes, probeWeights) { total += node * weight }
        }
        return total / Double(max(nodes.count, 1))
    }
}

/// Stochastic Lanczos quadrature: `probes` Lanczos runs of `steps` steps from seeded Rademacher
/// vectors. Costs probes × steps operator applications.
public func stochasticLanczosQuadrature(dimension: Int, steps: Int, probes: Int, seed: UInt64 = 0,
                                        applying applyOperator: ([Double]) -> [Double]) -> SpectralDensity {
    precondition(probes > 0, "need at least one probe")
    var generator = SeededGenerator(seed: seed)
    var nodes: [[Double]] = [], weights: [[Double]] = []
    for probe in 0..<probes {
        let start = (0..<dimension).map { _ in generator.next() & 1 == 0 ? -1.0 : 1.0 }
        let tridiagonal = LanczosTridiagonal(dimension: dimension, steps: steps, startVector: start,
                                             seed: seed &+ UInt64(probe) &+ 1, applying: applyOperator)
        let eigensystem = tridiagonal.eigensystem
        nodes.append(eigensystem.eigenvalues)
        weights.append(eigensystem.firstComponentWeights)
    }
    return SpectralDensity(nodes: nodes, weights: weights)
}
