import Foundation
import NN
import Tensor
import TestSupport
import XCTest

final class WeightsFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    func testRoundTripRestoresEveryValue() throws {
        let url = directory.appendingPathComponent("mlp.weights")
        let saved = MLP(seed: 1)
        try saved.saveWeights(to: url)
        let loaded = MLP(seed: 2)
        try loaded.loadWeights(from: url)
        XCTAssertEqual(loaded.flattenedParameters(), saved.flattenedParameters())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["mlp.weights"])  // no temp left
    }

    func testLayoutIsTheDocumentedOne() {
        let data = WeightsFile.encode([("w", Tensor([1.5, -2], shape: [1, 2]))])
        var expected: [UInt8] = Array("LBWT".utf8) + [1, 0, 0, 0] + [1, 0, 0, 0]       // magic, version, count
        expected += [1, 0, 0, 0] + Array("w".utf8)                                        // name
        expected += [2, 0, 0, 0] + [1, 0, 0, 0, 0, 0, 0, 0] + [2, 0, 0, 0, 0, 0, 0, 0]   // rank, extents
        expected += [0x00, 0x00, 0xC0, 0x3F] + [0x00, 0x00, 0x00, 0xC0]                   // 1.5, -2 (LE)
        XCTAssertEqual([UInt8](data), expected)
    }

    func testTruncatedFileIsRejectedAndModelUntouched() throws {
        let url = directory.appendingPathComponent("cut.weights")
        let full = WeightsFile.encode(MLP(seed: 1).namedTensors())
        for length in [2, 10, 40, full.count - 1] {
            try full.prefix(length).write(to: url)
            let model = MLP(seed: 5)
            let before = model.flattenedParameters()
            XCTAssertThrowsError(try model.loadWeights(from: url)) { error in
                XCTAssertTrue([.truncated, .notAWeightsFile].contains(error as? WeightsFileError), "\(error)")
            }
            XCTAssertEqual(model.flattenedParameters(), before)
        }
    }

    func testBadMagicVersionAndTrailingBytes() {
        var data = WeightsFile.encode([("w", Tensor([1], shape: [1]))])
        var wrongMagic = data; wrongMagic[0] = UInt8(ascii: "X")
        XCTAssertThrowsError(try WeightsFile.decode(wrongMagic)) { XCTAssertEqual($0 as? WeightsFileError, .notAWeightsFile) }
        var wrongVersion = data; wrongVersion[4] = 9
        XCTAssertThrowsError(try WeightsFile.decode(wrongVersion)) { XCTAssertEqual($0 as? WeightsFileError, .unsupportedVersion(9)) }
        data.append(0)
        XCTAssertThrowsError(try WeightsFile.decode(data)) { error in
            guard case .corrupt = error as? WeightsFileError else { return XCTFail("\(error)") }
        }
    }

    func testShapeAndNameMismatchesAreReported() throws {
        let url = directory.appendingPathComponent("other.weights")
        try MLP(inputSize: 784, hiddenSizes: (100, 64), seed: 1).saveWeights(to: url)
        XCTAssertThrowsError(try MLP(seed: 1).loadWeights(from: url)) { error in
            XCTAssertEqual(error as? WeightsFileError, .shapeMismatch(name: "hidden1.weight", expected: [784, 128], found: [784, 100]))
            XCTAssertEqual("\(error)", "tensor hidden1.weight: model shape [784, 128], file shape [784, 100]")
        }
        var generator = SeededGenerator(seed: 1)
        try Sequential(Dense(inputSize: 2, outputSize: 2, generator: &generator)).saveWeights(to: url)
        XCTAssertThrowsError(try MLP(seed: 1).loadWeights(from: url)) { error in
            XCTAssertEqual(error as? WeightsFileError, .tensorCountMismatch(expected: 6, found: 2))
        }
    }
}
