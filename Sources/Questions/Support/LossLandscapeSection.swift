import Analysis
import Checksums
import Foundation
import NN
import Notebook
import Plot

/// What the loss-landscape section of a trained model computes; one per model.
struct LandscapeConfig: Codable {
    var model: String
    var gridSize: Int
    /// The 2-D slice spans [−range, range] along both filter-normalised directions.
    var range: Double
    var evaluationImages: Int
    var directionSeed: UInt64
    var lanczosSteps: Int
    var topEigenvalueCount: Int
    var traceSamples: Int
    /// Relative finite-difference step of the Float32 Hessian-vector products.
    var hessianStep: Double
}

struct LandscapeResult: Codable {
    var interpolation: LossInterpolation1D
    var surface: LossLandscape2D
    var topEigenvalues: [Double]
    var trace: TraceEstimate
    var weightsHash: String
    var landscapeSeconds: Double
}

/// The trained model and what it is compared with, as the section needs them.
struct TrainedModel {
    var name: String
    var model: any UnaryLayer
    var initialParameters: [Float]
    var trainedParameters: [Float]
    var evaluation: LabeledData
}

extension NotebookSession {
    /// Adds a "Loss landscape" section for a trained model: 1-D interpolation from the
    /// initialisation to the trained weights, a 2-D filter-normalised slice (Li et al. 2018)
    /// as contours and a surface, the top Hessian eigenvalues (Lanczos) and the Hessian trace
    /// (Hutchinson). One call per model.
    func lossLandscapeSection(_ trained: TrainedModel, config: LandscapeConfig, inputs: [CellKey]) throws {
        heading("Loss landscape: \(trained.name)")   // named, since Q4 has one per model
        let computed = try compute("landscape-\(config.model)", version: "1", config: config, inputs: inputs) { config, progress in
            computeLandscape(trained, config: config, progress: progress)
        }.result
        let interpolationFigure = try plot("\(config.model)-interpolation", caption: "Loss along the straight line from the initial weights (α = 0) to the trained weights (α = 1), on \(config.evaluationImages) evaluation images.",
                                           width: 720, height: 340) { figure in
            let axes = figure.axes(0, 0)
            axes.line(x: computed.interpolation.alphas, y: computed.interpolation.values, color: .palette(0), width: 2)
            axes.verticalLine(x: 0, label: "initialisation")
            axes.verticalLine(x: 1, color: .palette(3), label: "trained")
            axes.xLabel = "α"
            axes.yLabel = "cross-entropy"
            axes.yScale = .log
            axes.legendLocation = .upperRight
        }
        let surface = computed.surface
        let slicesFigure = try plot("\(config.model)-landscape-2d", caption: "Loss around the trained weights along two random filter-normalised directions (direction seed \(config.directionSeed)), \(config.gridSize)×\(config.gridSize) grid: contours (left, log scale) and surface (right).",
                                    width: 960, height: 420, columns: 2) { figure in
            let contour = figure.axes(0, 0)
            let logValues = surface.values.map { $0.map { log10(max($0, 1e-12)) } }
            contour.filledContour(x: surface.alphas, y: surface.betas, z: logValues, levels: 14, colorbarLabel: "log₁₀ loss")
            contour.scatter(x: [0], y: [0], label: "trained", color: .white, size: 6)
            contour.xLabel = "α (direction 1)"
            contour.yLabel = "β (direction 2)"
            contour.equalAspect = true
            let step = max(1, surface.alphas.count / 40)
            let threeD = figure.axes(0, 1)
            threeD.surface3D(x: every(surface.alphas, step), y: every(surface.betas, step),
                             z: every(logValues, step).map { every($0, step) }, zLabel: "log₁₀ loss")
            threeD.xLabel = "α"
            threeD.yLabel = "β"
        }
        let prefix = "\(questionID).\(config.model).landscape"
        record("\(prefix).trace", computed.trace.estimate)
        record("\(prefix).trace_standard_error", computed.trace.standardError)
        record("\(prefix).seconds", computed.landscapeSeconds)
        record("\(prefix).top_eigenvalues", numbers: computed.topEigenvalues)
        metrics([Metric(key: "\(prefix).lambda_max", label: "Largest Hessian eigenvalue", value: computed.topEigenvalues.first ?? .nan, format: "%.4g"),
                 Metric(key: "\(prefix).trace_estimate", label: "Hessian trace (Hutchinson, \(computed.trace.samples) samples)", value: computed.trace.estimate, format: "%.4g"),
                 Metric(key: "\(prefix).grid_seconds", label: "Landscape computation (s)", value: computed.landscapeSeconds, format: "%.1f")])
        prose("""
        Top \(computed.topEigenvalues.count) Hessian eigenvalues at the trained weights (Lanczos, \(config.lanczosSteps) steps on \
        finite-difference Hessian-vector products): \(computed.topEigenvalues.map { format($0, digits: 3) }.joined(separator: ", ")). \
        Hutchinson's trace estimate is \(format(computed.trace.estimate, digits: 3)) ± \(format(computed.trace.standardError, digits: 2)) \
        (one standard error). The weights hashed to `\(computed.weightsHash.prefix(16))`. See \(link(interpolationFigure)) and \(link(slicesFigure)).
        """)
    }
}

func computeLandscape(_ trained: TrainedModel, config: LandscapeConfig, progress: CellProgress) -> LandscapeResult {
    let start = Date()
    let objective = ModuleObjective(model: trained.model, data: trained.evaluation)
    let center = trained.trainedParameters.map(Double.init)
    let initial = trained.initialParameters.map(Double.init)
    let axis = evenlySpacedValues(from: -config.range, through: config.range, count: config.gridSize)
    let interpolation = LossInterpolation1D(from: initial, to: center, loss: objective.value)
    let firstDirection = filterNormalizedDirection(layout: objective.parameterLayout, parameters: center, seed: config.directionSeed)
    let secondDirection = filterNormalizedDirection(layout: objective.parameterLayout, parameters: center, seed: config.directionSeed &+ 1)
    let surface: LossLandscape2D
    if let mlp = trained.model as? MLP {
        // Same values, first-layer products computed once (see MLPLandscape).
        surface = MLPLandscape(model: mlp, data: trained.evaluation).landscape(
            center: center, firstDirection: firstDirection, secondDirection: secondDirection, alphas: axis, betas: axis,
            progress: progress.update)
    } else {
        var evaluated = 0
        surface = LossLandscape2D(center: center, firstDirection: firstDirection, secondDirection: secondDirection,
                                  alphas: axis, betas: axis) { point in
            evaluated += 1
            progress.update(evaluated, of: axis.count * axis.count)
            return objective.value(point)
        }
    }
    let hessian = hessianOperator(objective, at: center, relativeStep: config.hessianStep)
    let extremes = extremeEigenvalues(count: config.topEigenvalueCount, dimension: objective.parameterCount,
                                      steps: config.lanczosSteps, seed: config.directionSeed, applying: hessian)
    let trace = hutchinsonTrace(dimension: objective.parameterCount, samples: config.traceSamples, seed: config.directionSeed, applying: hessian)
    objective.model.setParameters(from: trained.trainedParameters)
    let bytes = trained.trainedParameters.withUnsafeBufferPointer { Data(buffer: $0) }
    return LandscapeResult(interpolation: interpolation, surface: surface, topEigenvalues: extremes.largest, trace: trace,
                           weightsHash: SHA256.hexDigest(of: [UInt8](bytes)), landscapeSeconds: Date().timeIntervalSince(start))
}
