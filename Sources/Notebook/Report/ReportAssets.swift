import Foundation

/// Files shared by all report pages: the stylesheet and an offline copy of KaTeX
/// (from Debian's libjs-katex), installed under `<out>/assets/`.
public struct ReportAssets {
    public let outputDirectory: URL
    let templates: TemplateSet
    /// Debian installs KaTeX here; without it formulas show as TeX source.
    public let katexSource: URL?

    public static let debianKatex = URL(fileURLWithPath: "/usr/share/javascript/katex")

    public init(outputDirectory: URL, templates: TemplateSet) throws {
        self.outputDirectory = outputDirectory
        self.templates = templates
        let katex = Self.debianKatex
        katexSource = FileManager.default.fileExists(atPath: katex.appendingPathComponent("katex.min.js").path) ? katex : nil
    }

    public var directory: URL { outputDirectory.appendingPathComponent("assets") }

    public func install() throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(templates.stylesheet, to: directory.appendingPathComponent("style.css"))
        guard let katexSource else { return }
        let target = directory.appendingPathComponent("katex")
        for name in ["katex.min.js", "katex.min.css"] {
            let destination = target.appendingPathComponent(name)
            if !fileManager.fileExists(atPath: destination.path) {
                try AtomicFile.write(try Data(contentsOf: katexSource.appendingPathComponent(name)), to: destination)
            }
        }
        let fonts = katexSource.appendingPathComponent("fonts")
        let fontTarget = target.appendingPathComponent("fonts")
        if let names = try? fileManager.contentsOfDirectory(atPath: fonts.path) {
            for name in names where name.hasSuffix(".woff2") {
                let destination = fontTarget.appendingPathComponent(name)
                if !fileManager.fileExists(atPath: destination.path) {
                    try AtomicFile.write(try Data(contentsOf: fonts.appendingPathComponent(name).resolvingSymlinksInPath()), to: destination)
                }
            }
        }
    }
}
