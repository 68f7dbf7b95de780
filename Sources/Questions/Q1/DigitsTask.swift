import Analysis
import Datasets
import Foundation

/// Which digits, from which dataset, for the real-data part of Question 1.
struct DigitsTaskConfig: Codable {
    var dataset: String
    var datasetHash: String
    var negativeClass: Int
    var positiveClass: Int
}

/// A binary digit problem (e.g. 3 vs 8) as logistic-regression data, pixels scaled to [0, 1].
struct DigitsTask {
    let config: DigitsTaskConfig
    let trainFeatures: [Double]
    let trainLabels: [Double]
    let testFeatures: [Double]
    let testLabels: [Double]
    let dimension: Int
    /// sqrt of the mean squared norm of an input: weights of size s/featureScale give logits of size ~s.
    let featureScale: Double
    let description: String

    init(split: DatasetSplit, negativeClass: Int, positiveClass: Int) throws {
        config = DigitsTaskConfig(dataset: split.name, datasetHash: split.contentHash,
                                  negativeClass: negativeClass, positiveClass: positiveClass)
        dimension = split.train.rows * split.train.columns
        func select(_ set: ImageSet) -> (features: [Double], labels: [Double]) {
            var features: [Double] = []
            var labels: [Double] = []
            for index in 0..<set.count {
                let label = Int(set.labels[index])
                guard label == negativeClass || label == positiveClass else { continue }
                features.append(contentsOf: set.image(at: index).map { Double($0) / 255 })
                labels.append(label == positiveClass ? 1 : 0)
            }
            return (features, labels)
        }
        (trainFeatures, trainLabels) = select(split.train)
        (testFeatures, testLabels) = select(split.test)
        guard !trainLabels.isEmpty, !testLabels.isEmpty else {
            throw QuestionError.data("dataset \(split.name) has no images of digits \(negativeClass) and \(positiveClass)")
        }
        let squaredNorm = trainFeatures.reduce(0) { $0 + $1 * $1 } / Double(trainLabels.count)
        featureScale = sqrt(squaredNorm)
        description = "\(split.name): digits \(negativeClass) vs \(positiveClass), \(trainLabels.count) training and "
            + "\(testLabels.count) test images"
    }

    func train(loss: BinaryLoss) -> LogisticRegression {
        LogisticRegression(features: trainFeatures, labels: trainLabels, dimension: dimension, loss: loss)
    }

    func test(loss: BinaryLoss) -> LogisticRegression {
        LogisticRegression(features: testFeatures, labels: testLabels, dimension: dimension, loss: loss)
    }
}

enum QuestionError: Error, CustomStringConvertible {
    case data(String)

    var description: String {
        switch self {
        case .data(let message): return message
        }
    }
}
