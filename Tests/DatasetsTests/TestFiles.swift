import Datasets
import Foundation
import TestSupport
import XCTest

/// Asserts that `body` throws a `DatasetError` whose message contains every string in `fragments`.
func assertDatasetError<T>(_ body: @autoclosure () throws -> T, contains fragments: [String],
                           file: StaticString = #filePath, line: UInt = #line,
                           _ check: ((DatasetError) -> Void)? = nil) {
    do {
        _ = try body()
        XCTFail("expected a DatasetError", file: file, line: line)
    } catch let error as DatasetError {
        for fragment in fragments {
            XCTAssertTrue(error.description.contains(fragment),
                          "'\(error.description)' should contain '\(fragment)'", file: file, line: line)
        }
        check?(error)
    } catch {
        XCTFail("expected a DatasetError, got \(error)", file: file, line: line)
    }
}
