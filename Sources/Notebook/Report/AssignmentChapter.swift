import Foundation

/// One question's report as a chapter of the assignment document: the `<main>` of its
/// report.html, rewritten so that it can stand beside the other questions in one page.
///
/// Within question N: `id="x"` becomes `id="qN-x"` and `href="#x"` `href="#qN-x"`; relative
/// links and images (`figures/…`, `report.md`) point into `qN/`, `../assets/…` to `assets/…`;
/// "Figure 3" (caption, alt text, the prose's links) becomes "Figure N.3" and each table's
/// caption starts with "Table N.k."; the interactive surface viewers and the per-cell timing
/// table are left out (paper has the static figures and the run metadata table).
public struct AssignmentChapter {
    /// The question's folder name, e.g. "q4".
    public let id: String
    /// What figure and table numbers start with: "4" for q4.
    public let label: String
    /// "Question 4: Convolutional networks: …".
    public let heading: String
    /// The rewritten report content (HTML).
    public let body: String
    /// The level-2 headings: prefixed anchor and title (HTML, as in the page).
    public let sections: [(anchor: String, titleHTML: String)]
    public let results: ResultsFile

    /// - Parameters:
    ///   - page: the text of the question's report.html.
    ///   - pageURL: where it was read from, for error messages.
    public init(id: String, page: String, pageURL: URL, results: ResultsFile) throws {
        guard let start = page.range(of: "<main>"), let end = page.range(of: "</main>", options: .backwards),
              start.upperBound <= end.lowerBound else {
            throw NotebookError.invalidInput("\(pageURL.path): no <main> element, so not a Labbook report page (run `labbook run \(id)` to rewrite it)")
        }
        self.id = id
        label = id.first == "q" && id.count > 1 ? id.dropFirst().uppercased() : id.uppercased()
        heading = "Question \(label): \(results.title)"
        self.results = results
        body = Self.rewrite(String(page[start.upperBound..<end.lowerBound]), id: id, label: label)
        let runMetadata = "\(id)-run-metadata"
        sections = Self.matches(of: #"<h2 id="([^"]*)">([\s\S]*?)</h2>"#, in: body)
            .filter { $0[1] != runMetadata }
            .map { (anchor: $0[1], titleHTML: $0[2]) }
    }

    static func rewrite(_ main: String, id: String, label: String) -> String {
        var html = main
        // Paper has no clicks: long tables are printed whole.
        html = replacing(#"<details class="long-table"><summary>[^<]*</summary>\n?([\s\S]*?)</details>\n?"#, in: html) { $0[1] }
        html = replacing(#"<details>[\s\S]*?</details>\n?"#, in: html) { _ in "" }
        // The viewer's JSON writes "</" as "<\/", so the first "</div>" closes the viewer.
        html = replacing(#"<div class="surface-viewer"[^>]*>[\s\S]*?</div>\n?"#, in: html) { _ in "" }
        html = replacing(#"(<strong>Figure |alt="Figure |">Figure )(\d+)(?!\d|\.\d)"#, in: html) { $0[1] + "\(label)." + $0[2] }
        var table = 0
        html = replacing(#"<figure class="table">(\s*)<figcaption>"#, in: html) { groups in
            table += 1
            return "<figure class=\"table\" id=\"table-\(table)\">\(groups[1])<figcaption><strong>Table \(label).\(table).</strong> "
        }
        html = replacing(#"(\s)id="([^"]*)""#, in: html) { "\($0[1])id=\"\(id)-\($0[2])\"" }
        html = replacing(#"(\s)(href|src|srcset)="([^"]*)""#, in: html) { "\($0[1])\($0[2])=\"\(relocate($0[3], question: id))\"" }
        return html
    }

    /// A link of question `question`'s page as seen from the reports folder.
    static func relocate(_ link: String, question: String) -> String {
        if link.hasPrefix("#") { return "#\(question)-\(link.dropFirst())" }
        if link.hasPrefix("../") { return String(link.dropFirst(3)) }
        let absolute = link.hasPrefix("/") || link.range(of: "^[A-Za-z][A-Za-z0-9+.-]*:", options: .regularExpression) != nil
        return absolute ? link : "\(question)/\(link)"
    }

    /// `text` with every match of `pattern` replaced by `replacement(groups)` (groups[0] is the match).
    static func replacing(_ pattern: String, in text: String, with replacement: ([String]) -> String) -> String {
        let regex = try! NSRegularExpression(pattern: pattern)
        var output = "", last = text.startIndex
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            output += text[last..<range.lowerBound]
            output += replacement(groups(of: match, in: text))
            last = range.upperBound
        }
        return output + text[last...]
    }

    static func matches(of pattern: String, in text: String) -> [[String]] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { groups(of: $0, in: text) }
    }

    private static func groups(of match: NSTextCheckingResult, in text: String) -> [String] {
        (0..<match.numberOfRanges).map { index in Range(match.range(at: index), in: text).map { String(text[$0]) } ?? "" }
    }
}
