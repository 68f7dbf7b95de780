import Foundation

/// A figure as data: its size, grid and title, and per axes its settings and the drawing calls
/// made on it, in order. Written beside every report figure (`NAME.data.json`) so a reader can
/// re-plot the numbers in their own style, and read back to redraw the figure exactly
/// (`Figure(document:)`) at another size, theme or format without recomputing anything.
public struct FigureDocument: Codable, Equatable, Sendable {
    public static let formatName = "labbook-figure"
    public static let currentVersion = 1

    public var format = FigureDocument.formatName
    public var version = FigureDocument.currentVersion
    /// Points.
    public var width: Double
    public var height: Double
    public var rows: Int
    public var columns: Int
    public var title: String?
    public var sharedColorbar: Bool
    public var axes: [AxesDocument]

    /// The JSON a report writes: compact, keys sorted (stable bytes), NaN and infinities as strings.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(self)
    }

    /// Reads a figure's data file; anything but a figure document of a version this code draws is
    /// a `PlotError` that says what the file is not.
    public static func decode(_ data: Data) throws -> FigureDocument {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let document: FigureDocument
        do {
            document = try decoder.decode(FigureDocument.self, from: data)
        } catch {
            throw PlotError(.invalidArgument, "not a Labbook figure document (\(FigureDocument.describe(error)))")
        }
        guard document.format == formatName else {
            throw PlotError(.invalidArgument, "format is \"\(document.format)\", expected \"\(formatName)\"")
        }
        guard document.version == currentVersion else {
            throw PlotError(.invalidArgument, "figure document version \(document.version); this Labbook draws version \(currentVersion)")
        }
        return document
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(key.stringValue) at \(path(context))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        default:
            return "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return path.isEmpty ? "the top level" : path
    }
}

/// One axes of a `FigureDocument`: its grid position, settings and drawing calls.
public struct AxesDocument: Codable, Equatable, Sendable {
    public var row: Int
    public var column: Int
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xScale: AxisScale
    public var yScale: AxisScale
    public var xLimits: ClosedRange<Double>?
    public var yLimits: ClosedRange<Double>?
    public var showGrid: Bool
    public var xWholeNumberTicks: Bool
    public var legendLocation: LegendLocation
    public var equalAspect: Bool
    public var calls: [AxesCall]
}

extension Axes {
    var document: AxesDocument {
        AxesDocument(row: row, column: column, title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale,
                     xLimits: xLimits, yLimits: yLimits, showGrid: showGrid, xWholeNumberTicks: xWholeNumberTicks,
                     legendLocation: legendLocation, equalAspect: equalAspect, calls: calls)
    }

    /// Replays the calls, then sets the settings to their final values (as the drawing code left them).
    func apply(_ document: AxesDocument) {
        for call in document.calls { replay(call) }
        title = document.title
        xLabel = document.xLabel
        yLabel = document.yLabel
        xScale = document.xScale
        yScale = document.yScale
        xLimits = document.xLimits
        yLimits = document.yLimits
        showGrid = document.showGrid
        xWholeNumberTicks = document.xWholeNumberTicks
        legendLocation = document.legendLocation
        equalAspect = document.equalAspect
    }
}

extension Figure {
    /// This figure as data (everything drawn so far).
    public var document: FigureDocument {
        FigureDocument(width: width, height: height, rows: rows, columns: columns, title: title, sharedColorbar: sharedColorbar,
                       axes: (0..<rows).flatMap { row in (0..<columns).map { axes(row, $0).document } })
    }

    /// The figure a document describes, drawn at `width` x `height` points when given (else its
    /// own size). Invalid calls are recorded as in the original and thrown when it renders.
    public convenience init(document: FigureDocument, width: Double? = nil, height: Double? = nil) throws {
        guard (1...16).contains(document.rows), (1...16).contains(document.columns) else {
            throw PlotError(.invalidArgument, "a figure grid of \(document.rows)x\(document.columns) axes is outside 1...16")
        }
        for (name, size) in [("width", width ?? document.width), ("height", height ?? document.height)] where !(10...10_000).contains(size) {
            throw PlotError(.invalidArgument, "figure \(name) \(size) points is outside 10...10000")
        }
        guard document.axes.count == document.rows * document.columns else {
            throw PlotError(.shapeMismatch, "\(document.axes.count) axes for a \(document.rows)x\(document.columns) grid")
        }
        self.init(width: width ?? document.width, height: height ?? document.height, rows: document.rows, columns: document.columns)
        title = document.title
        sharedColorbar = document.sharedColorbar
        var seen = Set<Int>()
        for entry in document.axes {
            guard (0..<rows).contains(entry.row), (0..<columns).contains(entry.column), seen.insert(entry.row * columns + entry.column).inserted else {
                throw PlotError(.invalidArgument, "axes (\(entry.row), \(entry.column)) is outside the grid or listed twice")
            }
            axes(entry.row, entry.column).apply(entry)
        }
    }
}
