import Foundation
@testable import Notebook
import XCTest

/// A worker runs exactly the cell of its request from the definition its question names,
/// without the page (issue 24): the driver builds the page once, the workers never.
final class WorkerCellTests: XCTestCase {
    /// A question with one batch of four cells; counts page builds and cell runs.
    final class BatchQuestion: Question {
        let id = "qb"
        let title = "Batch"
        /// Whether the page's batch mixes two definitions (cubes and squares) instead of four squares.
        var mixesDefinitions = false
        private(set) var builds = 0
        private(set) var cellRuns = 0

        func squares() -> CellDefinition<CounterConfig, Int> {
            CellDefinition("square", version: "1") { [unowned self] config, _ in
                cellRuns += 1
                return config.size * config.size
            }
        }

        func cubes() -> CellDefinition<CounterConfig, Int> {
            CellDefinition("cube", version: "1") { [unowned self] config, _ in
                cellRuns += 1
                return config.size * config.size * config.size
            }
        }

        func build(_ session: NotebookSession) throws {
            builds += 1
            let results: [Computed<Int>]
            if mixesDefinitions {
                let definitions = [cubes(), squares(), cubes(), squares()]
                let calls = zip(definitions, [3, 1, 2, 4]).map { CellCall($0, config: CounterConfig(size: $1)) }
                results = try session.computeAll(calls, costliestFirst: \.size)
            } else {
                results = try session.computeAll(squares(), configs: (1...4).map { CounterConfig(size: $0) })
            }
            session.record("sum", Double(results.map(\.result).reduce(0, +)))
            session.record("values", text: results.map(\.result).map(String.init).joined(separator: " "))
        }

        func workerCell(named name: String, context: WorkerContext) throws -> WorkerCell? {
            switch name {
            case "square": return WorkerCell(squares())
            case "cube": return WorkerCell(cubes())
            default: return nil
            }
        }
    }

    /// Hands each request to `runWorker` of the worker's own question, in this process, as a
    /// worker process would; keeps the requests.
    final class InProcessExecutor: CellExecutor {
        let runner: NotebookRunner
        let workerQuestion = BatchQuestion()
        private(set) var requests: [CellRequest] = []
        var name: String { "in-process" }

        init(runner: NotebookRunner) { self.runner = runner }

        func run(_ requests: [CellRequest], requestFiles: [URL], console: Console) throws {
            for file in requestFiles {
                let request = try CellRequest.load(from: file)
                self.requests.append(request)
                try runner.runWorker(workerQuestion, request: request)
            }
        }
    }

    private func runner(in directory: URL, executor: (any CellExecutor)? = nil) throws -> NotebookRunner {
        var options = RunOptions(profile: .quick, seed: 1, outputDirectory: directory.appendingPathComponent("reports"),
                                 projectRoot: directory, forceRecompute: false, selfContained: false)
        options.executor = executor
        let templates = directory.appendingPathComponent("templates")
        if !FileManager.default.fileExists(atPath: templates.path) {
            try FileManager.default.createSymbolicLink(at: templates, withDestinationURL: repositoryRoot.appendingPathComponent("templates"))
        }
        return NotebookRunner(options: options, console: Console(quiet: true))
    }

    func testWorkersComputeTheirCellsWithoutThePage() throws {
        let directory = try temporaryDirectory()
        let executor = InProcessExecutor(runner: try runner(in: directory))
        let driver = BatchQuestion()
        XCTAssertEqual(try runner(in: directory, executor: executor).run([driver]), [])
        XCTAssertEqual(driver.builds, 1)
        XCTAssertEqual(driver.cellRuns, 0, "the driver computed nothing itself")
        XCTAssertEqual(executor.workerQuestion.builds, 0, "no worker built the page")
        XCTAssertEqual(executor.workerQuestion.cellRuns, 4, "each worker ran its one cell")
        XCTAssertEqual(executor.requests.map(\.name), Array(repeating: "square", count: 4))
        let results = try String(contentsOf: directory.appendingPathComponent("reports/qb/results.json"), encoding: .utf8)
        XCTAssertTrue(results.contains("\"sum\" : 30"), results)
        XCTAssertTrue(results.contains("\"executor\" : \"in-process\""), "the metadata names who computed the cells")
    }

