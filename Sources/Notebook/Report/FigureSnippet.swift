import Foundation

/// A paste-ready snippet that embeds one report figure in a user's own document
/// (`labbook figure embed`): Markdown, HTML (SVG with its dark variant, sized so the page does
/// not shift) or LaTeX (the PDF that `labbook figure export --format pdf` writes). The caption
/// is escaped for the target format; paths are relative to the document's folder.
public struct FigureSnippet {
    public enum Format: String, CaseIterable, Sendable {
        case markdown, html, latex
    }

    let figure: FigureEntry
    let reports: URL
    let relativeTo: URL

    public init(figure: FigureEntry, reports: URL, relativeTo: URL) {
        self.figure = figure
        self.reports = reports
        self.relativeTo = relativeTo
    }

    public func text(_ format: Format) -> String {
        switch format {
        case .markdown: return markdown
        case .html: return html
        case .latex: return latex
        }
    }

    private var caption: String { MarkdownWriter.plainText(figure.caption) }

    /// A figure file's path as the document sees it, or nil when the reports lack it.
    private func path(ending suffix: String) -> String? {
        figure.files.first { $0.path.hasSuffix(suffix) }.map { Self.relativePath(from: relativeTo, to: reports.appendingPathComponent($0.path)) }
    }

    private var name: String { String(figure.id.split(separator: "/").last ?? "") }

    private var markdown: String {
        let image = path(ending: "/\(name).png") ?? path(ending: "/\(name).svg") ?? ""
        let alt = figure.alt.replacingOccurrences(of: "]", with: "\\]").replacingOccurrences(of: "\n", with: " ")
        return "![\(Escaping.markdownText(alt))](\(image.replacingOccurrences(of: " ", with: "%20")))\n\n*Figure \(figure.number): \(Escaping.markdownText(caption))*"
    }

    private var html: String {
        let light = path(ending: "/\(name).svg") ?? path(ending: "/\(name).png") ?? ""
        let size = "width=\"\(Int(figure.width.rounded()))\" height=\"\(Int(figure.height.rounded()))\""
        var lines = ["<figure id=\"\(Escaping.html(figure.id.replacingOccurrences(of: "/", with: "-")))\">", "  <picture>"]
        if let dark = path(ending: "/\(name).dark.svg") {
            lines.append("    <source srcset=\"\(Escaping.html(dark))\" media=\"(prefers-color-scheme: dark)\">")
        }
        lines.append("    <img src=\"\(Escaping.html(light))\" \(size) alt=\"\(Escaping.html(figure.alt))\" style=\"max-width: 100%; height: auto\">")
        lines += ["  </picture>", "  <figcaption>Figure \(figure.number): \(Escaping.html(caption))</figcaption>", "</figure>"]
        return lines.joined(separator: "\n")
    }

    private var latex: String {
        let file = figure.id.replacingOccurrences(of: "/", with: "-") + ".pdf"
        return """
        % \(file): labbook figure export \(figure.id) --format pdf
        \\begin{figure}[htbp]
          \\centering
          \\includegraphics[width=\\linewidth]{\(file)}
          \\caption{\(Self.escapeLaTeX(caption))}
          \\label{fig:\(figure.id.replacingOccurrences(of: "/", with: "-"))}
        \\end{figure}
        """
    }

    /// TeX's special characters as text; `$…$` math is kept, since captions write formulas in it.
    static func escapeLaTeX(_ text: String) -> String {
        // An unpaired `$` is a dollar sign, not math.
        let keepsMath = text.filter { $0 == "$" }.count % 2 == 0
        var output = "", inMath = false
        for character in text {
            if character == "$" {
                if keepsMath { inMath.toggle() }
                output += keepsMath ? "$" : "\\$"
                continue
            }
            if inMath { output.append(character); continue }
            switch character {
            case "\\": output += "\\textbackslash{}"
            case "{", "}", "#", "%", "&", "_": output += "\\\(character)"
            case "~": output += "\\textasciitilde{}"
            case "^": output += "\\textasciicircum{}"
            default: output.append(character)
            }
        }
        return output
    }

    /// `to` relative to folder `from` (both absolute), with `..` where needed.
    static func relativePath(from: URL, to: URL) -> String {
        let base = from.standardizedFileURL.pathComponents, target = to.standardizedFileURL.pathComponents
        var common = 0
        while common < base.count, common < target.count, base[common] == target[common] { common += 1 }
        return (Array(repeating: "..", count: base.count - common) + target[common...]).joined(separator: "/")
    }
}
