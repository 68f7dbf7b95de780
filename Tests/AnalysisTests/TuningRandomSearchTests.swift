@testable import Analysis
import TestSupport
import XCTest

final class TuningRandomSearchTests: XCTestCase {
    func testReproducibleFromItsSeed() {
        let first = runSearch(strategy: RandomSearch(space: everyKindSpace, seed: 11), budget: 15) { $0.real("dropout") }
        let again = runSearch(strategy: RandomSearch(space: everyKindSpace, seed: 11), budget: 15) { $0.real("dropout") }
        let other = runSearch(strategy: RandomSearch(space: everyKindSpace, seed: 12), budget: 15) { $0.real("dropout") }
        XCTAssertEqual(first.map(\.configuration), again.map(\.configuration))
        XCTAssertNotEqual(first.map(\.configuration), other.map(\.configuration))
        XCTAssertTrue(zip(first, other).allSatisfy { $0.configuration != $1.configuration })
        XCTAssertEqual(Set(first.map(\.configuration)).count, 15)
    }

    func testSuggestionsStayInTheSpace() {
        let trials = runSearch(strategy: RandomSearch(space: everyKindSpace, seed: 5), budget: 50) { _ in 0 }
        XCTAssertTrue(trials.allSatisfy { everyKindSpace.contains($0.configuration) })
    }

    func testAvoidsRepeatsInASmallDiscreteSpace() {
        let tiny = SearchSpace([.ordinal("batchSize", levels: [32, 64]), .categorical("activation", choices: ["relu", "tanh"])])
        let trials = runSearch(strategy: RandomSearch(space: tiny, seed: 1), budget: 4) { _ in 0 }
        XCTAssertEqual(Set(trials.map(\.configuration)).count, 4)
    }
}
