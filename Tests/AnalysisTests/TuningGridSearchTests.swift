@testable import Analysis
import TestSupport
import XCTest

final class TuningGridSearchTests: XCTestCase {
    let mlpSpace = SearchSpace([
        .logUniform("learningRate", 1e-4...1e-2),
        .ordinal("hiddenSize1", levels: [64, 128, 256]),
        .ordinal("hiddenSize2", levels: [32, 64, 128]),
        .ordinal("batchSize", levels: [32, 64, 128]),
    ])

    func testGridSizeIsBalancedAndWithinBudget() {
        XCTAssertEqual(GridSearch(space: mlpSpace, budget: 20).levelCounts, [2, 2, 2, 2])
        XCTAssertEqual(GridSearch(space: mlpSpace, budget: 30).levelCounts, [3, 2, 2, 2])
        XCTAssertEqual(GridSearch(space: mlpSpace, budget: 100).levelCounts, [3, 3, 3, 3])
        // Capacities cap discrete parameters; the continuous one takes the rest.
        XCTAssertEqual(GridSearch.balancedLevelCounts(for: [2, nil], budget: 10), [2, 5])
        XCTAssertEqual(GridSearch.balancedLevelCounts(for: [3, 3, 3, 3], budget: 1000), [3, 3, 3, 3])
        XCTAssertEqual(GridSearch.balancedLevelCounts(for: [nil], budget: 7), [7])
        for budget in 1...120 {
            XCTAssertLessThanOrEqual(GridSearch(space: mlpSpace, budget: budget).points.count, budget)
        }
    }

    func testGridCoversTheProductSpace() {
        let grid = GridSearch(space: mlpSpace, budget: 81)
        XCTAssertEqual(grid.points.count, 81)
        XCTAssertEqual(Set(grid.points).count, 81)
        // Every level of every dimension appears, each equally often.
        for (name, levels) in [("hiddenSize1", [64, 128, 256]), ("hiddenSize2", [32, 64, 128]), ("batchSize", [32, 64, 128])] {
            for level in levels {
                XCTAssertEqual(grid.points.filter { $0.integer(name) == level }.count, 27, "\(name)=\(level)")
            }
        }
        let learningRates = Set(grid.points.map { $0.real("learningRate") }).sorted()
        assertClose(learningRates, [-11.0 / 3, -3, -7.0 / 3].map { pow(10, $0) }, rtol: 1e-12)
    }

    func testLevelsAreQuantileCellCentres() {
        let grid = GridSearch(space: mlpSpace, budget: 16)
        assertClose(Set(grid.points.map { $0.real("learningRate") }).sorted(), [pow(10, -3.5), pow(10, -2.5)], rtol: 1e-12)
        XCTAssertEqual(Set(grid.points.map { $0.integer("hiddenSize1") }), [64, 256])
        // One level each: the middle of every domain.
        let single = GridSearch(space: mlpSpace, budget: 1).points
        XCTAssertEqual(single.count, 1)
        XCTAssertEqual(["hiddenSize1", "hiddenSize2", "batchSize"].map { single[0].integer($0) }, [128, 64, 64])
        assertClose(single[0].real("learningRate"), 1e-3, rtol: 1e-12)
    }

    func testSearchFollowsGridOrderAndStopsWhenExhausted() {
        let grid = GridSearch(space: mlpSpace, budget: 20)
        let trials = runSearch(strategy: grid, budget: 20) { $0.real("learningRate") }
        XCTAssertEqual(trials.map(\.configuration), grid.points)
        XCTAssertEqual(trials.count, 16)
        // The first parameter varies slowest.
        XCTAssertEqual(Set(trials.prefix(8).map { $0.configuration.real("learningRate") }).count, 1)
        XCTAssertEqual(trials[0].configuration.integer("batchSize"), 32)
        XCTAssertEqual(trials[1].configuration.integer("batchSize"), 128)
    }
}
