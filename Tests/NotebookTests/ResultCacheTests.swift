@testable import Notebook
import XCTest

final class ResultCacheTests: XCTestCase {
    func makeSession(cache: ResultCache, figures: URL, force: Bool = false, figureCodeVersion: String? = nil) -> NotebookSession {
        NotebookSession(questionID: "qs", questionTitle: "t", profile: .quick, seed: 1, figureDirectory: figures,
                        cache: cache, console: Console(quiet: true), resolver: ComputingResolver(forceRecompute: force),
                        figureCodeVersion: force ? nil : figureCodeVersion)
    }

    func testFiguresAreReusedOnlyWhileTheirInputsAndCodeVersionAreUnchanged() throws {
        let directory = try temporaryDirectory()
        let cache = ResultCache(directory: directory.appendingPathComponent("cache"))
        let question = SampleQuestion()
        try question.build(makeSession(cache: cache, figures: directory.appendingPathComponent("a"), figureCodeVersion: "v1"))
        let reusing = makeSession(cache: cache, figures: directory.appendingPathComponent("b"), figureCodeVersion: "v1")
        try question.build(reusing)
        XCTAssertEqual(question.figureDraws, 1, "same inputs, same code: the figure is copied")
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("b/sample.png")), samplePNG)
        XCTAssertEqual(reusing.cellRecords.first { $0.kind == "figure" }?.status, "reused")

        question.firstSize = 7
        try question.build(makeSession(cache: cache, figures: directory.appendingPathComponent("c"), figureCodeVersion: "v1"))
        XCTAssertEqual(question.figureDraws, 2, "a changed input redraws")
        try question.build(makeSession(cache: cache, figures: directory.appendingPathComponent("d"), figureCodeVersion: "v2"))
        XCTAssertEqual(question.figureDraws, 3, "changed drawing code redraws")
        try question.build(makeSession(cache: cache, figures: directory.appendingPathComponent("e")))
        XCTAssertEqual(question.figureDraws, 4, "without a code version (dirty tree) figures are always drawn")
    }

    /// A cell computed on behalf of another question is keyed and stored as that question's:
    /// the owner's own run finds it, and vice versa.
    func testCellsOfAnotherQuestionAreSharedWithIt() throws {
        let directory = try temporaryDirectory()
        let cache = ResultCache(directory: directory.appendingPathComponent("cache"))
        var runs = 0
        let borrower = NotebookSession(questionID: "q4", questionTitle: "t", profile: .quick, seed: 1, figureDirectory: directory,
                                       cache: cache, console: Console(quiet: true))
        let borrowed = try borrower.compute("train", version: "1", config: CounterConfig(size: 2), ofQuestion: "q3") { config, _ in
            runs += 1
            return config.size * 10
        }
        XCTAssertEqual(borrowed.result, 20)
        XCTAssertEqual(borrower.cellRecords.last?.cell, "q3/train")
        let owner = NotebookSession(questionID: "q3", questionTitle: "t", profile: .quick, seed: 1, figureDirectory: directory,
                                    cache: cache, console: Console(quiet: true))
        let own = try owner.compute("train", version: "1", config: CounterConfig(size: 2)) { config, _ in
            runs += 1
            return config.size * 10
        }
        XCTAssertEqual(runs, 1, "the owner's run is a cache hit")
        XCTAssertEqual(own.key, borrowed.key)
        XCTAssertEqual(own.artifacts, borrowed.artifacts)
        XCTAssertEqual(owner.cellRecords.last?.cached, true)
    }

    func testSecondRunIsAllHitsAndChangedConfigRerunsOnlyItsCellAndDependents() throws {
        let directory = try temporaryDirectory()
        let cache = ResultCache(directory: directory.appendingPathComponent("cache"))
        let question = SampleQuestion()
        try question.build(makeSession(cache: cache, figures: directory))
        XCTAssertEqual(question.runs, ["first": 1, "second": 1])

        let again = makeSession(cache: cache, figures: directory)
        try question.build(again)
        XCTAssertEqual(question.runs, ["first": 1, "second": 1], "nothing changed: nothing recomputed")
        XCTAssertTrue(again.cellRecords.filter { $0.kind == "compute" }.allSatisfy(\.cached))

        question.secondSize = 6
        try question.build(makeSession(cache: cache, figures: directory))
        XCTAssertEqual(question.runs, ["first": 1, "second": 2], "only the changed cell reruns")

        question.firstSize = 4
        try question.build(makeSession(cache: cache, figures: directory))
        XCTAssertEqual(question.runs, ["first": 2, "second": 3], "a changed input invalidates the cells that consume it")

        try question.build(makeSession(cache: cache, figures: directory, force: true))
        XCTAssertEqual(question.runs, ["first": 3, "second": 4], "--force recomputes")
    }

    func testInterruptedWriteLeavesOldEntryAndCorruptEntryIsAMiss() throws {
        let directory = try temporaryDirectory()
        let cache = ResultCache(directory: directory)
        let key = try CellKey(question: "q", cell: "c", version: "1", config: CounterConfig(size: 1))
        try cache.store([1.0, 2.0], seconds: 0.5, question: "q", cell: "c", key: key)
        let entry = cache.entryURL(question: "q", cell: "c", key: key)
        // A write killed before its rename leaves only a stray temporary file behind.
        try Data("{\"trunc".utf8).write(to: entry.deletingLastPathComponent().appendingPathComponent(".\(entry.lastPathComponent).dead.partial"))
        XCTAssertEqual(cache.load([Double].self, question: "q", cell: "c", key: key)?.result, [1.0, 2.0])

        try Data("{\"truncated".utf8).write(to: entry)
        XCTAssertNil(cache.load([Double].self, question: "q", cell: "c", key: key), "a corrupt entry is a miss, not a crash")
    }

    func testKeyDependsOnEveryIngredient() throws {
        let base = try CellKey(question: "q", cell: "c", version: "1", config: CounterConfig(size: 1))
        XCTAssertEqual(base, try CellKey(question: "q", cell: "c", version: "1", config: CounterConfig(size: 1)))
        XCTAssertNotEqual(base, try CellKey(question: "q", cell: "c", version: "2", config: CounterConfig(size: 1)))
        XCTAssertNotEqual(base, try CellKey(question: "q", cell: "d", version: "1", config: CounterConfig(size: 1)))
        XCTAssertNotEqual(base, try CellKey(question: "q", cell: "c", version: "1", config: CounterConfig(size: 2)))
        XCTAssertNotEqual(base, try CellKey(question: "q", cell: "c", version: "1", config: CounterConfig(size: 1), inputs: [base]))
    }
}
