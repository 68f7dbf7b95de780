import Analysis
import Datasets
import Experiments
import Foundation
import NN
import Tensor

/// `labbook bench landscape`: the 2-D filter-normalised loss landscape of the Q3 MLP.
public struct LandscapeBenchmarkReport: Codable {
    public var workload: String
    public var dataset: String
    public var evaluationImages: Int
    public var grid: Int
    public var points: Int
    public var seconds: Double
    public var pointsPerSecond: Double
    public var threads: Int

    enum CodingKeys: String, CodingKey {
        case workload, dataset, grid, points, seconds, threads
        case evaluationImages = "evaluation_images"
        case pointsPerSecond = "points_per_s"
    }
}

/// Trains the MLP for one epoch (so the landscape is around real weights, not an initialisation),
/// then times a grid × grid landscape on `evaluationImages` test images.
public func runLandscapeBenchmark(dataset: DatasetSource, grid: Int, evaluationImages: Int, threads: Int, seed: UInt64,
                                  projectRoot: URL) throws -> LandscapeBenchmarkReport {
    let split = try dataset.load(projectRoot: projectRoot)
    return withThreads(blas: threads) {
        let model = MLP(inputSize: split.train.rows * split.train.columns, classCount: split.classNames.count, seed: seed)
        let trainer = Trainer(model: model, optimizer: Adam(), batchSize: 32, seed: seed)
        trainer.fit(labeledData(split.train), epochs: 1)
        let count = min(evaluationImages, split.test.count)
        let objective = ModuleObjective(model: model, data: labeledData(split.test, indices: Array(0..<count)))
        let axis = evenlySpacedValues(from: -1, through: 1, count: grid)
        let start = Date()
        let center = objective.currentParameters
        _ = MLPLandscape(model: model, data: objective.data).landscape(
            center: center, firstDirection: filterNormalizedDirection(layout: objective.parameterLayout, parameters: center, seed: seed),
            secondDirection: filterNormalizedDirection(layout: objective.parameterLayout, parameters: center, seed: seed &+ 1),
            alphas: axis, betas: axis)
        let seconds = Date().timeIntervalSince(start)
        return LandscapeBenchmarkReport(workload: "landscape-2d-mlp-784-128-64-10", dataset: split.name, evaluationImages: count,
                                        grid: grid, points: grid * grid, seconds: seconds, pointsPerSecond: Double(grid * grid) / seconds,
                                        threads: threads)
    }
}
