import AtomicFiles
import Foundation
@testable import Notebook
import XCTest

/// What killed processes leave behind is swept by the next process that could have left it
/// (issue 25, item 6): scratch folders of `diff`, `pdf`, workers and exports, and the weights'
/// `.NAME.PID.tmp` files in the cache; never anything of a process still running.
final class LeftoverSweepTests: XCTestCase {
    private func endedProcess() throws -> pid_t {
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        return ended.processIdentifier
    }

    func testScratchFoldersOfEndedProcessesAreSweptByTheNextOfTheirKind() throws {
        let kind = "sweeptest\(getpid())"
        let temporary = FileManager.default.temporaryDirectory
        let dead = temporary.appendingPathComponent("labbook-\(kind)-\(try endedProcess())-\(UUID().uuidString)")
        let alive = temporary.appendingPathComponent("labbook-\(kind)-\(WriterTag.current())")
        let other = temporary.appendingPathComponent("labbook-\(kind)x-\(try endedProcess())-\(UUID().uuidString)")
        for folder in [dead, alive, other] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(repeating: 1, count: 1000).write(to: folder.appendingPathComponent("reports.tar"))
        }
        defer { for folder in [dead, alive, other] { try? FileManager.default.removeItem(at: folder) } }
        let made = try ScratchFolder.make(kind)
        defer { try? FileManager.default.removeItem(at: made) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead.path), "an ended process's scratch folder is swept")
        XCTAssertTrue(FileManager.default.fileExists(atPath: alive.path), "a live process's folder is kept")
        XCTAssertTrue(FileManager.default.fileExists(atPath: other.path), "another kind's folder is left to its own kind")
        XCTAssertTrue(made.lastPathComponent.hasPrefix("labbook-\(kind)-\(getpid())-"))
    }

    func testWeightsTemporaryFilesOfEndedWritersAreSwept() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-sweep-cache-\(UUID().uuidString)")
        let folder = cache.appendingPathComponent("q3/artifacts/abc")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: cache) }
        let dead = folder.appendingPathComponent(".mlp.weights.\(try endedProcess()).tmp")
        let alive = folder.appendingPathComponent(".mlp.weights.\(getpid()).tmp")
        let weights = folder.appendingPathComponent("mlp.weights")
        for file in [dead, alive, weights] { try Data([1, 2, 3]).write(to: file) }
        XCTAssertEqual(ResultCache(directory: cache).removeStalePartialFiles(), 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: alive.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: weights.path))
    }

    func testAWorkerKilledByASignalIsReportedAsKilled() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "kill -9 $$"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(LocalExecutor.describeEnd(of: process), "was killed by signal 9 (SIGKILL)")
        let failing = Process()
        failing.executableURL = URL(fileURLWithPath: "/bin/sh")
        failing.arguments = ["-c", "exit 3"]
        try failing.run()
        failing.waitUntilExit()
        XCTAssertEqual(LocalExecutor.describeEnd(of: failing), "exited 3")
    }
}
