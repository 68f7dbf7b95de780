import Analysis
import Checksums
import Foundation
import NN
import Notebook
import Plot
import Tensor

/// What the loss-landscape section of a trained model computes; one per model.
struct LandscapeConfig {
    var model: String
    var gridSize: Int
    /// The 2-D slice spans [−range, range] along both filter-normalised directions.
    var range: Double
    var evaluationImages: Int
    var directionSeed: UInt64
    /// Grid rows per cached cell: a killed run resumes at the first block it had not finished.
    var rowsPerBlock: Int
    var lanczosSteps: Int
    var topEigenvalueCount: Int
    var traceSamples: Int
    /// Relative finite-difference step of the Float32 Hessian-vector products.
    var hessianStep: Double
    /// Probes and Lanczos steps of the Hessian's eigenvalue density; 0 probes draws none.
    var spectralProbes: Int
    var spectralSteps: Int

    /// Step sizes along the filter-normalised directions at which the sharpness table reports
    /// the loss rise.
    static let sharpnessRadii = [0.5, 1.0]
}

/// One block of rows of a model's 2-D landscape: a cell of its own.
struct LandscapeRowsConfig: Codable {
    var model: String
    var gridSize: Int
    var range: Double
    var evaluationImages: Int
    var directionSeed: UInt64
    var firstRow: Int
    var rowCount: Int
}

struct LandscapeRows: Codable {
    var surface: LossLandscape2D
    var seconds: Double
}

/// The curvature cell: 1-D interpolation, Hessian eigenvalues, trace and spectral density,
/// and the loss rise along the landscape's directions.
struct ModelCurvatureConfig: Codable {
    var model: String
    var evaluationImages: Int
    var directionSeed: UInt64
    var lanczosSteps: Int
    var topEigenvalueCount: Int
    var traceSamples: Int
    var hessianStep: Double
    var spectralProbes: Int
    var spectralSteps: Int
    var radii: [Double]
}

struct ModelCurvature: Codable {
    var interpolation: LossInterpolation1D
    var topEigenvalues: [Double]
    var trace: TraceEstimate
    var spectrum: SpectralDensity?
    var centerLoss: Double
    var centerAccuracy: Double
    var rises: [DirectionalLossRise]
    var weightsHash: String
    /// The model's trained parameters (the landscape's dimension).
    var parameterCount: Int
    var seconds: Double
}

/// A model's landscape cells as the comparison across models needs them.
struct LandscapeSummary {
    var name: String
    var parameterCount: Int
    var surface: LossLandscape2D
    var curvature: ModelCurvature
    /// How many images the loss was evaluated on.
    var evaluationImages: Int
    /// Seconds the grid's row blocks took when they were computed.
    var gridSeconds: Double
}

/// The trained model and what it is compared with, as the section needs them.
struct TrainedModel {
    var name: String
    var model: any UnaryLayer
    var initialParameters: [Float]
    var trainedParameters: [Float]
    var evaluation: LabeledData
    /// Cores for the engine's convolutions while the landscape is evaluated.
    var threads: Int = EngineCores.perRun
}

/// A model's landscape row blocks: a batch of cells a worker can be handed (see
/// `Question.workerCell`), named `landscape-MODEL-rows`.
func landscapeRowsDefinition(_ model: ModelUnderStudy, modelName: String, inputs: [CellKey],
                             owner: String? = nil) -> CellDefinition<LandscapeRowsConfig, LandscapeRows> {
    CellDefinition("landscape-\(modelName)-rows", version: "1", inputs: inputs, owner: owner) { rows, progress in
        computeLandscapeRows(try model.trained(evaluationImages: rows.evaluationImages), config: rows, progress: progress)
    }
}

