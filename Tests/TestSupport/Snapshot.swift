import Foundation
import XCTest

/// Golden-file comparison, as matplotlib's baseline images and swift-argument-parser's output
/// snapshots: `text` must equal the file `name` in `folder` byte for byte. Run the tests with
/// `LABBOOK_RECORD_SNAPSHOTS=1` to (re-)record every snapshot deliberately; a missing
/// snapshot is recorded and reported as a failure, so a new one is always looked at once.
public func assertSnapshot(_ text: String, named name: String, in folder: URL,
                           file: StaticString = #filePath, line: UInt = #line) {
    let url = folder.appendingPathComponent(name)
    let recording = ProcessInfo.processInfo.environment["LABBOOK_RECORD_SNAPSHOTS"].map { !$0.isEmpty && $0 != "0" } ?? false
    guard !recording, let stored = try? String(contentsOf: url, encoding: .utf8) else {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
        } catch {
            XCTFail("cannot record snapshot \(url.path): \(error)", file: file, line: line)
            return
        }
        if !recording { XCTFail("recorded missing snapshot \(url.path); check it and run again", file: file, line: line) }
        return
    }
    guard stored != text else { return }
    let storedLines = stored.components(separatedBy: "\n"), lines = text.components(separatedBy: "\n")
    let first = zip(storedLines, lines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(storedLines.count, lines.count)
    let expected = first < storedLines.count ? storedLines[first] : "<end of snapshot>"
    let actual = first < lines.count ? lines[first] : "<end of output>"
    XCTFail("""
        output differs from snapshot \(url.lastPathComponent) at line \(first + 1):
          snapshot: \(expected)
          output:   \(actual)
        (LABBOOK_RECORD_SNAPSHOTS=1 re-records it if the change is intended)
        """, file: file, line: line)
}

/// Replaces each match of `pattern` by `replacement`, for masking run-specific values (dates,
/// commits, durations) before a snapshot comparison.
public func masking(_ text: String, _ pattern: String, with replacement: String) -> String {
    guard let expression = try? NSRegularExpression(pattern: pattern) else { return text }
    return expression.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: replacement)
}
