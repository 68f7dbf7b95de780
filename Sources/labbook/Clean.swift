import ArgumentParser
import Foundation
import Notebook
import Questions

struct Clean: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete the result cache (.labbook-cache/, or --cache-dir); reports are kept.")

    @Option(name: .customLong("cache-dir"), help: "Folder of the result cache (default: .labbook-cache/ in the project).")
    var cacheDirectoryPath: String?

    func validate() throws {
        if let cacheDirectoryPath { try CommonOptions.validateWritableFolder(cacheDirectoryPath, option: "--cache-dir") }
    }

    func run() throws {
        let cache = ResultCache(directory: cacheDirectoryPath.map { CommonOptions.absolute($0) }
                                ?? ProjectPaths.root().appendingPathComponent(".labbook-cache"))
        // --cache-dir can name any folder: delete only what looks like a Labbook cache.
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: cache.directory.path)) ?? []
        if let stranger = entries.first(where: { !$0.hasPrefix(".") && $0 != "requests" && !($0.first == "q" && $0.dropFirst().allSatisfy { $0.isLetter || $0.isNumber }) }) {
            throw UsageError(description: "\(cache.directory.path) does not look like a Labbook cache (it holds \(stranger)); not deleting it")
        }
        let removed = try cache.clear()
        print("Removed \(cache.directory.path) (\(removed) files).")
    }
}
