@testable import Analysis
import TestSupport
import XCTest

final class TuningBayesianOptimizationTests: XCTestCase {
    /// Small candidate counts keep the debug-build test fast; the library defaults are larger.
    func braninOptimizer(seed: UInt64) -> BayesianOptimization {
        BayesianOptimization(space: BraninFunction.space, seed: seed, initialDesignTrials: 5, candidateCount: 300,
                             refinedCandidateCount: 3, refinementSteps: 20, hyperparameterRestarts: 1)
    }

    func testBraninKnownMinimum() {
        for (x1, x2) in [(-Double.pi, 12.275), (Double.pi, 2.275), (9.42478, 2.475)] {
            assertClose(BraninFunction.value(x1, x2), BraninFunction.minimumValue, rtol: 1e-5)
        }
    }

    func testFindsTheBraninOptimumWithFewerEvaluationsThanRandomSearch() {
        let budget = 20, seeds: [UInt64] = [1, 2, 3, 4, 5]
        var bayesianGaps: [Double] = [], randomGaps: [Double] = []
        var bayesianToReach: [Int] = [], randomToReach: [Int] = []
        for seed in seeds {
            let bayesian = runSearch(strategy: braninOptimizer(seed: seed), budget: budget, objective: BraninFunction.negatedValue)
            let random = runSearch(strategy: RandomSearch(space: BraninFunction.space, seed: seed), budget: budget,
                                   objective: BraninFunction.negatedValue)
            let gap: ([Trial]) -> Double = { -BraninFunction.minimumValue - $0.best!.score }
            let reach: ([Trial]) -> Int = { trials in
                (trials.runningBestScores.firstIndex { -BraninFunction.minimumValue - $0 <= 0.5 } ?? trials.count) + 1
            }
            bayesianGaps.append(gap(bayesian))
            randomGaps.append(gap(random))
            bayesianToReach.append(reach(bayesian))
            randomToReach.append(reach(random))
        }
        let mean: ([Double]) -> Double = { $0.reduce(0, +) / Double($0.count) }
        print("Branin, budget \(budget), seeds \(seeds):")
        print("  gap to optimum after \(budget)  BO \(bayesianGaps)  mean \(mean(bayesianGaps))")
        print("                             random \(randomGaps)  mean \(mean(randomGaps))")
        print("  trials to reach within 0.5 (\(budget + 1) = never)  BO \(bayesianToReach)  random \(randomToReach)")
        XCTAssertLessThan(mean(bayesianGaps), mean(randomGaps))
        XCTAssertLessThan(mean(bayesianGaps), 0.5, "BO lands near the optimum (global minimum 0.397887)")
        XCTAssertGreaterThanOrEqual(zip(bayesianGaps, randomGaps).filter { $0 < $1 }.count, 4, "BO ahead on most seeds")
        XCTAssertLessThan(mean(bayesianToReach.map(Double.init)), mean(randomToReach.map(Double.init)))
    }

    func testSuggestionsAreDeterministicValidAndNeverRepeat() {
        // The MLP study's space: a log-uniform learning rate and three ordinal sizes (81 discrete combinations per rate).
        let space = SearchSpace([
            .logUniform("learningRate", 1e-4...1e-2),
            .ordinal("hiddenSize1", levels: [64, 128, 256]),
            .ordinal("hiddenSize2", levels: [32, 64, 128]),
            .ordinal("batchSize", levels: [32, 64, 128]),
        ])
        // A smooth stand-in for validation accuracy, best at η = 10^−2.5, large layers, batch 32.
        let accuracy: (Configuration) -> Double = { c in
            let logRate = log10(c.real("learningRate"))
            return 0.98 - 0.02 * (logRate + 2.5) * (logRate + 2.5) + 0.002 * log2(Double(c.integer("hiddenSize1")))
                - 0.001 * log2(Double(c.integer("batchSize")))
        }
        let optimizer = BayesianOptimization(space: space, seed: 8, initialDesignTrials: 3, candidateCount: 200,
                                             refinedCandidateCount: 2, refinementSteps: 10, hyperparameterRestarts: 1)
        let trials = runSearch(strategy: optimizer, budget: 10, objective: accuracy)
        XCTAssertEqual(trials.count, 10)
        XCTAssertTrue(trials.allSatisfy { space.contains($0.configuration) })
        XCTAssertEqual(Set(trials.map(\.configuration)).count, 10)
        // Stateless: the same history gives the same suggestion.
        XCTAssertEqual(optimizer.suggest(history: Array(trials.prefix(6))), trials[6].configuration)
        XCTAssertGreaterThan(trials.best!.score, RandomSearch(space: space, seed: 8).suggest(history: []).map(accuracy)!)
    }

    func testExhaustsATinyDiscreteSpaceWithoutRepeating() {
        let tiny = SearchSpace([.ordinal("batchSize", levels: [32, 64, 128]), .categorical("activation", choices: ["relu", "tanh"])])
        let optimizer = BayesianOptimization(space: tiny, seed: 3, initialDesignTrials: 2, candidateCount: 50)
        let trials = runSearch(strategy: optimizer, budget: 6) { c in
            Double(c.integer("batchSize")) / 128 + (c.category("activation") == "relu" ? 1 : 0)
        }
        XCTAssertEqual(Set(trials.map(\.configuration)).count, 6)
    }

    func testSurrogateReportsTheOriginalScaleAndToleratesDivergedRuns() throws {
        let space = SearchSpace([.logUniform("learningRate", 1e-4...1e-2)])
        let optimizer = BayesianOptimization(space: space, seed: 1, candidateCount: 100)
        let rates = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2]
        let scores = [0.90, 0.95, 0.97, 0.96, .nan]  // the largest rate diverged
        let history = zip(rates, scores).map { Trial(configuration: Configuration(["learningRate": .real($0)]), score: $1, seconds: 1) }
        let model = try XCTUnwrap(optimizer.surrogate(history: history))
        // NaN counts as the worst finite score.
        XCTAssertEqual(model.targets, [0.90, 0.95, 0.97, 0.96, 0.90])
        let posterior = model.posterior(at: rates.map { space.encode(Configuration(["learningRate": .real($0)])) })
        assertClose(posterior.mean, model.targets, rtol: 0, atol: 0.01)
        XCTAssertTrue(posterior.standardDeviation.allSatisfy { $0 >= 0 && $0 < 0.05 })
        let next = try XCTUnwrap(optimizer.suggest(history: history))
        XCTAssertTrue(space.contains(next))
        XCTAssertFalse(rates.contains(next.real("learningRate")))
    }
}
