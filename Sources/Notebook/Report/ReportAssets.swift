import AtomicFiles
import Foundation

/// Files shared by all report pages: the stylesheets (screen, and print for the assignment
/// document), an offline copy of KaTeX (from Debian's
/// libjs-katex) and the surface viewer with three.js (Debian's libjs-three, r111), installed
/// under `<out>/assets/`. Nothing is fetched from the network when a report is opened.
public struct ReportAssets {
    public let outputDirectory: URL
    let templates: TemplateSet
    /// Debian installs KaTeX here; without it formulas show as TeX source.
    public let katexSource: URL?
    /// Debian installs three.js here; without it pages keep their static surface figures.
    public let threeSource: URL?

    public static let debianKatex = URL(fileURLWithPath: "/usr/share/javascript/katex")
    public static let debianThree = URL(fileURLWithPath: "/usr/share/javascript/three")

    /// Where a viewer script comes from.
    public enum ScriptSource { case three, templates }

    /// The viewer's scripts in load order: where each is read from and where it goes under assets/.
    public static let viewerScripts: [(source: ScriptSource, sourcePath: String, assetPath: String)] = [
        (.three, "build/three.min.js", "three/three.min.js"),
        (.three, "examples/js/controls/OrbitControls.js", "three/OrbitControls.js"),
        (.templates, "landscape-viewer.js", "landscape-viewer.js"),
    ]

    public init(outputDirectory: URL, templates: TemplateSet) throws {
        self.outputDirectory = outputDirectory
        self.templates = templates
        let katex = Self.debianKatex
        katexSource = FileManager.default.fileExists(atPath: katex.appendingPathComponent("katex.min.js").path) ? katex : nil
        let three = Self.debianThree
        threeSource = FileManager.default.fileExists(atPath: three.appendingPathComponent("build/three.min.js").path) ? three : nil
    }

    public var directory: URL { outputDirectory.appendingPathComponent("assets") }

    public func install() throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(templates.stylesheet, to: directory.appendingPathComponent("style.css"))
        try AtomicFile.write(templates.printStylesheet, to: directory.appendingPathComponent("print.css"))
        try installViewer()
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

    /// three.js, its orbit controls and Labbook's viewer; the viewer is rewritten every run
    /// (it is part of the templates), three.js only when missing.
    func installViewer() throws {
        guard let threeSource else { return }
        for script in Self.viewerScripts {
            let destination = directory.appendingPathComponent(script.assetPath)
            switch script.source {
            case .three:
                if !FileManager.default.fileExists(atPath: destination.path) {
                    try AtomicFile.write(try Data(contentsOf: threeSource.appendingPathComponent(script.sourcePath).resolvingSymlinksInPath()), to: destination)
                }
            case .templates:
                // A custom templates folder without the viewer keeps pages static.
                guard let data = try? Data(contentsOf: templates.directory.appendingPathComponent(script.sourcePath)) else { return }
                try AtomicFile.write(data, to: destination)
            }
        }
    }
}
