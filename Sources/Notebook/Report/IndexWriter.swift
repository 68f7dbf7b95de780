import AtomicFiles
import Foundation

/// Writes `index.md` and `index.html`: one row per question report found in the output
/// folder, with its headline numbers and verdicts, read from each results.json.
public struct IndexWriter {
    let templates: TemplateSet
    let outputDirectory: URL
    let selfContained: Bool

    public init(templates: TemplateSet, outputDirectory: URL, selfContained: Bool) {
        self.templates = templates
        self.outputDirectory = outputDirectory
        self.selfContained = selfContained
    }

    /// The results of every question report under the output folder, by question id.
    public func collect() throws -> [ResultsFile] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outputDirectory.path)) ?? []
        // Only question folders (q1, q2, …): a stray or hostile folder name never reaches a page.
        return try names.filter(Self.isQuestionFolder).sorted { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }.compactMap { name in
            let url = outputDirectory.appendingPathComponent(name).appendingPathComponent("results.json")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            let results = try ResultsFile.load(from: url)
            return results.question == name ? results : nil   // a copied folder would list its question twice
        }
    }

    /// A question id as `labbook run` names report folders: `q` and then lowercase ASCII letters
    /// or digits (q1, q10; tests use qs), at most 16 characters. Anything else (a copy such as
    /// `q3-old`, a name with quotes or markup) is not a report of this run.
    public static func isQuestionFolder(_ name: String) -> Bool {
        (2...16).contains(name.count) && name.first == "q"
            && name.dropFirst().allSatisfy { $0.isASCII && ($0.isNumber || $0.isLowercase) }
    }

    public func write() throws {
        let reports = try collect()
        try AtomicFile.write(markdown(reports), to: outputDirectory.appendingPathComponent("index.md"))
        try AtomicFile.write(try FigureManifest(reports: reports).encoded(), to: outputDirectory.appendingPathComponent("figures.json"))
        var context: [String: Any] = [
            "questions": reports.map { report -> [String: Any] in
                [
                    "id": report.question, "title": report.title,
                    "headlines": report.headlines.map { ["label": $0.label, "value": $0.value] },
                    "verdicts": report.verdicts.keys.sorted().map { ["claim": $0, "verdict": report.verdicts[$0]!.rawValue,
                                                                     "verdictClass": report.verdicts[$0]!.rawValue.lowercased()] },
                    "profile": report.metadata.profile,
                    "commit": report.metadata.gitCommit,
                    "date": ISO8601DateFormatter().string(from: report.metadata.date),
                ]
            },
            "assets": "assets",
            "hasPDF": FileManager.default.fileExists(atPath: outputDirectory.appendingPathComponent("assignment.pdf").path),
        ]
        if selfContained { context["inlineStyle"] = templates.stylesheet }
        try AtomicFile.write(try templates.render("index", context), to: outputDirectory.appendingPathComponent("index.html"))
    }

    func markdown(_ reports: [ResultsFile]) -> String {
        var lines = ["# Labbook reports", "",
                     "Each question of the deep-learning assignment, regenerated and measured by `labbook run`.", ""]
        let rows = reports.map { report in
            [
                "[\(report.question.uppercased()): \(Escaping.markdownText(report.title))](\(report.question)/report.md)",
                report.headlines.map { Escaping.markdownText("\($0.label): \($0.value)") }.joined(separator: "<br>"),
                report.verdicts.keys.sorted().map { "\($0): **\(report.verdicts[$0]!.rawValue)**" }.joined(separator: "<br>"),
                "\(report.metadata.profile), \(report.metadata.gitCommit)",
            ]
        }
        lines.append(MarkdownWriter.pipeTable(headers: ["Question", "Headline numbers", "Claim checks", "Profile, commit"],
                                              rows: rows, rightAligned: [false, false, false, false]))
        lines += ["", "The whole assignment in one document: [assignment.html](assignment.html) (and assignment.pdf, printed from it by "
                  + "`make report` or `labbook pdf`); every figure by id: [figures.json](figures.json).", ""]
        return lines.joined(separator: "\n")
    }
}
