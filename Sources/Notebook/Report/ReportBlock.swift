import Foundation

/// One piece of a question's report, in reading order. Blocks are data: the Markdown
/// and HTML writers decide how each looks, so both outputs always say the same thing.
public enum ReportBlock {
    /// A section heading; level 2 headings make up the table of contents.
    case heading(level: Int, title: String, anchor: String)
    /// Authored Markdown prose; `$...$` and `$$...$$` are formulas (KaTeX in HTML, GitHub math in Markdown).
    case prose(String)
    case figure(FigureReference)
    case table(Table)
    case metrics([Metric])
    case claim(ClaimCheck)
    /// Preformatted text, e.g. a training log.
    case preformatted(caption: String?, text: String)
}

/// A rendered figure: files under `figures/`, numbered in order of appearance.
public struct FigureReference {
    public var number: Int
    public var name: String
    public var caption: String
    /// The figure's numbers as files (e.g. CSV and VTK beside a landscape), linked under it.
    public var dataFiles: [FigureDataFile] = []
    /// JSON for the interactive surface viewer shown under the figure in HTML (the static image
    /// stays for readers without JavaScript or WebGL); nil for ordinary figures.
    public var surfaceViewer: String?
    /// Whether the figure was also drawn in the dark theme (`NAME.dark.png` and `.svg`).
    public var hasDarkVariant = false
    public var anchor: String { "figure-\(name)" }
    public var pngPath: String { "figures/\(name).png" }
    public var svgPath: String { "figures/\(name).svg" }
    public var darkPngPath: String { "figures/\(name).dark.png" }
    public var darkSvgPath: String { "figures/\(name).dark.svg" }
}

/// Where a figure's drawing code writes: the light PNG and SVG and their dark variants.
public struct FigureFiles {
    public let png: URL
    public let svg: URL
    public let darkPNG: URL
    public let darkSVG: URL

    init(folder: URL, name: String) {
        png = folder.appendingPathComponent("\(name).png")
        svg = folder.appendingPathComponent("\(name).svg")
        darkPNG = folder.appendingPathComponent("\(name).dark.png")
        darkSVG = folder.appendingPathComponent("\(name).dark.svg")
    }

    /// The files the drawing code actually wrote.
    var existing: [URL] { [png, svg, darkPNG, darkSVG].filter { FileManager.default.fileExists(atPath: $0.path) } }
}

/// A data file written beside a figure, `figures/NAME.EXT`.
public struct FigureDataFile: Equatable {
    /// What the link says, e.g. "CSV".
    public var label: String
    public var fileName: String
    public var contents: String

    public init(label: String, fileName: String, contents: String) {
        self.label = label
        self.fileName = fileName
        self.contents = contents
    }

    public var path: String { "figures/\(fileName)" }
}

/// What a figure carries besides its image: data files and an interactive viewer.
public struct FigureAttachments {
    public var dataFiles: [FigureDataFile]
    public var surfaceViewer: String?

    public init(dataFiles: [FigureDataFile] = [], surfaceViewer: String? = nil) {
        self.dataFiles = dataFiles
        self.surfaceViewer = surfaceViewer
    }
}

public struct Table {
    public var caption: String
    public var headers: [String]
    public var rows: [[String]]
    /// Right-align numeric columns; defaults to left for the first column and right for the rest.
    public var rightAligned: [Bool]

    /// The caption is `Prose`: values interpolated into it are escaped.
    public init(caption: Prose, headers: [String], rows: [[String]], rightAligned: [Bool]? = nil) {
        self.caption = caption.markdown
        self.headers = headers
        self.rows = rows
        self.rightAligned = rightAligned ?? headers.indices.map { $0 > 0 }
    }
}

/// A named number the report cites; also written to results.json under `key`.
public struct Metric {
    public var key: String
    public var label: String
    public var value: Double
    public var formatted: String

    /// The label is `Prose`: values interpolated into it are escaped.
    public init(key: String, label: Prose, value: Double, format: String = "%.4g") {
        self.key = key
        self.label = label.markdown
        self.value = value
        self.formatted = String(format: format, value)
    }

    /// A share shown as a percentage ("97.2%"), recorded as the fraction (0.972) in results.json,
    /// so a card never reads a fraction as if it were a count.
    public static func share(key: String, label: Prose, fraction: Double, digits: Int = 1) -> Metric {
        var metric = Metric(key: key, label: label, value: fraction)
        metric.formatted = String(format: "%.\(digits)f%%", fraction * 100)
        return metric
    }
}

/// The verdict on a statement from the assignment, computed from measured evidence.
/// The verdict on a claim. A difference inside the noise is `inconclusive`, never `refuted`;
/// `partly` is for a claim with parts that get different verdicts.
public enum Verdict: String, Codable {
    case supported = "SUPPORTED"
    case refuted = "REFUTED"
    case inconclusive = "INCONCLUSIVE"
    case partly = "PARTLY"
}

public struct ClaimCheck {
    public var id: String
    public var claim: String
    public var verdict: Verdict
    /// Markdown bullets, each with its numbers and figure links.
    public var evidence: [String]
    /// What is actually true, in one or two sentences.
    public var conclusion: String
    /// How the verdict follows from the evidence, stated before the numbers (Markdown); nil
    /// where a check has not stated one.
    public var decisionRule: String?

    /// The texts are `Prose`: values interpolated into them are escaped.
    public init(id: String, claim: Prose, verdict: Verdict, evidence: [Prose], conclusion: Prose, decisionRule: Prose? = nil) {
        self.id = id
        self.claim = claim.markdown
        self.verdict = verdict
        self.evidence = evidence.map(\.markdown)
        self.conclusion = conclusion.markdown
        self.decisionRule = decisionRule?.markdown
    }
}
