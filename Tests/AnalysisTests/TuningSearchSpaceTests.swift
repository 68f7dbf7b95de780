@testable import Analysis
import TestSupport
import XCTest

/// A space with every parameter kind, shaped like the MNIST MLP study plus two extensions.
let everyKindSpace = SearchSpace([
    .logUniform("learningRate", 1e-4...1e-2),
    .ordinal("hiddenSize1", levels: [64, 128, 256]),
    .ordinal("hiddenSize2", levels: [32, 64, 128]),
    .ordinal("batchSize", levels: [32, 64, 128]),
    .uniform("dropout", 0...0.5),
    .integer("epochs", 1...20),
    .categorical("activation", choices: ["relu", "tanh", "sigmoid"]),
])

final class TuningSearchSpaceTests: XCTestCase {
    func testEncodedLayout() {
        XCTAssertEqual(everyKindSpace.encodedDimension, 9)
        XCTAssertEqual(everyKindSpace.encodedRanges, [0..<1, 1..<2, 2..<3, 3..<4, 4..<5, 5..<6, 6..<9])
    }

    func testEncodingRoundTrips() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let configuration = everyKindSpace.randomConfiguration(using: &generator)
            XCTAssertTrue(everyKindSpace.contains(configuration))
            let point = everyKindSpace.encode(configuration)
            XCTAssertTrue(point.allSatisfy { 0 <= $0 && $0 <= 1 }, "\(point)")
            let decoded = everyKindSpace.decode(point)
            for name in ["hiddenSize1", "hiddenSize2", "batchSize", "epochs", "activation"] {
                XCTAssertEqual(decoded[name], configuration[name], name)
            }
            for name in ["learningRate", "dropout"] {
                assertClose(decoded.real(name), configuration.real(name), rtol: 1e-12, atol: 1e-15, name)
            }
            assertClose(everyKindSpace.encode(decoded), point, rtol: 1e-12, atol: 1e-12)
        }
    }

    func testRandomConfigurationsFollowThePrior() {
        var generator = SeededGenerator(seed: 3)
        let draws = (0..<4000).map { _ in everyKindSpace.randomConfiguration(using: &generator) }
        // Log-uniform on 1e-4…1e-2: half the draws below 1e-3.
        let belowMidpoint = draws.filter { $0.real("learningRate") < 1e-3 }.count
        XCTAssertEqual(Double(belowMidpoint) / 4000, 0.5, accuracy: 0.03)
        for level in [64, 128, 256] {
            let share = Double(draws.filter { $0.integer("hiddenSize1") == level }.count) / 4000
            XCTAssertEqual(share, 1.0 / 3.0, accuracy: 0.03)
        }
        XCTAssertEqual(Set(draws.map { $0.integer("epochs") }), Set(1...20))
    }

    func testLatinHypercubeStratifiesEveryParameter() {
        var generator = SeededGenerator(seed: 5)
        let points = everyKindSpace.latinHypercube(count: 10, using: &generator)
        XCTAssertTrue(points.allSatisfy(everyKindSpace.contains))
        // One point in each tenth of the log learning-rate range and of the dropout range.
        let rateStrata = points.map { Int((log10($0.real("learningRate")) + 4) / 2 * 10) }
        XCTAssertEqual(rateStrata.sorted(), Array(0..<10))
        XCTAssertEqual(points.map { Int($0.real("dropout") / 0.5 * 10) }.sorted(), Array(0..<10))
        // Three points over three levels: each level once.
        var again = SeededGenerator(seed: 6)
        let three = everyKindSpace.latinHypercube(count: 3, using: &again)
        XCTAssertEqual(Set(three.map { $0.integer("hiddenSize1") }), [64, 128, 256])
        XCTAssertEqual(Set(three.map { $0.category("activation") }), ["relu", "tanh", "sigmoid"])
    }
}
