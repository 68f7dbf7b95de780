import Foundation
@testable import Notebook
import XCTest

/// The repository's templates folder, found from this file's location.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

extension XCTestCase {
    /// Runs `SampleQuestion` into a temporary project (templates linked from this checkout) and
    /// returns its report folder's parent.
    func runSample(selfContained: Bool = false) throws -> (output: URL, question: SampleQuestion) {
        let directory = try temporaryDirectory()
        let options = RunOptions(profile: .quick, seed: 1, outputDirectory: directory.appendingPathComponent("reports"),
                                 projectRoot: repositoryRoot, forceRecompute: false, selfContained: selfContained)
        let question = SampleQuestion()
        let runner = NotebookRunner(options: RunOptions(profile: .quick, seed: 1, outputDirectory: options.outputDirectory,
                                                        projectRoot: directory, forceRecompute: false, selfContained: selfContained),
                                    console: Console(quiet: true))
        try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("templates"),
                                                   withDestinationURL: repositoryRoot.appendingPathComponent("templates"))
        let failures = try runner.run([question])
        XCTAssertEqual(failures, [])
        return (options.outputDirectory, question)
    }

    /// A fresh folder for this test, removed when the test ends (pass or fail).
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("labbook-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

struct CounterConfig: Codable {
    var size: Int
}

/// A question with two computed cells, a figure (a tiny PNG written by hand), a table,
/// metrics with a formula and a claim, counting how often each cell really runs.
final class SampleQuestion: Question {
    let id = "qs"
    let title = "Sample <question> & friends"
    var firstSize = 3
    var secondSize = 5
    private(set) var runs: [String: Int] = [:]
    private(set) var figureDraws = 0

    func build(_ session: NotebookSession) throws {
        session.heading("First section")
        session.prose("Inline math $x_i * y_i$ and display $$\\sum_i w_i$$ with a <script>alert(1)</script>-free caption.")
        let first = try session.compute("first", version: "1", config: CounterConfig(size: firstSize)) { config, _ in
            self.runs["first", default: 0] += 1
            return (0..<config.size).map(Double.init)
        }
        let second = try session.compute("second", version: "1", config: CounterConfig(size: secondSize), inputs: [first.key]) { config, progress in
            self.runs["second", default: 0] += 1
            progress.update(1, of: 2)
            return first.result.reduce(0, +) * Double(config.size)
        }
        let figure = try session.figure("sample", caption: "A sample figure with `code` and $\\alpha$.") { files in
            figureDraws += 1
            for url in [files.png, files.darkPNG] { try samplePNG.write(to: url) }
            for url in [files.svg, files.darkSVG] { try Data("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8).write(to: url) }
        }
        // A figure with its numbers as a file and an interactive viewer's data (whose text must
        // not end the page's <script> element early).
        try session.figure("surface", caption: "A surface with data.",
                           attachments: FigureAttachments(dataFiles: [FigureDataFile(label: "CSV", fileName: "surface.csv", contents: "alpha,beta,loss\n0,0,1\n")],
                                                          surfaceViewer: "{\"title\":\"</script><b>x</b>\"}")) { files in
            try samplePNG.write(to: files.png)
            try Data("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8).write(to: files.svg)
        }
        session.heading("Second section")
        session.table(Table(caption: "A table", headers: ["Name", "Value"], rows: [["<b>bold?</b>", "1"], ["pipe | here", "2"]]))
        session.metrics([Metric(key: "qs.second", label: "Second result", value: second.result)])
        session.claim(ClaimCheck(id: "sample", claim: "Escapes <this> & that", verdict: .supported,
                                 evidence: ["See \(session.link(figure))."], conclusion: "It holds."))
        session.headline("Second", "\(second.result)")
    }
}

/// A valid 1×1 PNG.
let samplePNG = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!
