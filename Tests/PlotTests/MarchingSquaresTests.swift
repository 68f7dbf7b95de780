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

    /// Whole cells merge into one rectangle per run along a row; boundary cells stay clipped.
    func testWholeCellsMergeIntoRowRuns() throws {
        let x = (0...20).map(Double.init), y = (0...4).map(Double.init)
        // z >= 0 everywhere except a dip at column 10 of the middle row of corners.
        let z = y.map { row in x.map { column in row == 2 && column == 10 ? -1.0 : 1.0 } }
        let polygons = MarchingSquares.regionAtLeast(try GridData(x: x, y: y, z: z), level: 0)
        let area = polygons.reduce(0.0) { total, polygon in
            total + abs(zip(polygon, polygon.dropFirst() + [polygon[0]]).reduce(0.0) { $0 + $1.0.x * $1.1.y - $1.1.x * $1.0.y }) / 2
        }
        // Each triangle with the dip as a corner loses a quarter of its area (0.5), the level
        // lying halfway along its two edges; the cells split on the diagonal through the dip
        // have two such triangles, the other two cells one: six in all.
        assertClose(area, 80 - 6 * 0.25 * 0.5, atol: 1e-9)
        let rectangles = polygons.filter { $0.count == 4 && Set($0.map(\.y)).count == 2 && Set($0.map(\.x)).count == 2 }
        // Rows 0 and 3 are one run each; rows 1 and 2 are split around the dip into two runs.
        XCTAssertEqual(rectangles.filter { $0[2].x - $0[0].x > 1 }.count, 6)
        XCTAssertLessThan(polygons.count, 20)
    }
}