    /// One batch may mix definitions (Q4's trainings of three networks): the executor gets the
    /// requests costliest first (here the largest size), and the results come back in the page's
    /// order, each from its own definition.
    func testABatchMayMixDefinitionsInTheGivenOrder() throws {
        let directory = try temporaryDirectory()
        let executor = InProcessExecutor(runner: try runner(in: directory))
        let driver = BatchQuestion()
        driver.mixesDefinitions = true
        XCTAssertEqual(try runner(in: directory, executor: executor).run([driver]), [])
        XCTAssertEqual(driver.cellRuns, 0, "the driver computed nothing itself")
        XCTAssertEqual(executor.requests.map(\.name), ["square", "cube", "cube", "square"], "sizes 4, 3, 2, 1")
        XCTAssertEqual(executor.requests.map(\.config), [4, 3, 2, 1].map { #"{"size":\#($0)}"# })
        XCTAssertEqual(executor.workerQuestion.cellRuns, 4)
        let results = try String(contentsOf: directory.appendingPathComponent("reports/qb/results.json"), encoding: .utf8)
        XCTAssertTrue(results.contains("\"values\" : \"27 1 8 16\""), results)
        XCTAssertTrue(results.contains("\"sum\" : 52"), results)
    }

    /// `--executor local --jobs N` gives each worker its share of the processors, which the
    /// worker's engine then uses (`labbook cell run` reads `LABBOOK_CORES`).
    func testLocalWorkersGetTheirShareOfTheCores() {
        let processors = ProcessInfo.processInfo.activeProcessorCount
        let binary = URL(fileURLWithPath: "/bin/true")
        XCTAssertEqual(LocalExecutor(jobs: 1, binary: binary).coresPerWorker, processors)
        XCTAssertEqual(LocalExecutor(jobs: 2, binary: binary).coresPerWorker, max(1, processors / 2))
        XCTAssertEqual(LocalExecutor(jobs: 64, binary: binary).coresPerWorker, max(1, processors / 64), "at least one core each")
        let environment = LocalExecutor(jobs: 2, binary: binary).workerEnvironment
        XCTAssertEqual(environment[LocalExecutor.coresVariable], "\(max(1, processors / 2))")
        XCTAssertEqual(environment[LocalExecutor.driverVariable], "\(getpid())")
        XCTAssertEqual(environment["PATH"], ProcessInfo.processInfo.environment["PATH"], "the rest of the environment is passed on")
    }

    func testARequestThatDoesNotMatchTheCodeIsRefused() throws {
        let directory = try temporaryDirectory()
        let executor = InProcessExecutor(runner: try runner(in: directory))
        _ = try runner(in: directory, executor: executor).run([BatchQuestion()])
        let worker = try runner(in: directory)
        var request = try XCTUnwrap(executor.requests.first)
        request.config = #"{"size":7}"#
        XCTAssertThrowsError(try worker.runWorker(BatchQuestion(), request: request)) { error in
            XCTAssertTrue("\(error)".contains("the driver runs other code or settings"), "\(error)")
        }
        request = try XCTUnwrap(executor.requests.first)
        request.config = "not json"
        XCTAssertThrowsError(try worker.runWorker(BatchQuestion(), request: request)) { error in
            XCTAssertTrue("\(error)".contains("holds no config of that cell"), "\(error)")
        }
        request = try XCTUnwrap(executor.requests.first)
        request.name = "hexagon"
        XCTAssertThrowsError(try worker.runWorker(BatchQuestion(), request: request)) { error in
            XCTAssertTrue("\(error)".contains("qb has no batch cell named hexagon"), "\(error)")
        }
    }
}
