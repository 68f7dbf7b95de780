import NN
import Tensor
import TestSupport
import XCTest

final class InitializersTests: XCTestCase {
    func testGlorotUniformBoundsAndVariance() {
        var generator = SeededGenerator(seed: 1)
        let weight = glorotUniform()([784, 128], &generator)
        let limit = (6.0 / Float(784 + 128)).squareRoot()
        XCTAssertTrue(weight.data.allSatisfy { $0 >= -limit && $0 < limit })
        let variance = weight.data.map { Double($0 * $0) }.reduce(0, +) / Double(weight.count)
        XCTAssertEqual(variance, Double(limit * limit) / 3, accuracy: 0.02 * Double(limit * limit))
    }

    func testFans() {
        XCTAssertEqual(fans(of: [784, 128]).fanIn, 784)
        XCTAssertEqual(fans(of: [784, 128]).fanOut, 128)
        XCTAssertEqual(fans(of: [6, 1, 5, 5]).fanIn, 25)      // [out, in, kh, kw]
        XCTAssertEqual(fans(of: [6, 1, 5, 5]).fanOut, 150)
    }

    func testZerosAndHeNormal() {
        var generator = SeededGenerator(seed: 2)
        XCTAssertEqual(zeros()([3], &generator).data, [0, 0, 0])
        let weight = heNormal()([400, 100], &generator)
        let variance = weight.data.map { Double($0 * $0) }.reduce(0, +) / Double(weight.count)
        XCTAssertEqual(variance, 2.0 / 400, accuracy: 0.05 * 2.0 / 400)
    }
}
