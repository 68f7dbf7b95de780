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

    var outputDirectory: URL {
        out.hasPrefix("/") ? URL(fileURLWithPath: out) : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(out)
    }
}

extension Profile: ExpressibleByArgument {}
