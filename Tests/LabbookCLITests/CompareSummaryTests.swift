import Foundation
import TestSupport
import XCTest

/// `scripts/reference/summarize.py`, compare.sh's summary, on a made-up sitting: which runs
/// count as the usual placement (both round-trip readings under twice the sitting's fastest),
/// the usual medians and ratio, and the `--lacking` list that drives `USUAL=N`.
final class CompareSummaryTests: XCTestCase {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/reference/summarize.py")
    static let python = "/usr/bin/python3"

    /// Fastest reading 49 ns, so 98 ns is the limit: the MLP has one usual Labbook run (0.2 s)
    /// and two usual PyTorch runs (1.1 and 1.2 s); LeNet-5's PyTorch run read 300 ns after.
    static let sitting = [
        #"{"label":"labbook","round_trip_ns":[50,52],"workload":"mlp-784-128-64-10","s_per_epoch":0.2}"#,
        #"{"label":"labbook","round_trip_ns":[330,340],"workload":"mlp-784-128-64-10","s_per_epoch":0.3}"#,
        #"{"label":"pytorch","round_trip_ns":[51,49],"workload":"mlp-784-128-64-10","s_per_epoch":1.1}"#,
        #"{"label":"pytorch","round_trip_ns":[50,55],"workload":"mlp-784-128-64-10","s_per_epoch":1.2}"#,
        #"{"label":"labbook","round_trip_ns":[50,50],"workload":"lenet-adam-batch64","s_per_epoch":1.2,"train_images_per_s":50000}"#,
        #"{"label":"pytorch","round_trip_ns":[49,300],"workload":"lenet-adam-batch64","s_per_epoch":3.7,"train_images_per_s":16000}"#,
    ].joined(separator: "\n") + "\n"

    func summarize(_ arguments: [String]) throws -> LabbookProcess.Outcome {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.python), "needs \(Self.python)")
        let directory = try TemporaryDirectory()
        let runs = directory.url.appendingPathComponent("runs.jsonl")
        try Self.sitting.write(to: runs, atomically: true, encoding: .utf8)
        return try LabbookProcess.shell([Self.python, Self.script.path, runs.path] + arguments)
    }

    func testLackingListsTheWorkloadsShortOfUsualRuns() throws {
        XCTAssertEqual(try summarize(["--lacking", "1"]).output, "lenet\n")
        XCTAssertEqual(try summarize(["--lacking", "2"]).output, "mlp lenet\n")
        XCTAssertEqual(try summarize(["--lacking", "0"]).output, "\n")
    }

    func testTableGivesUsualMediansAndRatios() throws {
        let outcome = try summarize([])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        XCTAssertTrue(outcome.output.contains("fastest 49 ns; 2 of 6 runs had a reading above 98 ns"), outcome.output)
        let labbook = try XCTUnwrap(outcome.output.split(separator: "\n").first { $0.hasPrefix("mlp") && $0.contains("labbook") })
        // All runs: median 0.25 s against PyTorch's 1.15 (4.60x); usual: 0.2 against 1.15 (5.75x), 1 run.
        XCTAssertTrue(labbook.contains("4.60x"), String(labbook))
        XCTAssertTrue(labbook.hasSuffix("1         0.200            5.75x"), String(labbook))
        XCTAssertNotEqual(try summarize(["--lacking"]).status, 0)
    }
}
