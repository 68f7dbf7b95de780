import Foundation
import Mustache

/// The report templates from `templates/` (Mustache), plus the stylesheets.
///
/// Templates are read from disk at run time so that a designer can change the look of
/// every report without rebuilding; `{{value}}` escapes HTML, `{{{html}}}` inserts
/// fragments that the writers built from escaped parts.
public struct TemplateSet {
    public let directory: URL
    let library: MustacheLibrary
    public let stylesheet: String
    /// `print.css`: A4 pages and page breaks for the assignment document (see `AssignmentDocument`).
    public let printStylesheet: String

    public static let requiredTemplates = ["report", "index", "figure", "table", "claim", "metrics", "assignment"]

    public init(directory: URL) throws {
        self.directory = directory
        var library = MustacheLibrary()
        for name in Self.requiredTemplates {
            let url = directory.appendingPathComponent("\(name).mustache")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw NotebookError.template(name: url.path, reason: "missing or unreadable")
            }
            do {
                try library.register(text, named: name)
            } catch {
                throw NotebookError.template(name: url.path, reason: "does not parse: \(error)")
            }
        }
        self.library = library
        stylesheet = try Self.read("style.css", in: directory)
        printStylesheet = try Self.read("print.css", in: directory)
    }

    private static func read(_ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw NotebookError.template(name: url.path, reason: "missing or unreadable")
        }
        return text
    }

    func render(_ name: String, _ context: [String: Any]) throws -> String {
        guard let output = library.render(context, withTemplate: name) else {
            throw NotebookError.template(name: name, reason: "not registered")
        }
        return output
    }
}