extension NotebookSession {
    /// Computes (or loads) a model's landscape cells: the grid's row blocks and the curvature
    /// cell. `ofQuestion` files them under another question, whose report owns the model.
    func landscapeCells(_ model: ModelUnderStudy, config: LandscapeConfig, inputs: [CellKey],
                        ofQuestion owner: String? = nil) throws -> LandscapeSummary {
        let rowBlocks = stride(from: 0, to: config.gridSize, by: max(1, config.rowsPerBlock)).map { firstRow in
            LandscapeRowsConfig(model: config.model, gridSize: config.gridSize, range: config.range,
                                evaluationImages: config.evaluationImages, directionSeed: config.directionSeed,
                                firstRow: firstRow, rowCount: min(config.rowsPerBlock, config.gridSize - firstRow))
        }
        // Row blocks are independent cells: one batch (see `--executor`).
        let rows = landscapeRowsDefinition(model, modelName: config.model, inputs: inputs, owner: owner)
        let blocks = try computeAll(rows, configs: rowBlocks).map(\.result)
        let curvatureConfig = ModelCurvatureConfig(model: config.model, evaluationImages: config.evaluationImages,
                                                   directionSeed: config.directionSeed, lanczosSteps: config.lanczosSteps,
                                                   topEigenvalueCount: config.topEigenvalueCount, traceSamples: config.traceSamples,
                                                   hessianStep: config.hessianStep, spectralProbes: config.spectralProbes,
                                                   spectralSteps: config.spectralSteps, radii: LandscapeConfig.sharpnessRadii)
        let curvature = try compute("landscape-\(config.model)", version: "2", config: curvatureConfig, inputs: inputs,
                                    ofQuestion: owner) { config, progress in
            computeCurvature(try model.trained(evaluationImages: config.evaluationImages), config: config, progress: progress)
        }.result
        return LandscapeSummary(name: model.name, parameterCount: curvature.parameterCount,
                                surface: .stacking(blocks.map(\.surface)), curvature: curvature, evaluationImages: config.evaluationImages,
                                gridSeconds: blocks.map(\.seconds).reduce(0, +))
    }

    /// Adds a "Loss landscape" section for a trained model: 1-D interpolation from the
    /// initialisation to the trained weights, a 2-D filter-normalised slice (Li et al. 2018)
    /// as contours and a surface, with its numbers as CSV and VTK and an interactive 3-D
    /// viewer, the top Hessian eigenvalues (Lanczos), the Hessian trace (Hutchinson) and, if
    /// asked for, the eigenvalue density (stochastic Lanczos quadrature). One call per model.
    @discardableResult
    func lossLandscapeSection(_ trained: ModelUnderStudy, config: LandscapeConfig, inputs: [CellKey]) throws -> LandscapeSummary {
        heading("Loss landscape: \(trained.name)")   // named, since Q4 has one per model
        let summary = try landscapeCells(trained, config: config, inputs: inputs)
        let computed = summary.curvature
        let interpolationFigure = try interpolationFigure(computed.interpolation, config: config)
        let slicesFigure = try slicesFigure(summary.surface, config: config, modelName: trained.name, centerLoss: computed.centerLoss)
        var spectrumLink = ""
        if let spectrum = computed.spectrum {
            let figure = try hessianSpectrumFigure(spectrum, topEigenvalues: computed.topEigenvalues, model: config.model,
                                                   name: trained.name, probes: config.spectralProbes, steps: config.spectralSteps)
            spectrumLink = " \(link(figure)) shows the whole eigenvalue density."
        }
        recordCurvature(computed, summary: summary, config: config)
        prose("""
        Top \(computed.topEigenvalues.count) Hessian eigenvalues at the trained weights (Lanczos, \(config.lanczosSteps) steps on \
        finite-difference Hessian-vector products): \(computed.topEigenvalues.map { format($0, digits: 3) }.joined(separator: ", ")). \
        Hutchinson's trace estimate is \(format(computed.trace.estimate, digits: 3)) ± \(format(computed.trace.standardError, digits: 2)) \
        (one standard error). \
        A step of \(computed.rises.map { format($0.radius, digits: 1) }.joined(separator: " / ")) along the filter-normalised \
        directions raises the loss by \(computed.rises.map { format($0.mean, digits: 3) }.joined(separator: " / ")) on average (from \
        \(format(computed.centerLoss, digits: 4)) at accuracy \(format(computed.centerAccuracy, digits: 4))). The weights hashed to \
        `\(computed.weightsHash.prefix(16))`. See \(link(interpolationFigure)) and \(link(slicesFigure)).\(spectrumLink)
        """)
        return summary
    }

