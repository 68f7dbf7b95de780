import Foundation
import TestSupport
import XCTest

/// `--executor local --jobs 2`: the batches of independent cells go to worker processes of the
/// same binary, and the report's numbers are those of a serial run.
final class ExecutorTests: XCTestCase {
    /// A driver killed with SIGKILL (no chance to clean up) takes its workers with it: the kernel
    /// ends each worker once its parent is gone (issue 25, item 6).
    func testWorkersEndWithAKilledDriver() throws {
        let folder = try TemporaryDirectory()
        let cache = folder.url.appendingPathComponent("cache")
        let driver = Process()
        driver.executableURL = LabbookProcess.binary
        driver.arguments = ["run", "q3", "--profile", "quick", "--executor", "local", "--jobs", "2",
                            "--out", folder.url.appendingPathComponent("reports").path, "--cache-dir", cache.path]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        defer { if driver.isRunning { kill(driver.processIdentifier, SIGKILL) } }
        let marker = cache.appendingPathComponent("requests").path
        func workers() -> [pid_t] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { pid_t($0) }.filter { pid in
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
                let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                return words.contains("cell") && words.contains { $0.hasPrefix(marker) }
            }
        }
        let deadline = Date().addingTimeInterval(300)
        while workers().isEmpty && driver.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let started = workers()
        XCTAssertFalse(started.isEmpty, "no worker ran while the driver was alive")
        kill(driver.processIdentifier, SIGKILL)
        driver.waitUntilExit()
        let gone = Date().addingTimeInterval(10)
        while !workers().isEmpty && Date() < gone { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(workers(), [], "workers outlived their killed driver")
    }

    /// A worker's core share comes from its driver (or Slurm); a broken one is refused before
    /// any work, naming the variable (exit 2), not read as "no limit" or as zero threads.
    func testAWorkerRefusesABadCoreShare() throws {
        for (variable, value) in [("LABBOOK_CORES", "0"), ("LABBOOK_CORES", "two"), ("LABBOOK_CORES", "-1"),
                                  ("LABBOOK_CORES", "100000"), ("SLURM_CPUS_PER_TASK", "")] {
            let outcome = try LabbookProcess.run(["cell", "run", "/nonexistent/request.json"], environment: [variable: value])
            XCTAssertEqual(outcome.status, 2, "\(variable)=\(value): \(outcome.error)")
            let message = "\(variable) must be a whole number of cores from 1 to 4096, got '\(value)'"
            XCTAssertTrue(outcome.error.contains(message), outcome.error)
        }
    }

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
        XCTAssertTrue(local.output.contains(" running (train-mlp"), "progress names the running cells:\n\(local.output.prefix(3000))")

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

        // --force with an executor recomputes every batch through the workers (it used to compute
        // everything serially in the driver), with the same numbers.
        let forced = try LabbookProcess.run(["run", "q3", "--profile", "quick", "--force", "--executor", "local", "--jobs", "2",
                                             "--out", folder.url.appendingPathComponent("forced").path,
                                             "--cache-dir", folder.url.appendingPathComponent("local-cache").path])
        XCTAssertEqual(forced.status, 0, forced.error)
        XCTAssertTrue(forced.output.contains("computed by local ×2"), "--force still hands batches to the workers:\n\(forced.output.suffix(2000))")
        XCTAssertFalse(forced.output.contains(": cached"), "--force reads nothing from the cache:\n\(forced.output.suffix(2000))")
        XCTAssertEqual(NSDictionary(dictionary: serialNumbers), NSDictionary(dictionary: try numbers("forced")))

        let bad = try LabbookProcess.run(["run", "q3", "--executor", "cloud"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.error.contains("--executor must be serial, local or slurm"), bad.error)
    }
}
