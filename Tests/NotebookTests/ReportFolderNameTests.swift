import Foundation
@testable import Notebook
import XCTest

/// Only folders named like a question reach the index, figures.json and assignment.html: a
/// hostile name would otherwise be written raw into the pages Chromium prints, and a copied
/// folder would add its question twice.
final class ReportFolderNameTests: XCTestCase {
    func testQuestionFolderNames() {
        for name in ["q1", "q10", "qs"] { XCTAssertTrue(IndexWriter.isQuestionFolder(name), name) }
        for name in ["q", "Q1", "q3-old", "q8\"><img src=x onerror=alert(1)>", ".q1", "q1 ", "qé", String(repeating: "q", count: 17)] {
            XCTAssertFalse(IndexWriter.isQuestionFolder(name), name)
        }
    }

    func testHostileAndCopiedFoldersAreLeftOutOfEveryPage() throws {
        let (output, _) = try runSample()
        let hostile = "q8\"><img src=x onerror=alert(1)>"
        for copy in [hostile, "q3-old", "qcopy"] {
            try FileManager.default.copyItem(at: output.appendingPathComponent("qs"), to: output.appendingPathComponent(copy))
        }
        let templates = try TemplateSet(directory: repositoryRoot.appendingPathComponent("templates"))
        let index = IndexWriter(templates: templates, outputDirectory: output, selfContained: false)
        XCTAssertEqual(try index.collect().map(\.question), ["qs"], "qcopy's results.json names qs: not listed twice")
        try index.write()
        let document = AssignmentDocument(templates: templates, reportsDirectory: output)
        XCTAssertFalse(try document.chapters().map(\.id).contains(hostile))
        try document.write()
        for page in ["index.html", "index.md", "figures.json", AssignmentDocument.fileName] {
            let text = try String(contentsOf: output.appendingPathComponent(page), encoding: .utf8)
            XCTAssertFalse(text.contains("onerror"), page)
            XCTAssertFalse(text.contains("q3-old"), page)
        }
        let indexPage = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(indexPage.contains("<a href=\"assignment.html\">assignment.html</a>"))
        XCTAssertTrue(indexPage.contains("<a href=\"figures.json\">figures.json</a>"))
    }
}
