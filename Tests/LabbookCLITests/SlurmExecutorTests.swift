import Foundation
@testable import Notebook
import TestSupport
import XCTest

/// `--executor slurm` against a real Slurm cluster that scripts/slurm-cluster.sh installs and
/// starts in a temporary folder (as root), and stops again by PID: one node, and two nodes of
/// which one dies in the middle of a batch (issue 25, item 9).
final class SlurmExecutorTests: XCTestCase {
    private var repository: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    /// A second node (its own network namespace) loses power while a task runs on it: the
    /// controller marks it DOWN, the task ends NODE_FAIL, the driver resubmits it once, it runs on
    /// the node left, and the report's numbers are those of a serial run.
    func testANodeThatDiesMidBatchIsResubmittedAndTheNumbersHold() throws {
        let folder = try TemporaryDirectory()
        let cluster = folder.url.appendingPathComponent("cluster")
        let script = repository.appendingPathComponent("scripts/slurm-cluster.sh").path
        let started = try LabbookProcess.shell(["/bin/bash", script, "start", cluster.path, "2"])
        defer { _ = try? LabbookProcess.shell(["/bin/bash", script, "stop", cluster.path]) }
        XCTAssertEqual(started.status, 0, "the cluster did not start: \(started.error)")
        let configuration = cluster.appendingPathComponent("slurm.conf").path
        func scontrol(_ arguments: [String]) throws -> LabbookProcess.Outcome {
            try LabbookProcess.shell(["/usr/bin/env", "SLURM_CONF=\(configuration)", "scontrol"] + arguments)
        }
        // The first task must land on node2: the other node takes nothing until node2 is dead.
        let host = try XCTUnwrap(try LabbookProcess.shell(["/usr/bin/hostname", "-s"]).output.split(separator: "\n").first.map(String.init))
        XCTAssertEqual(try scontrol(["update", "nodename=\(host)", "state=drain", "reason=test"]).status, 0)

        let driver = Process()
        driver.executableURL = LabbookProcess.binary
        driver.arguments = ["run", "q3", "--profile", "quick", "--executor", "slurm", "--max-jobs", "2",
                            "--out", folder.url.appendingPathComponent("slurm").path, "--cache-dir", folder.url.appendingPathComponent("cache").path]
        driver.environment = ProcessInfo.processInfo.environment.merging(["SLURM_CONF": configuration]) { $1 }
        let log = folder.url.appendingPathComponent("driver.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        driver.standardOutput = handle
        driver.standardError = handle
        try driver.run()
        try? handle.close()
        defer { if driver.isRunning { driver.terminate() } }

        // As soon as a task's `labbook cell run` runs on node2, the node dies (every process of it at
        // once); a node killed while Slurm is still launching the task would be requeued by Slurm
        // itself instead, which is not what this test is after.
        let killed = try LabbookProcess.shell(["/bin/bash", script, "kill-node-when-running", cluster.path, "cell"])
        XCTAssertEqual(killed.status, 0, "no task ever ran on node2: \(killed.error)")
        XCTAssertEqual(try scontrol(["update", "nodename=\(host)", "state=resume"]).status, 0)
        let end = Date().addingTimeInterval(600)
        while driver.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.5) }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let jobs = (try? scontrol(["show", "job", "-o"]).output) ?? ""
        let controller = (try? String(contentsOf: cluster.appendingPathComponent("slurmctld.log"), encoding: .utf8)) ?? ""
        let nodeLines = controller.split(separator: "\n").filter { $0.contains("node2") || $0.contains("NODE_FAIL") || $0.contains("Kill") || $0.contains("equeue") }
        let diagnostics = "driver:\n\(output.prefix(2500))\njobs:\n\(jobs.prefix(1500))\ncontroller:\n\(nodeLines.suffix(30).joined(separator: "\n"))"
        XCTAssertEqual(driver.terminationStatus, 0, diagnostics)
        XCTAssertTrue(output.contains("lost to a node failure; resubmitting them once"), diagnostics)

        let serial = try LabbookProcess.run(["run", "q3", "--profile", "quick", "--out", folder.url.appendingPathComponent("serial").path,
                                             "--cache-dir", folder.url.appendingPathComponent("serial-cache").path])
        XCTAssertEqual(serial.status, 0, serial.error)
        XCTAssertEqual(try numbers(in: folder.url, "serial"), try numbers(in: folder.url, "slurm"))
    }

    private func numbers(in folder: URL, _ run: String) throws -> NSDictionary {
        let data = try Data(contentsOf: folder.appendingPathComponent("\(run)/q3/results.json"))
        let values = try XCTUnwrap((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["values"] as? [String: Any])
        return NSDictionary(dictionary: values.filter { !$0.key.hasSuffix("seconds") })
    }

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
