import Foundation

/// Writes a report as GitHub-flavoured Markdown: relative figure links with captions,
/// anchors for figures, tables as pipe tables, `$...$` math as GitHub renders it.
public enum MarkdownWriter {
    public static func render(title: String, blocks: [ReportBlock], metadata: RunMetadata) -> String {
        var lines: [String] = ["# \(title)", "", "[← All questions](../index.md) · [HTML version](report.html) · [results.json](results.json)", ""]
        let contents = tableOfContents(blocks)
        if !contents.isEmpty {
            lines.append("**Contents**")
            lines.append("")
            lines += contents.map { "- [\($0.title)](#\($0.anchor))" }
            lines.append("- [Run metadata](#run-metadata)")
            lines.append("")
        }
        for block in blocks {
            lines.append(render(block))
            lines.append("")
        }
        lines.append("<a id=\"run-metadata\"></a>\n## Run metadata")
        lines.append("")
        lines.append(pipeTable(headers: ["Field", "Value"], rows: metadata.rows.map { [$0.0, Escaping.markdownText($0.1)] }, rightAligned: [false, false]))
        lines.append("")
        lines.append(pipeTable(headers: ["Cell", "Status", "Seconds"], rows: metadata.cells.map { record in
            [record.cell, record.status, String(format: "%.3f", record.reportedSeconds)]
        }, rightAligned: [false, false, true]))
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// The level-2 headings, in order, for the contents list.
    static func tableOfContents(_ blocks: [ReportBlock]) -> [(title: String, anchor: String)] {
        blocks.compactMap { block in
            if case .heading(2, let title, let anchor) = block { return (title, anchor) }
            return nil
        }
    }

    static func render(_ block: ReportBlock) -> String {
        switch block {
        case .heading(let level, let title, let anchor):
            return "<a id=\"\(anchor)\"></a>\n\(String(repeating: "#", count: level)) \(title)"
        case .prose(let text):
            return text
        case .figure(let figure):
            return """
            <a id="\(figure.anchor)"></a>
            ![Figure \(figure.number): \(plainText(figure.caption))](\(figure.pngPath))

            *Figure \(figure.number).* \(figure.caption) ([SVG](\(figure.svgPath))\(figure.dataFiles.isEmpty ? "" : "; data: " + figure.dataFiles.map { "[\($0.label)](\($0.path))" }.joined(separator: ", ")))
            """
        case .table(let table):
            return "*\(Escaping.markdownText(table.caption))*\n\n" + pipeTable(headers: table.headers.map(Escaping.markdownText), rows: table.rows.map { $0.map(Escaping.markdownText) },
                                                                 rightAligned: table.rightAligned)
        case .metrics(let metrics):
            return pipeTable(headers: ["Measure", "Value"], rows: metrics.map { [Escaping.markdownText($0.label), $0.formatted] }, rightAligned: [false, true])
        case .claim(let check):
            var lines = ["> **Claim check — \(check.verdict.rawValue)**", ">", "> *“\(check.claim)”*", ">"]
            if let rule = check.decisionRule { lines += ["> **Decision rule:** \(rule)", ">"] }
            lines += check.evidence.map { "> - \($0)" }
            lines += [">", "> **What is true:** \(check.conclusion)"]
            return lines.joined(separator: "\n")
        case .preformatted(let caption, let text):
            let fence = "```"
            return (caption.map { "*\($0)*\n\n" } ?? "") + "\(fence)text\n\(text)\n\(fence)"
        }
    }

    static func pipeTable(headers: [String], rows: [[String]], rightAligned: [Bool]) -> String {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var lines = ["| " + headers.map(cell).joined(separator: " | ") + " |"]
        lines.append("|" + headers.indices.map { index in
            (index < rightAligned.count && rightAligned[index]) ? "---:" : ":---"
        }.joined(separator: "|") + "|")
        lines += rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n")
    }

    /// Drops Markdown emphasis and brackets so a caption can be used as alt text.
    static func plainText(_ markdown: String) -> String {
        markdown.filter { !"*_[]`".contains($0) }
    }
}
