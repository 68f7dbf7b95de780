@testable import Analysis
import TestSupport
import XCTest

final class TuningTunerTests: XCTestCase {
    struct Interrupted: Error {}

    func testInterruptedSearchResumesWithTheSameSuggestions() {
        let strategy = RandomSearch(space: everyKindSpace, seed: 21)
        let uninterrupted = runSearch(strategy: strategy, budget: 12) { $0.real("learningRate") }
        var evaluated = 0
        let partial = try? runSearch(strategy: strategy, budget: 12) { configuration -> Double in
            evaluated += 1
            if evaluated > 7 { throw Interrupted() }
            return configuration.real("learningRate")
        }
        XCTAssertNil(partial)  // the error propagates
        let cached = Array(uninterrupted.prefix(7))
        var newEvaluations = 0
        let resumed = runSearch(strategy: strategy, budget: 12, history: cached) { configuration -> Double in
            newEvaluations += 1
            return configuration.real("learningRate")
        }
        XCTAssertEqual(newEvaluations, 5)
        XCTAssertEqual(resumed.map(\.configuration), uninterrupted.map(\.configuration))
        XCTAssertEqual(resumed.map(\.score), uninterrupted.map(\.score))
    }

    func testTrialsRecordScoreAndTime() {
        let trials = runSearch(strategy: RandomSearch(space: BraninFunction.space, seed: 2), budget: 3) { configuration in
            Thread.sleep(forTimeInterval: 0.01)
            return BraninFunction.negatedValue(configuration)
        }
        XCTAssertEqual(trials.count, 3)
        for trial in trials {
            XCTAssertEqual(trial.score, BraninFunction.negatedValue(trial.configuration))
            XCTAssertGreaterThanOrEqual(trial.seconds, 0.009)
            XCTAssertLessThan(trial.seconds, 5)
        }
    }

    func testBudgetCountsHistory() {
        let strategy = RandomSearch(space: BraninFunction.space, seed: 2)
        let first = runSearch(strategy: strategy, budget: 5) { _ in 1 }
        var calls = 0
        let same = runSearch(strategy: strategy, budget: 5, history: first) { _ in calls += 1; return 1 }
        XCTAssertEqual(calls, 0)
        XCTAssertEqual(same, first)
    }
}
