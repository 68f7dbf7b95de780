/// A problem with the data or options given to a figure, reported instead of crashing.
///
/// Artist calls (`Axes.line`, `Axes.heatmap`, ...) do not throw, so call sites stay plain;
/// they record the first problem and `Figure.pngData`/`svgData`/`write*` throw it. The
/// message names the axes and the artist so the failing call is easy to find.
public struct PlotError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Equatable, Sendable {
        /// Arrays whose lengths must agree do not (e.g. `z` rows vs `y`).
        case shapeMismatch
        /// No data at all where some is required.
        case emptyData
        /// Data exists but none of it is finite.
        case noFiniteData
        /// Zero or negative values on a logarithmic axis.
        case nonPositiveOnLogAxis
        /// An option out of its valid range (negative size, inverted limits, ...).
        case invalidArgument
        /// Cairo reported a failure; the message carries its status string.
        case rendering
        /// Writing the output file failed.
        case io
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "PlotError(\(kind)): \(message)" }

    /// The same error with a location prefix such as "axes (0, 1)".
    func prefixed(_ context: String) -> PlotError {
        PlotError(kind, "\(context): \(message)")
    }
}
