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
            let config = Self.landscape(architecture, split: split, profile: profile, seed: session.seed)
            session.prose("""
                The loss-landscape section below is for **\(architecture.displayName)**\(architecture.usesBatchNormalization
                    ? """
                        , evaluated in inference mode: batch normalisation uses the running statistics of the trained network at \
                        every point, so the loss is a fixed function of the parameters (batch-normalisation γ and β, like biases, \
                        get no direction)
                        """
                    : "").
                """)
            let model = Self.model(architecture, split: split, seed: session.seed, artifacts: computed.artifacts)
            summaries.append(try session.lossLandscapeSection(model, config: config, inputs: [computed.key]))
            if architecture == .leNet5 {
                try session.trajectorySection(
                    model, trajectoryFile: computed.artifacts.appendingPathComponent(trajectoryFileName),
                    config: TrajectoryConfig(model: architecture.rawValue, evaluationImages: config.evaluationImages,
                                             gridSize: profile.pick(quick: 7, default: 25, full: 41), margin: 0.15,
                                             stepsPerEpoch: (computed.result.trainCount + Self.batchSize - 1) / Self.batchSize),
                    inputs: [computed.key])
            }
        }
        summaries.insert(try mlpLandscape(session), at: 0)
        try session.landscapeComparison(summaries)
    }

    /// Q3's MLP on its own digits split, from Q3's training cell (computed here if Q3 has not
    /// run), evaluated on Q4's images: Q3's own landscape uses 10,000.
    private func mlpLandscape(_ session: NotebookSession) throws -> LandscapeSummary {
        let profile = session.profile
        let split = try digits.split(for: MLPCells.datasetRequirements, profile: profile)
        let training = try session.compute(MLPCells.training(split: split),
                                           config: MLPCells.recordedRecipe(split: split, profile: profile, seed: session.seed))
        let model = MLPCells.model(recipe: MLPCells.recipe(split: split, profile: profile, seed: session.seed), split: split,
                                   artifacts: training.artifacts)
        var landscape = MLPCells.landscape(split: split, profile: profile, seed: session.seed)
        landscape.evaluationImages = min(split.train.count, Self.landscapeImages(profile))
        landscape.traceSamples = profile.pick(quick: 4, default: 300, full: 600)
        return try session.landscapeCells(model, config: landscape, inputs: [training.key])
    }

    /// The landscape settings of a Q4 network: LeNet-5's grid is finer than ResNet-18's.
    static func landscape(_ architecture: ConvolutionalArchitecture, split: DatasetSplit, profile: Profile,
                          seed: UInt64) -> LandscapeConfig {
        let isLeNet = architecture == .leNet5
        func pick(leNet: (Int, Int, Int), other: (Int, Int, Int)) -> Int {
            let (quick, standard, full) = isLeNet ? leNet : other
            return profile.pick(quick: quick, default: standard, full: full)
        }
        // Hutchinson's estimate needs hundreds of probes before its standard error is small
        // beside the trace (LeNet-5 took ±9 on 9.9 with 20).
        return LandscapeConfig(model: architecture.rawValue, gridSize: pick(leNet: (7, 51, 51), other: (5, 25, 51)), range: 1,
                               evaluationImages: min(split.train.count, landscapeImages(profile)), directionSeed: seed &+ 100,
                               rowsPerBlock: pick(leNet: (3, 6, 6), other: (3, 3, 4)),
                               lanczosSteps: pick(leNet: (6, 20, 60), other: (4, 10, 20)),
                               topEigenvalueCount: isLeNet ? 5 : 3, traceSamples: pick(leNet: (3, 300, 600), other: (2, 40, 100)),
                               hessianStep: 1e-3, spectralProbes: isLeNet ? profile.pick(quick: 1, default: 3, full: 5) : 0,
                               spectralSteps: isLeNet ? profile.pick(quick: 6, default: 40, full: 80) : 0)
    }
}
