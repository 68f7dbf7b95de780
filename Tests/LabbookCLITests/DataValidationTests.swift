import Foundation
import TestSupport
import XCTest

/// Bad datasets and absurd flags through the real command line. Release builds drop the
/// engine's preconditions (`-Ounchecked`), so each of these once crashed or ran on garbage; now
/// each ends with one error line naming the file and the problem and exit status 1 (2 for a
/// flag, stating its limit), never a signal, and `run` writes no report and no cache entry.
final class DataValidationTests: XCTestCase {
    /// The four standard files in a temporary folder (deleted with it): `trainCount` 28x28
    /// training images labelled 0-9 in turn unless `trainLabels` says otherwise, and 10 test images.
    private func folder(trainCount: Int, rows: Int = 28, columns: Int = 28, trainLabels: [UInt8]? = nil) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, trainCount: trainCount, testCount: 10, rows: rows, columns: columns, gzipped: false)
        if let trainLabels { try directory.write(IDXFixture.labels(trainLabels), to: "train-labels-idx1-ubyte") }
        return directory
    }

    /// A folder `labbook` takes for its project root (Package.swift and templates/ present), so
    /// `run` would put its cache there rather than in this checkout's .labbook-cache/.
    private func scratchProject() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        try root.write([], to: "Package.swift")
        try root.write([], to: "templates/report.mustache")
        return root
    }

    /// Runs `labbook` and checks it failed with `status`, no signal, and a first stderr line
    /// holding every fragment; a data failure (status 1) prints exactly that one line.
    @discardableResult
    private func assertFails(_ arguments: [String], status: Int32, mentioning fragments: [String], in directory: URL? = nil,
                             file: StaticString = #filePath, line: UInt = #line) throws -> LabbookProcess.Outcome {
        let outcome = try LabbookProcess.run(arguments, in: directory)
        let command = "labbook " + arguments.joined(separator: " ")
        XCTAssertFalse(outcome.crashed, "\(command) died of signal \(outcome.status)", file: file, line: line)
        XCTAssertEqual(outcome.status, status, "\(command): \(outcome.error)", file: file, line: line)
        let lines = outcome.error.split(separator: "\n")
        let first = String(lines.first ?? "")
        for fragment in fragments {
            XCTAssertTrue(first.contains(fragment), "\(command): '\(first)' should contain '\(fragment)'", file: file, line: line)
        }
        if status == 1 { XCTAssertEqual(lines.count, 1, "\(command): one error line, got \(outcome.error)", file: file, line: line) }
        return outcome
    }

    private func mlp(_ directory: TemporaryDirectory) -> [String] {
        ["bench", "mlp", "--dataset", directory.url.path, "--epochs", "1", "--threads", "1"]
    }

    private func lenet(_ directory: TemporaryDirectory, _ extra: [String] = []) -> [String] {
        ["bench", "lenet", "--dataset", directory.url.path, "--steps", "1", "--threads", "1"] + extra
    }

    func testLabelsAll255AreRejected() throws {
        let data = try folder(trainCount: 64, trainLabels: Array(repeating: 255, count: 64))
        let labels = data.path("train-labels-idx1-ubyte").path
        for arguments in [mlp(data), lenet(data)] {
            try assertFails(arguments, status: 1, mentioning: [labels, "label 255 at index 0", "outside 0-9", "64 of 64"])
        }
    }

    /// Once `loss: 1029.42` and exit 0, and a 201-class model in `run q3`.
    func testHundredLabelsOf200AreRejectedByBenchesAndQuestions() throws {
        let data = try folder(trainCount: 100, trainLabels: Array(repeating: 200, count: 100))
        let fragments = [data.path("train-labels-idx1-ubyte").path, "label 200 at index 0", "100 of 100 labels"]
        for arguments in [mlp(data), lenet(data)] { try assertFails(arguments, status: 1, mentioning: fragments) }
        try assertRunLeavesNothingBehind(["q3", "q4"], data: data, mentioning: fragments)
    }

    func testImagesOf20x20AreRejectedWhereTheLayersNeed28x28() throws {
        let data = try folder(trainCount: 64, rows: 20, columns: 20)
        let images = data.path("train-images-idx3-ubyte").path
        try assertFails(mlp(data), status: 1,
                        mentioning: [images, "images are 20x20", "bench mlp needs 784 pixels per image", "784 inputs"])
        try assertFails(lenet(data), status: 1,
                        mentioning: [images, "images are 20x20", "bench lenet needs 28x28 images", "16x5x5 = 400 features"])
        try assertRunLeavesNothingBehind(["q4"], data: data, mentioning: [images, "q4 needs 28x28 images"])
    }

    func testNoTrainingImagesIsAnError() throws {
        let data = try folder(trainCount: 0)
        let fragments = [data.path("train-images-idx3-ubyte").path, "no images", "training set is empty"]
        for arguments in [mlp(data), lenet(data)] { try assertFails(arguments, status: 1, mentioning: fragments) }
        try assertRunLeavesNothingBehind(["q3"], data: data, mentioning: fragments)
    }

    /// Once a segfault (`bench mlp`), SIGFPE (`bench lenet`, `% 0`) and an internal plot error (`run q3`).
    func testOneTrainingImageIsFewerThanAStepNeeds() throws {
        let data = try folder(trainCount: 1)
        let images = data.path("train-images-idx3-ubyte").path
        try assertFails(mlp(data), status: 1, mentioning: [images, "1 training image", "bench mlp needs at least 40", "mini-batch takes 32"])
        try assertFails(lenet(data), status: 1, mentioning: [images, "bench lenet needs at least 64", "a mini-batch of 64"])
        try assertFails(lenet(data, ["--batch", "8"]), status: 1, mentioning: [images, "needs at least 8", "a mini-batch of 8"])
        try assertRunLeavesNothingBehind(["q3"], data: data, mentioning: [images, "q3 needs at least 40"])
    }

    func testBrokenGzipFilesNameTheFile() throws {
        let data = try folder(trainCount: 64)
        let images = IDXFixture.images(count: 64, rows: 28, columns: 28)
        let compressed = try IDXFixture.gzip(images)
        let path = data.path("train-images-idx3-ubyte.gz").path   // the .gz wins over the raw file

        try data.write(Array(compressed.dropLast(20)), to: "train-images-idx3-ubyte.gz")
        try assertFails(mlp(data), status: 1, mentioning: [path, "corrupt gzip", "ends early"])

        var damaged = compressed
        for index in damaged.count - 4 ..< damaged.count { damaged[index] = 0xff }
        try data.write(damaged, to: "train-images-idx3-ubyte.gz")
        try assertFails(mlp(data), status: 1, mentioning: [path, "corrupt gzip", "length check"])

        try data.write(try IDXFixture.gzip(images + Array(repeating: 0, count: 32 << 20)), to: "train-images-idx3-ubyte.gz")
        try assertFails(lenet(data), status: 1, mentioning: [path, "inflates to more than the \(images.count) bytes its header promises"])
    }

    func testAbsurdFlagsStateTheLimit() throws {
        let data = try folder(trainCount: 64)
        try assertFails(lenet(data, ["--batch", "100000"]), status: 2, mentioning: ["--batch must be between 1 and 1024", "100000"])
        try assertFails(["bench", "layers", "--batch", "100000"], status: 2, mentioning: ["--batch must be between 1 and 1024"])
        try assertFails(["bench", "resnet18", "--steps", "1000000"], status: 2, mentioning: ["--steps must be between 1 and 10000"])
        try assertFails(["bench", "resnet50", "--warmup=-1"], status: 2, mentioning: ["--warmup must be between 0 and 10000"])
        try assertFails(["bench", "landscape", "--grid", "100000"], status: 2, mentioning: ["--grid must be between 2 and 1001"])
        for threads in ["4294967296", "0"] {
            try assertFails(Array(mlp(data).dropLast(2)) + ["--threads", threads], status: 2, mentioning: ["--threads must be between 1 and 256", threads])
        }
    }

    /// Valid small folders still run: the checks reject only what the layers cannot take.
    func testValidSmallFoldersRun() throws {
        let data = try folder(trainCount: 64)
        let mlpRun = try LabbookProcess.run(mlp(data) + ["--json"])
        XCTAssertEqual(mlpRun.status, 0, mlpRun.error)
        let lenetRun = try LabbookProcess.run(lenet(data, ["--warmup", "0", "--json"]))
        XCTAssertEqual(lenetRun.status, 0, lenetRun.error)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data((lenetRun.output.split(separator: "\n").last ?? "").utf8)) as? [String: Any])
        XCTAssertGreaterThan(report["peak_rss_mb"] as? Double ?? 0, 0)
        XCTAssertEqual(report["warmup_steps"] as? Int, 0, "the JSON states the untimed steps it was asked for")
    }

    /// `labbook run` on `data` from a scratch project fails before writing: no reports folder,
    /// no cache.
    private func assertRunLeavesNothingBehind(_ questions: [String], data: TemporaryDirectory, mentioning fragments: [String],
                                              file: StaticString = #filePath, line: UInt = #line) throws {
        for question in questions {
            let project = try scratchProject()
            let reports = project.path("reports")
            try assertFails(["run", question, "--profile", "quick", "--dataset-dir", data.url.path, "--out", reports.path],
                            status: 1, mentioning: ["\(question): "] + fragments, in: project.url, file: file, line: line)
            XCTAssertFalse(FileManager.default.fileExists(atPath: reports.path), "\(question) wrote reports", file: file, line: line)
            XCTAssertFalse(FileManager.default.fileExists(atPath: project.path(".labbook-cache").path), "\(question) wrote a cache",
                           file: file, line: line)
        }
    }
}