    private func interpolationFigure(_ interpolation: LossInterpolation1D, config: LandscapeConfig) throws -> FigureReference {
        try plot("\(config.model)-interpolation", caption: """
            Loss along the straight line from the initial weights (α = 0) to the \
            trained weights (α = 1), on \(config.evaluationImages) evaluation images.
            """,
                                           width: 720, height: 340) { figure in
            let axes = figure.axes(0, 0)
            axes.line(x: interpolation.alphas, y: interpolation.values, color: .palette(0), width: 2)
            axes.verticalLine(x: 0, label: "initialisation")
            axes.verticalLine(x: 1, color: .palette(3), label: "trained")
            axes.xLabel = "α"
            axes.yLabel = "cross-entropy"
            axes.yScale = .log
            axes.legendLocation = .upperRight
        }
    }

    /// The 2-D slice as contours and a surface, with its CSV, VTK and 3-D viewer data attached.
    private func slicesFigure(_ surface: LossLandscape2D, config: LandscapeConfig, modelName: String,
                              centerLoss: Double) throws -> FigureReference {
        let name = "\(config.model)-landscape-2d"
        let viewer = try SurfaceViewerData(title: "\(modelName): loss around the trained weights", surface: surface,
                                           trainedLoss: centerLoss).json()
        let attachments = FigureAttachments(dataFiles: [
            FigureDataFile(label: "CSV", fileName: "\(name).csv", contents: LandscapeFiles.csv(surface)),
            FigureDataFile(label: "VTK", fileName: "\(name).vtk", contents: LandscapeFiles.vtk(
                surface, title: "Labbook \(questionID) \(modelName) loss landscape, direction seed \(config.directionSeed)")),
        ], surfaceViewer: viewer)
        return try plot(name, caption: """
            Loss around the trained weights along two random filter-normalised directions (direction \
            seed \(config.directionSeed)), \(config.gridSize)×\(config.gridSize) grid on \(config.evaluationImages) \
            evaluation images: contours (left, log scale) and surface (right). The grid's numbers are in the CSV (α, \
            β, loss, accuracy) and VTK (ParaView) files; report.html adds an interactive 3-D viewer of the same grid.
            """,
                                    width: 960, height: 420, columns: 2, attachments: attachments) { figure in
            let contour = figure.axes(0, 0)
            let logValues = surface.log10Values
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
    }

    private func recordCurvature(_ computed: ModelCurvature, summary: LandscapeSummary, config: LandscapeConfig) {
        let prefix = "\(questionID).\(config.model).landscape"
        record("\(prefix).trace", computed.trace.estimate)
        record("\(prefix).trace_standard_error", computed.trace.standardError)
        record("\(prefix).seconds", summary.gridSeconds)
        record("\(prefix).top_eigenvalues", numbers: computed.topEigenvalues)
        for rise in computed.rises { record("\(prefix).loss_rise_\(radiusKey(rise.radius))", rise.mean) }
        if let spectrum = computed.spectrum { record("\(prefix).spectral_density_mean", spectrum.mean) }
        metrics([Metric(key: "\(prefix).lambda_max", label: "Largest Hessian eigenvalue",
                        value: computed.topEigenvalues.first ?? .nan, format: "%.4g"),
                 Metric(key: "\(prefix).trace_estimate", label: "Hessian trace (Hutchinson, \(computed.trace.samples) samples)",
                        value: computed.trace.estimate, format: "%.4g"),
                 Metric(key: "\(prefix).grid_seconds",
                        label: """
                            2-D grid, \(config.gridSize)×\(config.gridSize) \
                            in \(Int((Double(config.gridSize) / Double(config.rowsPerBlock)).rounded(.up))) row blocks (s)
                            """,
                        value: summary.gridSeconds, format: "%.1f"),
                 Metric(key: "\(prefix).curvature_seconds",
                        label: "Curvature: eigenvalues, trace\(computed.spectrum == nil ? "" : ", density") (s)",
                        value: computed.seconds, format: "%.1f")])
    }

    /// PyHessian's ESD plot: the smoothed stochastic-Lanczos density on a log scale, with the
    /// top eigenvalues from the Lanczos run marked.
    private func hessianSpectrumFigure(_ spectrum: SpectralDensity, topEigenvalues: [Double], model: String, name: String,
                                       probes: Int, steps: Int) throws -> FigureReference {
        let nodes = spectrum.nodes.flatMap { $0 }
        let low = nodes.min() ?? -1, high = nodes.max() ?? 1
        let span = max(high - low, 1e-6)
        let bandwidth = span / 100
        // The share of quadrature weight on Ritz values near zero: how flat the surface is in
        // most directions, from the quadrature itself rather than the smoothed curve.
        let scale = max(abs(topEigenvalues.first ?? high), 1e-12)
        var weightNearZero = 0.0
        for (nodes, weights) in zip(spectrum.nodes, spectrum.weights) {
            for (node, weight) in zip(nodes, weights) where abs(node) <= 0.05 * scale { weightNearZero += weight }
        }
        let nearZero = weightNearZero / Double(max(spectrum.nodes.count, 1))
        let grid = evenlySpacedValues(from: low - 0.05 * span, through: high + 0.05 * span, count: 600)
        let smoothed = spectrum.smoothed(at: grid, bandwidth: bandwidth)
        // Eight decades below the peak, as PyHessian's plots are cut: far tails are noise.
        let floor = (smoothed.max() ?? 1) * 1e-8
        let density = smoothed.map { max($0, floor) }
        return try plot("\(model)-hessian-spectrum", caption: """
            \(name): eigenvalue density of the Hessian of the loss at the trained weights, by stochastic Lanczos \
            quadrature (\(probes) Rademacher probes × \(steps) Lanczos steps, Gaussian smoothing of \
            width \(format(bandwidth, digits: 3)); log scale). Dashed lines: the top eigenvalues found by the Lanczos \
            run above. \(percent(nearZero)) of the density's mass lies within ±5% of the largest eigenvalue around zero.
            """,
                        width: 720, height: 340) { figure in
            let axes = figure.axes(0, 0)
            axes.line(x: grid, y: density, color: .palette(0), width: 1.8)
            for (index, eigenvalue) in topEigenvalues.enumerated() {
                axes.verticalLine(x: eigenvalue, color: .palette(3), label: index == 0 ? "top eigenvalues (Lanczos)" : nil)
            }
            axes.xLabel = "eigenvalue λ"
            axes.yLabel = "density (log scale)"
            axes.yScale = .log
            axes.legendLocation = .upperRight
        }
    }
}

/// `0.5` → `0_5`, for results.json keys.
func radiusKey(_ radius: Double) -> String {
    String(format: "%g", radius).replacingOccurrences(of: ".", with: "_")
}

/// The plane of a model's 2-D landscape: the trained weights and the two filter-normalised
/// directions drawn from the direction seed, and the fastest way to evaluate the loss on it.
struct LandscapePlane {
    let objective: ModuleObjective
    let center: [Double]
    let first: [Double]
    let second: [Double]
    let trained: TrainedModel

