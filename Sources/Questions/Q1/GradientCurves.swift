import Analysis
import Foundation

struct GradientCurveConfig: Codable {
    var logits: [Double]
    var label: Double
}

/// dℓ/dz of both losses over a range of logits, for one example.
struct GradientCurves: Codable {
    var logits: [Double]
    var derivatives: [String: [Double]]

    init(_ config: GradientCurveConfig) {
        logits = config.logits
        derivatives = Dictionary(uniqueKeysWithValues: BinaryLoss.allCases.map { loss in
            (loss.rawValue, config.logits.map { loss.derivative(logit: $0, label: config.label) })
        })
    }

    func values(_ loss: BinaryLoss) -> [Double] { derivatives[loss.rawValue] ?? [] }
    func derivative(_ loss: BinaryLoss, at index: Int) -> Double { values(loss)[index] }
}
