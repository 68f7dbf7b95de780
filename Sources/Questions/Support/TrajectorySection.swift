import Analysis
import Foundation
import NN
import Notebook
import Plot

/// The trajectory plot of a model whose training cell saved its weights every few steps
/// (`trajectoryInterval`): the path on the plane of its top two principal directions, over
/// loss contours computed on that plane.
struct TrajectoryConfig: Codable {
    var model: String
    var evaluationImages: Int
    var gridSize: Int
    /// The grid covers the path's extent plus this share of it on every side.
    var margin: Double
    /// Optimiser steps per epoch, to mark where each epoch ended.
    var stepsPerEpoch: Int
}

struct TrajectoryResult: Codable {
    var steps: [Int]
    /// The path's coordinates along the two principal directions.
    var alphas: [Double]
    var betas: [Double]
    var explainedVarianceRatios: [Double]
    var surface: LossLandscape2D
    var seconds: Double
}

extension NotebookSession {
    /// Adds the trajectory figure of `trained`, whose training saved `trajectoryFile`.
    func trajectorySection(_ trained: ModelUnderStudy, trajectoryFile: URL, config: TrajectoryConfig, inputs: [CellKey]) throws {
        let computed = try compute("trajectory-\(config.model)", version: "1", config: config, inputs: inputs) { config, progress in
            try computeTrajectory(try trained.trained(evaluationImages: config.evaluationImages), trajectoryFile: trajectoryFile,
                                  config: config, progress: progress)
        }.result
        let ratios = computed.explainedVarianceRatios.map { percent($0) }
        let epochEnds = epochMarkers(steps: computed.steps, stepsPerEpoch: config.stepsPerEpoch)
        let surface = computed.surface
        let figure = try plot("\(config.model)-trajectory", caption: """
            \(trained.name): the optimiser's path, the weights saved \
            every \(computed.steps.count > 1 ? computed.steps[1] - computed.steps[0] : 0) steps (\(computed.steps.count) \
            snapshots from the initialisation to the end of training), projected on the top two principal directions of \
            θ_t − θ_final, which explain \(ratios.joined(separator: " and ")) of the path's variance; contours: \
            log₁₀ loss on that plane (\(config.gridSize)×\(config.gridSize) grid, \(config.evaluationImages) \
            evaluation images), centred on the final weights. Large markers: the end of each epoch.
            """,
                            width: 760, height: 520) { figure in
            let axes = figure.axes(0, 0)
            let logValues = surface.log10Values
            axes.filledContour(x: surface.alphas, y: surface.betas, z: logValues, levels: 14, colorbarLabel: "log₁₀ loss")
            axes.line(x: computed.alphas, y: computed.betas, label: "path", color: .white, width: 1.5, marker: .circle)
            axes.scatter(x: epochEnds.map { computed.alphas[$0] }, y: epochEnds.map { computed.betas[$0] },
                         label: "end of epoch", color: .palette(3), size: 8)
            axes.scatter(x: [computed.alphas[0]], y: [computed.betas[0]], label: "initialisation", color: .palette(1),
                         size: 9, marker: .square)
            axes.xLabel = "1st principal direction (\(ratios.first ?? ""))"
            axes.yLabel = "2nd principal direction (\(ratios.last ?? ""))"
            axes.legendLocation = .upperRight
        }
        let prefix = "\(questionID).\(config.model).trajectory"
        record("\(prefix).explained_variance", numbers: computed.explainedVarianceRatios)
        record("\(prefix).seconds", computed.seconds)
        // How much of the way (in the plane) the first epoch covered: start-to-end distance.
        let firstEpochEnd = epochEnds.first ?? computed.steps.count - 1
        let total = hypot(computed.alphas[0], computed.betas[0])
        let remaining = hypot(computed.alphas[firstEpochEnd], computed.betas[firstEpochEnd])
        let covered = total > 0 ? 1 - remaining / total : 0
        record("\(prefix).first_epoch_share", covered)
        prose("""
            \(link(figure)) shows the path the optimiser took. The first principal direction \
            explains \(ratios.first ?? "?") of the path's variance and the second \(ratios.last ?? "?"); after the \
            first epoch the weights were \(percent(covered)) of the way (in this plane) from the initialisation to \
            the final weights. Computing the plane took \(String(format: "%.1f", computed.seconds)) s.
            """)
    }

    /// Indices of the snapshots nearest to the end of each epoch.
    private func epochMarkers(steps: [Int], stepsPerEpoch: Int) -> [Int] {
        guard stepsPerEpoch > 0, let last = steps.last else { return [] }
        return stride(from: stepsPerEpoch, through: last, by: stepsPerEpoch).compactMap { end in
            steps.indices.min { abs(steps[$0] - end) < abs(steps[$1] - end) }
        }
    }
}

func computeTrajectory(_ trained: TrainedModel, trajectoryFile: URL, config: TrajectoryConfig,
                       progress: CellProgress) throws -> TrajectoryResult {
    let start = Date()
    let trajectory = try ParameterTrajectory.load(from: trajectoryFile)
    guard trajectory.parameterCount == trained.trainedParameters.count else {
        throw ParameterTrajectoryError(
            file: trajectoryFile,
            reason: "snapshots have \(trajectory.parameterCount) parameters, the model \(trained.trainedParameters.count)")
    }
    progress.status("principal directions")
    let projection = TrajectoryProjection(iterates: trajectory.snapshots.map { $0.map(Double.init) })
    func axis(_ values: [Double]) -> [Double] {
        let low = min(values.min() ?? 0, 0), high = max(values.max() ?? 0, 0)
        let pad = max(high - low, 1e-6) * config.margin
        return evenlySpacedValues(from: low - pad, through: high + pad, count: config.gridSize)
    }
    let plane = LandscapePlane(trained, center: trajectory.snapshots[trajectory.snapshots.count - 1].map(Double.init),
                               directions: (projection.directions[0], projection.directions[1]))
    let surface = plane.evaluate(alphas: axis(projection.alphas), betas: axis(projection.betas), progress: progress)
    return TrajectoryResult(steps: trajectory.steps, alphas: projection.alphas, betas: projection.betas,
                            explainedVarianceRatios: projection.explainedVarianceRatios, surface: surface,
                            seconds: Date().timeIntervalSince(start))
}
