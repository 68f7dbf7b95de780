import Foundation

/// The Lanczos tridiagonalisation of a symmetric operator A (given only as v ↦ A v), with full
/// reorthogonalisation:
/// ```
/// A Qₘ = Qₘ Tₘ + βₘ qₘ eₘᵀ,      Tₘ = tridiag(β, α, β),      Qₘᵀ Qₘ = I
/// ```
/// The eigenvalues of Tₘ (Ritz values) approximate A's extreme eigenvalues first, which is why
/// a few dozen Hessian-vector products reveal the sharpest and the most negative curvature of a
/// model with thousands of parameters. Every new vector is orthogonalised twice against all
/// previous ones ("twice is enough"), which costs O(m n) memory but prevents the ghost
/// eigenvalues of plain Lanczos.
///
/// If the Krylov space becomes invariant (β ≈ 0) before m steps, a fresh random vector
/// orthogonal to the basis continues the process with βⱼ = 0, so Tₘ is block diagonal and
/// still yields eigenvalues of A.
public struct LanczosTridiagonal: Codable {
    /// α₀ … αₘ₋₁.
    public var diagonal: [Double]
    /// β₀ … βₘ₋₂.
    public var offDiagonal: [Double]

    /// - Parameters:
    ///   - dimension: n, the length of vectors A acts on.
    ///   - steps: m ≤ n, the number of operator applications.
    ///   - startVector: q₀ before normalisation (must be nonzero).
    ///   - seed: seeds the fresh vectors used after an invariant subspace is found.
    ///   - applying: v ↦ A v for symmetric A.
    public init(dimension: Int, steps: Int, startVector: [Double], seed: UInt64 = 0,
                applying applyOperator: ([Double]) -> [Double]) {
        precondition(startVector.count == dimension, "startVector must have \(dimension) entries")
        let steps = min(steps, dimension)
        precondition(steps > 0, "need at least one Lanczos step")
        var generator = SeededGenerator(seed: seed)
        var basis: [[Double]] = []
        basis.reserveCapacity(steps)
        var alphas: [Double] = [], betas: [Double] = []
        var current = startVector
        let startNorm = euclideanNorm(current)
        precondition(startNorm > 0, "startVector must be nonzero")
        for i in current.indices { current[i] /= startNorm }
        var spectralScale = 0.0
        for j in 0..<steps {
            basis.append(current)
            var w = applyOperator(current)
            precondition(w.count == dimension, "operator must return \(dimension) entries")
            let alpha = dot(current, w)
            alphas.append(alpha)
            for i in w.indices { w[i] -= alpha * current[i] }
            if j > 0 {
                let previous = basis[j - 1], beta = betas[j - 1]
                for i in w.indices { w[i] -= beta * previous[i] }
            }
            Self.orthogonalize(&w, against: basis)
            Self.orthogonalize(&w, against: basis)
            if j == steps - 1 { break }
            var beta = euclideanNorm(w)
            spectralScale = max(spectralScale, abs(alpha), beta)
            if beta <= 1e-10 * max(spectralScale, 1e-300) {
                // Invariant subspace: continue from a random direction orthogonal to it.
                beta = 0
                repeat {
                    w = (0..<dimension).map { _ in generator.nextGaussian() }
                    Self.orthogonalize(&w, against: basis)
                    Self.orthogonalize(&w, against: basis)
                } while euclideanNorm(w) < 1e-8
                let norm = euclideanNorm(w)
                current = w.map { $0 / norm }
            } else {
                current = w.map { $0 / beta }
            }
            betas.append(beta)
        }
        diagonal = alphas
        offDiagonal = betas
    }

    /// Eigenvalues and first-component weights of Tₘ.
    public var eigensystem: SymmetricTridiagonalEigensystem {
        SymmetricTridiagonalEigensystem(diagonal: diagonal, offDiagonal: offDiagonal)
    }

    /// The Ritz values (eigenvalues of Tₘ), ascending.
    public var ritzValues: [Double] { eigensystem.eigenvalues }

    /// w ← w − Σᵢ (qᵢᵀ w) qᵢ (classical Gram–Schmidt; call twice for full reorthogonalisation).
    static func orthogonalize(_ w: inout [Double], against basis: [[Double]]) {
        for q in basis {
            let projection = dot(q, w)
            w.withUnsafeMutableBufferPointer { target in
                q.withUnsafeBufferPointer { source in
                    for i in 0..<target.count { target[i] -= projection * source[i] }
                }
            }
        }
    }
}
