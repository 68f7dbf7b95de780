import Foundation
@testable import Notebook
import XCTest

final class RunMetadataTests: XCTestCase {
    func git(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory.path, "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "git \(arguments)")
    }

    func testRewrittenReportsDoNotMakeTheCheckoutDirtyButCodeChangesDo() throws {
        let directory = try temporaryDirectory()
        let reports = directory.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try "code".write(to: directory.appendingPathComponent("code.swift"), atomically: false, encoding: .utf8)
        try "old report".write(to: reports.appendingPathComponent("report.md"), atomically: false, encoding: .utf8)
        try git(["init", "-q"], in: directory)
        try git(["add", "."], in: directory)
        try git(["commit", "-q", "-m", "initial"], in: directory)

        let clean = RunMetadata.gitCommit(in: directory, ignoring: reports)
        XCTAssertEqual(clean.count, 12, clean)
        try "new report".write(to: reports.appendingPathComponent("report.md"), atomically: false, encoding: .utf8)
        XCTAssertEqual(RunMetadata.gitCommit(in: directory, ignoring: reports), clean)
        let codeCommit = RunMetadata.lastCommit(in: directory, ignoring: reports)
        try git(["commit", "-q", "-am", "regenerated reports"], in: directory)
        XCTAssertEqual(RunMetadata.lastCommit(in: directory, ignoring: reports), codeCommit, "a reports-only commit keeps the code commit")
        try "changed code".write(to: directory.appendingPathComponent("code.swift"), atomically: false, encoding: .utf8)
        XCTAssertTrue(RunMetadata.gitCommit(in: directory, ignoring: reports).hasSuffix("-dirty"))
    }
}
