import Datasets
import Foundation
import Notebook

/// Q3's batches of cells, defined once for the page and for a worker handed one of their cells.
extension Question3 {
    /// `train-mlp-raw`, `train-mlp-standardized`: the recipe on other input scalings.
    static func scaledTraining(_ scaling: InputScaling, split: DatasetSplit) -> CellDefinition<MLPTrainingConfig, MLPTrainingResult> {
        CellDefinition("train-mlp-\(scaling.rawValue)", version: "1") { config, progress in
            try trainMLP(config, split: split, weightsURL: nil, progress: progress)
        }
    }

    /// `tuning-trial`: one configuration trained briefly and scored by validation accuracy.
    static func tuningTrial(split: DatasetSplit) -> CellDefinition<TrialConfig, TrialResult> {
        CellDefinition("tuning-trial", version: "1") { config, _ in try runTrial(config, split: split) }
    }

    /// `tuned-retrain`: the best configuration trained with the full recipe.
    static func tunedRetraining(split: DatasetSplit) -> CellDefinition<MLPTrainingConfig, MLPTrainingResult> {
        CellDefinition("tuned-retrain", version: "2") { config, progress in
            try trainMLP(config, split: split, weightsURL: nil, progress: progress)
        }
    }

    public func workerCell(named name: String, context: WorkerContext) throws -> WorkerCell? {
        let split = try digits.split(for: MLPCells.datasetRequirements, profile: context.profile)
        switch name {
        case MLPCells.trainingName: return WorkerCell(MLPCells.training(split: split))
        case "tuning-trial": return WorkerCell(Self.tuningTrial(split: split))
        case "tuned-retrain": return WorkerCell(Self.tunedRetraining(split: split))
        case "landscape-mlp-rows": return MLPCells.workerLandscapeRows(context: context, split: split)
        default:
            let scaling = InputScaling.allCases.first { "train-mlp-\($0.rawValue)" == name }
            return scaling.map { WorkerCell(Self.scaledTraining($0, split: split)) }
        }
    }
}
