import XCTest
@testable import Plot

final class MarchingSquaresTests: XCTestCase {
    private let axis = stride(from: -2.0, through: 2.0, by: 0.05).map { $0 }

    func testIsolinesOfParaboloidAreCircles() throws {
        let z = axis.map { y in axis.map { x in x * x + y * y } }
        for radius in [0.5, 1.0, 1.5] {
            let lines = try MarchingSquares.isolines(x: axis, y: axis, z: z, level: radius * radius)
            XCTAssertEqual(lines.count, 1, "one closed loop at radius \(radius)")
            let loop = try XCTUnwrap(lines.first)
            XCTAssertGreaterThan(loop.count, 20)
            XCTAssertEqual(loop.first?.x, loop.last?.x)
            XCTAssertEqual(loop.first?.y, loop.last?.y)
            for p in loop { assertClose((p.x * p.x + p.y * p.y).squareRoot(), radius, atol: 0.005) }
        }
    }

    func testLevelOutsideDataHasNoLines() throws {
        let z = axis.map { y in axis.map { x in x * x + y * y } }
        XCTAssertTrue(try MarchingSquares.isolines(x: axis, y: axis, z: z, level: 100).isEmpty)
    }

    func testSaddleLinesDoNotCross() throws {
        // z = x*y: the zero level is the two axes; a small positive level gives two hyperbola arms.
        let z = axis.map { y in axis.map { x in x * y } }
        let lines = try MarchingSquares.isolines(x: axis, y: axis, z: z, level: 0.5)
        XCTAssertEqual(lines.count, 2)
        for line in lines { for p in line { assertClose(p.x * p.y, 0.5, atol: 0.01) } }
    }

    func testShapeMismatchThrows() {
        XCTAssertThrowsError(try MarchingSquares.isolines(x: [0, 1, 2], y: [0, 1], z: [[0, 1], [1, 2]], level: 0.5)) { error in
            XCTAssertEqual((error as? PlotError)?.kind, .shapeMismatch)
        }
    }

    func testFilledLevelsEncloseTheData() throws {
        let levels = FilledContourArtist.niceLevels(range: 0.3...13.6, count: 10)
        XCTAssertLessThanOrEqual(levels.first!, 0.3)
        XCTAssertGreaterThanOrEqual(levels.last!, 13.6)
        XCTAssertLessThanOrEqual(levels.count - 1, 12)
    }

    func testRegionAtLeastCoversTheRightArea() throws {
        let z = axis.map { y in axis.map { x in x * x + y * y } }
        let grid = try GridData(x: axis, y: axis, z: z)
        // Area where z >= 1 inside the 4x4 square: 16 - pi.
        let area = MarchingSquares.regionAtLeast(grid, level: 1).reduce(0.0) { total, polygon in
            total + abs(zip(polygon, polygon.dropFirst() + [polygon[0]]).reduce(0.0) { $0 + $1.0.x * $1.1.y - $1.1.x * $1.0.y }) / 2
        }
        assertClose(area, 16 - .pi, atol: 0.01)
    }
}
