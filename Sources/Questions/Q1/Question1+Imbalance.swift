import Analysis
import Foundation
import Notebook
import Plot

extension Question1 {
    /// The class-imbalance section: both losses on training samples whose minority share shrinks.
    func imbalanceSection(_ session: NotebookSession, digits: DigitsTask,
                          fair: FairComparison) throws -> (ImbalanceComparison, FigureReference) {
        session.heading("Class imbalance")
        let shares = [0.5, 0.1, 0.02]
        let seeds = (0..<session.profile.pick(quick: 2, default: 3, full: 5)).map { session.seed &+ 50 &+ UInt64($0) }
        let scale = fair.design.ordinaryScale
        let size = digits.largestImbalancedSize(minorityShares: shares)
        let rates = Dictionary(uniqueKeysWithValues: BinaryLoss.allCases.map { ($0, fair.chosenLearningRate($0, scale: scale)) })
        let configs = shares.flatMap { share in
            seeds.map { seed in
                ImbalanceCellConfig(task: digits.config, minorityShare: share, trainingSize: size, initialLogitScale: scale,
                                    learningRates: Dictionary(uniqueKeysWithValues: rates.map { ($0.key.rawValue, $0.value) }),
                                    iterations: fair.design.iterations, seed: seed)
            }
        }
        let results = try session.computeAll(Self.classImbalance(digits), configs: configs).map(\.result)
        let cells = shares.indices.map { Array(results[($0 * seeds.count)..<(($0 + 1) * seeds.count)]) }
        let replicates = session.profile.pick(quick: 200, default: 2000, full: 4000)
        let imbalance = ImbalanceComparison(shares: shares, trainingSize: size, seeds: seeds, cells: cells, testLabels: digits.testLabels,
                                            learningRates: rates, replicates: replicates, bootstrapSeed: session.seed &+ 60)
        session.prose("""
        Each training sample has \(size) images of which a share of 50%, 10% or 2% are 8s (the minority) and the rest 3s, drawn \
        without replacement from the training digits; \(seeds.count) seeds (\(seeds.map(String.init).joined(separator: ", "))) \
        each draw a sample and a start (initial logit sd \(scaleLabel(scale))), shared by both losses. Each loss trains for \
        \(fair.design.iterations) steps at the learning rate chosen for it on balanced data (cross-entropy \
        \(rateLabel(rates[.crossEntropy]!)), MSE \(rateLabel(rates[.meanSquaredError]!))), without class \
        weights. All \(digits.testLabels.count) test digits are scored, about half of them 8s: the minority recall is the \
        fraction of test 8s classified as 8, the balanced accuracy the mean of the two classes' recalls (½ for a classifier \
        that always answers 3). Differences come with 95% paired bootstrap intervals (\(replicates) replicates resampling \
        seeds and test images together).
        """)
        let figure = try imbalanceFigure(session, imbalance: imbalance)
        session.table(imbalanceTable(session, imbalance: imbalance))
        return (imbalance, figure)
    }

    func imbalanceTable(_ session: NotebookSession, imbalance: ImbalanceComparison) -> Table {
        let rows = imbalance.shares.indices.map { index -> [String] in
            let share = imbalance.shares[index]
            var row = [percent(share, digits: 0)]
            for loss in BinaryLoss.allCases {
                let recall = imbalance.minorityRecalls(loss, share: index), balanced = imbalance.balancedAccuracies(loss, share: index)
                let key = "q1.imbalance.share_\(keyLabel(share)).\(loss.resultKey)"
                session.record("\(key).minority_recall", mean(recall))
                session.record("\(key).balanced_accuracy", mean(balanced))
                row += [SeedSpread(values: recall).formatted(digits: 3), SeedSpread(values: balanced).formatted(digits: 3)]
            }
            let difference = imbalance.balancedAccuracyDifferences[index]
            session.record("q1.imbalance.share_\(keyLabel(share)).balanced_accuracy_difference", difference.difference)
            return row + [CalibrationComparison.interval(difference)]
        }
        return Table(caption: "Minority recall and balanced accuracy on the test digits, mean ± sd over the seeds, and the paired "
                         + "difference in balanced accuracy.",
                     headers: ["Minority share", "Recall CE", "Balanced acc. CE", "Recall MSE", "Balanced acc. MSE",
                               "Balanced acc. CE − MSE"],
                     rows: rows)
    }

    func imbalanceFigure(_ session: NotebookSession, imbalance: ImbalanceComparison) throws -> FigureReference {
        let caption: Prose = "Minority recall (left) and balanced accuracy (right) on the test digits against the minority's share of "
            + "the training sample: one dot per seed, lines through the means."
        return try session.plot("class-imbalance", caption: caption, width: 900, height: 380, columns: 2) { figure in
            let panels: [(String, (BinaryLoss, Int) -> [Double])] = [
                ("minority recall (test 8s found)", imbalance.minorityRecalls), ("balanced accuracy", imbalance.balancedAccuracies),
            ]
            for (column, (label, values)) in panels.enumerated() {
                let axes = figure.axes(0, column)
                for (index, loss) in BinaryLoss.allCases.enumerated() {
                    let perShare = imbalance.shares.indices.map { values(loss, $0) }
                    axes.line(x: imbalance.shares, y: perShare.map(mean), label: loss.rawValue, color: .palette(index), width: 2)
                    let x = imbalance.shares.indices.flatMap { i in perShare[i].map { _ in imbalance.shares[i] } }
                    axes.scatter(x: x, y: Array(perShare.joined()), color: .palette(index), size: 5)
                }
                axes.xScale = .log
                axes.xLimits = 0.01...1
                axes.yLimits = 0...1
                axes.xLabel = "minority share of the training sample"
                axes.yLabel = label
                axes.legendLocation = .lowerRight
                axes.showGrid = true
            }
        }
    }
}
