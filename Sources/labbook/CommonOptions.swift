import ArgumentParser
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

    var projectRoot: URL { ProjectPaths.root() }

    var outputDirectory: URL {
        out.hasPrefix("/") ? URL(fileURLWithPath: out) : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(out)
    }
}

extension Profile: ExpressibleByArgument {}
