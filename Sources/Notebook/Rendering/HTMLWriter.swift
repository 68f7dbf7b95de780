import Foundation

/// Writes a report as a standalone HTML page from the Mustache templates: numbered,
/// captioned figures, a table of contents, KaTeX formulas, claim-check boxes.
public struct HTMLWriter {
    public let templates: TemplateSet
    /// Embed figures as data URIs and inline the CSS and KaTeX, for a single-file page.
    public let selfContained: Bool
    /// Where KaTeX's files are (for inlining in self-contained pages).
    public let katexDirectory: URL?
    /// Where three.js is (for inlining the surface viewer in self-contained pages).
    public let threeDirectory: URL?
    private let markdown = MathAwareMarkdown()

    public init(templates: TemplateSet, selfContained: Bool, katexDirectory: URL?, threeDirectory: URL? = nil) {
        self.templates = templates
        self.selfContained = selfContained
        self.katexDirectory = katexDirectory
        self.threeDirectory = threeDirectory
    }

    /// - Parameter reportDirectory: the folder holding `figures/` (read for data URIs).
    public func render(title: String, blocks: [ReportBlock], metadata: RunMetadata, reportDirectory: URL) throws -> String {
        var body: [String] = []
        for block in blocks {
            body.append(try render(block, reportDirectory: reportDirectory))
        }
        let contents = MarkdownWriter.tableOfContents(blocks).map { ["title": $0.title, "anchor": $0.anchor] }
        let cells = metadata.cells.map { record -> [String: Any] in
            ["cell": record.cell, "status": record.status, "seconds": String(format: "%.3f", record.reportedSeconds)]
        }
        var context: [String: Any] = [
            "title": title,
            "body": body.joined(separator: "\n"),
            "contents": contents,
            "metadata": metadata.rows.map { ["field": $0.0, "value": $0.1] },
            "cells": cells,
            "assets": "../assets",
        ]
        if blocks.contains(where: { if case .figure(let figure) = $0 { return figure.surfaceViewer != nil } else { return false } }) {
            context["surfaceViewer"] = true
        }
        addAssets(to: &context)
        return try templates.render("report", context)
    }

    /// Stylesheet and KaTeX: links to ../assets, or inlined for self-contained pages.
    func addAssets(to context: inout [String: Any]) {
        guard selfContained else { return }
        context["inlineStyle"] = templates.stylesheet
        if let katex = katexDirectory,
           let css = try? String(contentsOf: katex.appendingPathComponent("katex.min.css"), encoding: .utf8),
           let script = try? String(contentsOf: katex.appendingPathComponent("katex.min.js"), encoding: .utf8) {
            context["inlineKatexStyle"] = css
            context["inlineKatexScript"] = script.replacingOccurrences(of: "</script", with: "<\\/script")
        }
        if context["surfaceViewer"] != nil, let threeDirectory {
            let scripts = ReportAssets.viewerScripts.compactMap { script -> String? in
                let url = script.source == .three ? threeDirectory.appendingPathComponent(script.sourcePath) : templates.directory.appendingPathComponent(script.sourcePath)
                return try? String(contentsOf: url, encoding: .utf8)
            }
            if scripts.count == ReportAssets.viewerScripts.count {
                context["inlineViewerScripts"] = scripts.map { ["script": $0.replacingOccurrences(of: "</script", with: "<\\/script")] }
            }
        }
    }

    /// Tables with more rows than this are collapsed in `<details>` on the report pages.
    static let collapsedTableRows = 30

    func render(_ block: ReportBlock, reportDirectory: URL) throws -> String {
        switch block {
        case .heading(let level, let title, let anchor):
            let tag = "h\(min(max(level, 2), 4))"
            return "<\(tag) id=\"\(Escaping.html(anchor))\">\(Escaping.html(title))</\(tag)>"
        case .prose(let text):
            return markdown.html(from: text)
        case .figure(let figure):
            func embedded(_ path: String) throws -> String {
                guard selfContained else { return path }
                let url = reportDirectory.appendingPathComponent(path)
                guard let data = try? Data(contentsOf: url) else {
                    throw NotebookError.io("figure \(url.path) is missing; cannot embed it")
                }
                return "data:image/png;base64," + data.base64EncodedString()
            }
            let source = try embedded(figure.pngPath)
            var context: [String: Any] = [
                "anchor": figure.anchor, "number": figure.number, "source": source, "svg": figure.svgPath,
                "alt": MarkdownWriter.plainText(figure.caption), "caption": markdown.inlineHTML(from: figure.caption),
                "dataLinks": figure.dataFiles.map { ["path": $0.path, "label": $0.label] },
            ]
            // The dark drawing for readers whose system prefers dark pages (see style.css).
            if figure.hasDarkVariant { context["darkSource"] = try embedded(figure.darkPngPath) }
            // Width and height (CSS pixels; the PNG is drawn at 2x) reserve the figure's space
            // before it loads, so the page does not shift and figure links land where they point.
            if let size = PNGSize(contentsOf: reportDirectory.appendingPathComponent(figure.pngPath)) {
                context["size"] = ["width": (size.width + 1) / 2, "height": (size.height + 1) / 2]
            }
            // Inside <script>, only "</" could end the element early; JSON allows "<\/" for it.
            if let viewer = figure.surfaceViewer { context["viewer"] = viewer.replacingOccurrences(of: "</", with: "<\\/") }
            return try templates.render("figure", context)
        case .table(let table):
            return try templates.render("table", [
                // A long table (Q3's every trial) stays one click away instead of pages of scrolling;
                // the printed assignment opens it (AssignmentChapter).
                "collapsed": table.rows.count > HTMLWriter.collapsedTableRows, "rowCount": table.rows.count,
                "caption": markdown.inlineHTML(from: table.caption),
                "headers": table.headers.enumerated().map { ["text": $0.element, "right": table.rightAligned[safe: $0.offset] ?? false] },
                "rows": table.rows.map { row in
                    ["cells": row.enumerated().map { ["text": $0.element, "right": table.rightAligned[safe: $0.offset] ?? false] }]
                },
            ])
        case .metrics(let metrics):
            return try templates.render("metrics", ["metrics": metrics.map { ["label": markdown.inlineHTML(from: $0.label), "value": $0.formatted, "key": $0.key] }])
        case .claim(let check):
            var context: [String: Any] = [
                "claim": check.claim, "verdict": check.verdict.rawValue, "verdictClass": check.verdict.rawValue.lowercased(),
                "evidence": check.evidence.map { ["html": markdown.inlineHTML(from: $0)] },
                "conclusion": markdown.inlineHTML(from: check.conclusion),
            ]
            if let rule = check.decisionRule { context["decisionRule"] = markdown.inlineHTML(from: rule) }
            return try templates.render("claim", context)
        case .preformatted(let caption, let text):
            let captionHTML = caption.map { "<p class=\"caption\">\(markdown.inlineHTML(from: $0))</p>" } ?? ""
            return "\(captionHTML)<pre class=\"log\">\(Escaping.html(text))</pre>"
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
