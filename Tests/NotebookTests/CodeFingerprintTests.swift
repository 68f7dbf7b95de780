import Foundation
@testable import Notebook
import XCTest

/// Cache keys follow the engine's code (issue 24): a change to an engine module's sources gives
/// every computed cell a new key (the old result is stale, and `labbook list` says why), while a
/// change to plotting or report code invalidates nothing.
final class CodeFingerprintTests: XCTestCase {
    private func project() throws -> URL {
        let root = try temporaryDirectory()
        for (module, text) in [("NN", "struct Layer {}"), ("Tensor", "struct Tensor {}"), ("Plot", "struct Figure {}")] {
            let folder = root.appendingPathComponent("Sources/\(module)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: folder.appendingPathComponent("\(module).swift"))
        }
        return root
    }

    func testOnlyEngineSourcesChangeTheFingerprint() throws {
        let root = try project()
        let original = CodeFingerprint.of(projectRoot: root)
        XCTAssertEqual(Set(original.modules.keys), ["NN", "Tensor"], "Plot is presentation, not computation")
        try Data("struct Figure { var dark = true }".utf8).write(to: root.appendingPathComponent("Sources/Plot/Plot.swift"))
        XCTAssertEqual(CodeFingerprint.of(projectRoot: root), original, "a plotting change keeps every key")
        let templates = root.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try Data("<article>{{{body}}}</article>".utf8).write(to: templates.appendingPathComponent("report.html"))
        XCTAssertEqual(CodeFingerprint.of(projectRoot: root), original, "a template change keeps every key")
        try Data("struct Layer { var bias = 0 }".utf8).write(to: root.appendingPathComponent("Sources/NN/NN.swift"))
        let changed = CodeFingerprint.of(projectRoot: root)
        XCTAssertNotEqual(changed.digest, original.digest)
        XCTAssertEqual(changed.changedModules(since: original), ["NN"])
        try Data("// a new file\n".utf8).write(to: root.appendingPathComponent("Sources/Tensor/More.swift"))
        XCTAssertEqual(CodeFingerprint.of(projectRoot: root).changedModules(since: changed), ["Tensor"])
    }

    /// bf16 products change the numbers as code does: another key; fp32 keeps the keys as they were.
    func testPrecisionOtherThanFP32IsPartOfTheKey() throws {
        let root = try project()
        var code = CodeFingerprint.of(projectRoot: root)
        let fp32 = code.version("1")
        code.precision = "bf16"
        XCTAssertNotEqual(code.version("1"), fp32)
        XCTAssertTrue(code.version("1").hasSuffix("+precision:bf16"))
        code.precision = nil
        XCTAssertEqual(code.version("1"), fp32)
    }

    /// A cell computed with bf16 products is stale for an fp32 run, and the listing says so
    /// rather than blaming the code.
    func testAResultOfAnotherPrecisionIsListedAsSuch() throws {
        let root = try project()
        let cell = try CountingCell(directory: try temporaryDirectory())
        var bf16 = CodeFingerprint.of(projectRoot: root)
        bf16.precision = "bf16"
        XCTAssertEqual(try cell.train(cell.session(bf16)), 6)
        let listing = cell.session(CodeFingerprint.of(projectRoot: root), listing: true)
        XCTAssertEqual(try cell.train(listing), 6)
        XCTAssertEqual(listing.cellRecords.last?.note, "stale: computed with bf16 products, this run uses fp32")
    }

    /// Kernels that sum in another order (another OpenBLAS core, im2col products instead of the
    /// direct convolutions) give another key; none set keeps the keys as they were.
    func testKernelsArePartOfTheKey() throws {
        let root = try project()
        var code = CodeFingerprint.of(projectRoot: root)
        let unset = code.version("1")
        code.kernels = "OpenBLAS SkylakeX + direct convolutions avx512 fp32"
        let direct = code.version("1")
        XCTAssertNotEqual(direct, unset)
        XCTAssertTrue(direct.hasSuffix("+kernels:OpenBLAS SkylakeX + direct convolutions avx512 fp32"))
        code.kernels = "OpenBLAS SkylakeX"
        XCTAssertNotEqual(code.version("1"), direct)
        code.precision = "bf16"
        XCTAssertTrue(code.version("1").hasSuffix("+precision:bf16+kernels:OpenBLAS SkylakeX"))
        code.kernels = nil
        code.precision = nil
        XCTAssertEqual(code.version("1"), unset)
    }

    /// A cell computed with other kernels is recomputed, not reused, and the listing names both
    /// kernel sets; an entry of the same kernels is reused.
    func testAResultOfOtherKernelsIsRecomputedAndListedAsSuch() throws {
        let root = try project()
        let cell = try CountingCell(directory: try temporaryDirectory())
        func code(_ kernels: String) -> CodeFingerprint {
            var code = CodeFingerprint.of(projectRoot: root)
            code.kernels = kernels
            return code
        }
        let direct = code("OpenBLAS SkylakeX + direct convolutions avx512 fp32"), products = code("OpenBLAS SkylakeX")
        XCTAssertEqual(try cell.train(cell.session(direct)), 6)
        let listing = cell.session(products, listing: true)
        XCTAssertEqual(try cell.train(listing), 6)
        XCTAssertEqual(listing.cellRecords.last?.note,
                       "stale: computed with kernels OpenBLAS SkylakeX + direct convolutions avx512 fp32, this run uses OpenBLAS SkylakeX")
        XCTAssertEqual(try cell.train(cell.session(products)), 6)
        XCTAssertEqual(cell.runs, 2, "other kernels: computed again")
        XCTAssertEqual(try cell.train(cell.session(direct)), 6)
        XCTAssertEqual(cell.runs, 2, "the first kernels' entry is still there")
    }

    /// The listing's reason names every setting that differs, then the code.
    func testStaleReasonNamesEachDifference() {
        func entry(_ changed: [String], _ precision: String, _ kernels: String?) -> StaleEntry<Int> {
            StaleEntry(changed: changed, precision: precision, kernels: kernels, result: 0, artifacts: URL(fileURLWithPath: "/"))
        }
        XCTAssertEqual(entry(["NN"], "fp32", "A").reason(runPrecision: "fp32", runKernels: "A"),
                       "stale: engine code changed since it was computed (NN)")
        XCTAssertEqual(entry([], "bf16", "A").reason(runPrecision: "fp32", runKernels: "B"),
                       "stale: computed with bf16 products, this run uses fp32; computed with kernels A, this run uses B")
        XCTAssertEqual(entry(["Tensor"], "fp32", "A").reason(runPrecision: "fp32", runKernels: "B"),
                       "stale: computed with kernels A, this run uses B; engine code changed since it was computed (Tensor)")
        XCTAssertEqual(entry([], "fp32", nil).reason(runPrecision: "fp32", runKernels: "B"),
                       "stale: engine code changed since it was computed (fingerprint)",
                       "an entry from before kernels were keyed says nothing of them")
    }

    func testWithoutSourcesTheExecutableIsTheFingerprint() throws {
        let root = try temporaryDirectory()
        let binary = root.appendingPathComponent("labbook")
        try Data("build 1".utf8).write(to: binary)
        let first = CodeFingerprint.of(projectRoot: root, executable: binary)
        XCTAssertEqual(Array(first.modules.keys), ["executable"])
        try Data("build 2".utf8).write(to: binary)
        XCTAssertNotEqual(CodeFingerprint.of(projectRoot: root, executable: binary).digest, first.digest)
    }

    func testAnEngineChangeRecomputesTheCellAndListSaysWhy() throws {
        let root = try project()
        let cell = try CountingCell(directory: try temporaryDirectory(), question: "q3")
        func session(_ code: CodeFingerprint, probe: Bool = false) -> NotebookSession { cell.session(code, listing: probe) }
        func train(_ session: NotebookSession) throws -> Int { try cell.train(session) }
        let before = CodeFingerprint.of(projectRoot: root)
        XCTAssertEqual(try train(session(before)), 6)
        XCTAssertEqual(try train(session(before)), 6)
        XCTAssertEqual(cell.runs, 1, "same code: the cached result")

        try Data("struct Tensor { var fused = true }".utf8).write(to: root.appendingPathComponent("Sources/Tensor/Tensor.swift"))
        let after = CodeFingerprint.of(projectRoot: root)
        let probe = session(after, probe: true)
        XCTAssertEqual(try train(probe), 6, "the listing walks on with the stale result")
        XCTAssertEqual(cell.runs, 1, "a listing computes nothing")
        XCTAssertEqual(probe.cellRecords.last?.note, "stale: engine code changed since it was computed (Tensor)")
        XCTAssertEqual(probe.cellRecords.last?.cached, false)
        XCTAssertThrowsError(try probe.compute("never", version: "1", config: CounterConfig(size: 1)) { config, _ in config.size }) { error in
            XCTAssertEqual((error as? ProbeStopped)?.cell, "never", "the walk stops at a cell nobody computed")
        }
        XCTAssertNil(probe.cellRecords.last?.note)
        XCTAssertEqual(try train(session(after)), 6)
        XCTAssertEqual(cell.runs, 2, "new engine code: recomputed, never the old result")
        let fresh = session(after, probe: true)
        XCTAssertEqual(try train(fresh), 6)
        XCTAssertEqual(fresh.cellRecords.last?.cached, true)
        XCTAssertNil(fresh.cellRecords.last?.note)
    }
}

/// One counting cell, "train" (3 → 6), over a cache in a folder of its own, computed or listed
/// under the fingerprint a test gives.
private final class CountingCell {
    let directory: URL
    let cache: ResultCache
    let question: String
    /// How many times the cell was computed.
    private(set) var runs = 0

    init(directory: URL, question: String = "q4") throws {
        self.directory = directory
        self.question = question
        cache = ResultCache(directory: directory.appendingPathComponent("cache"))
    }

    func session(_ code: CodeFingerprint, listing: Bool = false) -> NotebookSession {
        NotebookSession(questionID: question, questionTitle: "t", profile: .quick, seed: 1, figureDirectory: directory,
                        cache: cache, console: Console(quiet: true), resolver: listing ? ListingResolver() : ComputingResolver(),
                        code: code)
    }

    func train(_ session: NotebookSession) throws -> Int {
        try session.compute("train", version: "1", config: CounterConfig(size: 3)) { config, _ in
            self.runs += 1
            return config.size * 2
        }.result
    }
}
