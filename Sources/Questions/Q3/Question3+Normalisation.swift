import Analysis
import Datasets
import Foundation
import NN
import Notebook
import Plot

/// "Normalising the pixels to [0, 1] ... helps improve the convergence of the training
/// process": the recipe trained on raw 0-255 pixels, on [0, 1] and on standardised pixels,
/// from the same seeds (so the same initialisation, shuffle and split), compared by how fast
/// the validation loss falls.
extension Question3 {
    /// The validation accuracy whose first epoch the table reports.
    static func convergenceTarget(_ profile: Profile) -> Double {
        profile.pick(quick: 0.8, default: 0.97, full: 0.97)
    }

    func normalisationSection(_ session: NotebookSession, split: DatasetSplit, recipe: MLPTrainingConfig,
                              unitRuns: [(seed: UInt64, result: MLPTrainingResult)]) throws {
        session.heading("Does normalisation help convergence?")
        var runs: [InputScaling: [MLPTrainingResult]] = [.unitInterval: unitRuns.map(\.result)]
        for scaling in [InputScaling.raw, .standardized] {
            let configs = unitRuns.map { entry -> MLPTrainingConfig in
                var config = recipe
                config.seed = entry.seed
                config.inputScaling = scaling
                return config
            }
            runs[scaling] = try session.computeAll(Self.scaledTraining(scaling, split: split), configs: configs).map(\.result)
        }
        let target = Self.convergenceTarget(session.profile)
        let scalings = InputScaling.allCases
        session.prose("""
        The assignment says dividing the pixels by 255 "helps improve the convergence of the training process". Here the recipe \
        is trained from the same \(unitRuns.count) seeds on raw pixels (0-255), on pixels divided by 255 (the recipe) and on \
        standardised pixels (the [0, 1] pixels minus their mean, divided by their standard deviation over the training images); \
        a seed fixes the initialisation, the shuffle and the split, so the runs of one seed differ only in their inputs.
        """)
        let figure = try validationLossFigure(session, runs: runs)
        session.table(Table(
            caption: """
                Per input scaling, over \(unitRuns.count) seeds: the mean validation loss over \
                the \(recipe.epochs) epochs (the area under the curve of \(session.link(figure)), lower is faster \
                convergence), the first epoch whose validation accuracy reached \(format(target, digits: 2)) per \
                seed (– where none did), and the final validation and test accuracy.
                """,
            headers: ["Inputs", "Mean validation loss over epochs", "First epoch at \(format(target, digits: 2)) per seed",
                      "Final validation accuracy", "Test accuracy"],
            rows: scalings.map { scaling in
                let results = runs[scaling] ?? []
                return [scaling.displayName, SeedSpread(values: results.map { mean($0.history.validationLoss) }).formatted(),
                        results.map { result in
                            result.history.validationAccuracy.firstIndex { $0 >= target }.map { "\($0 + 1)" } ?? "–"
                        }.joined(separator: ", "),
                        SeedSpread(values: results.map { $0.history.validationAccuracy.last ?? .nan }).formatted(),
                        SeedSpread(values: results.map(\.testAccuracy)).formatted()]
            }))
        for scaling in scalings {
            let results = runs[scaling] ?? []
            session.record("q3.normalisation.\(scaling.rawValue).mean_validation_loss",
                           mean(results.map { mean($0.history.validationLoss) }))
            session.record("q3.normalisation.\(scaling.rawValue).test_accuracy", mean(results.map(\.testAccuracy)))
        }
        session.claim(Self.normalisationClaim(raw: runs[.raw] ?? [], unit: runs[.unitInterval] ?? [],
                                              standardized: runs[.standardized] ?? []))
    }

