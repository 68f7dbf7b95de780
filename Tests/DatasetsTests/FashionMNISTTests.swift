import Datasets
import Foundation
import XCTest

/// Loads the real Fashion-MNIST installed by Debian's dataset-fashion-mnist package.
final class FashionMNISTTests: XCTestCase {
    func testLoadsStandardSplitWhenInstalled() throws {
        let directory = DatasetSource.fashionMNISTSystemDirectory
        try XCTSkipUnless(FileManager.default.fileExists(atPath: directory.appendingPathComponent("train-images-idx3-ubyte.gz").path),
                          "dataset-fashion-mnist is not installed")
        let start = Date()
        let split = try DatasetSource.fashionMNIST.load(projectRoot: URL(fileURLWithPath: "/nonexistent"))
        print("fashion-mnist loaded in \(Date().timeIntervalSince(start)) s (debug build)")
        XCTAssertEqual(split.name, "fashion-mnist")
        XCTAssertEqual(split.train.count, 60_000)
        XCTAssertEqual(split.test.count, 10_000)
        XCTAssertEqual(split.train.rows, 28)
        XCTAssertEqual(split.train.columns, 28)
        XCTAssertEqual(split.train.images.count, 60_000 * 784)
        XCTAssertEqual(split.train.labelCounts(), Array(repeating: 6_000, count: 10))
        XCTAssertEqual(split.test.labelCounts(), Array(repeating: 1_000, count: 10))
        XCTAssertEqual(split.classNames.count, 10)
        XCTAssertEqual(split.classNames[9], "Ankle boot")
        XCTAssertEqual(split.contentHash.count, 64)
        XCTAssertTrue(split.description.contains("60,000 training and 10,000 test"), split.description)
    }
}
