import Analysis
import Foundation

/// The imbalance cells by share and seed, and what follows from them on the balanced test digits.
struct ImbalanceComparison {
    let shares: [Double]
    let trainingSize: Int
    let seeds: [UInt64]
    /// cells[share index][seed index].
    let cells: [[ImbalanceCell]]
    let testLabels: [Double]
    let learningRates: [BinaryLoss: Double]
    /// Per share: balanced accuracy, cross-entropy − MSE, 95% paired bootstrap over seeds and test images.
    let balancedAccuracyDifferences: [PairedMetricBootstrap]

    init(shares: [Double], trainingSize: Int, seeds: [UInt64], cells: [[ImbalanceCell]], testLabels: [Double],
         learningRates: [BinaryLoss: Double], replicates: Int, bootstrapSeed: UInt64) {
        self.shares = shares
        self.trainingSize = trainingSize
        self.seeds = seeds
        self.cells = cells
        self.testLabels = testLabels
        self.learningRates = learningRates
        balancedAccuracyDifferences = cells.enumerated().map { index, row in
            PairedMetricBootstrap(first: row.map { $0.testProbabilities(.meanSquaredError) },
                                  second: row.map { $0.testProbabilities(.crossEntropy) },
                                  labels: testLabels, replicates: replicates, seed: bootstrapSeed &+ UInt64(index)) {
                BinaryConfusion(probabilities: $0, labels: $1).balancedAccuracy
            }
        }
    }

    func confusions(_ loss: BinaryLoss, share index: Int) -> [BinaryConfusion] {
        cells[index].map { BinaryConfusion(probabilities: $0.testProbabilities(loss), labels: testLabels) }
    }

    func minorityRecalls(_ loss: BinaryLoss, share index: Int) -> [Double] { confusions(loss, share: index).map { $0.recall(ofClass: 1) } }

    func balancedAccuracies(_ loss: BinaryLoss, share index: Int) -> [Double] { confusions(loss, share: index).map(\.balancedAccuracy) }
}
