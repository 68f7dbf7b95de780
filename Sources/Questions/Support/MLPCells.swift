import Datasets
import Experiments
import Foundation
import Notebook

/// Q3's MLP as cells: the recipe, the `train-mlp` definition and the trained model with its
/// landscape settings. The cells are Q3's (its cache and report own them); Q4's landscape
/// comparison includes this MLP and names Q3's training cell as its input through these,
/// whichever question runs first.
enum MLPCells {
    static let owner = "q3"
    /// The recipe's mini-batch and validation share (Keras's `batch_size=32`, `validation_split=0.2`).
    static let batchSize = 32
    static let validationFraction = 0.2

    /// The MLP is built for whatever image size the data has; a step needs one full mini-batch
    /// left after the validation images are held out.
    static let datasetRequirements = DatasetRequirements(
        consumer: "q3",
        minimumTrainingImages: smallestTrainingSet(batchSize: batchSize, validationFraction: validationFraction),
        countReason: "\(Int(validationFraction * 100))% are held out for validation and a mini-batch takes \(batchSize)")

    /// The Q3 recipe for this split and profile: what the tuning and the seed runs start from.
    static func recipe(split: DatasetSplit, profile: Profile, seed: UInt64) -> MLPTrainingConfig {
        MLPTrainingConfig(dataset: split.name, datasetHash: split.contentHash, epochs: profile.pick(quick: 2, default: 10, full: 10),
                          batchSize: batchSize, learningRate: 1e-3, hiddenSizes: [128, 64], validationFraction: validationFraction,
                          trainingLimit: profile.pick(quick: 2000, default: nil, full: nil), seed: seed)
    }

    /// The recipe's first run, which also saves its weights every few steps: the trajectory.
    static func recordedRecipe(split: DatasetSplit, profile: Profile, seed: UInt64) -> MLPTrainingConfig {
        var recorded = recipe(split: split, profile: profile, seed: seed)
        recorded.trajectoryInterval = profile.pick(quick: 10, default: 250, full: 250)
        return recorded
    }

    static let trainingName = "train-mlp"

    /// `train-mlp`: the recipe from one seed, its weights saved in the cell's artifacts.
    static func training(split: DatasetSplit) -> CellDefinition<MLPTrainingConfig, MLPTrainingResult> {
        CellDefinition(trainingName, version: "2", owner: owner) { config, progress in
            try FileManager.default.createDirectory(at: progress.artifactDirectory, withIntermediateDirectories: true)
            return try trainMLP(config, split: split, weightsURL: progress.artifactDirectory.appendingPathComponent(weightsFileName),
                                progress: progress)
        }
    }

    static let weightsFileName = "mlp.weights"

    /// The MLP `training` (a `train-mlp` cell of `recipe`) left in `artifacts`.
    static func model(recipe: MLPTrainingConfig, split: DatasetSplit, artifacts: URL) -> ModelUnderStudy {
        .mlp(recipe: recipe, split: split, weights: artifacts.appendingPathComponent(weightsFileName))
    }

    /// The `landscape-mlp-rows` definition a worker runs: the MLP rebuilt from the artifacts of
    /// the `train-mlp` cell that is its input (the worker has its key only). Nil without an input.
    static func workerLandscapeRows(context: WorkerContext, split: DatasetSplit) -> WorkerCell? {
        guard let training = context.inputs.first else { return nil }
        let artifacts = context.cache.artifactDirectory(question: owner, cell: trainingName, key: training)
        let model = model(recipe: recipe(split: split, profile: context.profile, seed: context.seed), split: split, artifacts: artifacts)
        return WorkerCell(landscapeRowsDefinition(model, modelName: "mlp", inputs: context.inputs))
    }

    /// Q3's landscape of the MLP: 51×51 beyond the quick profile, on up to 10,000 training images.
    static func landscape(split: DatasetSplit, profile: Profile, seed: UInt64) -> LandscapeConfig {
        LandscapeConfig(model: "mlp", gridSize: profile.pick(quick: 9, default: 51, full: 51), range: 1,
                        evaluationImages: min(split.train.count, profile.pick(quick: 500, default: 10_000, full: 10_000)),
                        directionSeed: seed &+ 100, rowsPerBlock: profile.pick(quick: 3, default: 6, full: 6),
                        lanczosSteps: profile.pick(quick: 8, default: 30, full: 60), topEigenvalueCount: 5,
                        traceSamples: profile.pick(quick: 4, default: 30, full: 100), hessianStep: 1e-3,
                        spectralProbes: profile.pick(quick: 1, default: 3, full: 5),
                        spectralSteps: profile.pick(quick: 8, default: 40, full: 80))
    }
}
