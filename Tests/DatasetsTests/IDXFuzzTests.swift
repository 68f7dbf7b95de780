import Datasets
import Foundation
import TestSupport
import XCTest

/// Random IDX headers and label bytes fed to the readers: every folder either loads into a
/// split that keeps the promises of `DatasetSplit`, or fails with a `DatasetError` naming one
/// of its files. A crash ends the test process, which fails the suite.
final class IDXFuzzTests: XCTestCase {
    func testRandomFoldersLoadOrFailWithADatasetError() throws {
        var loaded = 0, failed = 0
        for seed in UInt64(1)...60 {
            let directory = try TemporaryDirectory()
            let summary = try RandomIDXFolder.write(into: directory.url, seed: seed)
            do {
                let split = try DatasetSource.directory(directory.url.path).load(projectRoot: URL(fileURLWithPath: "/"))
                XCTAssertGreaterThan(split.train.count, 0, summary)
                XCTAssertGreaterThan(split.test.count, 0, summary)
                XCTAssertEqual(split.train.images.count, split.train.count * split.train.pixelsPerImage, summary)
                XCTAssertTrue((split.train.labels + split.test.labels).allSatisfy { $0 < 10 }, summary)
                loaded += 1
            } catch let error as DatasetError {
                XCTAssertTrue(error.description.contains(directory.url.path), "\(error) should name a file; \(summary)")
                XCTAssertFalse(error.description.contains("\n"), "one line: \(error)")
                failed += 1
            }
        }
        XCTAssertGreaterThan(failed, 30, "most random folders are broken")
        print("IDX fuzz: \(loaded) of 60 random folders loaded, \(failed) failed with a DatasetError")
    }
}
