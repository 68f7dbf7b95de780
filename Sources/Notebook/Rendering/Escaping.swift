/// The one place text is escaped for the reports: `html` for HTML element content and attribute
/// values (templates, the writers), `markdownText` for values placed into Markdown that Ink and
/// GitHub turn into HTML (they pass raw `<tag>`s through, so a dataset folder named `<script>`
/// would otherwise become markup). `Prose` applies `markdownText` to every interpolated value.
public enum Escaping {
    public static func html(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Neutralises HTML in text interpolated into Markdown; Markdown syntax (emphasis, code,
    /// links, `$…$` formulas) is kept, and so are entities the text already holds.
    public static func markdownText(_ text: String) -> String {
        guard text.contains("<") || text.contains(">") else { return text }
        return text.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
