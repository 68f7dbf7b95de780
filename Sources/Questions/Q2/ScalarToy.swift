import Analysis
import Foundation

/// The smallest "deep linear network": L(a, b) = (a·b·x − y)², one weight per layer.
struct ScalarToyConfig: Codable {
    var input: Double
    var target: Double
    var range: Double
    var gridSize: Int
}

struct ScalarToyResult: Codable {
    var axis: [Double]
    /// values[j][i] = L(a = axis[i], b = axis[j]).
    var values: [[Double]]
    var hessianAtOrigin: [Double]
    var eigenvaluesAtOrigin: [Double]
    /// Two global minima, (1, 1)·√(y/x) and its sign-flipped twin, and the loss at their midpoint (the origin).
    var minimumLoss: Double
    var midpointLoss: Double
    var profile: SegmentProfile
}

func computeScalarToy(_ config: ScalarToyConfig) -> ScalarToyResult {
    let toy = ScalarTwoLayerNetwork(input: config.input, target: config.target)
    let n = config.gridSize
    let axis = (0..<n).map { -config.range + 2 * config.range * Double($0) / Double(n - 1) }
    let values = axis.map { b in axis.map { a in toy.value([a, b]) } }
    let hessian = toy.hessian([0, 0])
    let eigenvalues = SymmetricEigenvalues.jacobi(hessian, size: 2)
    let scale = sqrt(abs(config.target / config.input))
    let minimum = [scale, config.target / config.input >= 0 ? scale : -scale]
    let twin = minimum.map { -$0 }
    return ScalarToyResult(axis: axis, values: values, hessianAtOrigin: hessian, eigenvaluesAtOrigin: eigenvalues,
                           minimumLoss: toy.value(minimum), midpointLoss: toy.value([0, 0]),
                           profile: segmentProfile(toy, from: minimum, to: twin, points: 41))
}
