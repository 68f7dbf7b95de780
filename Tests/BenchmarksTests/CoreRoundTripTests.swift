@testable import Benchmarks
import XCTest

final class CoreRoundTripTests: XCTestCase {
    /// On two processors the probe reports every batch, a median between its fastest and
    /// slowest, and the two distinct processors its threads were pinned to. A round trip is
    /// two cache-line transfers: nothing real takes under 10 ns or (unloaded) a millisecond.
    func testTwoPinnedThreadsReportAPlausibleRoundTrip() throws {
        try XCTSkipIf(ProcessInfo.processInfo.activeProcessorCount < 2, "needs two processors")
        let report = try XCTUnwrap(measureCoreRoundTrip(batches: 5, roundTrips: 500))
        XCTAssertEqual(report.batches, 5)
        XCTAssertEqual(report.roundTripsPerBatch, 500)
        XCTAssertEqual(report.processors.count, 2)
        XCTAssertNotEqual(report.processors[0], report.processors[1])
        XCTAssertLessThanOrEqual(report.fastestBatchNanoseconds, report.nanoseconds)
        XCTAssertLessThanOrEqual(report.nanoseconds, report.slowestBatchNanoseconds)
        XCTAssertGreaterThan(report.fastestBatchNanoseconds, 10)
        XCTAssertLessThan(report.nanoseconds, 1_000_000)
    }

    /// The JSON keys `compare.sh` reads.
    func testReportEncodesTheKeysCompareReads() throws {
        let report = CoreRoundTripReport(nanoseconds: 88, fastestBatchNanoseconds: 85, slowestBatchNanoseconds: 90,
                                         batches: 9, roundTripsPerBatch: 2000, processors: [0, 1])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        XCTAssertEqual(object["round_trip_ns"] as? Double, 88)
        XCTAssertEqual(object["processors"] as? [Int], [0, 1])
        XCTAssertEqual(object["workload"] as? String, "core-round-trip")
    }
}
