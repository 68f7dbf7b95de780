import NN

/// A test image the model got wrong, with the probability it gave its (wrong) answer.
struct Misclassification: Codable {
    var testIndex: Int
    var label: Int
    var predicted: Int
    var confidence: Double
}

/// Where a classifier errs on a test set: the confusion matrix and its most confident mistakes.
struct ClassificationErrors {
    /// confusion[true][predicted]
    var confusion: [[Int]]
    /// Every mistake, most confident first.
    var misclassified: [Misclassification]

    init(evaluation: Evaluation, labels: [Int32], classCount: Int) {
        confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (index, predicted) in evaluation.predictions.enumerated() { confusion[Int(labels[index])][Int(predicted)] += 1 }
        misclassified = evaluation.predictions.enumerated().compactMap { index, predicted -> Misclassification? in
            let label = Int(labels[index])
            guard Int(predicted) != label else { return nil }
            return Misclassification(testIndex: index, label: label, predicted: Int(predicted),
                                     confidence: Double(evaluation.probabilities[index * evaluation.classCount + Int(predicted)]))
        }.sorted { $0.confidence > $1.confidence }
    }
}
