import Datasets
import Experiments
import Foundation
import Notebook

/// Q4's batches of cells, defined once for the page and for a worker handed one of their cells.
extension Question4 {
    /// `train-ARCH` (or `train-ARCH-N-epochs` at another budget): one network from one seed, its
    /// weights saved in the cell's artifacts.
    static func training(_ name: String, split: DatasetSplit) -> CellDefinition<ConvolutionalTrainingConfig, ConvolutionalTrainingResult> {
        CellDefinition(name, version: "3") { config, progress in
            try FileManager.default.createDirectory(at: progress.artifactDirectory, withIntermediateDirectories: true)
            return try trainConvolutional(
                config, split: split,
                weightsURL: progress.artifactDirectory.appendingPathComponent(weightsFileName(config.architecture)),
                progress: progress)
        }
    }

    /// The cell name of `architecture`'s training at `epochs` (the recipe's budget unless named).
    static func trainingName(_ architecture: ConvolutionalArchitecture, epochs: Int, profile: Profile) -> String {
        "train-\(architecture.rawValue)" + (epochs == Q4Recipe.epochBudget(architecture, profile: profile) ? "" : "-\(epochs)-epochs")
    }

    /// The cell name of `config`'s training (the budget is in the name, so a doubled budget is a cell of its own).
    static func trainingName(_ config: ConvolutionalTrainingConfig, profile: Profile) -> String {
        trainingName(config.architecture, epochs: config.epochs, profile: profile)
    }

    static func weightsFileName(_ architecture: ConvolutionalArchitecture) -> String { "\(architecture.rawValue).weights" }

    /// `throughput`: each network's training step timed on its own.
    static func throughput(split: DatasetSplit) -> CellDefinition<ThroughputConfig, ThroughputResult> {
        CellDefinition("throughput", version: "1") { config, _ in measureThroughput(config, split: split) }
    }

    /// The network `architecture` trained from `seed`, whose weights a training cell left in `artifacts`.
    static func model(_ architecture: ConvolutionalArchitecture, split: DatasetSplit, seed: UInt64, artifacts: URL) -> ModelUnderStudy {
        .convolutional(architecture, split: split, seed: seed, zeroInitialResidual: Q4Recipe.zeroInitialResidual(architecture),
                       weights: artifacts.appendingPathComponent(weightsFileName(architecture)))
    }

    public func workerCell(named name: String, context: WorkerContext) throws -> WorkerCell? {
        if name == "landscape-mlp-rows" {
            let split = try digits.split(for: MLPCells.datasetRequirements, profile: context.profile)
            return MLPCells.workerLandscapeRows(context: context, split: split)
        }
        let split = try digits.split(for: Self.datasetRequirements, profile: context.profile)
        if name == "throughput" { return WorkerCell(Self.throughput(split: split)) }
        if name.hasPrefix("train-") { return WorkerCell(Self.training(name, split: split)) }
        for architecture in ConvolutionalArchitecture.allCases where name == "landscape-\(architecture.rawValue)-rows" {
            guard let training = context.inputs.first else { return nil }
            // Landscapes study the recipe's budget: the cell `trainingName` names at that budget.
            let trainingCell = Self.trainingName(architecture, epochs: Q4Recipe.epochBudget(architecture, profile: context.profile),
                                                 profile: context.profile)
            let artifacts = context.cache.artifactDirectory(question: id, cell: trainingCell, key: training)
            let model = Self.model(architecture, split: split, seed: context.seed, artifacts: artifacts)
            return WorkerCell(landscapeRowsDefinition(model, modelName: architecture.rawValue, inputs: context.inputs))
        }
        return nil
    }
}
