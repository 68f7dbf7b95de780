import XCTest
@testable import Plot

final class ColormapTests: XCTestCase {
    func testViridisEndpointsMatchMatplotlib() {
        let low = Colormap.viridis.color(at: 0), high = Colormap.viridis.color(at: 1)
        XCTAssertEqual(hexString(low), "440154")
        XCTAssertEqual(hexString(high), "FDE725")
        // Middle of viridis is its teal (#21918C, matplotlib entry 128).
        XCTAssertEqual(hexString(Colormap.viridis.color(at: 128.0 / 255)), "21918C")
    }

    func testOutOfRangeClampsAndNaNIsTransparent() {
        XCTAssertEqual(Colormap.viridis.color(at: -3), Colormap.viridis.color(at: 0))
        XCTAssertEqual(Colormap.viridis.color(at: 7), Colormap.viridis.color(at: 1))
        XCTAssertEqual(Colormap.viridis.color(at: .nan).alpha, 0)
    }

    func testDivergingIsBlueWhiteRedAndCentred() {
        let low = Colormap.diverging.color(at: 0), middle = Colormap.diverging.color(at: 0.5), high = Colormap.diverging.color(at: 1)
        XCTAssertGreaterThan(low.blue, low.red)
        XCTAssertGreaterThan(high.red, high.blue)
        XCTAssertEqual(hexString(middle), "F7F7F7")
        let norm = ColorNormalization(lower: -1, upper: 3, center: 0)
        assertClose(norm.position(of: 0), 0.5)
        assertClose(norm.position(of: -1), 0)
        assertClose(norm.position(of: 3), 1)
        assertClose(norm.position(of: 1.5), 0.75)
    }

    func testGraysIsInkOnPaper() {
        XCTAssertEqual(Colormap.grays.color(at: 0), .white)
        XCTAssertEqual(Colormap.grays.color(at: 1), .black)
    }

    func testPaletteIsTab10AndWraps() {
        XCTAssertEqual(hexString(Color.palette(0)), "1F77B4")
        XCTAssertEqual(hexString(Color.palette(1)), "FF7F0E")
        XCTAssertEqual(Color.palette(10), Color.palette(0))
    }

    private func hexString(_ c: Color) -> String {
        String(format: "%02X%02X%02X", Int((c.red * 255).rounded()), Int((c.green * 255).rounded()), Int((c.blue * 255).rounded()))
    }
}
