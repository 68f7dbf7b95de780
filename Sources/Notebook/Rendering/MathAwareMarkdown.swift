import Foundation
import Ink

/// Converts authored Markdown to HTML with Ink while keeping formulas intact.
///
/// Ink knows nothing of TeX: `$x_i * y_i$` would come out as emphasis. Formulas are
/// therefore swapped for inert tokens before Ink runs and put back afterwards as
/// `<span class="math">` elements (escaped), which the page's KaTeX script typesets.
public struct MathAwareMarkdown {
    private let parser = MarkdownParser()

    public init() {}

    public func html(from markdown: String) -> String {
        var formulas: [(tex: String, display: Bool)] = []
        let protected = Self.extractFormulas(markdown) { tex, display in
            formulas.append((tex, display))
            return "LBMATHTOKEN\(formulas.count - 1)X"
        }
        var html = parser.html(from: protected)
        for (index, formula) in formulas.enumerated().reversed() {
            let kind = formula.display ? "math display" : "math inline"
            html = html.replacingOccurrences(of: "LBMATHTOKEN\(index)X",
                                             with: "<span class=\"\(kind)\">\(Escaping.html(formula.tex))</span>")
        }
        return html
    }

    /// Inline HTML for short texts such as captions (no surrounding paragraph).
    public func inlineHTML(from markdown: String) -> String {
        var html = self.html(from: markdown).trimmingCharacters(in: .whitespacesAndNewlines)
        if html.hasPrefix("<p>") && html.hasSuffix("</p>") {
            html = String(html.dropFirst(3).dropLast(4))
        }
        return html
    }

    /// Replaces `$$...$$` and `$...$` spans (outside code spans) using `replacement`.
    static func extractFormulas(_ text: String, replacement: (String, Bool) -> String) -> String {
        var output = ""
        var index = text.startIndex
        var inCode = false
        while index < text.endIndex {
            let character = text[index]
            if character == "`" { inCode.toggle() }
            if !inCode, character == "$", index == text.startIndex || text[text.index(before: index)] != "\\" {
                let display = text[index...].hasPrefix("$$")
                let delimiter = display ? "$$" : "$"
                let contentStart = text.index(index, offsetBy: delimiter.count)
                if contentStart < text.endIndex, let close = text[contentStart...].range(of: delimiter),
                   !text[contentStart..<close.lowerBound].isEmpty,
                   display || !text[contentStart..<close.lowerBound].contains("\n") {
                    output += replacement(String(text[contentStart..<close.lowerBound]), display)
                    index = close.upperBound
                    continue
                }
            }
            output.append(character)
            index = text.index(after: index)
        }
        return output
    }
}
