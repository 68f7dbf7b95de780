import AtomicFiles
import Foundation

/// `labbook diff --html OUT`: the changes as tables and every changed figure old | new side by
/// side, in a folder that holds its own copies of the images (so it can be opened or archived
/// after the report folders are gone).
public enum ReportDiffPage {
    public static func write(_ diff: ReportDiff, old: URL, new: URL, oldLabel: String, newLabel: String, to output: URL) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: output, withIntermediateDirectories: true)
        func escape(_ text: String?) -> String { Escaping.html(text ?? "–") }
        var body: [String] = ["<h1>Labbook reports: \(escape(oldLabel)) → \(escape(newLabel))</h1>",
                              "<p>\(diff.significantChanges.count) change(s) beyond a relative tolerance of \(diff.tolerance).</p>"]
        let tabular = diff.changes.filter { $0.kind != .figure }
        if !tabular.isEmpty {
            body.append("<table><thead><tr><th>Kind</th><th>Question</th><th>Key</th><th>Old</th><th>New</th><th>Change</th></tr></thead><tbody>")
            for change in tabular {
                let relative = change.relativeChange.map { String(format: "%+.2f%%", $0 * 100) } ?? ""
                body.append("<tr><td>\(change.kind.rawValue)</td><td>\(escape(change.question))</td><td>\(escape(change.key))</td><td>\(escape(change.old))</td><td>\(escape(change.new))</td><td>\(relative)</td></tr>")
            }
            body.append("</tbody></table>")
        }
        for change in diff.changes where change.kind == .figure && change.key.hasSuffix(".png") {
            var cells: [String] = []
            for (side, root) in [("old", old), ("new", new)] {
                let source = root.appendingPathComponent(change.question).appendingPathComponent(change.key)
                let relative = "\(side)/\(change.question)/\(change.key)"
                if fileManager.fileExists(atPath: source.path) {
                    let target = output.appendingPathComponent(relative)
                    try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try? fileManager.removeItem(at: target)
                    try fileManager.copyItem(at: source, to: target)
                    cells.append("<td><img src=\"\(escape(relative))\" alt=\"\(side) \(escape(change.key))\"></td>")
                } else {
                    cells.append("<td>(absent)</td>")
                }
            }
            body.append("<h2>\(escape(change.question))/\(escape(change.key))</h2><table class=\"figures\"><tr><th>\(escape(oldLabel))</th><th>\(escape(newLabel))</th></tr><tr>\(cells.joined())</tr></table>")
        }
        let page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Labbook report diff</title>
        <style>body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}.figures img{max-width:640px}</style>
        </head><body>
        \(body.joined(separator: "\n"))
        </body></html>
        """
        try AtomicFile.write(page, to: output.appendingPathComponent("index.html"))
    }
}
