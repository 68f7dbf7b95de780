import Foundation
@testable import Notebook
import TestSupport
import XCTest

/// `--executor slurm` against a real single-node Slurm cluster that scripts/slurm-cluster.sh
/// installs and starts in a temporary folder (as root), and stops again by PID.
final class SlurmExecutorTests: XCTestCase {
    func testQuickQ3ThroughSlurmMatchesTheSerialRun() throws {
        let folder = try TemporaryDirectory()
        let cluster = folder.url.appendingPathComponent("cluster")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = repository.appendingPathComponent("scripts/slurm-cluster.sh").path
        let started = try LabbookProcess.shell(["/bin/bash", script, "start", cluster.path])
        // Stop exactly the daemons it started (their PID files live in the folder, so before it goes).
        defer {
            let stopped = try? LabbookProcess.shell(["/bin/bash", script, "stop", cluster.path])
            XCTAssertEqual(stopped?.status, 0, "stopping the cluster failed: \(stopped?.error ?? "")")
            for name in ["munged", "slurmctld", "slurmd"] {
                XCTAssertFalse(FileManager.default.fileExists(atPath: cluster.appendingPathComponent("\(name).pid").path), "\(name) still recorded")
            }
        }
        XCTAssertEqual(started.status, 0, "the cluster did not start: \(started.error)")
        let environment = ["SLURM_CONF": cluster.appendingPathComponent("slurm.conf").path]

        let serial = try LabbookProcess.run(["run", "q3", "--profile", "quick", "--out", folder.url.appendingPathComponent("serial").path,
                                             "--cache-dir", folder.url.appendingPathComponent("serial-cache").path])
        XCTAssertEqual(serial.status, 0, serial.error)
        let slurm = try LabbookProcess.run(["run", "q3", "--profile", "quick", "--executor", "slurm", "--max-jobs", "2",
                                            "--out", folder.url.appendingPathComponent("slurm").path,
                                            "--cache-dir", folder.url.appendingPathComponent("slurm-cache").path], environment: environment)
        XCTAssertEqual(slurm.status, 0, slurm.error + slurm.output.suffix(3000))
        XCTAssertTrue(slurm.output.contains("computed by slurm"), slurm.output.suffix(2000).description)

        // The jobs really went through Slurm: the controller lists them, all completed.
        let jobs = try LabbookProcess.shell(["/usr/bin/env", "SLURM_CONF=\(environment["SLURM_CONF"]!)", "scontrol", "show", "job", "-o"])
        let lines = jobs.output.split(separator: "\n").filter { $0.contains("JobName=labbook-q3") }
        XCTAssertGreaterThan(lines.count, 5, jobs.output)
        XCTAssertTrue(lines.allSatisfy { $0.contains("JobState=COMPLETED") }, jobs.output)

        func numbers(_ run: String) throws -> NSDictionary {
            let data = try Data(contentsOf: folder.url.appendingPathComponent("\(run)/q3/results.json"))
            let values = try XCTUnwrap((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["values"] as? [String: Any])
            return NSDictionary(dictionary: values.filter { !$0.key.hasSuffix("seconds") })
        }
        XCTAssertEqual(try numbers("serial"), try numbers("slurm"))
    }

    func testTaskStatesAreReadFromScontrolLines() {
        let output = """
        JobId=7 ArrayJobId=5 ArrayTaskId=2 JobName=labbook-q3 JobState=RUNNING Reason=None
        JobId=6 ArrayJobId=5 ArrayTaskId=1 JobName=labbook-q3 JobState=COMPLETED Reason=None
        JobId=5 ArrayJobId=5 ArrayTaskId=3-5,7%2 JobName=labbook-q3 JobState=PENDING Reason=JobArrayTaskLimit
        """
        XCTAssertEqual(SlurmExecutor.taskStates(output), [1: "COMPLETED", 2: "RUNNING", 3: "PENDING", 4: "PENDING", 5: "PENDING", 7: "PENDING"])
    }
}
