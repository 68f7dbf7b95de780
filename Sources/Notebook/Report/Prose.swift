import Foundation

/// Report text (Markdown with `$…$` formulas) whose interpolated values escape themselves: an
/// author writes `"Data: \(split.description)."` and a folder name with `<img onerror=…>` in it
/// stays text in report.md, report.html and the printed assignment. Literal parts are the
/// author's Markdown and are kept; `Prose` values (links from `NotebookSession.link`, prose built
/// from other prose) are interpolated as Markdown; numbers can be formatted in place
/// (`\(accuracy, digits: 4)`).
public struct Prose: ExpressibleByStringInterpolation, Equatable, CustomStringConvertible, Sendable {
    public let markdown: String

    public init(stringLiteral value: String) {
        markdown = value
    }

    public init(stringInterpolation: Interpolation) {
        markdown = stringInterpolation.markdown
    }

    /// Markdown Labbook itself assembled (a link, a list of formatted numbers): not escaped.
    public init(markdown: String) {
        self.markdown = markdown
    }

    public var description: String { markdown }

    public static func + (lhs: Prose, rhs: Prose) -> Prose { Prose(markdown: lhs.markdown + rhs.markdown) }

    public struct Interpolation: StringInterpolationProtocol {
        var markdown = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            markdown.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            markdown += literal
        }

        /// Any value, as text: HTML in it is neutralised.
        public mutating func appendInterpolation<Value>(_ value: Value) {
            markdown += Escaping.markdownText(String(describing: value))
        }

        /// Prose (a link, a sentence built elsewhere): its Markdown as it is.
        public mutating func appendInterpolation(_ prose: Prose) {
            markdown += prose.markdown
        }

        /// A number with a fixed number of decimals, a true minus sign for negatives.
        public mutating func appendInterpolation(_ value: Double, digits: Int) {
            markdown += String(format: "%.\(digits)f", value).replacingOccurrences(of: "-", with: "−")
        }
    }
}
