import Analysis
import Foundation

/// Cross-entropy against MSE on equal terms: each loss gets its own best learning rate from the
/// same grid, with the same step budget, from the same starts, at several initial logit scales.
struct FairComparisonDesign {
    var learningRates: [Double]
    var initialLogitScales: [Double]
    /// The scale of an ordinary start (neither tiny nor saturated): calibration and the
    /// class-imbalance runs use each loss's learning rate chosen here.
    var ordinaryScale: Double
    var starts: Int
    var iterations: Int
    var validationStride: Int
    /// "Steps to reach" this training accuracy is reported beside the final accuracy.
    var targetAccuracy: Double
    /// How each loss's learning rate is chosen from the grid.
    var criterion = LearningRateCriterion.validationLoss
    var seed: UInt64
    /// Seeds the paired bootstraps of the comparison.
    var bootstrapSeed: UInt64

    /// One seed per scale, shared by both losses and every learning rate: the same starts.
    func seed(forScale index: Int) -> UInt64 { seed &+ UInt64(index) }

    func configs(task: DigitsTaskConfig) -> [SweepCellConfig] {
        initialLogitScales.enumerated().flatMap { index, scale in
            BinaryLoss.allCases.flatMap { loss in
                learningRates.map { rate in
                    SweepCellConfig(task: task, validationStride: validationStride, loss: loss, learningRate: rate,
                                    initialLogitScale: scale, starts: starts, iterations: iterations, seed: seed(forScale: index))
                }
            }
        }
    }
}

/// How a loss's learning rate is chosen from the grid, on the held-out validation images.
enum LearningRateCriterion {
    /// The lowest mean validation loss (the loss's own); ties: higher validation accuracy, then the smaller rate.
    case validationLoss
    /// The highest mean validation accuracy; ties: lower validation loss, then the smaller rate.
    case validationAccuracy

    var description: String {
        switch self {
        case .validationLoss: return "the lowest mean validation loss (each loss its own)"
        case .validationAccuracy: return "the highest mean validation accuracy"
        }
    }
}
