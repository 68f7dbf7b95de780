import AtomicFiles
import Foundation
@testable import Notebook
import XCTest

/// Requests of concurrent driver runs on one cache live in one folder per driver (issue 25,
/// item 3), and a killed driver's folder is swept by the next run.
final class RequestFolderTests: XCTestCase {
    let request = CellRequest(question: "q3", cell: "train-mlp", name: "train-mlp", owner: nil, config: "{}", inputs: [],
                              key: String(repeating: "a", count: 64), profile: "quick", seed: 1, projectRoot: "/p",
                              cacheDirectory: "/c", datasetDirectory: nil)

    func testTwoDriversNeverShareARequestFile() {
        let cache = URL(fileURLWithPath: "/c")
        let (first, second) = (WriterTag.current(), WriterTag.current())
        XCTAssertNotEqual(request.file(in: cache, driver: first), request.file(in: cache, driver: second))
        XCTAssertEqual(request.file(in: cache, driver: first).deletingLastPathComponent().lastPathComponent, first)
        XCTAssertTrue(request.file(in: cache).path.contains("/requests/\(getpid())-"))
    }

    func testOnlyEndedDriversFoldersAreSwept() throws {
        let cache = try temporaryDirectory()
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let dead = "\(ended.processIdentifier)-\(UUID().uuidString)", alive = WriterTag.current(), legacy = "not-a-tag"
        for tag in [dead, alive, legacy] {
            let file = request.file(in: cache, driver: tag)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: file)
        }
        XCTAssertEqual(CellRequest.removeStaleFolders(in: cache), 1)
        let left = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("requests").path).sorted()
        XCTAssertEqual(left, [alive, legacy].sorted())
    }
}
