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

/// `--executor local --jobs N`: N worker processes of this binary at a time on this machine,
/// each given its share of the processors (`coresPerWorker`), so that N workers of a
/// two-core engine do not put 2N threads on the machine's cores.
public final class LocalExecutor: CellExecutor {
    public let jobs: Int
    /// The `labbook` binary the workers run.
    public let binary: URL

    public init(jobs: Int, binary: URL) {
        self.jobs = max(1, jobs)
        self.binary = binary
    }

    public var name: String { "local ×\(jobs)" }

    /// The environment variable through which a worker learns its driver's process id (to end with it).
    public static let driverVariable = "LABBOOK_DRIVER_PID"
    /// The environment variable through which a worker learns how many cores are its own.
    public static let coresVariable = "LABBOOK_CORES"

    /// Processors per worker: the online processors split evenly over the jobs, at least one.
    /// Two jobs on two cores run two single-threaded cells, which on this project's convolutional
    /// training gets more done than one cell on both cores (its threads wait on each other).
    public var coresPerWorker: Int { max(1, ProcessInfo.processInfo.activeProcessorCount / jobs) }

    /// A worker's environment: this process's, plus the driver's id and the worker's cores.
    var workerEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.merging([
            Self.driverVariable: "\(getpid())", Self.coresVariable: "\(coresPerWorker)",
        ]) { $1 }
    }

    public func run(_ requests: [CellRequest], requestFiles: [URL], console: Console) throws {
        var pending = Array(zip(requests, requestFiles).reversed())
        var running: [(request: CellRequest, process: Process, errorFile: URL)] = []
        var done = 0, failures: [String] = []
        let cells = Set(requests.map(\.cell)).count == 1 ? "\(requests[0].cell) ×\(requests.count)" : "\(requests.count) cells"
        let start = Date()
        var lastReport = start
        // A line at every start and end, and one a minute meanwhile (a batch of trainings runs for
        // half an hour with nothing starting or ending), with what is running and for how long.
        func report() {
            lastReport = Date()
            let failed = failures.isEmpty ? "" : ", \(failures.count) failed"
            let names = running.isEmpty ? "" : " (\(running.map(\.request.cell).joined(separator: ", ")))"
            let counts = "\(done) done, \(running.count) running\(names), \(pending.count) pending\(failed)"
            let elapsed = Console.formatSeconds(lastReport.timeIntervalSince(start))
            console.line("  \(requests.first?.question ?? "") › \(cells) [\(name)]: \(counts), \(elapsed)")
        }
        while !pending.isEmpty || !running.isEmpty {
            while running.count < jobs, let (request, file) = pending.popLast() {
                let errorFile = file.deletingPathExtension().appendingPathExtension("stderr")
                _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
                let process = Process()
                process.executableURL = binary
                process.arguments = ["cell", "run", file.path]
                process.environment = workerEnvironment
                process.standardOutput = FileHandle.nullDevice
                let errorHandle = try FileHandle(forWritingTo: errorFile)
                process.standardError = errorHandle
                try process.run()
                // The worker has its own copy; holding ours would cost a descriptor per worker.
                try? errorHandle.close()
                running.append((request, process, errorFile))
                report()
            }
            Thread.sleep(forTimeInterval: 0.05)
            if Date().timeIntervalSince(lastReport) >= 60 { report() }
            for (index, entry) in running.enumerated().reversed() where !entry.process.isRunning {
                running.remove(at: index)
                done += 1
                if entry.process.terminationStatus != 0 {
                    let stderr = (try? String(contentsOf: entry.errorFile, encoding: .utf8)) ?? ""
                    failures.append("\(entry.request.question)/\(entry.request.cell) (key \(entry.request.key.prefix(12))) \(Self.describeEnd(of: entry.process)): \(stderr.suffix(1500))")
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

    /// "exited 1", or "was killed by signal 9 (SIGKILL)" rather than a signal number read as an exit status.
    static func describeEnd(of process: Process) -> String {
        let status = process.terminationStatus
        guard process.terminationReason == .uncaughtSignal else { return "exited \(status)" }
        let names: [Int32: String] = [SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT",
                                      SIGILL: "SIGILL", SIGBUS: "SIGBUS", SIGTRAP: "SIGTRAP"]
        return "was killed by signal \(status)\(names[status].map { " (\($0))" } ?? "")"
    }
}
