@testable import Analysis
import XCTest

final class LandscapeFilesTests: XCTestCase {
    private let landscape = LossLandscape2D(alphas: [-1, 0, 1], betas: [-0.5, 0.5],
                                            values: [[2, 0.5, 3], [.infinity, 1e-3, 4]], accuracies: [[0.1, 0.9, 0.2], [0, 0.95, 0.3]])

    func testCSVHasOneLinePerPointInGridOrder() throws {
        let lines = LandscapeFiles.csv(landscape).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "alpha,beta,loss,accuracy")
        XCTAssertEqual(lines.count, 7)
        let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        XCTAssertEqual(rows[1], [0, -0.5, 0.5, 0.9])
        XCTAssertEqual(rows[3][0...1], [-1, 0.5])
        XCTAssertEqual(rows[3][2], .infinity)
        XCTAssertEqual(rows[4], [0, 0.5, 1e-3, 0.95])
    }

    /// Parses the legacy VTK file back: header, dimensions, points and each scalar field, and no
    /// NaN or infinity (VTK's ASCII reader takes none).
    func testVTKStructuredGridParsesBack() throws {
        let text = LandscapeFiles.vtk(landscape, title: "test\nlandscape")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "# vtk DataFile Version 3.0")
        XCTAssertFalse(lines[1].isEmpty)
        XCTAssertTrue(lines[1].contains("1 non-finite"), lines[1])
        XCTAssertEqual(Array(lines[2...5]), ["ASCII", "DATASET STRUCTURED_GRID", "DIMENSIONS 3 2 1", "POINTS 6 double"])
        let points = lines[6..<12].map { $0.split(separator: " ").map { Double($0)! } }
        XCTAssertEqual(points[4][0...1], [0, 0.5])
        XCTAssertEqual(points[4][2], -3, accuracy: 1e-12)   // log10(1e-3)
        XCTAssertEqual(lines[12], "POINT_DATA 6")
        var fields: [String: [Double]] = [:]
        var index = 13
        while index < lines.count, lines[index].hasPrefix("SCALARS") {
            let name = String(lines[index].split(separator: " ")[1])
            XCTAssertEqual(lines[index + 1], "LOOKUP_TABLE default")
            fields[name] = lines[(index + 2)..<(index + 8)].map { Double($0)! }
            index += 8
        }
        XCTAssertEqual(Set(fields.keys), ["loss", "log10_loss", "accuracy"])
        XCTAssertEqual(fields["loss"], [2, 0.5, 3, 4, 1e-3, 4], "the infinite loss is written as the largest finite one")
        XCTAssertEqual(fields["accuracy"], [0.1, 0.9, 0.2, 0, 0.95, 0.3])
        XCTAssertTrue(fields.values.joined().allSatisfy(\.isFinite))
        XCTAssertEqual(lines[index], "", "nothing after the last field but the final newline")
    }
}
