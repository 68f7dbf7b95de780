import ArgumentParser
import Datasets
import Foundation
import Notebook
import Questions

/// Options shared by the commands that run or inspect questions.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "How much work to do: quick (CI-sized), default (the committed reports) or full.")
    var profile: Profile = .default

    @Option(name: .long, help: "Seed for every random choice; the same seed gives the same numbers.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "Folder for the reports.")
    var out: String = "reports"

    @Option(name: .customLong("cache-dir"), help: "Folder for the result cache (default: .labbook-cache/ in the project).")
    var cacheDirectoryPath: String?

    @Option(name: .customLong("dataset-dir"), help: "Folder holding the four standard IDX files, used instead of the default digits (mnist, else mnist-5k).")
    var datasetDirectory: String?

    var projectRoot: URL { ProjectPaths.root() }

    /// The digit dataset chosen on the command line, or nil for the default.
    func digits() throws -> DatasetSource? {
        guard let datasetDirectory else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: datasetDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError(description: "--dataset-dir \(datasetDirectory) is not a folder")
        }
        return .directory(URL(fileURLWithPath: datasetDirectory).standardizedFileURL.path)
    }

    var outputDirectory: URL { Self.absolute(out) }

    /// The cache folder `--cache-dir` names, or nil for the project's `.labbook-cache/`.
    var cacheDirectory: URL? { cacheDirectoryPath.map(Self.absolute) }

    static func absolute(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
    }

    /// `--out` and `--cache-dir` must be folders Labbook can create or write: an empty path
    /// would write into the current folder, a file or a read-only place would fail half-way.
    func validate() throws {
        try Self.validateWritableFolder(out, option: "--out")
        if let cacheDirectoryPath { try Self.validateWritableFolder(cacheDirectoryPath, option: "--cache-dir") }
        // Reports are swapped in folder by folder and the index rewrites the output folder:
        // a cache inside it (or the other way round) would be overwritten or published.
        let (reports, cache) = (Self.resolved(outputDirectory), Self.resolved(cacheDirectory ?? ProjectPaths.root().appendingPathComponent(".labbook-cache")))
        if reports == cache || cache.hasPrefix(reports + "/") || reports.hasPrefix(cache + "/") {
            throw ValidationError("--out \(out) and the cache \(cache) overlap; give them separate folders (the run would overwrite the cache or publish it)")
        }
    }

    /// The absolute path with symbolic links resolved as far as the folders exist.
    static func resolved(_ url: URL) -> String {
        url.standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func validateWritableFolder(_ path: String, option: String) throws {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("\(option) is empty; give a folder, e.g. \(option) reports")
        }
        let folder = absolute(path).standardizedFileURL
        try rejectBrokenLinks(in: folder, path: path, option: option)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("\(option) \(path) is a file, not a folder")
        }
        var ancestor = folder.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
            ancestor = ancestor.deletingLastPathComponent()
        }
        if !isDirectory.boolValue { throw ValidationError("\(option) \(path) cannot be created: \(ancestor.path) is a file, not a folder") }
        // A probe file in the folder, or in the nearest folder that exists, turns every reason a
        // write could fail (read-only or virtual file systems, permissions) into one message
        // before any work starts; access(2) alone would let root through everywhere. Nothing is
        // created for the report itself until the run writes it.
        let existing = FileManager.default.fileExists(atPath: folder.path) ? folder : ancestor
        let probe = existing.appendingPathComponent(".labbook-write-probe-\(getpid())-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            let reason = String(cString: strerror(errno))
            throw ValidationError(existing == folder ? "\(option) \(path) is not writable (\(reason))"
                                                     : "\(option) \(path) cannot be created in \(existing.path) (\(reason))")
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// A symbolic link on the way to `folder` that loops or points nowhere is named now, not met
    /// later as a misleading "cannot create" (fileExists follows links and just says false).
    private static func rejectBrokenLinks(in folder: URL, path: String, option: String) throws {
        var current = URL(fileURLWithPath: "/")
        for component in folder.pathComponents.dropFirst() {
            current.appendPathComponent(component)
            var status = stat()
            guard lstat(current.path, &status) == 0 else { return }   // the rest does not exist yet
            guard status.st_mode & S_IFMT == S_IFLNK else { continue }
            if stat(current.path, &status) != 0 {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: current.path)) ?? "?"
                throw ValidationError(errno == ELOOP ? "\(option) \(path): \(current.path) is a symbolic link loop"
                                                     : "\(option) \(path): \(current.path) is a dangling symbolic link (to \(target))")
            }
        }
    }
}

extension Profile: ExpressibleByArgument {}