    init(_ trained: TrainedModel, directionSeed: UInt64) {
        self.init(trained, center: trained.trainedParameters.map(Double.init), directions: nil, directionSeed: directionSeed)
    }

    /// A plane through `center` along given directions (e.g. a trajectory's principal ones).
    init(_ trained: TrainedModel, center: [Double], directions: (first: [Double], second: [Double])?, directionSeed: UInt64 = 0) {
        self.trained = trained
        objective = ModuleObjective(model: trained.model, data: trained.evaluation)
        self.center = center
        first = directions?.first ?? filterNormalizedDirection(layout: objective.parameterLayout, parameters: center, seed: directionSeed)
        second = directions?.second
            ?? filterNormalizedDirection(layout: objective.parameterLayout, parameters: center, seed: directionSeed &+ 1)
    }

    /// Loss and accuracy on the grid, using every core: the MLP splits its first layer's rows
    /// (see `MLPLandscape`), convolutions split themselves over the engine's cores.
    func evaluate(alphas: [Double], betas: [Double], progress: CellProgress) -> LossLandscape2D {
        defer { objective.model.setParameters(from: trained.trainedParameters) }
        if let mlp = trained.model as? MLP {
            return MLPLandscape(model: mlp, data: trained.evaluation).landscape(
                center: center, firstDirection: first, secondDirection: second, alphas: alphas, betas: betas, progress: progress.update)
        }
        return withThreads(blas: 1, engine: trained.threads) {
            LossLandscape2D(center: center, firstDirection: first, secondDirection: second, alphas: alphas, betas: betas,
                            progress: progress.update, evaluate: objective.lossAndAccuracy)
        }
    }
}

func computeLandscapeRows(_ trained: TrainedModel, config: LandscapeRowsConfig, progress: CellProgress) -> LandscapeRows {
    let start = Date()
    let plane = LandscapePlane(trained, directionSeed: config.directionSeed)
    let axis = evenlySpacedValues(from: -config.range, through: config.range, count: config.gridSize)
    let betas = Array(axis[config.firstRow..<(config.firstRow + config.rowCount)])
    let surface = plane.evaluate(alphas: axis, betas: betas, progress: progress)
    return LandscapeRows(surface: surface, seconds: Date().timeIntervalSince(start))
}

func computeCurvature(_ trained: TrainedModel, config: ModelCurvatureConfig, progress: CellProgress) -> ModelCurvature {
    let start = Date()
    let plane = LandscapePlane(trained, directionSeed: config.directionSeed)
    let objective = plane.objective, center = plane.center
    defer { objective.model.setParameters(from: trained.trainedParameters) }
    return withThreads(blas: trained.model is MLP ? nil : 1, engine: trained.threads) {
        progress.status("interpolation")
        let interpolation = LossInterpolation1D(from: trained.initialParameters.map(Double.init), to: center, loss: objective.value)
        let (centerLoss, centerAccuracy) = objective.lossAndAccuracy(center)
        let rises = DirectionalLossRise.profile(center: center, directions: [plane.first, plane.second], radii: config.radii,
                                                base: centerLoss, loss: objective.value)
        let hessian = hessianOperator(objective, at: center, relativeStep: config.hessianStep)
        progress.status("top eigenvalues")
        let extremes = extremeEigenvalues(count: config.topEigenvalueCount, dimension: objective.parameterCount,
                                          steps: config.lanczosSteps, seed: config.directionSeed, applying: hessian)
        progress.status("trace")
        let trace = hutchinsonTrace(dimension: objective.parameterCount, samples: config.traceSamples,
                                    seed: config.directionSeed, applying: hessian)
        var spectrum: SpectralDensity?
        if config.spectralProbes > 0 {
            progress.status("eigenvalue density")
            spectrum = stochasticLanczosQuadrature(dimension: objective.parameterCount, steps: config.spectralSteps,
                                                   probes: config.spectralProbes, seed: config.directionSeed &+ 7, applying: hessian)
        }
        let bytes = trained.trainedParameters.withUnsafeBufferPointer { Data(buffer: $0) }
        return ModelCurvature(interpolation: interpolation, topEigenvalues: extremes.largest, trace: trace, spectrum: spectrum,
                               centerLoss: centerLoss, centerAccuracy: centerAccuracy, rises: rises,
                               weightsHash: SHA256.hexDigest(of: [UInt8](bytes)), parameterCount: trained.trainedParameters.count,
                               seconds: Date().timeIntervalSince(start))
    }
}
