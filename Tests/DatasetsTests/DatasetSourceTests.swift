import Checksums
import Datasets
import Foundation
import TestSupport
import XCTest

final class DatasetSourceTests: XCTestCase {
    func testNamesRoundTripAndUnknownNameListsValidOnes() throws {
        XCTAssertEqual(try DatasetSource(name: "mnist"), .mnist)
        XCTAssertEqual(try DatasetSource(name: "fashion-mnist"), .fashionMNIST)
        XCTAssertEqual(try DatasetSource(name: "mnist-5k"), .mnist5k)
        for source in [DatasetSource.mnist, .fashionMNIST, .mnist5k] {
            XCTAssertEqual(try DatasetSource(name: source.name), source)
        }
        assertDatasetError(try DatasetSource(name: "cifar10"),
                           contains: ["cifar10", "mnist", "fashion-mnist", "mnist-5k", "--dataset-dir"])
    }

    func testDefaultDigitsPrefersFullMNISTWhenPresent() throws {
        let root = try TemporaryDirectory()
        XCTAssertEqual(DatasetSource.defaultDigits(projectRoot: root.url), .mnist5k)
        let mnist = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: mnist)
        try FileManager.default.createDirectory(at: root.path("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: mnist.url, to: root.path("data/mnist"))
        XCTAssertEqual(DatasetSource.defaultDigits(projectRoot: root.url), .mnist)
        let split = try DatasetSource.mnist.load(projectRoot: root.url)
        XCTAssertEqual(split.name, "mnist")
        XCTAssertEqual(split.train.count, 5)
        XCTAssertTrue(split.description.contains("MNIST"), split.description)
    }

    func testMissingMNISTSaysHowToFetchIt() throws {
        let root = try TemporaryDirectory()
        assertDatasetError(try DatasetSource.mnist.load(projectRoot: root.url),
                           contains: ["data/mnist/train-images-idx3-ubyte.gz", "not found", "labbook data fetch mnist"])
        assertDatasetError(try DatasetSource.mnist5k.load(projectRoot: root.url),
                           contains: ["data/mnist-5k/mnist_5k.csv.gz", "not found", "setup"])
    }

    func testStatusListsFilesWithSizesAndSHA256() throws {
        let root = try TemporaryDirectory()
        let missing = DatasetSource.mnist.status(projectRoot: root.url)
        XCTAssertFalse(missing.isPresent)
        XCTAssertEqual(missing.files.count, 4)
        XCTAssertTrue(missing.description.contains("labbook data fetch mnist"), missing.description)

        let csv = try IDXFixture.gzip(Array("1,2\n".utf8))
        try root.write(csv, to: "data/mnist-5k/mnist_5k.csv.gz")
        let present = DatasetSource.mnist5k.status(projectRoot: root.url)
        XCTAssertTrue(present.isPresent)
        XCTAssertEqual(present.files.first?.sizeInBytes, csv.count)
        let expected = try runCommand("/usr/bin/env", ["sha256sum", root.path("data/mnist-5k/mnist_5k.csv.gz").path])
        XCTAssertEqual(present.files.first?.sha256, String(expected.prefix(64)))
        XCTAssertTrue(present.description.contains("present"), present.description)
    }

    func testDirectoryPathsResolveAgainstProjectRoot() throws {
        let root = try TemporaryDirectory()
        let folder = root.path("digits")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try IDXFixture.writeStandardFiles(in: folder, trainCount: 3, testCount: 2)
        let split = try DatasetSource.directory("digits").load(projectRoot: root.url)
        XCTAssertEqual(split.train.count, 3)
        XCTAssertEqual(DatasetSource.directory("digits").dataDirectory(projectRoot: root.url).path, folder.path)
    }
}
