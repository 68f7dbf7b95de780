import XCTest
@testable import Plot

final class SurfaceArtistTests: XCTestCase {
    func testDefaultViewMatchesMatplotlib() {
        let view = Projection3D(elevation: 30, azimuth: -60)
        // Seen from azimuth -60: +x corner is nearer than -x, -y nearer than +y, top nearer than bottom.
        XCTAssertGreaterThan(view.depth(Vector3(x: 1, y: 0, z: 0)), view.depth(Vector3(x: -1, y: 0, z: 0)))
        XCTAssertGreaterThan(view.depth(Vector3(x: 0, y: -1, z: 0)), view.depth(Vector3(x: 0, y: 1, z: 0)))
        XCTAssertGreaterThan(view.screen(Vector3(x: 0, y: 0, z: 1)).v, 0, "z points up on screen")
        assertClose(view.screen(Vector3(x: 0, y: 0, z: 1)).u, 0, atol: 1e-12)
    }

    func testSurfaceRendersWithShadedColormap() throws {
        let s = stride(from: -1.0, through: 1.0, by: 0.1).map { $0 }
        let figure = Figure(width: 320, height: 260)
        figure.axes(0, 0).surface3D(x: s, y: s, z: s.map { y in s.map { x in x * x - y * y } }, zLabel: "z")
        let image = try PNGImage(data: figure.pngData(scale: 1))
        XCTAssertGreaterThan(image.distinctColorCount, 200)
    }
}
