import ArgumentParser
import Foundation
import Notebook
import Questions

struct Clean: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete the result cache (.labbook-cache/); reports are kept.")

    func run() throws {
        let cache = ResultCache(directory: ProjectPaths.root().appendingPathComponent(".labbook-cache"))
        let removed = try cache.clear()
        print("Removed \(cache.directory.path) (\(removed) files).")
    }
}
