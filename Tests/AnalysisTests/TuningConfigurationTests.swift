@testable import Analysis
import TestSupport
import XCTest

final class TuningConfigurationTests: XCTestCase {
    let configuration = Configuration([
        "learningRate": .real(0.001), "hiddenSize1": .integer(128), "activation": .category("relu"),
    ])

    func testTypedAccessors() {
        XCTAssertEqual(configuration.real("learningRate"), 0.001)
        XCTAssertEqual(configuration.real("hiddenSize1"), 128)
        XCTAssertEqual(configuration.integer("hiddenSize1"), 128)
        XCTAssertEqual(configuration.category("activation"), "relu")
        XCTAssertEqual(configuration.description, "activation=relu, hiddenSize1=128, learningRate=0.001")
        let changed = configuration.setting("learningRate", to: .real(0.01))
        XCTAssertEqual(changed.real("learningRate"), 0.01)
        XCTAssertEqual(changed.integer("hiddenSize1"), 128)
        XCTAssertEqual(configuration.real("learningRate"), 0.001)
    }

    func testJSONIsStableAndRoundTrips() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(configuration), as: UTF8.self)
        XCTAssertEqual(json, #"{"values":{"activation":{"category":"relu"},"hiddenSize1":{"integer":128},"learningRate":{"real":0.001}}}"#)
        let decoded = try JSONDecoder().decode(Configuration.self, from: Data(json.utf8))
        XCTAssertEqual(decoded, configuration)
        XCTAssertEqual(decoded.hashValue, configuration.hashValue)
    }

    func testIntegerAndRealValuesStayDistinct() throws {
        let values: [ParameterValue] = [.real(1), .integer(1), .category("1")]
        let decoded = try JSONDecoder().decode([ParameterValue].self, from: JSONEncoder().encode(values))
        XCTAssertEqual(decoded, values)
        XCTAssertEqual(Set(values).count, 3)
    }
}
