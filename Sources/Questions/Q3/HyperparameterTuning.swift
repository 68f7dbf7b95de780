import Analysis
import Datasets
import Foundation
import NN

/// The search space of the tuning section: the Q3 recipe's learning rate, hidden sizes and batch size.
let mlpSearchSpace = SearchSpace([
    .logUniform("learningRate", 1e-4...1e-2),
    .ordinal("hidden1", levels: [64, 128, 256]),
    .ordinal("hidden2", levels: [32, 64, 128]),
    .ordinal("batchSize", levels: [32, 64, 128]),
])

/// One tuning trial: the Q3 recipe with a configuration, trained for a reduced number of epochs
/// and scored by validation accuracy. Cached by configuration, so searches resume and reruns are free.
struct TrialConfig: Codable {
    var base: MLPTrainingConfig
    var configuration: Configuration
}

struct TrialResult: Codable {
    var validationAccuracy: Double
    var seconds: Double
}

extension MLPTrainingConfig {
    /// The recipe with a tuning configuration applied.
    func applying(_ configuration: Configuration, epochs: Int? = nil) -> MLPTrainingConfig {
        var copy = self
        copy.learningRate = configuration.real("learningRate")
        copy.hiddenSizes = [configuration.integer("hidden1"), configuration.integer("hidden2")]
        copy.batchSize = configuration.integer("batchSize")
        if let epochs { copy.epochs = epochs }
        return copy
    }
}

func runTrial(_ config: TrialConfig, split: DatasetSplit) throws -> TrialResult {
    let start = Date()
    let recipe = config.base.applying(config.configuration)
    let (train, validation, _, _) = recipeData(recipe, split: split)
    let model = MLP(inputSize: split.train.rows * split.train.columns, hiddenSizes: (recipe.hiddenSizes[0], recipe.hiddenSizes[1]),
                    classCount: split.classNames.count, seed: recipe.seed)
    let trainer = Trainer(model: model, optimizer: Adam(learningRate: Float(recipe.learningRate)), batchSize: recipe.batchSize,
                          seed: recipe.seed)
    let history = trainer.fit(train, validation: validation, epochs: recipe.epochs)
    let accuracy = history.validationAccuracy.last ?? .nan
    return TrialResult(validationAccuracy: accuracy.isFinite ? accuracy : .nan, seconds: Date().timeIntervalSince(start))
}

/// A finished search of one method with one seed.
struct SearchRun {
    var method: String
    var seed: UInt64
    /// Full-length trials (for successive halving, its promoted ones).
    var trials: [Trial]
    /// Epochs of training spent when each trial finished; nil when each trial costs the same.
    var epochsAfterTrial: [Int]? = nil

    func epochs(afterTrial index: Int, trialEpochs: Int) -> Int {
        epochsAfterTrial?[index] ?? (index + 1) * trialEpochs
    }
}
