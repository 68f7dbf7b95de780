import ArgumentParser
import Foundation
import Notebook
import Questions

/// `labbook pdf`: the question reports already in a folder as one document, assignment.html,
/// printed to assignment.pdf by headless Chromium. No question is rerun.
struct PDFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pdf",
        abstract: "Write assignment.html and assignment.pdf (headless Chromium) from the question reports in a folder.",
        discussion: "Every qN/report.html in the folder becomes a chapter, in question order, after a title page and contents. Without Chromium only assignment.html is written, an older assignment.pdf is removed, and the command fails (exit 1) with a note saying how to install it. Exit status 2 when the folder holds no reports, 1 when printing fails or no browser is found.")

    @Option(name: .long, help: "Folder holding the reports (q1/report.html, ...).")
    var out: String = "reports"

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: CommonOptions.absolute(out).path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--out \(out) is not a folder of reports (run `labbook run --out \(out)` first)")
        }
        try CommonOptions.validateWritableFolder(out, option: "--out")
    }

    func run() throws {
        let reports = CommonOptions.absolute(out).standardizedFileURL
        let templates: TemplateSet
        do {
            templates = try TemplateSet(directory: ProjectPaths.root().appendingPathComponent("templates"))
        } catch {
            throw RunFailure(description: "\(error)")
        }
        let document = AssignmentDocument(templates: templates, reportsDirectory: reports)
        let chapters: [AssignmentChapter]
        do {
            chapters = try document.chapters()   // a page or results.json that is not Labbook's is bad input
        } catch {
            throw UsageError(description: "\(error)")
        }
        guard !chapters.isEmpty else {
            throw UsageError(description: "\(reports.path) holds no question reports (qN/report.html with results.json); run `labbook run --out \(out)` first")
        }
        do {
            try ReportAssets(outputDirectory: reports, templates: templates).install()   // print.css, KaTeX
            try document.write(chapters)
        } catch {
            throw RunFailure(description: "\(error)")
        }
        print("Assignment: \(document.url.path) (\(chapters.map { $0.id }.joined(separator: ", ")))")
        try AssignmentPDF.print(reports: reports, browserRequired: true)
    }
}

/// Prints assignment.html to assignment.pdf for `labbook pdf` and `labbook run --pdf`.
enum AssignmentPDF {
    static let fileName = "assignment.pdf"

    /// Prints `reports`/assignment.html. Without Chromium: a note on standard error saying how
    /// to get it, and an older assignment.pdf is removed (it no longer matches assignment.html);
    /// for `run --pdf` that is not a failure, so a machine without a browser still gets every
    /// other output, while `labbook pdf`, which asked for nothing else, fails (`browserRequired`).
    /// - Throws: `RunFailure` when there is no assignment.html or Chromium fails or is required and missing.
    static func print(reports: URL, browserRequired: Bool = false) throws {
        let page = reports.appendingPathComponent(AssignmentDocument.fileName), pdf = reports.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: page.path) else {
            throw RunFailure(description: "cannot print \(pdf.path): \(page.path) is missing (no question report was written)")
        }
        guard let printer = PDFPrinter.find() else {
            let stale = FileManager.default.fileExists(atPath: pdf.path)
            if stale { try? FileManager.default.removeItem(at: pdf) }
            let note = PDFPrinter.missingMessage(for: pdf) + (stale ? " (the older \(fileName) was removed: it no longer matched assignment.html)" : "")
            guard browserRequired else {
                FileHandle.standardError.write(Data("labbook: note: \(note)\n".utf8))
                return
            }
            throw RunFailure(description: note)
        }
        let start = Date()
        do {
            try printer.print(page, to: pdf)
        } catch {
            throw RunFailure(description: "\(error)")
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: pdf.path)[.size] as? Int) ?? 0
        Swift.print("PDF: \(pdf.path) (\(String(format: "%.1f", Double(bytes) / 1_048_576)) MB, \(Console.formatSeconds(Date().timeIntervalSince(start))))")
    }
}
