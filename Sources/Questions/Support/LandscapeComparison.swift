import Analysis
import Foundation
import Notebook
import Plot

extension NotebookSession {
    /// Every trained model's 2-D landscape on one α/β range and one colour scale, and a table of
    /// sharpness measures across them: what a reviewer compares when asking which network
    /// sits in the flatter minimum.
    func landscapeComparison(_ summaries: [LandscapeSummary]) throws {
        guard summaries.count > 1 else { return }
        heading("Loss landscapes compared")
        let logSurfaces = summaries.map(\.surface.log10Values)
        let finite = logSurfaces.flatMap { $0.flatMap { $0 } }.filter(\.isFinite)
        let shared = (finite.min() ?? 0)...(finite.max() ?? 1)
        let figure = try comparisonFigure(summaries, logSurfaces: logSurfaces, shared: shared)
        sharpnessTable(summaries, figure: figure)
        for summary in summaries {
            let prefix = "\(questionID).comparison.\(Anchor.slug(summary.name))"
            record("\(prefix).lambda_max", summary.curvature.topEigenvalues.first ?? .nan)
            record("\(prefix).trace", summary.curvature.trace.estimate)
            record("\(prefix).trace_standard_error", summary.curvature.trace.standardError)
            record("\(prefix).top_eigenvalue_sum", summary.curvature.topEigenvalues.reduce(0, +))
            for rise in summary.curvature.rises { record("\(prefix).loss_rise_\(radiusKey(rise.radius))", rise.mean) }
        }
        let radii = LandscapeConfig.sharpnessRadii
        let flattest = summaries.min { ($0.curvature.rises.last?.mean ?? .infinity) < ($1.curvature.rises.last?.mean ?? .infinity) }!
        let sharpest = summaries.max { ($0.curvature.rises.last?.mean ?? -.infinity) < ($1.curvature.rises.last?.mean ?? -.infinity) }!
        prose("""
            By the loss rise at ‖δ‖ = \(format(radii.last ?? 1, digits: 1)), the flattest minimum here is \(flattest.name)'s \
            (\(format(flattest.curvature.rises.last?.mean ?? .nan, digits: 3))) and the sharpest \(sharpest.name)'s \
            (\(format(sharpest.curvature.rises.last?.mean ?? .nan, digits: 3))); the largest eigenvalues order them \
            \(summaries.sorted { ($0.curvature.topEigenvalues.first ?? 0) < ($1.curvature.topEigenvalues.first ?? 0) }
                .map(\.name).joined(separator: " < ")).
            """)
    }

    /// The landscapes side by side on one range and one colour scale, with the 3-D viewer's panels.
    private func comparisonFigure(_ summaries: [LandscapeSummary], logSurfaces: [[[Double]]],
                                  shared: ClosedRange<Double>) throws -> FigureReference {
        let span = summaries.flatMap { $0.surface.alphas }
        return try plot(
            "landscape-comparison",
            caption: """
                The 2-D loss landscapes of \(summaries.map(\.name).joined(separator: ", ")) around their trained weights, on the \
                same α/β range (\(format(span.min() ?? -1, digits: 1)) to \(format(span.max() ?? 1, digits: 1)) along two \
                filter-normalised directions) and the same colour scale (log₁₀ loss \
                from \(format(shared.lowerBound, digits: 2)) to \(format(shared.upperBound, digits: 2))). \
                Grids: \(summaries.map { "\($0.surface.alphas.count)×\($0.surface.betas.count)" }.joined(separator: ", ")).
                """,
            width: 340 * Double(summaries.count) + 60, height: 380, columns: summaries.count,
            attachments: FigureAttachments(surfaceViewer: try SurfaceViewerPanels(panels: summaries.map {
                SurfaceViewerData(title: $0.name, surface: $0.surface, trainedLoss: $0.curvature.centerLoss)
            }).json())) { figure in
            figure.sharedColorbar = true
            for (index, summary) in summaries.enumerated() {
                let axes = figure.axes(0, index)
                axes.filledContour(x: summary.surface.alphas, y: summary.surface.betas, z: logSurfaces[index], levels: 14,
                                   colorbarLabel: "log₁₀ loss", valueRange: shared)
                axes.scatter(x: [0], y: [0], color: .white, size: 5)
                axes.title = summary.name
                axes.xLabel = "α"
                axes.yLabel = index == 0 ? "β" : ""
                axes.equalAspect = true
            }
        }
    }

    /// Sharpness measures across the models: eigenvalues, trace and the loss rise along the directions.
    private func sharpnessTable(_ summaries: [LandscapeSummary], figure: FigureReference) {
        let radii = LandscapeConfig.sharpnessRadii
        table(Table(
            caption: """
                Sharpness at the trained weights of each model (\(link(figure))), every model evaluated on the \
                same training images: the Hessian's largest eigenvalue and the sum of its top eigenvalues \
                (Lanczos) and its trace (Hutchinson, with the standard error of the probes' mean; the trace \
                also counts the negative and the many small eigenvalues, so it may differ from the top sum \
                either way), which depend on the parameterisation, and the loss rise a step \
                of \(radii.map { format($0, digits: 1) }.joined(separator: " / ")) along the filter-normalised \
                directions causes, averaged over ± both directions, which compares networks of different sizes.
                """,
            headers: ["Model", "Parameters", "Evaluation images", "Loss at θ", "Accuracy at θ", "λ_max", "Sum of top eigenvalues",
                      "Hessian trace ± standard error"]
                + radii.map { "Loss rise at ‖δ‖ = \(format($0, digits: 1))" },
            rows: summaries.map { summary in
                let curvature = summary.curvature
                return [summary.name, summary.parameterCount.formatted(), "\(summary.evaluationImages)", format(curvature.centerLoss),
                        format(curvature.centerAccuracy), format(curvature.topEigenvalues.first ?? .nan, digits: 3),
                        "\(format(curvature.topEigenvalues.reduce(0, +), digits: 3)) (top \(curvature.topEigenvalues.count))",
                        """
                            \(format(curvature.trace.estimate, digits: 3)) \
                            ± \(format(curvature.trace.standardError, digits: 2)) (\(curvature.trace.samples) probes)
                            """]
                    + radii.map { radius in format(curvature.rises.first { $0.radius == radius }?.mean ?? .nan, digits: 3) }
            }))
    }
}
