import AtomicFiles
import Foundation

/// Prints an HTML page to PDF with headless Chromium (`--print-to-pdf`), as `assignment.pdf`
/// is made from `assignment.html`. The page's scripts run first (KaTeX renders the formulas);
/// `templates/print.css` decides the pages. The PDF is written beside its target and renamed
/// into place only once it is complete and starts with `%PDF`.
public struct PDFPrinter {
    public let chromium: URL
    /// Seconds before a hung browser is stopped.
    public var timeoutSeconds = 300

    public init(chromium: URL) {
        self.chromium = chromium
    }

    /// What `make setup` installs; the message says so when Chromium is missing.
    public static let defaultLocation = URL(fileURLWithPath: "/usr/bin/chromium")

    /// Chromium from `LABBOOK_CHROMIUM` when set (and only there), else /usr/bin/chromium, else
    /// `chromium` on the PATH; nil when none is an executable.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment,
                            defaultLocation: URL = defaultLocation) -> PDFPrinter? {
        let fileManager = FileManager.default
        if let path = environment["LABBOOK_CHROMIUM"], !path.isEmpty {
            return fileManager.isExecutableFile(atPath: path) ? PDFPrinter(chromium: URL(fileURLWithPath: path)) : nil
        }
        if fileManager.isExecutableFile(atPath: defaultLocation.path) { return PDFPrinter(chromium: defaultLocation) }
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("chromium")
            if fileManager.isExecutableFile(atPath: candidate.path) { return PDFPrinter(chromium: candidate) }
        }
        return nil
    }

    /// Why there is no printer and how to get one, for `pdf` (the file that was not printed).
    public static func missingMessage(for pdf: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let looked: String
        if let path = environment["LABBOOK_CHROMIUM"], !path.isEmpty {
            looked = "LABBOOK_CHROMIUM=\(path) is not an executable"
        } else {
            looked = "Chromium was not found (\(defaultLocation.path), or chromium on the PATH; LABBOOK_CHROMIUM names another)"
        }
        return "\(looked), so \(pdf.path) was not printed. Install it with `make setup` (or `apt-get install chromium`), then run `labbook pdf`."
    }

    /// The command line: headless with software rendering (no GPU, possibly root in a
    /// container), a throw-away profile, no browser header or footer, and time for the
    /// page's scripts and fonts before printing.
    func arguments(page: URL, output: URL, profile: URL) -> [String] {
        ["--headless", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
         "--user-data-dir=\(profile.path)", "--no-pdf-header-footer", "--virtual-time-budget=10000",
         "--print-to-pdf=\(output.path)", page.absoluteString]
    }

    /// Prints `page` (an HTML file) to `pdf`.
    /// - Throws: `NotebookError.io` naming the file and the problem when Chromium fails, times
    ///   out or writes something that is not a PDF; `pdf` is then left as it was.
    public func print(_ page: URL, to pdf: URL) throws {
        let folder = pdf.deletingLastPathComponent()
        _ = AtomicFile.removeStalePartials(under: folder, olderThan: 3600, now: Date())   // what a killed print left
        let partial = folder.appendingPathComponent(".\(pdf.lastPathComponent).\(WriterTag.current()).partial")
        // A throw-away browser profile, and a file for its standard error: a pipe could be held
        // open by a browser process that outlives the one `timeout` stopped.
        let scratch = ScratchFolder.path("chromium")
        let log = scratch.appendingPathComponent("stderr.txt")
        defer {
            try? FileManager.default.removeItem(at: scratch)
            try? FileManager.default.removeItem(at: partial)
        }
        let errors: FileHandle
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)   // FileHandle opens only what exists
            errors = try FileHandle(forWritingTo: log)
        } catch {
            throw NotebookError.io("cannot create \(scratch.path) for the browser (\(AtomicFile.reason(error)))")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=10", String(timeoutSeconds), chromium.path]
            + arguments(page: page, output: partial, profile: scratch.appendingPathComponent("profile"))
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do { try process.run() } catch {
            throw NotebookError.io("cannot start \(chromium.path) to print \(pdf.path) (\(AtomicFile.reason(error)))")
        }
        process.waitUntilExit()
        try? errors.close()
        let stderr = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
        let status = process.terminationStatus
        guard status == 0 else {
            let why = status == 124 || status == 137 ? "timed out after \(timeoutSeconds) s" : "exited with status \(status)"
            throw NotebookError.io("cannot print \(pdf.path): \(chromium.path) \(why) on \(page.path)\(Self.lastLines(of: stderr))")
        }
        guard let handle = try? FileHandle(forReadingFrom: partial) else {
            throw NotebookError.io("cannot print \(pdf.path): \(chromium.path) wrote no PDF for \(page.path)\(Self.lastLines(of: stderr))")
        }
        let head = (try? handle.read(upToCount: 5)) ?? Data()
        try? handle.close()
        guard head.starts(with: Data("%PDF".utf8)) else {
            throw NotebookError.io("cannot print \(pdf.path): what \(chromium.path) wrote for \(page.path) is not a PDF (it starts with \(head.map { String(format: "%02x", $0) }.joined(separator: " ")))")
        }
        if rename(partial.path, pdf.path) != 0 {
            throw NotebookError.io("cannot rename \(partial.path) to \(pdf.path): \(String(cString: strerror(errno)))")
        }
    }

    /// The end of Chromium's standard error, which says what went wrong (most of the rest is
    /// noise from a machine without D-Bus or GPU).
    static func lastLines(of stderr: String) -> String {
        let lines = stderr.split(separator: "\n").suffix(5)
        return lines.isEmpty ? "" : ":\n" + lines.joined(separator: "\n")
    }
}
