import Foundation

/// Where the project's folders are: the current directory when it holds Package.swift and
/// templates/, otherwise the source checkout this binary was built from.
public enum ProjectPaths {
    public static func root() -> URL {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if isProjectRoot(current) { return current }
        // Sources/Questions/Support/ProjectPaths.swift → four levels up.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return isProjectRoot(source) ? source : current
    }

    static func isProjectRoot(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("templates/report.mustache").path)
            && FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
    }
}
