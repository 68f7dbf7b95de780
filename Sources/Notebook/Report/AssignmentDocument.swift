import AtomicFiles
import Foundation

/// The question reports as one document, `assignment.html`: a title page, contents, then each
/// question in the assignment's order, ready for print to PDF (`PDFPrinter`, `templates/print.css`).
///
/// It is built from the `qN/report.html` and `qN/results.json` files already in the reports
/// folder, so it needs no rerun and works after a partial run: each page's `<main>` is taken
/// and made unique within the document (see `AssignmentChapter`): ids and `#anchors` prefixed
/// with the question, relative links pointing into its folder, figures and tables numbered
/// "Figure 4.3." / "Table 4.2.", the interactive surface viewers left out (the static figure
/// stays).
public struct AssignmentDocument {
    public static let fileName = "assignment.html"
    public static let title = "Deep Learning Assignment"

    let templates: TemplateSet
    public let reportsDirectory: URL

    public init(templates: TemplateSet, reportsDirectory: URL) {
        self.templates = templates
        self.reportsDirectory = reportsDirectory
    }

    public var url: URL { reportsDirectory.appendingPathComponent(Self.fileName) }

    /// Every question report in the folder (a folder named q and digits, with report.html and
    /// results.json), in question order: q1, q2, ..., q10. Other folders are ignored, so a stray
    /// or hostile name (`q8"><img …>`) never reaches the document Chromium prints.
    public func chapters() throws -> [AssignmentChapter] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: reportsDirectory.path)) ?? []
        let folders = names.filter { name in
            let folder = reportsDirectory.appendingPathComponent(name)
            return IndexWriter.isQuestionFolder(name)
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent("report.html").path)
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent("results.json").path)
        }
        return try folders.sorted(by: Self.questionOrder).map { name in
            let folder = reportsDirectory.appendingPathComponent(name)
            let page = folder.appendingPathComponent("report.html")
            let html: String
            do { html = try String(contentsOf: page, encoding: .utf8) } catch {
                throw NotebookError.io("cannot read \(page.path) (\(AtomicFile.reason(error)))")
            }
            return try AssignmentChapter(id: name, page: html, pageURL: page,
                                         results: ResultsFile.load(from: folder.appendingPathComponent("results.json")))
        }
    }

    /// q2 before q10: by the number after "q", then by name.
    static func questionOrder(_ a: String, _ b: String) -> Bool {
        func number(_ id: String) -> Int? { id.first == "q" ? Int(id.dropFirst()) : nil }
        switch (number(a), number(b)) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a < b
        }
    }

    /// The document's HTML for `chapters` (at least one).
    public func render(_ chapters: [AssignmentChapter]) throws -> String {
        try templates.render("assignment", [
            "title": Self.title,
            "version": RunMetadata.labbookVersion,
            "facts": Self.facts(chapters.map { ($0.id, $0.results.metadata) }).map { ["field": $0.field, "value": $0.value] },
            "questions": chapters.map { chapter -> [String: Any] in
                [
                    "id": chapter.id, "heading": chapter.heading, "body": chapter.body,
                    "sections": chapter.sections.map { ["anchor": $0.anchor, "title": $0.titleHTML] },
                ]
            },
            "assets": "assets",
        ])
    }

    /// Writes `assignment.html` from the reports in the folder and returns its chapters.
    /// - Throws: `NotebookError.invalidInput` when the folder holds no question report.
    @discardableResult
    public func write() throws -> [AssignmentChapter] {
        let chapters = try chapters()
        try write(chapters)
        return chapters
    }

    /// Writes `assignment.html` with `chapters` (from `chapters()`).
    public func write(_ chapters: [AssignmentChapter]) throws {
        guard !chapters.isEmpty else {
            throw NotebookError.invalidInput("\(reportsDirectory.path) holds no question reports (qN/report.html with results.json); run `labbook run` first")
        }
        try AtomicFile.write(try render(chapters), to: url)
    }

    /// The title page's facts about the runs: one value when every question shares it,
    /// otherwise each value with the questions it belongs to.
    static func facts(_ runs: [(question: String, metadata: RunMetadata)]) -> [(field: String, value: String)] {
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "d MMMM yyyy"
        let dates = runs.map(\.metadata.date)
        let dateRange = [dates.min(), dates.max()].compactMap { $0.map(day.string(from:)) }
        func summary(_ value: (RunMetadata) -> String) -> String {
            var order: [String] = [], questions: [String: [String]] = [:]
            for run in runs {
                let text = value(run.metadata)
                if questions[text] == nil { order.append(text) }
                questions[text, default: []].append(run.question.uppercased())
            }
            if order.count == 1 { return order[0] }
            return order.map { "\($0) (\(questions[$0]!.joined(separator: ", ")))" }.joined(separator: "; ")
        }
        return [
            ("Questions", runs.map { $0.question.uppercased() }.joined(separator: ", ")),
            ("Date", Set(dateRange).count <= 1 ? (dateRange.first ?? "") : dateRange.joined(separator: " to ")),
            ("Git commit", summary(\.gitCommit)),
            ("Machine", summary(\.machine)),
            ("Profile", summary(\.profile)),
            ("Seed", summary { String($0.seed) }),
        ]
    }
}
