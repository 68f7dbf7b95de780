import Datasets
import Foundation
import TestSupport
import XCTest

/// The CSV reader through the mnist-5k source, on small generated files in a temporary project.
final class LabeledPixelCSVTests: XCTestCase {
    private func row(pixel: Int, label: Int) -> String {
        (Array(repeating: String(pixel), count: 784) + [String(label)]).joined(separator: ",")
    }

    private func load(_ text: String) throws -> DatasetSplit {
        let root = try TemporaryDirectory()
        try root.write(IDXFixture.gzip(Array(text.utf8)), to: "data/mnist-5k/mnist_5k.csv.gz")
        return try DatasetSource.mnist5k.load(projectRoot: root.url)
    }

    func testParsesRowsSplitsAndIgnoresCarriageReturns() throws {
        // Ten rows per digit, pixel value = 20 * label + position in class; CRLF line endings.
        var lines: [String] = []
        for label in 0..<10 { for index in 0..<10 { lines.append(row(pixel: 20 * label + index, label: label)) } }
        let split = try load(lines.joined(separator: "\r\n") + "\r\n")
        XCTAssertEqual(split.train.count, 80)
        XCTAssertEqual(split.test.count, 20)
        XCTAssertEqual(split.test.labelCounts(), Array(repeating: 2, count: 10))
        for set in [split.train, split.test] {
            for index in 0..<set.count {
                let pixels = set.image(at: index)
                XCTAssertEqual(Set(pixels).count, 1, "an image is one constant row")
                XCTAssertEqual(Int(pixels.first!) / 20, Int(set.labels[index]), "pixels travel with their label")
            }
        }
    }

    func testWrongFieldCountNamesFileAndLine() throws {
        let text = row(pixel: 0, label: 1) + "\n" + "1,2,3\n"
        assertDatasetError(try load(text), contains: ["mnist_5k.csv.gz:2", "3 values, expected 785"])
    }

    func testOutOfRangeValueIsRejected() throws {
        let text = row(pixel: 300, label: 1) + "\n"
        assertDatasetError(try load(text), contains: ["mnist_5k.csv.gz:1", "outside 0-255"])
    }

    func testUnexpectedCharacterIsRejected() throws {
        let text = row(pixel: 0, label: 1).replacingOccurrences(of: "0,0,0", with: "0,x,0") + "\n"
        assertDatasetError(try load(text), contains: ["mnist_5k.csv.gz:1", "unexpected character"])
    }
}
