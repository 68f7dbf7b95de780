import Foundation

/// An optimiser's path projected on the plane that shows most of it: the top two principal
/// directions of the iterates' offsets from the final weights, θ_t − θ_final (the PCA
/// directions of loss-landscape's `plot_trajectory`, Li et al. 2018 §7).
///
/// The offsets are few (one per saved step) but long (one entry per parameter), so the
/// principal directions come from the T × T Gram matrix of the centred offsets,
/// ```
/// G = C Cᵀ,  C_t = (θ_t − θ_final) − mean_t(θ_t − θ_final),   G u = λ u,   d = Cᵀ u / √λ
/// ```
/// which has the same non-zero eigenvalues as the P × P covariance (sklearn's PCA centres the
/// same way). The path itself is projected without centring, so the final weights sit at the
/// origin, where the loss contours computed on the plane are centred too.
public struct TrajectoryProjection: Codable, Equatable {
    /// Unit directions d₁, d₂ in parameter space.
    public var directions: [[Double]]
    /// The share of the offsets' variance along d₁ and d₂.
    public var explainedVarianceRatios: [Double]
    /// (θ_t − θ_final)·d₁ and ·d₂ for each saved step.
    public var alphas: [Double]
    public var betas: [Double]

    /// - Parameters:
    ///   - iterates: θ_t, at least two, all of one length; the last is taken as θ_final.
    public init(iterates: [[Double]]) {
        precondition(iterates.count >= 2, "a trajectory needs at least two iterates")
        let final = iterates[iterates.count - 1], dimension = final.count
        precondition(iterates.allSatisfy { $0.count == dimension }, "iterates must all have \(dimension) entries")
        let offsets = iterates.map { iterate in zip(iterate, final).map { $0 - $1 } }
        var mean = [Double](repeating: 0, count: dimension)
        for offset in offsets { for p in 0..<dimension { mean[p] += offset[p] } }
        for p in 0..<dimension { mean[p] /= Double(offsets.count) }
        let centred = offsets.map { offset in zip(offset, mean).map { $0 - $1 } }
        let count = centred.count
        var gram = [Double](repeating: 0, count: count * count)
        for a in 0..<count {
            for b in a..<count {
                let value = dot(centred[a], centred[b])
                gram[a * count + b] = value
                gram[b * count + a] = value
            }
        }
        let total = (0..<count).reduce(0) { $0 + gram[$1 * count + $1] }
        var directions: [[Double]] = [], ratios: [Double] = []
        for (vector, eigenvalue) in Self.topEigenvectors(of: gram, size: count, count: 2) {
            var direction = [Double](repeating: 0, count: dimension)
            if eigenvalue > 0 {
                for (t, weight) in vector.enumerated() where weight != 0 {
                    for p in 0..<dimension { direction[p] += weight * centred[t][p] }
                }
                let norm = sqrt(dot(direction, direction))
                if norm > 0 { for p in 0..<dimension { direction[p] /= norm } }
            }
            directions.append(direction)
            ratios.append(total > 0 ? max(eigenvalue, 0) / total : 0)
        }
        self.directions = directions
        explainedVarianceRatios = ratios
        alphas = offsets.map { dot($0, directions[0]) }
        betas = offsets.map { dot($0, directions[1]) }
    }

    /// The largest eigenpairs of a small symmetric positive semi-definite matrix, by power
    /// iteration with deflation (T is at most a few hundred here).
    static func topEigenvectors(of matrix: [Double], size n: Int, count: Int) -> [(vector: [Double], value: Double)] {
        var found: [(vector: [Double], value: Double)] = []
        for component in 0..<count {
            // A deterministic start not orthogonal to any eigenvector in practice.
            var v = [Double](repeating: 1, count: n)
            for i in 0..<n {
                let wobble = Double((i * 7919 + component * 104_729) % 97) / 97
                v[i] += 0.1 * wobble
            }
            func orthogonalise(_ x: inout [Double]) {
                for (u, _) in found { let projection = dot(x, u); for i in 0..<n { x[i] -= projection * u[i] } }
                let norm = sqrt(dot(x, x))
                if norm > 0 { for i in 0..<n { x[i] /= norm } }
            }
            orthogonalise(&v)
            var value = 0.0
            for _ in 0..<2000 {
                var next = [Double](repeating: 0, count: n)
                for r in 0..<n { for c in 0..<n { next[r] += matrix[r * n + c] * v[c] } }
                value = dot(next, v)
                orthogonalise(&next)
                var change = 0.0
                for i in 0..<n { change += (next[i] - v[i]) * (next[i] - v[i]) }
                v = next
                if change < 1e-24 { break }
            }
            found.append((v, value))
        }
        return found
    }
}
