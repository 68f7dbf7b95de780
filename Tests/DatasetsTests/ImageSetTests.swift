import Datasets
import XCTest

final class ImageSetTests: XCTestCase {
    /// Three 2x2 images: image i has pixels 10i, 10i+1, 10i+2, 10i+3.
    private let set = ImageSet(images: [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 255], labels: [4, 7, 4],
                               rows: 2, columns: 2)

    func testShapeAndImageAccess() {
        XCTAssertEqual(set.count, 3)
        XCTAssertEqual(set.pixelsPerImage, 4)
        XCTAssertEqual(Array(set.image(at: 1)), [10, 11, 12, 13])
        XCTAssertEqual(set.labelCounts(), [0, 0, 0, 0, 2, 0, 0, 1])
    }

    func testNormalizedPixelsDivideBy255() {
        let pixels = set.normalizedPixels()
        XCTAssertEqual(pixels.count, 12)
        XCTAssertEqual(pixels[0], 0)
        XCTAssertEqual(pixels[5], 11 / 255, accuracy: 1e-7)
        XCTAssertEqual(pixels[11], 1)
    }

    func testSubsetKeepsOrderAndLabels() {
        let picked = set.subset([2, 0, 2])
        XCTAssertEqual(picked.count, 3)
        XCTAssertEqual(picked.labels, [4, 4, 4])
        XCTAssertEqual(picked.images, [20, 21, 22, 255, 0, 1, 2, 3, 20, 21, 22, 255])
        XCTAssertEqual(set.subset([]).count, 0)
    }
}
