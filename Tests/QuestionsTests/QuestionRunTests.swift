import Checksums
import Foundation
import Notebook
import Plot
@testable import Questions
import TestSupport
import XCTest

/// Runs the real questions on the quick profile into a temporary folder, once per test class,
/// and checks the reports a user would open.
final class QuestionRunTests: XCTestCase {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var output: URL!
    static var cache: URL!
    static var firstRunFailures: [String] = []
    static var secondRunSeconds = 0.0
    static var secondRunRecords: [String: [CellRecord]] = [:]

    /// Reports and cache both go to temporary folders: the tests never touch the project's
    /// reports/ or .labbook-cache/ (a fresh clone's `make report` must not start with cells the
    /// tests computed), and both are removed afterwards.
    static func options(_ force: Bool = false) -> RunOptions {
        var options = RunOptions(profile: .quick, seed: 42, outputDirectory: output, projectRoot: projectRoot, forceRecompute: force,
                                 selfContained: false)
        options.cacheDirectory = cache
        return options
    }

    override class func tearDown() {
        for folder in [output, cache].compactMap({ $0 }) { try? FileManager.default.removeItem(at: folder) }
        super.tearDown()
    }

    override class func setUp() {
        super.setUp()
        output = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-questions-\(UUID().uuidString)")
        cache = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-questions-cache-\(UUID().uuidString)")
        let runner = NotebookRunner(options: options(), console: Console(quiet: true))
        let questions = QuestionCatalog.all(projectRoot: projectRoot)
        firstRunFailures = (try? runner.run(questions)) ?? ["runner"]
        let start = Date()
        _ = try? runner.run(questions)
        secondRunSeconds = Date().timeIntervalSince(start)
        for question in questions {
            if let results = try? ResultsFile.load(from: output.appendingPathComponent("\(question.id)/results.json")) {
                secondRunRecords[question.id] = results.metadata.cells
            }
        }
    }

    func testEveryQuestionRanAndTheSecondRunIsAllCacheHits() {
        XCTAssertEqual(Self.firstRunFailures, [])
        for (question, records) in Self.secondRunRecords {
            let computed = records.filter { $0.kind == "compute" }
            XCTAssertFalse(computed.isEmpty, question)
            XCTAssertTrue(computed.allSatisfy(\.cached), "\(question): second run recomputed \(computed.filter { !$0.cached }.map(\.cell))")
        }
        XCTAssertEqual(Set(Self.secondRunRecords.keys), Set(QuestionCatalog.all(projectRoot: Self.projectRoot).map(\.id)))
    }

    func testReportsHaveResolvingLinksAndEnoughFigures() throws {
        for question in QuestionCatalog.all(projectRoot: Self.projectRoot) {
            let report = Self.output.appendingPathComponent(question.id)
            XCTAssertEqual(try ReportLinks.unresolved(inReportAt: report), [], question.id)
            let figures = try FileManager.default.contentsOfDirectory(atPath: report.appendingPathComponent("figures").path)
            XCTAssertEqual(figures.filter { $0.hasSuffix(".png") }.count, figures.filter { $0.hasSuffix(".svg") }.count)
            if question.id == "q1" { XCTAssertGreaterThanOrEqual(figures.filter { $0.hasSuffix(".png") }.count, 6) }
        }
        let index = try String(contentsOf: Self.output.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("q1/report.html"))
        // All four in one document: every link resolves, the viewers are left out.
        let assignment = Self.output.appendingPathComponent(AssignmentDocument.fileName)
        XCTAssertEqual(try ReportLinks.unresolved(inPageAt: assignment), [])
        let html = try String(contentsOf: assignment, encoding: .utf8)
        for question in QuestionCatalog.all(projectRoot: Self.projectRoot) {
            XCTAssertTrue(html.contains("<section class=\"question\" id=\"\(question.id)\">"), question.id)
        }
        XCTAssertFalse(html.contains("surface-viewer"))
    }

    func testQ1FiguresDecodeAndTheEigenvalueMapShowsBothSigns() throws {
        let figures = Self.output.appendingPathComponent("q1/figures")
        let image = try PNGImage(data: Data(contentsOf: figures.appendingPathComponent("smallest-eigenvalue.png")))
        XCTAssertEqual(image.width, 1800, "900-point figure at 2x")
        XCTAssertGreaterThan(image.distinctColorCount, 100)
        // Somewhere on the MSE panel (right half) there is a clearly blue pixel: negative curvature.
        var bluePixels = 0
        for y in stride(from: 100, to: image.height - 100, by: 7) {
            for x in stride(from: image.width / 2, to: image.width - 200, by: 7) {
                let pixel = image.pixel(x: x, y: y)
                if Int(pixel.blue) > Int(pixel.red) + 60 { bluePixels += 1 }
            }
        }
        XCTAssertGreaterThan(bluePixels, 20)
    }

