import Foundation

/// The loss on a plane through θ spanned by two directions δ and η,
/// ```
/// values[j][i] = L(θ + αᵢ δ + βⱼ η)
/// ```
/// With random filter-normalised directions (``filterNormalizedDirection(layout:parameters:seed:)``)
/// this is the contour plot of Li et al. (2018). Rows are β (the y axis), columns α (the x axis).
public struct LossLandscape2D: Codable {
    public var alphas: [Double]
    public var betas: [Double]
    /// values[j][i] at (αᵢ, βⱼ).
    public var values: [[Double]]
    /// Classification accuracy at each point, laid out like `values`, when the objective
    /// reports one (see `init(center:firstDirection:secondDirection:alphas:betas:evaluate:)`).
    public var accuracies: [[Double]]?

    /// Evaluates the grid.
    ///
    /// - Parameters:
    ///   - center: θ.
    ///   - firstDirection: δ (the α axis).
    ///   - secondDirection: η (the β axis).
    ///   - loss: L as a function of the flat parameter vector.
    ///
    /// Points are evaluated one after another: the models parallelise inside each evaluation
    /// (see `MLPLandscape` and the convolutions), which is where the cores pay.
    public init(center: [Double], firstDirection: [Double], secondDirection: [Double],
                alphas: [Double] = evenlySpacedValues(from: -1, through: 1, count: 21),
                betas: [Double] = evenlySpacedValues(from: -1, through: 1, count: 21),
                loss: ([Double]) -> Double) {
        let points = Self.evaluate(center: center, firstDirection: firstDirection, secondDirection: secondDirection,
                                   alphas: alphas, betas: betas) { (loss($0), Double.nan) }
        self.init(alphas: alphas, betas: betas, values: points.map { $0.map(\.loss) })
    }

    /// The grid of an objective that also reports classification accuracy at each point
    /// (one row of β after another, `progress(done, total)` after each point).
    public init(center: [Double], firstDirection: [Double], secondDirection: [Double], alphas: [Double], betas: [Double],
                progress: ((Int, Int) -> Void)? = nil, evaluate: ([Double]) -> (loss: Double, accuracy: Double)) {
        var done = 0
        let points = Self.evaluate(center: center, firstDirection: firstDirection, secondDirection: secondDirection,
                                   alphas: alphas, betas: betas) { point in
            defer { done += 1; progress?(done, alphas.count * betas.count) }
            return evaluate(point)
        }
        self.init(alphas: alphas, betas: betas, values: points.map { $0.map(\.loss) }, accuracies: points.map { $0.map(\.accuracy) })
    }

    /// L and accuracy at θ + αᵢ δ + βⱼ η, rows of β.
    private static func evaluate(center: [Double], firstDirection: [Double], secondDirection: [Double], alphas: [Double], betas: [Double],
                                 _ objective: ([Double]) -> (loss: Double, accuracy: Double)) -> [[(loss: Double, accuracy: Double)]] {
        precondition(firstDirection.count == center.count && secondDirection.count == center.count,
                     "directions must have \(center.count) entries")
        let columns = alphas.count, pointCount = alphas.count * betas.count
        var flat = [(loss: Double, accuracy: Double)](repeating: (.nan, .nan), count: pointCount)
        func evaluate(_ index: Int) -> (loss: Double, accuracy: Double) {
            let alpha = alphas[index % columns], beta = betas[index / columns]
            var point = center
            for p in point.indices { point[p] += alpha * firstDirection[p] + beta * secondDirection[p] }
            return objective(point)
        }
        for index in 0..<pointCount { flat[index] = evaluate(index) }
        return (0..<betas.count).map { j in Array(flat[(j * columns)..<((j + 1) * columns)]) }
    }

    /// log₁₀ of every value (floored at 10⁻¹²), as the figures draw them.
    public var log10Values: [[Double]] {
        values.map { $0.map { log10(max($0, 1e-12)) } }
    }

    /// The smallest value on the grid and where it is.
    public var minimum: (value: Double, alpha: Double, beta: Double) {
        var best = (value: Double.infinity, alpha: Double.nan, beta: Double.nan)
        for (j, row) in values.enumerated() {
            for (i, value) in row.enumerated() where value < best.value { best = (value, alphas[i], betas[j]) }
        }
        return best
    }
}
