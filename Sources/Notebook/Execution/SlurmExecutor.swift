import Dispatch
import AtomicFiles
import Foundation

/// `--executor slurm`: each batch goes to Slurm as one job array whose tasks run
/// `labbook cell run REQUEST` (the same binary, so the cache folder must be on a filesystem the
/// nodes share, e.g. `--cache-dir /shared/labbook-cache`). The driver polls `scontrol show job`,
/// shows pending / running / done / failed, resubmits tasks lost to a node failure once,
/// surfaces a failed task's standard error, and cancels the array (`scancel`) on Ctrl-C.
public final class SlurmExecutor: CellExecutor {
    public let binary: URL
    public let partition: String?
    /// At most this many tasks of a batch at once (`--array=…%N`).
    public let maxJobs: Int?
    /// Passed to sbatch as they are (`--sbatch-arg=--time=1:00:00`).
    public let sbatchArguments: [String]

    public init(binary: URL, partition: String?, maxJobs: Int?, sbatchArguments: [String]) {
        self.binary = binary
        self.partition = partition
        self.maxJobs = maxJobs
        self.sbatchArguments = sbatchArguments
    }

    public var name: String { "slurm" }

    /// Terminal task states and whether the task is worth one more try (node trouble).
    static let failedStates: Set<String> = ["FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "PREEMPTED"]
    static let lostStates: Set<String> = ["NODE_FAIL"]

    public func run(_ requests: [CellRequest], requestFiles: [URL], console: Console) throws {
        guard !requests.isEmpty else { return }
        let folder = requestFiles[0].deletingLastPathComponent()
        let batch = "batch-\(UUID().uuidString.prefix(8))"
        let list = folder.appendingPathComponent("\(batch).list")
        try AtomicFile.write(requestFiles.map(\.path).joined(separator: "\n") + "\n", to: list)
        let script = folder.appendingPathComponent("\(batch).sh")
        try AtomicFile.write(try Self.taskScript(list: list, binary: binary), to: script)
        defer {
            for url in [list, script] { try? FileManager.default.removeItem(at: url) }
        }
        let label = "\(requests[0].question)/\(requests[0].cell)"
        var tasks = Array(1...requests.count)
        var retried = false
        while true {
            let job = try submit(script: script, tasks: tasks, batch: batch, folder: folder, jobName: "labbook-\(requests[0].question)")
            console.line("  \(label) ×\(tasks.count) [slurm]: job array \(job) submitted")
            let states = try wait(for: job, taskCount: requests.count, label: label, console: console)
            let lost = tasks.filter { Self.lostStates.contains(states[$0] ?? "") }
            let failed = tasks.filter { task in
                let state = states[task] ?? "UNKNOWN"
                return state != "COMPLETED" && !Self.lostStates.contains(state)
            }
            if let task = failed.first {
                let error = (try? String(contentsOf: folder.appendingPathComponent("\(batch)-\(task).err"), encoding: .utf8)) ?? ""
                throw NotebookError.io("\(failed.count) of \(requests.count) Slurm tasks of \(label) failed (job \(job)); task \(task) (key \(requests[task - 1].key.prefix(12))) ended \(states[task] ?? "UNKNOWN"): \(error.suffix(1500))")
            }
            if lost.isEmpty { break }
            guard !retried else {
                throw NotebookError.io("Slurm tasks \(lost) of \(label) were lost to node failures twice (job \(job))")
            }
            console.line("  \(label) [slurm]: tasks \(lost) lost to a node failure; resubmitting them once")
            retried = true
            tasks = lost
        }
        for task in 1...requests.count {
            for suffix in ["out", "err"] { try? FileManager.default.removeItem(at: folder.appendingPathComponent("\(batch)-\(task).\(suffix)")) }
        }
    }

    /// The shell script of one array task: the request on line `$SLURM_ARRAY_TASK_ID` of `list`,
    /// handed to `labbook cell run`. Paths are single-quoted for `sh` (a quote, `$(…)`, spaces
    /// or backslashes in them stay literal); a newline would split the one-path-per-line list, so
    /// it is refused with the path named.
    static func taskScript(list: URL, binary: URL) throws -> String {
        for path in [list.path, binary.path] where path.contains("\n") {
            throw NotebookError.invalidInput("the Slurm executor cannot use a path with a line break: \(path.debugDescription)")
        }
        return """
            #!/bin/sh
            # One task of a Labbook batch: the request on line $SLURM_ARRAY_TASK_ID of the list.
            request=$(sed -n "${SLURM_ARRAY_TASK_ID}p" \(shellQuoted(list.path)))
            exec \(shellQuoted(binary.path)) cell run "$request"

            """
    }

    /// `text` as one POSIX-shell word: single quotes, each embedded `'` written as `'\''`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// sbatch expands `%` patterns in `--output`/`--error` file names; `%%` is a literal `%`.
    static func slurmFilePattern(_ path: String) -> String {
        path.replacingOccurrences(of: "%", with: "%%")
    }

    private func submit(script: URL, tasks: [Int], batch: String, folder: URL, jobName: String) throws -> String {
        var arguments = ["--parsable", "--job-name", jobName, "--array", tasks.map(String.init).joined(separator: ",") + (maxJobs.map { "%\($0)" } ?? ""),
                         "--output", Self.slurmFilePattern(folder.path) + "/\(batch)-%a.out",
                         "--error", Self.slurmFilePattern(folder.path) + "/\(batch)-%a.err"]
        if let partition { arguments += ["--partition", partition] }
        arguments += sbatchArguments + [script.path]
        let result = try CommandOutput.capture(["sbatch"] + arguments)
        guard result.status == 0, let job = result.output.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }), !job.isEmpty else {
            throw NotebookError.io("sbatch failed (exit \(result.status)): \(result.error.suffix(1000))")
        }
        return job
    }

    /// Polls until no task is pending or running; returns each task's final state.
    private func wait(for job: String, taskCount: Int, label: String, console: Console) throws -> [Int: String] {
        // Ctrl-C cancels the array instead of leaving it queued.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            _ = try? CommandOutput.capture(["scancel", job])
            FileHandle.standardError.write(Data("\nlabbook: interrupted; cancelled Slurm job \(job)\n".utf8))
            exit(130)
        }
        interrupt.resume()
        defer {
            interrupt.cancel()
            signal(SIGINT, SIG_DFL)
        }
        var lastSummary = ""
        while true {
            let result = try CommandOutput.capture(["timeout", "30", "scontrol", "show", "job", "-o", job])
            guard result.status == 0 else {
                throw NotebookError.io("scontrol show job \(job) failed (exit \(result.status)): \(result.error.suffix(500)) (is the controller up? SLURM_CONF=\(ProcessInfo.processInfo.environment["SLURM_CONF"] ?? "unset"))")
            }
            let states = Self.taskStates(result.output)
            let counts = Dictionary(grouping: states.values, by: { $0 }).mapValues(\.count)
            let pending = (counts["PENDING"] ?? 0) + (counts["CONFIGURING"] ?? 0) + (counts["REQUEUED"] ?? 0)
            let running = (counts["RUNNING"] ?? 0) + (counts["COMPLETING"] ?? 0)
            let done = counts["COMPLETED"] ?? 0
            let failed = states.values.filter { Self.failedStates.contains($0) || Self.lostStates.contains($0) }.count
            let summary = "  \(label) [slurm \(job)]: \(pending) pending, \(running) running, \(done) done, \(failed) failed"
            if summary != lastSummary { console.line(summary); lastSummary = summary }
            if pending == 0 && running == 0 && !states.isEmpty { return states }
            Thread.sleep(forTimeInterval: 0.5)
        }
    }

    /// `ArrayTaskId` → `JobState` from `scontrol show job -o` (one line per task, or one line for
    /// a range of tasks still pending, e.g. `ArrayTaskId=3-5%2`).
    static func taskStates(_ output: String) -> [Int: String] {
        var states: [Int: String] = [:]
        for line in output.split(separator: "\n") {
            var fields: [String: String] = [:]
            for field in line.split(separator: " ") {
                let parts = field.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            guard let ids = fields["ArrayTaskId"], let state = fields["JobState"] else { continue }
            for piece in ids.split(separator: "%")[0].split(separator: ",") {
                let bounds = piece.split(separator: "-").compactMap { Int($0) }
                guard let low = bounds.first else { continue }
                for task in low...(bounds.last ?? low) { states[task] = state }
            }
        }
        return states
    }
}
