import Foundation

/// Checks that every link and figure in a written report resolves: relative files exist and
/// `#anchors` have a matching `id`. The tests check every written report with it (reports get link checks).
public enum ReportLinks {
    /// Problems found in `report.md` and `report.html` of a report folder (empty when all resolve).
    public static func unresolved(inReportAt directory: URL) throws -> [String] {
        try ["report.md", "report.html"].flatMap { try unresolved(inPageAt: directory.appendingPathComponent($0)) }
    }

    /// Problems found in one Markdown or HTML file (by its extension), e.g. `assignment.html`;
    /// relative links are resolved from the file's folder.
    public static func unresolved(inPageAt page: URL) throws -> [String] {
        let name = page.lastPathComponent, directory = page.deletingLastPathComponent()
        let text = try String(contentsOf: page, encoding: .utf8)
        let anchors = Self.anchors(in: text)
        var problems: [String] = []
        for link in links(in: text, markdown: name.hasSuffix(".md")) {
            if link.hasPrefix("#") {
                if !anchors.contains(String(link.dropFirst())) { problems.append("\(name): anchor \(link) has no target") }
            } else if !link.contains("://") {
                let path = String(link.split(separator: "#", maxSplits: 1).first ?? "")
                let target = directory.appendingPathComponent(path).standardizedFileURL
                if !FileManager.default.fileExists(atPath: target.path) { problems.append("\(name): \(link) does not resolve") }
            }
        }
        return problems
    }

    /// Link targets: `href`/`src`/`srcset` attributes in HTML, `](target)` in Markdown; data URIs skipped.
    public static func links(in text: String, markdown: Bool) -> [String] {
        let pattern = markdown ? #"\]\(([^)\s]+)\)"# : #"(?:href|src|srcset)="([^"]+)""#
        return matches(of: pattern, in: text).filter { !$0.hasPrefix("data:") }
    }

    public static func anchors(in text: String) -> Set<String> {
        Set(matches(of: #"id="([^"]+)""#, in: text))
    }

    private static func matches(of pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
