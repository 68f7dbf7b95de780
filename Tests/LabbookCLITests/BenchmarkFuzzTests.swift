import Foundation
import TestSupport
import XCTest

/// Random IDX headers and label bytes fed to `bench mlp` and `bench lenet` through the real
/// command line: whatever the folder holds, each run ends cleanly, with exit 0 (the data was
/// fine) or 1 and one error line naming a file of the folder, never a signal.
final class BenchmarkFuzzTests: XCTestCase {
    func testRandomFoldersNeverCrashTheBenchmarks() throws {
        let start = Date()
        var outcomes: [Int32: Int] = [:]
        let seeds = UInt64(1_001)...1_040
        for seed in seeds {
            let directory = try TemporaryDirectory()
            let summary = try RandomIDXFolder.write(into: directory.url, seed: seed)
            let commands = [
                ["bench", "mlp", "--dataset", directory.url.path, "--epochs", "1", "--threads", "1", "--json"],
                ["bench", "lenet", "--dataset", directory.url.path, "--steps", "1", "--threads", "1", "--json"],
            ]
            for arguments in commands {
                let outcome = try LabbookProcess.run(arguments)
                let command = arguments.prefix(2).joined(separator: " ")
                XCTAssertFalse(outcome.crashed, "\(command) died of signal \(outcome.status); \(summary)")
                XCTAssertTrue([0, 1].contains(outcome.status), "\(command) exited \(outcome.status): \(outcome.error); \(summary)")
                if outcome.status == 1 {
                    XCTAssertTrue(outcome.error.contains(directory.url.path), "\(command): \(outcome.error) should name the file; \(summary)")
                    XCTAssertEqual(outcome.error.split(separator: "\n").count, 1, "\(command): one line; \(outcome.error)")
                }
                outcomes[outcome.crashed ? -outcome.status : outcome.status, default: 0] += 1
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print("Benchmark fuzz: \(seeds.count) random folders, \(2 * seeds.count) runs in \(String(format: "%.1f", seconds)) s;"
              + " exit statuses (negative: signals): \(outcomes.sorted { $0.key < $1.key })")
    }
}
