import Foundation
import XCTest

/// `labbook cache verify`: a damaged entry is named and the exit status is 1; a sound cache exits 0.
final class CacheVerifyCommandTests: XCTestCase {
    func testADamagedEntryIsNamedAndFailsTheCheck() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-verify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let folder = cache.appendingPathComponent("q9")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let body = Data(#"{"cell":"c","createdAt":"2026-12-04T00:00:00Z","key":"ab","question":"q9","result":[1],"seconds":1}"#.utf8)
        // The seal of these bytes: sha256 of body.
        let seal = #"{"artifacts":[],"sha256":"0000000000000000000000000000000000000000000000000000000000000000"}"#
        try (body + Data("\n".utf8) + Data(seal.utf8)).write(to: folder.appendingPathComponent("c-ab.json"))
        let damaged = try LabbookProcess.run(["cache", "verify", "--cache-dir", cache.path])
        XCTAssertEqual(damaged.status, 1, damaged.output)
        XCTAssertTrue(damaged.output.contains("DAMAGED \(folder.appendingPathComponent("c-ab.json").path)"), damaged.output)
        XCTAssertTrue(damaged.output.contains("do not match their SHA-256"), damaged.output)

        try body.write(to: folder.appendingPathComponent("c-ab.json"))   // an entry from before seals
        let unsealed = try LabbookProcess.run(["cache", "verify", "--cache-dir", cache.path])
        XCTAssertEqual(unsealed.status, 0, unsealed.output)
        XCTAssertTrue(unsealed.output.contains("0 entries verified, 1 written before checksums (unverified), 0 damaged"), unsealed.output)
    }
}
