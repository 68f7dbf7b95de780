import Foundation
import TestSupport
import XCTest

/// `--help` of each command and `labbook list` against golden files (`Snapshots/`), so a
/// change to the command line is seen in review. `LABBOOK_RECORD_SNAPSHOTS=1` re-records.
final class HelpSnapshotTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    func testHelpOfEveryCommandMatchesItsSnapshot() throws {
        for command in [[], ["run"], ["pdf"], ["list"], ["diff"], ["figure", "list"], ["clean"], ["data"], ["data", "fetch"], ["bench"], ["bench", "peak"], ["bench", "round-trip"], ["bench", "mlp"],
                        ["bench", "lenet"], ["bench", "landscape"], ["bench", "layers"]] {
            let outcome = try LabbookProcess.run(command + ["--help"])
            XCTAssertEqual(outcome.status, 0, "\(command): \(outcome.error)")
            assertSnapshot(outcome.output, named: "help-\((["labbook"] + command).joined(separator: "-")).txt", in: Self.folder)
        }
    }

    /// The quick profile's cells with nothing cached: their names and keys, which change only
    /// when a cell's config, version or inputs do.
    func testListOfAnEmptyCacheMatchesItsSnapshot() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-list-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let outcome = try LabbookProcess.run(["list", "--profile", "quick", "--cache-dir", cache.path])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        // The engine fingerprint and the keys follow the engine's sources: masked.
        let masked = masking(masking(outcome.output.replacingOccurrences(of: cache.path, with: "<cache>"),
                                     "engine code [0-9a-f]{12}", with: "engine code <fingerprint>"), " [0-9a-f]{12}  ", with: " <key>  ")
        assertSnapshot(masked, named: "list-quick-empty-cache.txt", in: Self.folder)
    }
}
