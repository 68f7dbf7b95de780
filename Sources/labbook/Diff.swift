import ArgumentParser
import Foundation
import Notebook
import Questions

/// `labbook diff A B`: what changed between two sets of reports, each a folder or a git
/// revision of the project's `reports/` (DVC's `metrics diff` / `plots diff`).
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two sets of reports: numbers beyond a tolerance, flipped verdicts, headlines, figures, run metadata.",
        discussion: "A and B are report folders (like reports/) or git revisions whose reports/ is compared (e.g. HEAD~1 HEAD). Exit status 1 when something changed beyond the tolerance, 0 when not, 2 on bad input.")

    @Argument(help: "The old reports: a folder or a git revision.")
    var old: String

    @Argument(help: "The new reports: a folder or a git revision.")
    var new: String

    @Option(help: "Relative change a number may make without counting (0 counts every change).")
    var tolerance: Double = 1e-9

    @Option(help: "Leave out result keys containing this text, e.g. 'seconds' for timings (repeatable).")
    var ignore: [String] = []

    @Option(help: "Also write a page with the changes and changed figures side by side into this folder.")
    var html: String?

    func validate() throws {
        guard tolerance >= 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a non-negative number") }
    }

    func run() throws {
        let root = ProjectPaths.root()
        var scratch: [URL] = []
        defer { for folder in scratch { try? FileManager.default.removeItem(at: folder) } }
        func reports(_ argument: String) throws -> URL {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
                return URL(fileURLWithPath: argument).standardizedFileURL
            }
            guard let folder = try GitReports.extract(revision: argument, projectRoot: root) else {
                throw UsageError(description: "\(argument) is neither a folder nor a git revision of \(root.path)")
            }
            scratch.append(folder.deletingLastPathComponent())
            return folder
        }
        let diff: ReportDiff
        let (a, b) = (try reports(old), try reports(new))
        do {
            diff = try ReportDiff.compare(a, b, tolerance: tolerance, ignoring: ignore)
        } catch {
            throw UsageError(description: "\(error)")
        }
        print(diff.summary)
        if let html {
            try CommonOptions.validateWritableFolder(html, option: "--html")
            let output = CommonOptions.absolute(html)
            try ReportDiffPage.write(diff, old: a, new: b, oldLabel: old, newLabel: new, to: output)
            print("Page: \(output.appendingPathComponent("index.html").path)")
        }
        if !diff.significantChanges.isEmpty { throw ExitCode(1) }
    }
}

/// The `reports/` folder of a git revision, unpacked into a temporary folder.
enum GitReports {
    /// The unpacked `reports/` of `revision`, or nil when `revision` names no commit.
    static func extract(revision: String, projectRoot: URL) throws -> URL? {
        guard !revision.hasPrefix("-"),
              CommandOutput.run(["git", "-C", projectRoot.path, "rev-parse", "--verify", "--quiet", "\(revision)^{commit}"]) != nil else {
            return nil
        }
        let folder = try ScratchFolder.make("diff")
        let archive = folder.appendingPathComponent("reports.tar")
        guard CommandOutput.run(["git", "-C", projectRoot.path, "archive", "--output", archive.path, revision, "reports"]) != nil,
              CommandOutput.run(["tar", "-xf", archive.path, "-C", folder.path]) != nil else {
            try? FileManager.default.removeItem(at: folder)
            throw RunFailure(description: "cannot unpack reports/ of \(revision) (does that revision have a reports/ folder?)")
        }
        return folder.appendingPathComponent("reports")
    }
}
