import Datasets
import Foundation
import TestSupport
import XCTest

/// The checks every dataset passes where it enters (`DatasetSplit`) and those an experiment
/// adds (`DatasetRequirements`), through `DatasetSource.directory`.
final class DatasetSplitTests: XCTestCase {
    private func load(_ directory: TemporaryDirectory, for requirements: DatasetRequirements = .none) throws -> DatasetSplit {
        try DatasetSource.directory(directory.url.path).load(projectRoot: URL(fileURLWithPath: "/"), for: requirements)
    }

    func testLabelsOf255NameTheFileTheIndexAndTheValue() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, trainCount: 5)
        try directory.write(IDXFixture.gzip(IDXFixture.labels(Array(repeating: 255, count: 5))), to: "train-labels-idx1-ubyte.gz")
        assertDatasetError(try load(directory),
                           contains: ["train-labels-idx1-ubyte.gz", "label 255 at index 0", "outside 0-9", "5 of 5 labels"])
    }

    func testOneStrayTestLabelIsFoundAtItsIndex() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, testCount: 3, gzipped: false)
        try directory.write(IDXFixture.labels([1, 2, 200]), to: "t10k-labels-idx1-ubyte")
        assertDatasetError(try load(directory), contains: ["t10k-labels-idx1-ubyte", "label 200 at index 2", "1 of 3"]) {
            XCTAssertEqual($0, .labelOutOfRange(path: directory.path("t10k-labels-idx1-ubyte").path, index: 2, label: 200,
                                                classCount: 10, outOfRangeCount: 1, labelCount: 3))
        }
    }

    func testEmptyTrainingOrTestSetIsAnError() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, trainCount: 0)
        assertDatasetError(try load(directory), contains: ["train-images-idx3-ubyte.gz", "no images", "training set is empty"])
        try IDXFixture.writeStandardFiles(in: directory, trainCount: 3, testCount: 0)
        assertDatasetError(try load(directory), contains: ["t10k-images-idx3-ubyte.gz", "test set is empty"])
    }

    func testTrainingAndTestImagesMustShareASize() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, rows: 4, columns: 3, gzipped: false)
        try directory.write(IDXFixture.images(count: 3, rows: 3, columns: 4), to: "t10k-images-idx3-ubyte")
        assertDatasetError(try load(directory), contains: ["train-images-idx3-ubyte", "4x3", "t10k-images-idx3-ubyte", "3x4"])
    }

    func testZeroSidedOrOverflowingHeadersAreInvalid() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, gzipped: false)
        try directory.write(IDXFixture.images(count: 5, rows: 0, columns: 28), to: "train-images-idx3-ubyte")
        assertDatasetError(try load(directory), contains: ["train-images-idx3-ubyte", "invalid IDX header", "0x28"])
        let huge = IDXFixture.bigEndian(0x0803) + [UInt32.max, UInt32.max, UInt32.max].flatMap(IDXFixture.bigEndian)
        try directory.write(huge, to: "train-images-idx3-ubyte")
        assertDatasetError(try load(directory), contains: ["train-images-idx3-ubyte", "overflow"])
        // Sizes that multiply to less than 2^63 but far more than the file: truncated, nothing allocated.
        let large = IDXFixture.bigEndian(0x0803) + [60_000, 65_535, 65_535].flatMap(IDXFixture.bigEndian)
        try directory.write(try IDXFixture.gzip(large), to: "train-images-idx3-ubyte.gz")
        assertDatasetError(try load(directory), contains: ["train-images-idx3-ubyte.gz", "header promises", "compressed bytes"])
    }

    func testRequirementsNameTheModelAndTheLimit() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, trainCount: 5, rows: 20, columns: 20)
        let pixels = DatasetRequirements(consumer: "bench mlp", imageShape: .pixelCount(784), shapeReason: "its first layer takes 784 inputs")
        assertDatasetError(try load(directory, for: pixels),
                           contains: ["train-images-idx3-ubyte.gz", "images are 20x20", "bench mlp needs 784 pixels per image",
                                      "its first layer takes 784 inputs"])
        let size = DatasetRequirements(consumer: "bench lenet", imageShape: .size(rows: 28, columns: 28))
        assertDatasetError(try load(directory, for: size), contains: ["images are 20x20", "bench lenet needs 28x28 images"])
        let batch = DatasetRequirements(consumer: "bench lenet", minimumTrainingImages: 64, countReason: "a mini-batch takes 64")
        assertDatasetError(try load(directory, for: batch),
                           contains: ["train-images-idx3-ubyte.gz", "5 training images", "needs at least 64", "a mini-batch takes 64"])
        XCTAssertEqual(try load(directory, for: DatasetRequirements(consumer: "q3", minimumTrainingImages: 5)).train.count, 5)
    }
}
