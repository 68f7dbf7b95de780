import Datasets
import Experiments
import Foundation
import NN
import Notebook

extension Question4 {
    /// Evaluation images of every landscape, curvature and sharpness number in Q4, the MLP's
    /// included: the first this-many training images of full MNIST, the same for every model,
    /// so that their sharpness compares like with like.
    static func landscapeImages(_ profile: Profile) -> Int {
        profile.pick(quick: 64, default: 512, full: 2000)
    }

    /// Loss-landscape sections: LeNet-5 always (with its trajectory), ResNet-18 beyond the quick
    /// profile (in evaluation mode, so batch normalisation uses its running statistics); then
    /// every trained model's landscape side by side, with Q3's MLP, all on the same images.
    func landscapeSections(_ session: NotebookSession, runs: [(ConvolutionalArchitecture, Computed<ConvolutionalTrainingResult>)],
                                   split: DatasetSplit) throws {
        let profile = session.profile
        var summaries: [LandscapeSummary] = []
        for (architecture, computed) in runs {
            let affordable = architecture == .leNet5 || (architecture == .resNet18 && profile != .quick)
            guard affordable else { continue }
            let isLeNet = architecture == .leNet5
            let seed = session.seed
            let fresh = architecture.makeModel(classCount: split.classNames.count, seed: seed,
                                               zeroInitialResidual: Q4Recipe.zeroInitialResidual(architecture))
            let initial = fresh.flattenedParameters()
            try fresh.loadWeights(from: computed.artifacts.appendingPathComponent("\(architecture.rawValue).weights"))
            let model: any UnaryLayer = architecture.usesBatchNormalization ? InferenceMode(fresh) : fresh
            let evaluationCount = min(split.train.count, Self.landscapeImages(profile))
            let gridSize = isLeNet ? profile.pick(quick: 7, default: 51, full: 51) : profile.pick(quick: 5, default: 25, full: 51)
            let config = LandscapeConfig(model: architecture.rawValue, gridSize: gridSize,
                                         range: 1, evaluationImages: evaluationCount, directionSeed: seed &+ 100,
                                         rowsPerBlock: isLeNet ? profile.pick(quick: 3, default: 6, full: 6) : profile.pick(quick: 3, default: 3, full: 4),
                                         lanczosSteps: isLeNet ? profile.pick(quick: 6, default: 20, full: 60) : profile.pick(quick: 4, default: 10, full: 20),
                                         topEigenvalueCount: isLeNet ? 5 : 3,
                                         // Hutchinson's estimate needs hundreds of probes before its standard error is
                                         // small beside the trace (LeNet-5 took ±9 on 9.9 with 20).
                                         traceSamples: isLeNet ? profile.pick(quick: 3, default: 300, full: 600) : profile.pick(quick: 2, default: 40, full: 100),
                                         hessianStep: 1e-3,
                                         spectralProbes: isLeNet ? profile.pick(quick: 1, default: 3, full: 5) : 0,
                                         spectralSteps: isLeNet ? profile.pick(quick: 6, default: 40, full: 80) : 0)
            session.prose("The loss-landscape section below is for **\(architecture.displayName)**\(architecture.usesBatchNormalization ? ", evaluated in inference mode: batch normalisation uses the running statistics of the trained network at every point, so the loss is a fixed function of the parameters (batch-normalisation γ and β, like biases, get no direction)" : "").")
            let trained = TrainedModel(name: architecture.displayName, model: model, initialParameters: initial,
                                       trainedParameters: fresh.flattenedParameters(),
                                       evaluation: imageData(split.train, indices: Array(0..<evaluationCount)))
            summaries.append(try session.lossLandscapeSection(trained, config: config, inputs: [computed.key]))
            if isLeNet {
                try session.trajectorySection(trained, trajectoryFile: computed.artifacts.appendingPathComponent(trajectoryFileName),
                                              config: TrajectoryConfig(model: architecture.rawValue, evaluationImages: evaluationCount,
                                                                       gridSize: profile.pick(quick: 7, default: 25, full: 41), margin: 0.15,
                                                                       stepsPerEpoch: (computed.result.trainCount + Self.batchSize - 1) / Self.batchSize),
                                              inputs: [computed.key])
            }
        }
        // Q3's MLP on its own digits split, from Q3's cells (computed here if Q3 has not run).
        let mlpSplit = try digits.split(for: Question3.datasetRequirements, profile: profile)
        let recipe = Question3.recipe(split: mlpSplit, profile: profile, seed: session.seed)
        let mlpTraining = try Question3.trainRecordingTrajectory(session, recipe: recipe, split: mlpSplit)
        var (mlp, mlpLandscape) = try Question3.landscapeModel(training: mlpTraining, recipe: recipe, split: mlpSplit, profile: profile, seed: session.seed)
        // Q3's own landscape uses 10,000 images; the comparison evaluates the MLP on Q4's images.
        let mlpImages = min(mlpSplit.train.count, Self.landscapeImages(profile))
        mlpLandscape.evaluationImages = mlpImages
        mlpLandscape.traceSamples = profile.pick(quick: 4, default: 300, full: 600)
        mlp.evaluation = labeledData(mlpSplit.train, indices: Array(0..<mlpImages))
        summaries.insert(try session.landscapeCells(mlp, config: mlpLandscape, inputs: [mlpTraining.key]), at: 0)
        try session.landscapeComparison(summaries)
    }
}
