import Foundation

/// Where a batch of independent cells is computed. `serial` (no executor) computes them in
/// this process, one after another; the others hand each cell to a worker process running the
/// same binary (`labbook cell run FILE`), and return once every result is in the cache.
public protocol CellExecutor: AnyObject {
    /// Shown in the console and the run metadata, e.g. `local ×2`.
    var name: String { get }
    /// Computes every request's cell into the cache; throws naming the first cell that failed,
    /// with the end of its worker's standard error.
    func run(_ requests: [CellRequest], requestFiles: [URL], console: Console) throws
}

/// `--executor local --jobs N`: N worker processes of this binary at a time on this machine.
public final class LocalExecutor: CellExecutor {
    public let jobs: Int
    /// The `labbook` binary the workers run.
    public let binary: URL

    public init(jobs: Int, binary: URL) {
        self.jobs = max(1, jobs)
        self.binary = binary
    }

    public var name: String { "local ×\(jobs)" }

    public func run(_ requests: [CellRequest], requestFiles: [URL], console: Console) throws {
        var pending = Array(zip(requests, requestFiles).reversed())
        var running: [(request: CellRequest, process: Process, errorFile: URL)] = []
        var done = 0, failures: [String] = []
        func report() {
            console.line("  \(requests.first?.question ?? "") › \(requests.first?.cell ?? "") ×\(requests.count) [\(name)]: \(done) done, \(running.count) running, \(pending.count) pending\(failures.isEmpty ? "" : ", \(failures.count) failed")")
        }
        while !pending.isEmpty || !running.isEmpty {
            while running.count < jobs, let (request, file) = pending.popLast() {
                let errorFile = file.deletingPathExtension().appendingPathExtension("stderr")
                _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
                let process = Process()
                process.executableURL = binary
                process.arguments = ["cell", "run", file.path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = try FileHandle(forWritingTo: errorFile)
                try process.run()
                running.append((request, process, errorFile))
                report()
            }
            Thread.sleep(forTimeInterval: 0.05)
            for (index, entry) in running.enumerated().reversed() where !entry.process.isRunning {
                running.remove(at: index)
                done += 1
                if entry.process.terminationStatus != 0 {
                    let stderr = (try? String(contentsOf: entry.errorFile, encoding: .utf8)) ?? ""
                    failures.append("\(entry.request.question)/\(entry.request.cell) (key \(entry.request.key.prefix(12))) exited \(entry.process.terminationStatus): \(stderr.suffix(1500))")
                } else {
                    try? FileManager.default.removeItem(at: entry.errorFile)
                }
                report()
            }
        }
        if let first = failures.first {
            throw NotebookError.io("\(failures.count) of \(requests.count) cells failed on \(name); first: \(first)")
        }
    }
}
