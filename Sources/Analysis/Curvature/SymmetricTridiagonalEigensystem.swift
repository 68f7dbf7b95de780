import Foundation

/// Eigenvalues of a symmetric tridiagonal matrix, with the first component of each
/// eigenvector, by the implicit QL algorithm with Wilkinson shifts (Numerical Recipes' `tqli`).
///
/// ```
///     ⎡ d₀  e₀             ⎤
/// T = ⎢ e₀  d₁  e₁         ⎥        T = Σⱼ λⱼ uⱼ uⱼᵀ
///     ⎢     e₁  ⋱   eₘ₋₂   ⎥
///     ⎣         eₘ₋₂ dₘ₋₁  ⎦
/// ```
/// The first components `uⱼ[0]` are what stochastic Lanczos quadrature needs: for a Lanczos
/// tridiagonal started from q₀, `Σⱼ uⱼ[0]² f(λⱼ)` is the Gauss quadrature of q₀ᵀ f(A) q₀.
/// Every QL rotation acts on each row of the eigenvector matrix independently, so tracking
/// only row 0 costs O(m) per rotation instead of O(m²).
public struct SymmetricTridiagonalEigensystem: Codable {
    /// λⱼ, ascending.
    public var eigenvalues: [Double]
    /// uⱼ[0]², in the order of `eigenvalues`; they sum to 1.
    public var firstComponentWeights: [Double]

    /// - Parameters:
    ///   - diagonal: d₀ … dₘ₋₁.
    ///   - offDiagonal: e₀ … eₘ₋₂ (eᵢ couples i and i + 1).
    public init(diagonal: [Double], offDiagonal: [Double]) {
        let n = diagonal.count
        precondition(offDiagonal.count == max(n - 1, 0), "offDiagonal must have diagonal.count − 1 entries")
        var d = diagonal
        var e = offDiagonal + [0]
        var firstRow = [Double](repeating: 0, count: n)
        if n > 0 { firstRow[0] = 1 }
        for l in 0..<n {
            var iterations = 0
            var m = l
            repeat {
                m = l
                while m < n - 1 {
                    let scale = abs(d[m]) + abs(d[m + 1])
                    if abs(e[m]) <= Double.ulpOfOne * scale { break }
                    m += 1
                }
                if m == l { break }
                iterations += 1
                precondition(iterations < 100, "tridiagonal QL did not converge")
                var g = (d[l + 1] - d[l]) / (2 * e[l])
                var r = hypot(g, 1)
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r))
                var s = 1.0, c = 1.0, p = 0.0
                var i = m - 1
                var deflatedEarly = false
                while i >= l {
                    var f = s * e[i]
                    let b = c * e[i]
                    r = hypot(f, g)
                    e[i + 1] = r
                    if r == 0 {
                        // Underflow: the matrix split; restart the sweep on the smaller block.
                        d[i + 1] -= p
                        e[m] = 0
                        deflatedEarly = true
                        break
                    }
                    s = f / r
                    c = g / r
                    g = d[i + 1] - p
                    r = (d[i] - g) * s + 2 * c * b
                    p = s * r
                    d[i + 1] = g + p
                    g = c * r - b
                    f = firstRow[i + 1]
                    firstRow[i + 1] = s * firstRow[i] + c * f
                    firstRow[i] = c * firstRow[i] - s * f
                    i -= 1
                }
                if deflatedEarly { continue }
                d[l] -= p
                e[l] = g
                e[m] = 0
            } while m != l
        }
        let order = (0..<n).sorted { d[$0] < d[$1] }
        eigenvalues = order.map { d[$0] }
        firstComponentWeights = order.map { firstRow[$0] * firstRow[$0] }
    }
}
