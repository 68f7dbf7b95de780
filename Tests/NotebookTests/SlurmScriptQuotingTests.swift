import Foundation
@testable import Notebook
import XCTest

/// The Slurm task script keeps hostile paths literal (issue 25, item 5): run with `sh` as a
/// Slurm task would, it hands the request to the binary and runs nothing else.
final class SlurmScriptQuotingTests: XCTestCase {
    func testQuotesSpacesAndCommandSubstitutionInPathsStayLiteral() throws {
        let root = try temporaryDirectory()
        let marker = root.appendingPathComponent("touched")
        let hostile = root.appendingPathComponent("a'$(touch \(marker.path))'b c\\d \"e\" %a")
        try FileManager.default.createDirectory(at: hostile, withIntermediateDirectories: true)
        let received = root.appendingPathComponent("received")
        let binary = hostile.appendingPathComponent("lab'book")
        try "#!/bin/sh\nprintf '%s|' \"$@\" > '\(received.path)'\n".write(to: binary, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary.path)
        let request = hostile.appendingPathComponent("q3-train-'x'.json")
        let list = hostile.appendingPathComponent("batch.list")
        try "\(hostile.appendingPathComponent("other.json").path)\n\(request.path)\n".write(to: list, atomically: true, encoding: .utf8)
        let script = hostile.appendingPathComponent("batch.sh")
        try SlurmExecutor.taskScript(list: list, binary: binary).write(to: script, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [script.path]
        process.environment = ["SLURM_ARRAY_TASK_ID": "2", "PATH": "/usr/bin:/bin"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(try String(contentsOf: received, encoding: .utf8), "cell|run|\(request.path)|")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "the $(touch …) in the path must not run")
    }

    func testALineBreakInAPathIsRefusedByName() {
        let path = URL(fileURLWithPath: "/tmp/a\nb/batch.list")
        XCTAssertThrowsError(try SlurmExecutor.taskScript(list: path, binary: URL(fileURLWithPath: "/bin/true"))) { error in
            XCTAssertTrue("\(error)".contains("line break"), "\(error)")
        }
    }

    func testPercentSignsAreLiteralInSlurmFileNames() {
        XCTAssertEqual(SlurmExecutor.slurmFilePattern("/x/100%/cache"), "/x/100%%/cache")
        XCTAssertEqual(SlurmExecutor.shellQuoted("it's"), "'it'\\''s'")
    }
}
