import NN
import TestSupport
import XCTest

final class KerasProgressFormatTests: XCTestCase {
    func testEpochSummaryLineMatchesKeras() {
        let line = KerasProgressFormat.summaryLine(
            steps: 1500, elapsedSeconds: 0.318,
            metrics: ["loss": 0.0708, "accuracy": 0.9732, "val_loss": 0.1028, "val_accuracy": 0.9676])
        XCTAssertEqual(line, "1500/1500 - 0s - 212us/step - accuracy: 0.9732 - loss: 0.0708 - val_accuracy: 0.9676 - val_loss: 0.1028")
        XCTAssertEqual(KerasProgressFormat.epochHeader(epoch: 3, of: 10), "Epoch 3/10")
    }

    func testTimePerStepUnits() {
        XCTAssertEqual(KerasProgressFormat.timePerStep(2.4), "2s/step")
        XCTAssertEqual(KerasProgressFormat.timePerStep(0.0023), "2ms/step")
        XCTAssertEqual(KerasProgressFormat.timePerStep(0.000212), "212us/step")
        XCTAssertEqual(KerasProgressFormat.timePerStep(0), "0s/step")
    }

    func testSmallMetricsUseScientificNotation() {
        XCTAssertEqual(KerasProgressFormat.formattedMetrics(["loss": 0.0004]), " - loss: 4.0000e-04")
    }

    func testProgressLineHasBarAndEstimate() {
        let line = KerasProgressFormat.progressLine(step: 750, of: 1500, elapsedSeconds: 10, metrics: ["loss": 0.5])
        XCTAssertTrue(line.hasPrefix(" 750/1500 "), line)
        XCTAssertEqual(line.filter { $0 == "━" }.count, 20)
        XCTAssertTrue(line.hasSuffix(" 10s 13ms/step - loss: 0.5000"), line)
    }
}
