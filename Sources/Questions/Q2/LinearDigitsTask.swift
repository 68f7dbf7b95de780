import Analysis
import Datasets
import Foundation

/// The real-data problem of Question 2: a binary digit task (3 vs 8) with inputs reduced
/// by PCA so exact Hessians of small deep linear networks stay cheap, and one-hot targets.
struct LinearDigitsConfig: Codable {
    var dataset: String
    var datasetHash: String
    var negativeClass: Int
    var positiveClass: Int
    var principalComponents: Int
    var seed: UInt64
}

struct LinearDigitsData: Codable {
    var inputs: [Double]
    var targets: [Double]
    var inputSize: Int
    var explainedVariance: Double
    var exampleCount: Int

    /// Standardised PCA features of the training images of the two classes.
    init(split: DatasetSplit, config: LinearDigitsConfig) throws {
        let pixels = split.train.rows * split.train.columns
        var samples: [Double] = []
        var labels: [Int] = []
        for index in 0..<split.train.count {
            let label = Int(split.train.labels[index])
            guard label == config.negativeClass || label == config.positiveClass else { continue }
            samples.append(contentsOf: split.train.image(at: index).map { Double($0) / 255 })
            labels.append(label == config.positiveClass ? 1 : 0)
        }
        guard labels.count > config.principalComponents else {
            throw QuestionError.data("\(split.name) has too few images of \(config.negativeClass) and \(config.positiveClass) for PCA")
        }
        let pca = PrincipalComponents(samples: samples, dimension: pixels, componentCount: config.principalComponents, seed: config.seed)
        var projected = pca.project(samples)
        // Unit variance per component keeps the Hessian's scale comparable across directions.
        for component in 0..<config.principalComponents {
            let scale = 1 / max(sqrt(pca.variances[component]), 1e-12)
            for row in 0..<labels.count { projected[row * config.principalComponents + component] *= scale }
        }
        inputs = projected
        targets = labels.flatMap { $0 == 1 ? [0.0, 1.0] : [1.0, 0.0] }
        inputSize = config.principalComponents
        explainedVariance = pca.explainedVarianceRatios.reduce(0, +)
        exampleCount = labels.count
    }

    func network(hiddenSizes: [Int], loss: DeepLinearNetwork.Loss) -> DeepLinearNetwork {
        DeepLinearNetwork(layerSizes: [inputSize] + hiddenSizes + [2], loss: loss, inputs: inputs, targets: targets)
    }
}
