import ArgumentParser
import Foundation
import Notebook
import Questions

/// `labbook cache verify`: every cell entry and artifact of a cache against its SHA-256.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "Check the result cache.", subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every cached cell result and artifact against the SHA-256 it was written with; exit 1 if any is damaged.")

        @Option(name: .customLong("cache-dir"), help: "The cache to check (default .labbook-cache/).")
        var cacheDirectory: String?

        func run() throws {
            let directory = cacheDirectory.map { URL(fileURLWithPath: $0) } ?? ProjectPaths.root().appendingPathComponent(".labbook-cache")
            guard FileManager.default.fileExists(atPath: directory.path) else {
                throw ValidationError("no cache at \(directory.path)")
            }
            let verification = ResultCache(directory: directory).verify()
            for (path, reason) in verification.damaged { print("DAMAGED \(path): \(reason)") }
            print("\(verification.verified) entries verified, \(verification.unsealed.count) written before checksums (unverified), "
                  + "\(verification.damaged.count) damaged in \(directory.path)")
            if !verification.damaged.isEmpty {
                print("The next `labbook run` recomputes the damaged cells (and only those).")
                throw ExitCode(1)
            }
        }
    }
}
