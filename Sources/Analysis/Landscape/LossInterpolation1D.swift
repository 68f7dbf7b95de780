import Foundation

/// The loss along the line through two parameter vectors (Goodfellow, Vinyals & Saxe 2015),
/// ```
/// L(θ(α)),     θ(α) = (1 − α) θ₀ + α θ₁
/// ```
/// α = 0 and 1 are the endpoints (e.g. initialisation and trained weights, or two trained
/// networks); α outside [0, 1] shows the walls beyond them. A bump above the chord between 0 and
/// 1 is a direct witness of non-convexity.
public struct LossInterpolation1D: Codable {
    public var alphas: [Double]
    /// L(θ(αᵢ)).
    public var values: [Double]

    /// - Parameters:
    ///   - alphas: where to evaluate; by default 41 points on [−0.5, 1.5].
    ///   - loss: the loss as a function of the flat parameter vector.
    public init(from start: [Double], to end: [Double],
                alphas: [Double] = evenlySpacedValues(from: -0.5, through: 1.5, count: 41),
                loss: ([Double]) -> Double) {
        precondition(start.count == end.count, "endpoints must have the same length")
        self.alphas = alphas
        self.values = alphas.map { alpha in loss(interpolate(start, end, alpha)) }
    }
}

/// `count` evenly spaced values from `start` to `end` inclusive.
public func evenlySpacedValues(from start: Double, through end: Double, count: Int) -> [Double] {
    precondition(count >= 1, "count must be positive")
    guard count > 1 else { return [start] }
    return (0..<count).map { start + (end - start) * Double($0) / Double(count - 1) }
}

/// (1 − t) a + t b.
@inline(__always)
func interpolate(_ a: [Double], _ b: [Double], _ t: Double) -> [Double] {
    zip(a, b).map { (1 - t) * $0 + t * $1 }
}
