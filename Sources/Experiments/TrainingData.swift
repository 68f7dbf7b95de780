import Datasets
import NN
import Tensor

// The data plumbing every training in Labbook shares (the questions' cells, the benchmarks):
// the seeded train/validation split, the smallest set that fills a mini-batch, and samples as
// LabeledData.

/// The training/validation split Labbook uses: a seeded shuffle, then the last 20% for validation.
public func shuffledValidationSplit(count: Int, validationFraction: Double, seed: UInt64) -> (train: [Int], validation: [Int]) {
    var generator = SeededGenerator(seed: seed)
    let order = generator.permutation(of: count)
    let validationCount = Int((Double(count) * validationFraction).rounded())
    return (Array(order[..<(count - validationCount)]), Array(order[(count - validationCount)...]))
}

/// The fewest training images that still fill one mini-batch of `batchSize` after
/// `shuffledValidationSplit` holds out `validationFraction` of them (rounded as it rounds).
public func smallestTrainingSet(batchSize: Int, validationFraction: Double) -> Int {
    precondition(batchSize > 0 && (0..<1).contains(validationFraction), "smallestTrainingSet: batch \(batchSize), fraction \(validationFraction)")
    var count = batchSize
    while count - Int((Double(count) * validationFraction).rounded()) < batchSize { count += 1 }
    return count
}

/// How a network takes an image: `[rows, columns]` (the MLP flattens it) or one channel
/// `[1, rows, columns]` (convolutions, NCHW).
public enum SampleLayout: Sendable {
    case plane
    case channels
}

/// Samples with pixels scaled to [0, 1], of all images or `indices`, in `layout`.
public func labeledData(_ set: ImageSet, indices: [Int]? = nil, layout: SampleLayout = .plane) -> LabeledData {
    let subset = indices.map { set.subset($0) } ?? set
    let shape = layout == .plane ? [subset.rows, subset.columns] : [1, subset.rows, subset.columns]
    return LabeledData(features: subset.normalizedPixels(), labels: subset.labels, sampleShape: shape)
}
