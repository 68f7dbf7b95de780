import Benchmarks
import Foundation
import NN
import Tensor
import XCTest

/// `benchmarkMLP`, the entry point `labbook bench mlp` times, on synthetic data.
final class MLPBenchmarkTests: XCTestCase {
    func testBenchmarkEntryPointOnSyntheticData() throws {
        var generator = SeededGenerator(seed: 1)
        let count = 256
        let labels = (0..<count).map { Int32($0 % 10) }
        // Each class lights up its own block of pixels, so the MLP separates them at once.
        let features = labels.flatMap { label in
            (0..<784).map { pixel in (pixel / 78 == Int(label) ? 1 : 0) + 0.1 * generator.nextUnitFloat() }
        }
        let result = benchmarkMLP(trainX: features, trainY: labels, testX: features, testY: labels,
                                  epochs: 2, batchSize: 32, seed: 3)
        XCTAssertEqual(result.trainSamples, 256)
        XCTAssertEqual(result.epochs, 2)
        XCTAssertEqual(result.threads, 1)
        XCTAssertGreaterThan(result.testAccuracy, 0.9)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as! [String: Any]
        XCTAssertEqual(Set(object.keys), ["workload", "train_samples", "epochs", "s_per_epoch", "test_accuracy", "threads",
                                          "phases"])
        XCTAssertEqual(Set((object["phases"] as! [String: Any]).keys), ["batch_us", "forward_us", "backward_us", "optimizer_us"])
        XCTAssertGreaterThan(result.phases.batchMicroseconds, 0)
        XCTAssertGreaterThan(result.phases.forwardMicroseconds, 0)
        XCTAssertGreaterThan(result.phases.backwardMicroseconds, 0)
        XCTAssertGreaterThan(result.phases.optimizerMicroseconds, 0)
    }
}
