import Foundation

/// The top-k principal components of a data set, by power iteration on the covariance with
/// Gram–Schmidt deflation against the components already found:
/// ```
/// C = (1/n) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ = XᵀX/n − μμᵀ,     v ← C v / ‖C v‖  (v ⟂ v₁ … v_{j−1})
/// ```
/// Used to reduce 784-pixel digits to a handful of inputs so deep linear networks stay small
/// enough for exact (dense) Hessians. XᵀX skips zero entries, which makes the covariance of
/// sparse images several times cheaper.
public struct PrincipalComponents: Codable {
    /// d.
    public var dimension: Int
    /// μ.
    public var mean: [Double]
    /// v₁ … v_k, unit vectors in order of decreasing variance.
    public var components: [[Double]]
    /// vⱼᵀ C vⱼ, the variance along each component.
    public var variances: [Double]
    /// tr(C), the total variance.
    public var totalVariance: Double

    /// - Parameters:
    ///   - samples: X, count × dimension row-major.
    ///   - componentCount: k ≤ dimension.
    ///   - maximumIterations: power iterations per component at most.
    ///   - tolerance: stop when ‖v_new − v_old‖ falls below it.
    ///   - seed: seeds the start vectors.
    public init(samples: [Double], dimension: Int, componentCount: Int, maximumIterations: Int = 500,
                tolerance: Double = 1e-10, seed: UInt64 = 0) {
        precondition(dimension > 0 && samples.count % dimension == 0 && !samples.isEmpty, "samples must be n × \(dimension)")
        precondition((1...dimension).contains(componentCount), "componentCount must be in 1...\(dimension)")
        let count = samples.count / dimension
        var mean = [Double](repeating: 0, count: dimension)
        for i in 0..<count { for j in 0..<dimension { mean[j] += samples[i * dimension + j] } }
        for j in 0..<dimension { mean[j] /= Double(count) }
        var covariance = RowMajorMatrix.transposedMultiply(samples, samples, rows: dimension, inner: count, columns: dimension)
        for r in 0..<dimension {
            for c in 0..<dimension { covariance[r * dimension + c] = covariance[r * dimension + c] / Double(count) - mean[r] * mean[c] }
        }
        let multiply = { (v: [Double]) in RowMajorMatrix.multiply(covariance, v, rows: dimension, inner: dimension, columns: 1) }
        var generator = SeededGenerator(seed: seed)
        var components: [[Double]] = [], variances: [Double] = []
        for _ in 0..<componentCount {
            var v = (0..<dimension).map { _ in generator.nextGaussian() }
            Self.normalize(&v, orthogonalTo: components)
            for _ in 0..<maximumIterations {
                var next = multiply(v)
                Self.normalize(&next, orthogonalTo: components)
                let change = sqrt(zip(next, v).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) })
                v = next
                if change < tolerance { break }
            }
            components.append(v)
            variances.append(dot(v, multiply(v)))
        }
        self.dimension = dimension
        self.mean = mean
        self.components = components
        self.variances = variances
        self.totalVariance = (0..<dimension).reduce(0) { $0 + covariance[$1 * dimension + $1] }
    }

    /// Fraction of the total variance along each component.
    public var explainedVarianceRatios: [Double] {
        variances.map { totalVariance > 0 ? $0 / totalVariance : 0 }
    }

    /// (xᵢ − μ)ᵀ vⱼ for each row, count × k row-major.
    public func project(_ samples: [Double]) -> [Double] {
        precondition(samples.count % dimension == 0, "samples must be n × \(dimension)")
        let count = samples.count / dimension, k = components.count
        var projected = [Double](repeating: 0, count: count * k)
        for i in 0..<count {
            for j in 0..<k {
                var sum = 0.0
                for p in 0..<dimension { sum += (samples[i * dimension + p] - mean[p]) * components[j][p] }
                projected[i * k + j] = sum
            }
        }
        return projected
    }

    /// Removes the projections on `basis` (twice, for stability) and scales to unit length;
    /// if nothing is left (C v ∈ span(basis)), falls back to the first unit vector orthogonal to it.
    static func normalize(_ v: inout [Double], orthogonalTo basis: [[Double]]) {
        LanczosTridiagonal.orthogonalize(&v, against: basis)
        LanczosTridiagonal.orthogonalize(&v, against: basis)
        var norm = euclideanNorm(v)
        var fallback = 0
        while norm < 1e-12 && fallback < v.count {
            v = [Double](repeating: 0, count: v.count)
            v[fallback] = 1
            LanczosTridiagonal.orthogonalize(&v, against: basis)
            LanczosTridiagonal.orthogonalize(&v, against: basis)
            norm = euclideanNorm(v)
            fallback += 1
        }
        for i in v.indices { v[i] /= norm }
    }
}
