import Analysis
import Datasets
import Foundation
import NN
import Notebook
import Plot

/// Question 3's claims checked: the recipe's test accuracy, normalisation's effect on
/// convergence, and the tuned configuration against the recipe on the same test images.
extension Question3 {
    /// "Test accuracy: 0.9764": reproduced when it lies inside the 95% prediction interval of
    /// one run of the recipe.
    static func accuracyClaim(spread: SeedSpread, dataset: DatasetSplit) -> ClaimCheck {
        let n = spread.count
        let halfWidth = n > 1
            ? studentTCritical975(degreesOfFreedom: n - 1) * spread.standardDeviation * (1 + 1 / Double(n)).squareRoot()
            : .nan
        let meanHalfWidth = n > 1 ? studentTCritical975(degreesOfFreedom: n - 1) * spread.standardDeviation / Double(n).squareRoot() : .nan
        let inside = abs(assignmentTestAccuracy - spread.mean) <= halfWidth
        let verdict: Verdict = !dataset.isFullMNIST || n < 2 ? .inconclusive : (inside ? .supported : .refuted)
        return ClaimCheck(
            id: "mlp-test-accuracy", claim: "Test accuracy: 0.9764088177303425",
            verdict: verdict,
            evidence: [
                """
                    The recipe from \(n) seeds on \(dataset.proseName): test accuracy \(spread.formatted()); 95% confidence \
                    interval of the mean \(format(spread.mean - meanHalfWidth)) to \(format(spread.mean + meanHalfWidth)).
                    """,
                """
                    95% prediction interval for one run: \(format(spread.mean - halfWidth)) to \(format(spread.mean + halfWidth)); \
                    the assignment's \(format(assignmentTestAccuracy)) lies \(inside ? "inside" : "outside") it.
                    """,
            ] + (dataset.isFullMNIST ? []
                 : ["This run used \(dataset.proseName), not full MNIST: the assignment's number is not comparable."]),
            conclusion: verdict == .supported
                ? "The assignment's single run is what the recipe gives: its accuracy is within the spread of runs from different seeds."
                : verdict == .refuted ? """
                    The recipe, run from several seeds, does not give the assignment's \
                    number: it lies outside the range one run would fall in.
                    """
                : "Not decided here: the run did not use full MNIST or had a single seed.",
            decisionRule: """
                the assignment reports one run, so it is compared with the spread of single runs: **SUPPORTED** (reproduced) \
                if it lies inside the 95% prediction interval for one run of the recipe, mean ± t₀.₉₇₅(n−1) · s \
                · √(1 + 1/n) over n seeds (each seed sets the initialisation, the shuffle and the split; all runs share \
                the test images); **REFUTED** if outside; **INCONCLUSIVE** on other data than full MNIST or with one seed.
                """)
    }

    /// The tuned configuration retrained from the recipe's seeds and compared on the same test
    /// images: McNemar's exact test pooled over seed pairs and a bootstrap interval.
    func tunedComparison(_ session: NotebookSession, split: DatasetSplit, recipe: MLPTrainingConfig, best: Configuration,
                         tuned: [MLPTrainingResult], baseline: [MLPTrainingResult]) throws {
        let labels = split.test.labels.map { Int32($0) }
        let correct = { (results: [MLPTrainingResult]) in
            results.map { result in zip(result.testPredictions ?? [], labels).map { $0 == $1 } }
        }
        let (tunedCorrect, baselineCorrect) = (correct(tuned), correct(baseline))
        guard tunedCorrect.allSatisfy({ $0.count == labels.count }), baselineCorrect.allSatisfy({ $0.count == labels.count }) else {
            throw NotebookError.invalidInput("q3: a training result lacks its test predictions; rerun with --force")
        }
        let test = McNemarTest(firstCorrect: baselineCorrect, secondCorrect: tunedCorrect)
        let interval = PairedBootstrap(firstCorrect: baselineCorrect, secondCorrect: tunedCorrect, seed: session.seed &+ 700)
        let tunedSpread = SeedSpread(values: tuned.map(\.testAccuracy)), baselineSpread = SeedSpread(values: baseline.map(\.testAccuracy))
        session.table(Table(
            caption: """
                The best configuration of all searches against the recipe, each trained with the full \
                recipe from the same \(tuned.count) seeds and tested on the same \(labels.count) images: \
                test accuracy (mean ± standard deviation), and the paired comparison (seed k against \
                seed k, pooled): images only one of them gets right, McNemar's exact p-value, and the 95% \
                bootstrap interval (test images and seeds resampled) of the difference tuned − recipe.
                """,
            headers: ["", "Test accuracy", "Only this one right", "Difference (tuned − recipe)", "95% interval", "McNemar p"],
            rows: [
                ["""
                    Recipe (learning rate \(String(format: "%.0e", recipe.learningRate)), \
                    hidden \(recipe.hiddenSizes[0])/\(recipe.hiddenSizes[1]), batch \(recipe.batchSize))
                    """,
                 baselineSpread.formatted(), "\(test.onlyFirstCorrect)", "", "", ""],
                ["""
                    Tuned (learning rate \(String(format: "%.2e", best.real("learningRate"))), \
                    hidden \(best.integer("hidden1"))/\(best.integer("hidden2")), batch \(best.integer("batchSize")))
                    """,
                 tunedSpread.formatted(), "\(test.onlySecondCorrect)", String(format: "%+.4f", interval.difference),
                 String(format: "[%+.4f, %+.4f]", interval.lower, interval.upper), formatP(test.pValue)],
            ]))
        session.record("q3.tuning.baseline_test_accuracy", baselineSpread.mean)
        session.record("q3.tuning.tuned_test_accuracy", tunedSpread.mean)
        session.record("q3.tuning.paired.difference", interval.difference)
        session.record("q3.tuning.paired.interval_lower", interval.lower)
        session.record("q3.tuning.paired.interval_upper", interval.upper)
        session.record("q3.tuning.paired.mcnemar_p", test.pValue)
        let significant = test.pValue < 0.05
        session.prose("""
        **Did tuning help?** Tuned minus recipe: \(String(format: "%+.4f", interval.difference)) test accuracy, 95% interval \
        \(String(format: "[%+.4f, %+.4f]", interval.lower, interval.upper)), McNemar p = \(formatP(test.pValue)). \
        \(significant
            ? (interval.difference > 0
                ? "The tuned configuration is more accurate on these test images by more than chance explains."
                : """
                    The tuned configuration is less accurate on these test images by more than chance explains: validation \
                    accuracy after \(recipe.epochs > 3 ? "a few" : "few") epochs picked a configuration that does not hold up \
                    at the full budget.
                    """)
            : """
                The difference is within what chance explains: the searches found no configuration measurably better than \
                the recipe at the full budget, whatever their best validation scores say.
                """)
        """)
        session.headline("Tuned − recipe test accuracy (paired, \(tuned.count) seeds)",
                         "\(String(format: "%+.4f", interval.difference)), p = \(formatP(test.pValue))")
    }
}
