import Foundation

/// Where and how a report was produced, printed at the end of every report so a
/// reader can reproduce it or tell two runs apart.
public struct RunMetadata: Codable {
    public var date: Date
    public var gitCommit: String
    public var labbookVersion: String
    public var machine: String
    /// The BLAS core and SIMD level the numbers were computed with (nil in reports written
    /// before kernels were recorded). The same seed gives identical numbers on one machine
    /// with the same kernels; other kernels change them by rounding.
    public var kernels: String?
    public var profile: String
    public var seed: UInt64
    public var datasets: [String]
    public var cells: [CellRecord]
    public var totalSeconds: Double

    public static let labbookVersion = "0.2.0"

    public init(session: NotebookSession, projectRoot: URL, outputDirectory: URL, totalSeconds: Double, kernels: String = "",
                date: Date = Date()) {
        self.date = date
        self.gitCommit = RunMetadata.gitCommit(in: projectRoot, ignoring: outputDirectory)
        self.labbookVersion = RunMetadata.labbookVersion
        self.machine = RunMetadata.machineDescription()
        self.kernels = kernels.isEmpty ? nil : kernels
        self.profile = session.profile.rawValue
        self.seed = session.seed
        self.datasets = session.datasets
        self.cells = session.cellRecords
        self.totalSeconds = totalSeconds
    }

    /// The commit of the working tree, with "-dirty" when it has uncommitted changes outside the
    /// report folder (rewriting committed reports is what a run does, not a change to the code).
    static func gitCommit(in directory: URL, ignoring outputDirectory: URL) -> String {
        guard let commit = CommandOutput.run(["git", "-C", directory.path, "rev-parse", "--short=12", "HEAD"]), !commit.isEmpty else {
            return "unknown (not a git checkout)"
        }
        var arguments = ["git", "-C", directory.path, "status", "--porcelain", "--untracked-files=no", "--", "."]
        let root = directory.standardizedFileURL.path, output = outputDirectory.standardizedFileURL.path
        if output.hasPrefix(root + "/") { arguments.append(":(exclude)" + String(output.dropFirst(root.count + 1))) }
        let status = CommandOutput.run(arguments) ?? ""
        return status.isEmpty ? commit : commit + "-dirty"
    }

    /// The newest commit that changed a file outside the report folder.
    static func lastCommit(in directory: URL, ignoring outputDirectory: URL) -> String? {
        var arguments = ["git", "-C", directory.path, "log", "-1", "--format=%h", "--", "."]
        let root = directory.standardizedFileURL.path, output = outputDirectory.standardizedFileURL.path
        if output.hasPrefix(root + "/") { arguments.append(":(exclude)" + String(output.dropFirst(root.count + 1))) }
        return CommandOutput.run(arguments).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// CPU model and core count from /proc/cpuinfo (Linux), e.g. "AMD EPYC 7B13, 2 cores".
    static func machineDescription() -> String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var model = "unknown CPU"
        if let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let value = line.split(separator: ":", maxSplits: 1).last {
            model = value.trimmingCharacters(in: .whitespaces)
        }
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        return "\(model), \(cores) cores, \(String(format: "%.0f", memory)) GiB"
    }

    /// Rows for the metadata table: (field, value).
    public var rows: [(String, String)] {
        let formatter = ISO8601DateFormatter()
        let computed = cells.filter { $0.kind == "compute" }
        let hits = computed.filter(\.cached).count
        return [
            ("Date", formatter.string(from: date)),
            ("Git commit", gitCommit),
            ("Labbook version", labbookVersion),
            ("Machine", machine),
            ("Kernels", (kernels ?? "not recorded") + ". The same seed gives identical numbers on one machine with these kernels; other kernels change them by rounding"),
            ("Profile", profile),
            ("Seed", String(seed)),
            ("Datasets", datasets.isEmpty ? "none (synthetic data only)" : datasets.joined(separator: "; ")),
            ("Computed cells", "\(computed.count) (\(hits) from cache)"),
            ("Report time", Console.formatSeconds(totalSeconds)),
        ]
    }
}