    /// Validation loss per epoch for each input scaling, one thin line per seed and their mean.
    private func validationLossFigure(_ session: NotebookSession, runs: [InputScaling: [MLPTrainingResult]]) throws -> FigureReference {
        let scalings = InputScaling.allCases
        return try session.plot("normalisation-validation-loss", caption: """
            Validation loss after each epoch for each input scaling (log \
            scale): thin lines one per seed, thick the mean over seeds.
            """,
                                      width: 760, height: 400) { figure in
            let axes = figure.axes(0, 0)
            for (index, scaling) in scalings.enumerated() {
                let histories = (runs[scaling] ?? []).map(\.history.validationLoss)
                let epochs = (1...max(1, histories.first?.count ?? 1)).map(Double.init)
                for history in histories { axes.line(x: epochs, y: history, color: Color.palette(index).withAlpha(0.35), width: 1) }
                let meanCurve = epochs.indices.map { epoch in mean(histories.map { $0[epoch] }) }
                axes.line(x: epochs, y: meanCurve, label: scaling.displayName, color: .palette(index), width: 2.5, marker: .circle)
            }
            axes.yScale = .log
            axes.xLabel = "epoch"
            axes.yLabel = "validation loss"
            axes.legendLocation = .upperRight
            axes.showGrid = true
        }
    }

    /// Decided on the paired per-seed difference in mean validation loss over the epochs.
    static func normalisationClaim(raw: [MLPTrainingResult], unit: [MLPTrainingResult], standardized: [MLPTrainingResult]) -> ClaimCheck {
        let differences = zip(raw, unit).map { mean($0.history.validationLoss) - mean($1.history.validationLoss) }
        let spread = SeedSpread(values: differences)
        let n = differences.count
        let standardError = spread.standardDeviation / Double(max(n, 1)).squareRoot()
        let t = standardError > 0 ? spread.mean / standardError : (spread.mean == 0 ? 0 : .infinity * spread.mean.sign.multiplier)
        let critical = n > 1 ? studentTCritical975(degreesOfFreedom: n - 1) : .infinity
        let verdict: Verdict = n < 2 ? .inconclusive : t > critical ? .supported : t < -critical ? .refuted : .inconclusive
        let standardizedGap = zip(unit, standardized).map { mean($0.history.validationLoss) - mean($1.history.validationLoss) }
        return ClaimCheck(
            id: "normalisation-helps-convergence",
            claim: """
                The pixel values of the images are normalized to a range between 0 and 1 by dividing \
                each pixel value by 255.0 ... which helps improve the convergence of the training process.
                """,
            verdict: verdict,
            evidence: [
                """
                    Mean validation loss over the epochs, raw − [0, 1], per \
                    seed: \(differences.map { String(format: "%+.4f", $0) }.joined(separator: ", ")); \
                    mean \(String(format: "%+.4f", spread.mean)), t = \(String(format: "%.2f", t)) \
                    against the two-sided 5% critical value \(String(format: "%.2f", critical)) \
                    with \(max(n - 1, 0)) degree\(n == 2 ? "" : "s") of freedom.
                    """,
                """
                    Test accuracy: raw \(SeedSpread(values: raw.map(\.testAccuracy)).formatted()), \
                    [0, 1] \(SeedSpread(values: unit.map(\.testAccuracy)).formatted()).
                    """,
                """
                    Standardised inputs against [0, 1], the same \
                    measure: \(standardizedGap.map { String(format: "%+.4f", $0) }.joined(separator: ", ")) \
                    ([0, 1] − standardised; positive means standardising converges faster still).
                    """,
            ],
            conclusion: verdict == .supported
                ? """
                    Dividing by 255 makes the validation loss fall faster than on raw pixels, seed for seed, under the same \
                    recipe. (The usual explanation, not measured here: with raw 0-255 inputs the first layer's pre-activations \
                    start 255 times larger, so the initial logits are far from the range the initialisation was designed for.)
                    """
                : verdict == .refuted ? """
                    Raw pixels converge faster here than pixels divided by 255: with Adam, whose steps \
                    do not scale with the gradient, the input scale matters less than the claim assumes.
                    """
                : """
                    The runs do not separate the two: the difference in how fast \
                    the validation loss falls is within the seed-to-seed noise.
                    """,
            decisionRule: """
                the recipe is trained on raw and on [0, 1] pixels from the same seeds; convergence is measured by \
                the mean validation loss over the epochs (lower means the loss fell faster), and the per-seed \
                differences raw − [0, 1] are tested with a paired t-test: **SUPPORTED** if [0, 1] is significantly \
                lower at the two-sided 5% level, **REFUTED** if significantly higher, **INCONCLUSIVE** otherwise.
                """)
    }
}

private extension FloatingPointSign {
    var multiplier: Double { self == .minus ? -1 : 1 }
}
