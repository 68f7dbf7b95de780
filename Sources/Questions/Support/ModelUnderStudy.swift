import Datasets
import Experiments
import Foundation
import NN

/// A trained model that landscape, curvature and trajectory cells study, built only when one of
/// them is computed: a run whose cells are cached never builds the network or reads its weights.
final class ModelUnderStudy {
    /// As the reports name it ("LeNet-5").
    let name: String
    private let load: () throws -> (model: any UnaryLayer, initial: [Float], trained: [Float])
    private let evaluationData: (Int) -> LabeledData
    private var loaded: (model: any UnaryLayer, initial: [Float], trained: [Float])?

    /// - Parameters:
    ///   - load: builds the network from its seed (the initial weights), loads the trained
    ///     weights and returns the network to evaluate with both parameter vectors.
    ///   - evaluation: the first `n` evaluation images.
    init(name: String, load: @escaping () throws -> (model: any UnaryLayer, initial: [Float], trained: [Float]),
         evaluation: @escaping (Int) -> LabeledData) {
        self.name = name
        self.load = load
        evaluationData = evaluation
    }

    /// The model with its first `evaluationImages` evaluation images.
    func trained(evaluationImages: Int) throws -> TrainedModel {
        let parts = try loaded ?? load()
        loaded = parts
        return TrainedModel(name: name, model: parts.model, initialParameters: parts.initial, trainedParameters: parts.trained,
                            evaluation: evaluationData(evaluationImages))
    }

    /// Q3's MLP as trained by `recipe`, its weights read from `weights`; evaluated on training images.
    static func mlp(recipe: MLPTrainingConfig, split: DatasetSplit, weights: URL) -> ModelUnderStudy {
        ModelUnderStudy(name: "MLP", load: {
            let model = MLP(inputSize: split.train.rows * split.train.columns, hiddenSizes: (recipe.hiddenSizes[0], recipe.hiddenSizes[1]),
                            classCount: split.classNames.count, seed: recipe.seed)
            let initial = model.flattenedParameters()
            try model.loadWeights(from: weights)
            return (model, initial, model.flattenedParameters())
        }, evaluation: { labeledData(split.train, indices: Array(0..<min($0, split.train.count))) })
    }

    /// A Q4 network trained from `seed`, its weights read from `weights`, evaluated in inference
    /// mode when it has batch normalisation (so the loss is a fixed function of the parameters).
    static func convolutional(_ architecture: ConvolutionalArchitecture, split: DatasetSplit, seed: UInt64,
                              zeroInitialResidual: Bool, weights: URL) -> ModelUnderStudy {
        ModelUnderStudy(name: architecture.displayName, load: {
            let fresh = architecture.makeModel(classCount: split.classNames.count, seed: seed, zeroInitialResidual: zeroInitialResidual)
            let initial = fresh.flattenedParameters()
            try fresh.loadWeights(from: weights)
            let model: any UnaryLayer = architecture.usesBatchNormalization ? InferenceMode(fresh) : fresh
            return (model, initial, fresh.flattenedParameters())
        }, evaluation: { labeledData(split.train, indices: Array(0..<min($0, split.train.count)), layout: .channels) })
    }
}
