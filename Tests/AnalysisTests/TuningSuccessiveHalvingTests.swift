@testable import Analysis
import XCTest

final class TuningSuccessiveHalvingTests: XCTestCase {
    let space = SearchSpace([
        .logUniform("learningRate", 1e-4...1e-2),
        .ordinal("hidden", levels: [64, 128, 256]),
    ])

    func testTheBracketFillsTheEpochBudgetWithoutExceedingIt() {
        let halving = SuccessiveHalving(space: space, seed: 1, lowEpochs: 1, highEpochs: 3)
        XCTAssertEqual(halving.firstRungSize(budgetEpochs: 60), 30)   // 30·1 + 10·3 = 60
        XCTAssertEqual(halving.cost(firstRung: 30), 60)
        XCTAssertEqual(halving.firstRungSize(budgetEpochs: 61), 30)   // 31 + 11·3 = 64 > 61
        XCTAssertEqual(halving.firstRungSize(budgetEpochs: 1), 1)     // never empty
        for budget in [4, 10, 37, 100] {
            let size = halving.firstRungSize(budgetEpochs: budget)
            XCTAssertLessThanOrEqual(halving.cost(firstRung: size), max(budget, halving.cost(firstRung: 1)))
            XCTAssertGreaterThan(halving.cost(firstRung: size + 1), budget)
        }
    }

    /// Low-fidelity scores rank the configurations; the best third is trained at the high
    /// fidelity, best first, and the epochs spent add up to the bracket's cost.
    func testPromotesTheBestThirdAndTrainsThemAtFullLength() {
        let halving = SuccessiveHalving(space: space, seed: 7, lowEpochs: 1, highEpochs: 3)
        var calls: [(Configuration, Int)] = []
        let outcome = halving.run(budgetEpochs: 24) { configuration, epochs in
            calls.append((configuration, epochs))
            return -abs(log10(configuration.real("learningRate")) + 3) + Double(epochs)   // best near 1e-3
        }
        XCTAssertEqual(outcome.firstRung.count, 12)
        XCTAssertEqual(outcome.secondRung.count, 4)
        XCTAssertEqual(calls.filter { $0.1 == 1 }.count, 12)
        XCTAssertEqual(calls.filter { $0.1 == 3 }.count, 4)
        XCTAssertEqual(outcome.cumulativeEpochs.last, 24)
        let bestFour = outcome.firstRung.sorted { $0.score > $1.score }.prefix(4).map(\.configuration)
        XCTAssertEqual(outcome.secondRung.map(\.configuration), Array(bestFour))
        XCTAssertTrue(outcome.secondRung.allSatisfy { $0.score > 2 }, "second-rung scores come from the 3-epoch objective")
        let again = halving.run(budgetEpochs: 24) { configuration, epochs in
            -abs(log10(configuration.real("learningRate")) + 3) + Double(epochs)
        }
        XCTAssertEqual(again.secondRung.map(\.configuration), outcome.secondRung.map(\.configuration), "reproducible from its seed")
    }

    func testDivergedRunsAreNeverPromoted() {
        let halving = SuccessiveHalving(space: space, seed: 3, lowEpochs: 1, highEpochs: 2, reduction: 2)
        let outcome = halving.run(budgetEpochs: 8) { configuration, epochs in
            epochs == 1 && configuration.integer("hidden") == 64 ? .nan : configuration.real("learningRate")
        }
        XCTAssertTrue(outcome.secondRung.allSatisfy { $0.score.isFinite })
    }
}

final class HyperparameterImportanceTests: XCTestCase {
    let space = SearchSpace([
        .logUniform("learningRate", 1e-4...1e-2),
        .ordinal("hidden", levels: [64, 128, 256]),
        .ordinal("batchSize", levels: [32, 64, 128]),
    ])

    func testAScoreThatDependsOnOneParameterIsExplainedByIt() {
        let trials = runSearch(strategy: RandomSearch(space: space, seed: 4), budget: 60) { configuration in
            Double(configuration.integer("batchSize")) / 128
        }
        let shares = Dictionary(uniqueKeysWithValues: HyperparameterImportance.correlationRatios(trials: trials, space: space).map { ($0.name, $0.share) })
        XCTAssertEqual(shares["batchSize"] ?? 0, 1, accuracy: 1e-9)
        XCTAssertLessThan(shares["hidden"] ?? 1, 0.2)
        XCTAssertLessThan(shares["learningRate"] ?? 1, 0.2)
    }

    func testConstantScoresAndTooFewTrials() {
        let trials = runSearch(strategy: RandomSearch(space: space, seed: 4), budget: 5) { _ in 0.5 }
        XCTAssertTrue(HyperparameterImportance.correlationRatios(trials: trials, space: space).allSatisfy { $0.share == 0 })
        XCTAssertTrue(HyperparameterImportance.correlationRatios(trials: Array(trials.prefix(1)), space: space).allSatisfy { $0.share.isNaN })
    }
}
