import Foundation

/// How far the loss climbs a step of a given size away from the trained weights, averaged over
/// both signs of several directions: with filter-normalised directions, a sharpness measure
/// that compares networks of different sizes (a step of r changes every filter by the
/// fraction r of its own norm), unlike the raw Hessian eigenvalues, which depend on scale.
/// ```
/// rise(r) = (1 / 2k) Σⱼ Σ_± [L(θ ± r dⱼ) − L(θ)]
/// ```
public struct DirectionalLossRise: Codable, Equatable {
    public var radius: Double
    /// L(θ + r d₁) − L(θ), L(θ − r d₁) − L(θ), L(θ + r d₂) − L(θ), …
    public var rises: [Double]

    public var mean: Double { rises.reduce(0, +) / Double(max(rises.count, 1)) }

    /// One entry per radius; `base` is L(θ), evaluated once.
    public static func profile(center: [Double], directions: [[Double]], radii: [Double], base: Double,
                               loss: ([Double]) -> Double) -> [DirectionalLossRise] {
        precondition(directions.allSatisfy { $0.count == center.count }, "directions must have \(center.count) entries")
        return radii.map { radius in
            var rises: [Double] = []
            for direction in directions {
                for sign in [1.0, -1.0] {
                    let point = zip(center, direction).map { $0 + sign * radius * $1 }
                    rises.append(loss(point) - base)
                }
            }
            return DirectionalLossRise(radius: radius, rises: rises)
        }
    }
}
