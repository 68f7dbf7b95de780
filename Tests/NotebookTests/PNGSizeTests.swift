import Foundation
@testable import Notebook
import XCTest

/// report.html gives every figure its width and height (half the 2x PNG's pixels), so the page
/// keeps its layout while images load.
final class PNGSizeTests: XCTestCase {
    func testHeaderKnownAnswerAndNonPNGs() {
        var header: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        header += [0, 0, 0x05, 0xA0, 0, 0, 0x03, 0x70]   // 1440 × 880
        XCTAssertEqual(PNGSize(header: header)?.width, 1440)
        XCTAssertEqual(PNGSize(header: header)?.height, 880)
        XCTAssertNil(PNGSize(header: Array(header.prefix(20))))
        XCTAssertNil(PNGSize(header: Array("GIF89a..................".utf8)))
        XCTAssertNil(PNGSize(contentsOf: URL(fileURLWithPath: "/nonexistent.png")))
    }

    func testReportImagesCarryTheirSize() throws {
        let (output, _) = try runSample()
        let html = try String(contentsOf: output.appendingPathComponent("qs/report.html"), encoding: .utf8)
        let images = html.components(separatedBy: "<img ").dropFirst()
        XCTAssertFalse(images.isEmpty)
        for image in images { XCTAssertTrue(image.prefix(400).contains(" width=\"") && image.prefix(400).contains(" height=\""), String(image.prefix(200))) }
    }
}
