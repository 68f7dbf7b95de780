import Foundation
import Tensor
import XCTest

/// Runs the built `labbook` binary end to end, as a user would.
final class CommandLineTests: XCTestCase {
    typealias Outcome = LabbookProcess.Outcome

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try LabbookProcess.run(arguments, environment: environment)
    }

    func benchJSON(_ outcome: Outcome) throws -> [String: Any] {
        XCTAssertEqual(outcome.status, 0, outcome.error)
        let line = outcome.output.split(separator: "\n").last.map(String.init) ?? ""
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], outcome.output)
    }

    func testBenchPeakNamesItsKernelsAndMeasuresBothCoreCounts() throws {
        let report = try benchJSON(try run(["bench", "peak", "--size", "128", "--repeats", "1", "--json"]))
        XCTAssertGreaterThan(report["single_core_gflops"] as? Double ?? 0, 0)
        XCTAssertGreaterThan(report["all_cores_gflops"] as? Double ?? 0, 0)
        XCTAssertLessThan(report["max_relative_error"] as? Double ?? 1, 1e-3)
        let kernels = try XCTUnwrap(report["kernels"] as? [String: Any])
        XCTAssertFalse((kernels["blas_core"] as? String ?? "").isEmpty)
        XCTAssertNotNil(kernels["simd_level"] as? String)
        XCTAssertEqual(try run(["bench", "peak", "--size", "3"]).status, 2)
    }

    /// LABBOOK_BLAS_CORE makes `labbook` start again with OPENBLAS_CORETYPE set, so the core
    /// OpenBLAS reports is the one asked for whatever its own CPU table says; OPENBLAS_CORETYPE
    /// itself is honoured as is.
    func testBLASCoreOverridesReachOpenBLAS() throws {
        #if arch(x86_64)
        for (variable, core) in [("LABBOOK_BLAS_CORE", "Sandybridge"), ("OPENBLAS_CORETYPE", "Nehalem")] {
            let report = try benchJSON(try run(["bench", "peak", "--size", "64", "--repeats", "1", "--json"],
                                               environment: [variable: core]))
            let kernels = try XCTUnwrap(report["kernels"] as? [String: Any])
            XCTAssertEqual(kernels["blas_core"] as? String, core)
            XCTAssertEqual(kernels["blas_core_source"] as? String, "\(variable) set by the user")
        }
        let forced = try benchJSON(try run(["bench", "peak", "--size", "64", "--repeats", "1", "--json"],
                                           environment: ["LABBOOK_SIMD": "avx2"]))
        XCTAssertEqual((forced["kernels"] as? [String: Any])?["simd_level"] as? String, "avx2")
        #endif
        let bad = try run(["bench", "peak"], environment: ["LABBOOK_SIMD": "sse9"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.error.contains("LABBOOK_SIMD=sse9"), bad.error)
    }

    /// `LABBOOK_PRECISION` reaches the kernels and the benchmark's JSON; a bad value, or bf16 on
    /// a CPU without AVX512_BF16, stops the program before any work.
    func testPrecisionIsChosenByTheVariableAndRecorded() throws {
        func precision(_ environment: [String: String]) throws -> String? {
            let report = try benchJSON(try run(["bench", "peak", "--size", "64", "--repeats", "1", "--json"], environment: environment))
            return (report["kernels"] as? [String: Any])?["precision"] as? String
        }
        let expected = ComputePrecision.bf16Supported ? "bf16" : "fp32"
        XCTAssertEqual(try precision([:]), expected, "the tool's default is auto: bf16 where the CPU has it")
        XCTAssertEqual(try precision(["LABBOOK_PRECISION": "auto"]), expected, "auto follows the CPU")
        XCTAssertEqual(try precision(["LABBOOK_PRECISION": "fp32"]), "fp32", "fp32 when asked for")
        let bad = try run(["bench", "peak"], environment: ["LABBOOK_PRECISION": "fp16"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.error.contains("LABBOOK_PRECISION must be fp32, bf16 or auto, got fp16"), bad.error)
    }

    /// Cells computed with one OpenBLAS core are not reused under another (its sgemm kernels sum
    /// in another order): `labbook list` calls them stale and names both kernel sets, and the
    /// same kernels find them cached again.
    func testCellsOfOtherKernelsAreStaleAndListedAsSuch() throws {
        #if arch(x86_64)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-kernels-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent("cache").path
        let environment = ["LABBOOK_BLAS_CORE": "Haswell"]
        let computed = try run(["run", "q2", "--profile", "quick", "--out", folder.appendingPathComponent("reports").path,
                                "--cache-dir", cache], environment: environment)
        XCTAssertEqual(computed.status, 0, computed.error)
        func firstCell(_ environment: [String: String]) throws -> String {
            let listing = try run(["list", "--profile", "quick", "--cache-dir", cache], environment: environment)
            XCTAssertEqual(listing.status, 0, listing.error)
            return listing.output.split(separator: "\n").first { $0.contains("scalar-toy") }.map(String.init) ?? listing.output
        }
        XCTAssertTrue(try firstCell(environment).contains("cached"), "the same kernels: cached")
        let other = try firstCell(["LABBOOK_BLAS_CORE": "Sandybridge"])
        XCTAssertTrue(other.contains("stale: computed with kernels OpenBLAS Haswell"), other)
        XCTAssertTrue(other.contains("this run uses OpenBLAS Sandybridge"), other)
        #endif
    }

    /// A bad `--out` or `--cache-dir` is a usage error before anything runs.
    func testUnusableOutputFoldersAreRefusedWithAClearMessage() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-cli-file-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        for (arguments, expected) in [(["--out", ""], "--out is empty"), (["--out", file.path], "is a file"),
                                      (["--out", "/proc/labbook-reports"], "cannot be created"),
                                      (["--cache-dir", file.path + "/cache"], "is a file"),
                                      (["--out", file.path + "-x", "--cache-dir", file.path + "-x"], "overlap"),
                                      (["--out", file.path + "-y", "--cache-dir", file.path + "-y/cache"], "overlap")] {
            let outcome = try run(["run", "q1", "--profile", "quick"] + arguments)
            XCTAssertEqual(outcome.status, 2, "\(arguments): \(outcome.error)")
            XCTAssertTrue(outcome.error.contains(expected), "\(arguments): \(outcome.error)")
            XCTAssertFalse(outcome.error.contains("NSCocoaErrorDomain"), outcome.error)
        }
    }

    func testSymbolicLinkLoopsAndDanglingLinksAreNamedUpFront() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-cli-links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let loop = folder.appendingPathComponent("loop"), dangling = folder.appendingPathComponent("dangling")
        try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: loop.path)
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: folder.appendingPathComponent("gone").path)
        for (arguments, expected) in [(["--out", loop.path + "/reports"], "is a symbolic link loop"),
                                      (["--cache-dir", dangling.path], "is a dangling symbolic link")] {
            let outcome = try run(["run", "q1", "--profile", "quick"] + arguments)
            XCTAssertEqual(outcome.status, 2, "\(arguments): \(outcome.error)")
            XCTAssertTrue(outcome.error.contains(expected), "\(arguments): \(outcome.error)")
        }
    }

    /// Below the limits Labbook needs, it stops at once with the limit and how to raise it: no
    /// SIGILL from a Foundation pipe or buffer midway, no spin in OpenBLAS's exit handler.
    func testTooLowResourceLimitsAreNamedNotCrashedInto() throws {
        let binary = LabbookProcess.binary.path
        for (limit, expected) in [("ulimit -n 12", "needs at least 64 open files"), ("ulimit -v 200000", "GiB of address space")] {
            let outcome = try LabbookProcess.shell(["/usr/bin/timeout", "60", "/bin/sh", "-c",
                                                    "\(limit) && exec '\(binary)' run q1 --profile quick --out /tmp/labbook-limit-\(UUID().uuidString)"])
            XCTAssertEqual(outcome.status, 1, "\(limit): \(outcome.error)")
            XCTAssertFalse(outcome.crashed)
            XCTAssertTrue(outcome.error.contains(expected), "\(limit): \(outcome.error)")
        }
    }

    func testCleanTakesACacheFolderAndFigureIdsMustHaveTwoParts() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-cli-clean-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: cache.appendingPathComponent("q1"), withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: cache.appendingPathComponent("q1/entry.json"))
        defer { try? FileManager.default.removeItem(at: cache) }
        let clean = try run(["clean", "--cache-dir", cache.path])
        XCTAssertEqual(clean.status, 0, clean.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.appendingPathComponent("q1/entry.json").path))
        for id in ["q3//x", "q3/", "/x", "q3/x/y", "q3/../x"] {
            let export = try run(["figure", "export", id])
            XCTAssertEqual(export.status, 2, "\(id): \(export.error)")
            XCTAssertTrue(export.error.contains("is not QUESTION/NAME"), export.error)
        }
    }

    func testHelpListsTheSubcommands() throws {
        let outcome = try run(["--help"])
        XCTAssertEqual(outcome.status, 0)
        for command in ["run", "list", "clean", "data", "bench"] {
            XCTAssertTrue(outcome.output.contains(command), "help mentions \(command)")
        }
        XCTAssertEqual(try run(["run", "--help"]).status, 0)
    }

    func testUnknownQuestionExitsWithTwoAndNamesIt() throws {
        let outcome = try run(["run", "q99", "--out", NSTemporaryDirectory() + "labbook-cli-\(UUID().uuidString)"])
        XCTAssertEqual(outcome.status, 2)
        XCTAssertTrue(outcome.error.contains("q99"), outcome.error)
    }

    func testBadFlagsExitWithTwo() throws {
        XCTAssertEqual(try run(["run", "--profile", "fastest"]).status, 2)
        XCTAssertEqual(try run(["run", "--frobnicate"]).status, 2)
        XCTAssertEqual(try run(["frobnicate"]).status, 2)
        XCTAssertEqual(try run(["run", "--seed", "-3"]).status, 2)
        let missingFolder = try run(["run", "q1", "--dataset-dir", "/nonexistent-labbook-folder"])
        XCTAssertEqual(missingFolder.status, 2)
        XCTAssertTrue(missingFolder.error.contains("/nonexistent-labbook-folder"), missingFolder.error)
    }

    /// `bench round-trip` prints one JSON object with the round trip and its two processors,
    /// rejects bad counts, and where the process may use one processor only (`taskset`) says so
    /// and exits 1 instead of spinning two threads on one core.
    func testBenchRoundTripReportsOrExplains() throws {
        XCTAssertEqual(try run(["bench", "round-trip", "--batches", "0"]).status, 2)
        XCTAssertEqual(try run(["bench", "round-trip", "--round-trips", "-1"]).status, 2)
        if ProcessInfo.processInfo.activeProcessorCount >= 2 {
            let outcome = try run(["bench", "round-trip", "--batches", "3", "--round-trips", "200", "--json"])
            XCTAssertEqual(outcome.status, 0, outcome.error)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
            XCTAssertGreaterThan(object["round_trip_ns"] as? Double ?? 0, 0)
            XCTAssertEqual((object["processors"] as? [Int])?.count, 2)
        }
        let taskset = URL(fileURLWithPath: "/usr/bin/taskset")
        guard FileManager.default.isExecutableFile(atPath: taskset.path) else { return }
        let pinned = try LabbookProcess.shell([taskset.path, "-c", "0", LabbookProcess.binary.path, "bench", "round-trip"])
        XCTAssertEqual(pinned.status, 1, pinned.output)
        XCTAssertTrue(pinned.error.contains("needs two processors"), pinned.error)
    }

    /// `bench layers` rejects a zero repeat count, and a small real run prints one JSON object
    /// with every layer timed.
    func testBenchLayersTimesEveryShape() throws {
        XCTAssertEqual(try run(["bench", "layers", "--repeats", "0"]).status, 2)
        let outcome = try run(["bench", "layers", "--batch", "2", "--repeats", "1", "--threads", "1", "--json"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
        XCTAssertEqual(object["batch"] as? Int, 2)
        let layers = try XCTUnwrap(object["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.count, 15)
        for layer in layers {
            XCTAssertGreaterThan(layer["forward_ms"] as? Double ?? 0, 0, "\(layer["layer"] ?? "?")")
            XCTAssertGreaterThan(layer["backward_gflops"] as? Double ?? 0, 0, "\(layer["layer"] ?? "?")")
        }
    }
}
