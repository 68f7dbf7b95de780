import Foundation
import TestSupport
import XCTest

/// `--executor local --jobs 2`: the batches of independent cells go to worker processes of the
/// same binary, and the report's numbers are those of a serial run.
final class ExecutorTests: XCTestCase {
    func testLocalWorkersGiveTheSerialRunsResults() throws {
        let folder = try TemporaryDirectory()
        let serial = try LabbookProcess.run(["run", "q3", "--profile", "quick", "--out", folder.url.appendingPathComponent("serial").path,
                                             "--cache-dir", folder.url.appendingPathComponent("serial-cache").path])
        XCTAssertEqual(serial.status, 0, serial.error)
        let local = try LabbookProcess.run(["run", "q3", "--profile", "quick", "--executor", "local", "--jobs", "2",
                                            "--out", folder.url.appendingPathComponent("local").path,
                                            "--cache-dir", folder.url.appendingPathComponent("local-cache").path])
        XCTAssertEqual(local.status, 0, local.error)
        XCTAssertTrue(local.output.contains("computed by local ×2"), "the batches went to the workers:\n\(local.output.suffix(2000))")

        func numbers(_ run: String) throws -> [String: Any] {
            let data = try Data(contentsOf: folder.url.appendingPathComponent("\(run)/q3/results.json"))
            let values = try XCTUnwrap((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["values"] as? [String: Any])
            return values.filter { !$0.key.hasSuffix("seconds") }   // timings differ, nothing else may
        }
        let serialNumbers = try numbers("serial"), localNumbers = try numbers("local")
        XCTAssertGreaterThan(serialNumbers.count, 20)
        XCTAssertEqual(NSDictionary(dictionary: serialNumbers), NSDictionary(dictionary: localNumbers))
        let metadata = try String(contentsOf: folder.url.appendingPathComponent("local/q3/results.json"), encoding: .utf8)
        XCTAssertTrue(metadata.contains("\"executor\" : \"local ×2\""), "run metadata names the executor")
        let requests = folder.url.appendingPathComponent("local-cache/requests").path
        let leftover = (try? FileManager.default.contentsOfDirectory(atPath: requests)) ?? []
        XCTAssertEqual(leftover, [], "request files are removed once their batch is done")

        let bad = try LabbookProcess.run(["run", "q3", "--executor", "cloud"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.error.contains("--executor must be serial, local or slurm"), bad.error)
    }
}
