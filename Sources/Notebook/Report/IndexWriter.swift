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
        return try names.filter { !$0.hasPrefix(".") }.sorted().compactMap { name in
            let url = outputDirectory.appendingPathComponent(name).appendingPathComponent("results.json")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            return try ResultsFile.load(from: url)
        }
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
        ]
        if selfContained { context["inlineStyle"] = templates.stylesheet }
        try AtomicFile.write(try templates.render("index", context), to: outputDirectory.appendingPathComponent("index.html"))
    }

    func markdown(_ reports: [ResultsFile]) -> String {
        var lines = ["# Labbook reports", "",
                     "Each question of the deep-learning assignment, regenerated and measured by `labbook run`.", ""]
        let rows = reports.map { report in
            [
                "[\(report.question.uppercased()): \(MarkdownWriter.escapeHTML(report.title))](\(report.question)/report.md)",
                report.headlines.map { MarkdownWriter.escapeHTML("\($0.label): \($0.value)") }.joined(separator: "<br>"),
                report.verdicts.keys.sorted().map { "\($0): **\(report.verdicts[$0]!.rawValue)**" }.joined(separator: "<br>"),
                "\(report.metadata.profile), \(report.metadata.gitCommit)",
            ]
        }
        lines.append(MarkdownWriter.pipeTable(headers: ["Question", "Headline numbers", "Claim checks", "Profile, commit"],
                                              rows: rows, rightAligned: [false, false, false, false]))
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
