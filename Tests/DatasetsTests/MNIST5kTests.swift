import Datasets
import Checksums
import Foundation
import XCTest

/// The real mnist-5k file (copied into data/mnist-5k/ by scripts/setup.sh; git-ignored).
final class MNIST5kTests: XCTestCase {
    private static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Loaded once for the whole class: parsing 5,000 CSV rows takes seconds in a debug build.
    private static let loaded = Result { try DatasetSource.mnist5k.load(projectRoot: projectRoot) }

    private func loadRealFile() throws -> DatasetSplit {
        let file = Self.projectRoot.appendingPathComponent("data/mnist-5k/mnist_5k.csv.gz")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: file.path), "run scripts/setup.sh to fetch \(file.path)")
        return try Self.loaded.get()
    }

    func testSplitIsStratifiedTwentyPercentOfEachClass() throws {
        let split = try loadRealFile()
        XCTAssertEqual(split.name, "mnist-5k")
        XCTAssertEqual(split.train.count + split.test.count, 5000)
        XCTAssertEqual(split.train.rows, 28)
        XCTAssertEqual(split.train.columns, 28)
        let trainCounts = split.train.labelCounts()
        let testCounts = split.test.labelCounts()
        XCTAssertEqual(testCounts.count, 10)
        for label in 0..<10 {
            let total = trainCounts[label] + testCounts[label]
            XCTAssertEqual(testCounts[label], Int((Double(total) * 0.2).rounded()), "class \(label)")
        }
        // The file holds 500 of each digit, so this is exactly 400 / 100 per class.
        XCTAssertEqual(trainCounts, Array(repeating: 400, count: 10))
        XCTAssertEqual(testCounts, Array(repeating: 100, count: 10))
        XCTAssertEqual(split.train.count, 4000)
        XCTAssertEqual(split.test.count, 1000)
        // Not sorted by class any more: the first 100 training labels mix several digits.
        XCTAssertGreaterThan(Set(split.train.labels.prefix(100)).count, 5)
        XCTAssertTrue(split.description.contains("4,000 training and 1,000 test"), split.description)
        XCTAssertEqual(split.classNames, (0...9).map(String.init))
    }

    func testLoadIsDeterministicAndHashMatchesChecksumFile() throws {
        let first = try loadRealFile()
        let second = try DatasetSource.mnist5k.load(projectRoot: Self.projectRoot)
        XCTAssertEqual(first.train.labels, second.train.labels)
        XCTAssertEqual(first.test.images, second.test.images)
        // Pinned: these are the first test images every mnist-5k result was measured on.
        XCTAssertEqual(Array(first.test.labels.prefix(10)), MNIST5kSnapshot.firstTestLabels)
        XCTAssertEqual(SHA256.hexDigest(of: first.test.images), MNIST5kSnapshot.testImagesSHA256)
        let sums = try String(contentsOf: Self.projectRoot.appendingPathComponent("data/mnist-5k/SHA256SUMS"), encoding: .utf8)
        XCTAssertEqual(first.contentHash, String(sums.prefix(64)))
    }

    func testPixelsMatchTheCSVText() throws {
        let split = try loadRealFile()
        // Every image has ink and background, and pixel values use the full byte range.
        XCTAssertEqual(split.train.images.max(), 255)
        XCTAssertEqual(split.train.images.min(), 0)
        let normalized = split.test.normalizedPixels()
        XCTAssertEqual(normalized.count, 1000 * 784)
        XCTAssertEqual(normalized.max(), 1)
    }
}

private enum MNIST5kSnapshot {
    static let firstTestLabels: [UInt8] = [8, 1, 0, 5, 9, 2, 1, 9, 5, 2]
    static let testImagesSHA256 = "0b3c7607b0c4a320078818ae3dcc2588d96ebbd0be560983063055179f38cbd7"
}