    func testVerdictsAreComputed() throws {
        let q1 = try ResultsFile.load(from: Self.output.appendingPathComponent("q1/results.json"))
        guard case .number(let ceMinimum) = q1.values["q1.ce.min_eigenvalue"], case .number(let mseMinimum) = q1.values["q1.mse.min_eigenvalue"] else {
            return XCTFail("missing eigenvalue metrics")
        }
        XCTAssertGreaterThanOrEqual(ceMinimum, -1e-9)
        XCTAssertLessThan(mseMinimum, 0)
        XCTAssertEqual(q1.verdicts["ce-penalises-large-errors"], .supported)
        let q2 = try ResultsFile.load(from: Self.output.appendingPathComponent("q2/results.json"))
        XCTAssertEqual(q2.verdicts["deep-linear-mse-convex"], .refuted)
    }

    func testQ3LearnsWellAboveChance() throws {
        let q3 = try ResultsFile.load(from: Self.output.appendingPathComponent("q3/results.json"))
        guard case .number(let accuracy) = q3.values["q3.test_accuracy"], case .number(let parameters) = q3.values["q3.parameters"] else {
            return XCTFail("missing Q3 metrics")
        }
        XCTAssertGreaterThan(accuracy, 0.8)
        XCTAssertEqual(parameters, 109_386)
    }

    /// Only the fallback set says full MNIST is missing; a folder the user chose does not, nor
    /// the quick profile, which uses mnist-5k on purpose.
    func testQ3DatasetNoteNamesMissingMNISTOnlyForTheFallback() {
        XCTAssertEqual(Question3.datasetNote(name: "mnist", profile: .default), "")
        XCTAssertTrue(Question3.datasetNote(name: "mnist-5k", profile: .default).contains("not on this machine"))
        XCTAssertFalse(Question3.datasetNote(name: "mnist-5k", profile: .quick).contains("not on this machine"))
        XCTAssertFalse(Question3.datasetNote(name: "/data/my-digits", profile: .default).contains("not on this machine"))
        XCTAssertFalse(Question3.datasetNote(name: "fashion-mnist", profile: .default).contains("not on this machine"))
    }

    /// The quick profile's Q3 and Q4 run on mnist-5k subsets even where full MNIST is present,
    /// from several seeds, with the new tuning method and Q4's validation split.
    func testQ3AndQ4ReportSeedsHalvingAndValidation() throws {
        let q3 = try ResultsFile.load(from: Self.output.appendingPathComponent("q3/results.json"))
        for key in ["q3.test_accuracy_mean", "q3.test_accuracy_std", "q3.tuning.successive_halving.best_validation_accuracy",
                    "q3.tuning.importance.learningRate"] {
            guard case .number(let value) = q3.values[key] else { return XCTFail("missing \(key)") }
            XCTAssertTrue(value.isFinite, key)
        }
        let q4 = try ResultsFile.load(from: Self.output.appendingPathComponent("q4/results.json"))
        guard case .number(let spread) = q4.values["q4.lenet5.test_accuracy_std"] else { return XCTFail("missing Q4 spread") }
        XCTAssertGreaterThanOrEqual(spread, 0)
        let markdown = try String(contentsOf: Self.output.appendingPathComponent("q4/report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("mnist-5k"))
        XCTAssertTrue(markdown.contains("held out for the curves"))
        XCTAssertTrue(markdown.contains("accuracy-vs-cost"))
        XCTAssertTrue(markdown.contains("**Decision rule:**"))
        XCTAssertNotNil(q4.verdicts["resnet-suits-more"])
        for key in ["q4.paired.resnet18_vs_lenet5.mcnemar_p", "q4.paired.resnet50_vs_lenet5.holm_p", "q4.lenet5.doubled_budget.validation_change"] {
            guard case .number(let value) = q4.values[key] else { return XCTFail("missing \(key)") }
            XCTAssertTrue(value.isFinite, key)
        }
        // The per-image predictions: listed with their SHA-256, one row per test image, one column per network and seed.
        let listed = try XCTUnwrap(q4.dataFiles?.first { $0.path == "predictions.csv" })
        let csv = try Data(contentsOf: Self.output.appendingPathComponent("q4/predictions.csv"))
        XCTAssertEqual(listed.bytes, csv.count)
        XCTAssertEqual(listed.sha256, SHA256.hexDigest(of: [UInt8](csv)))
        let lines = String(decoding: csv, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines[0].split(separator: ",").count, 2 + 2 * 3 * 2, "index, label, then class and p_true per run (3 networks × 2 seeds)")
        XCTAssertTrue(markdown.contains("[predictions.csv](predictions.csv)"))
    }
}
