import Analysis
import Foundation

/// The subsets of the digit problem that Question 1's experiments train on: a held-out
/// validation part for choosing learning rates, random starts, and class-imbalanced samples.
extension DigitsTask {
    /// The training images split in two: every `validationStride`-th image held out for
    /// validation, the rest to fit on (the images are already in random order).
    func fittingAndValidation(loss: BinaryLoss, validationStride: Int) -> (fitting: LogisticRegression, validation: LogisticRegression) {
        precondition(validationStride > 1, "validationStride must be at least 2")
        let indices = trainLabels.indices
        let validation = indices.filter { $0 % validationStride == validationStride - 1 }
        let fitting = indices.filter { $0 % validationStride != validationStride - 1 }
        return (trainingSubset(fitting, loss: loss), trainingSubset(validation, loss: loss))
    }

    /// Random starting points: Gaussian weights and bias scaled so the initial logits have
    /// standard deviation ≈ `logitScale` on this data. The same seed gives the same starts.
    func randomStarts(count: Int, logitScale: Double, seed: UInt64) -> [[Double]] {
        var generator = SeededGenerator(seed: seed)
        let scale = logitScale / featureScale
        return (0..<count).map { _ in (0...dimension).map { _ in generator.nextGaussian() * scale } }
    }

    /// A training sample of `size` images of which `round(minorityShare · size)` are the positive
    /// digit (the minority) and the rest the negative one, drawn without replacement.
    func imbalancedTraining(size: Int, minorityShare: Double, seed: UInt64, loss: BinaryLoss) -> LogisticRegression {
        let minority = Int((minorityShare * Double(size)).rounded())
        var generator = SeededGenerator(seed: seed)
        let positives = trainLabels.indices.filter { trainLabels[$0] == 1 }
        let negatives = trainLabels.indices.filter { trainLabels[$0] == 0 }
        precondition(minority <= positives.count && size - minority <= negatives.count,
                     "imbalancedTraining: \(minority) + \(size - minority) images asked, \(positives.count) + \(negatives.count) available")
        let chosenPositives = generator.permutation(of: positives.count).prefix(minority).map { positives[$0] }
        let chosenNegatives = generator.permutation(of: negatives.count).prefix(size - minority).map { negatives[$0] }
        return trainingSubset((chosenPositives + chosenNegatives).sorted(), loss: loss)
    }

    /// The largest training size for which every share in `minorityShares` can be drawn
    /// from this task's training images without replacement.
    func largestImbalancedSize(minorityShares: [Double]) -> Int {
        let positives = Double(trainLabels.filter { $0 == 1 }.count)
        let negatives = Double(trainLabels.count) - positives
        return Int(minorityShares.map { min(positives / $0, negatives / (1 - $0)) }.min() ?? 0)
    }

    private func trainingSubset(_ indices: [Int], loss: BinaryLoss) -> LogisticRegression {
        var features: [Double] = []
        features.reserveCapacity(indices.count * dimension)
        for index in indices { features.append(contentsOf: trainFeatures[(index * dimension)..<((index + 1) * dimension)]) }
        return LogisticRegression(features: features, labels: indices.map { trainLabels[$0] }, dimension: dimension, loss: loss)
    }
}
