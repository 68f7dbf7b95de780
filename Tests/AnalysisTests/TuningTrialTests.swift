@testable import Analysis
import TestSupport
import XCTest

final class TuningTrialTests: XCTestCase {
    func trial(_ score: Double, _ x: Double) -> Trial {
        Trial(configuration: Configuration(["x": .real(x)]), score: score, seconds: 1)
    }

    func testBestAndRunningBestSkipNonFiniteScores() {
        let trials = [trial(.nan, 0), trial(0.2, 1), trial(0.5, 2), trial(.infinity, 3), trial(0.4, 4), trial(0.5, 5)]
        XCTAssertEqual(trials.best?.configuration.real("x"), 2)
        XCTAssertEqual(trials.runningBestScores, [-.infinity, 0.2, 0.5, 0.5, 0.5, 0.5])
        XCTAssertNil([Trial]().best)
    }

    func testCodableRoundTrip() throws {
        let trials = [trial(0.9, 0.1), trial(0.8, 0.2)]
        XCTAssertEqual(try JSONDecoder().decode([Trial].self, from: JSONEncoder().encode(trials)), trials)
    }
}
