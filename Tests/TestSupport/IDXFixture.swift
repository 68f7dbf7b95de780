// Temporary folders and hand-built IDX files, shared by the dataset and command-line tests.
import Foundation

/// A temporary folder for one test, removed in `deinit`, with helpers that write IDX files.
public final class TemporaryDirectory {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("LabbookTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    @discardableResult
    public func write(_ bytes: [UInt8], to name: String) throws -> URL {
        let file = path(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file
    }

    public func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }
}

/// IDX file bytes built by hand, independent of the reader under test.
public enum IDXFixture {
    public static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    /// `count` images of `rows`x`columns` whose pixel at position p of image i is (i * 7 + p) % 256.
    public static func imagesPixels(count: Int, rows: Int, columns: Int) -> [UInt8] {
        (0..<count).flatMap { image in (0..<(rows * columns)).map { UInt8((image * 7 + $0) % 256) } }
    }

    public static func images(count: Int, rows: Int, columns: Int, magic: UInt32 = 0x0803) -> [UInt8] {
        bigEndian(magic) + bigEndian(UInt32(count)) + bigEndian(UInt32(rows)) + bigEndian(UInt32(columns))
            + imagesPixels(count: count, rows: rows, columns: columns)
    }

    public static func labels(_ labels: [UInt8], magic: UInt32 = 0x0801) -> [UInt8] {
        bigEndian(magic) + bigEndian(UInt32(labels.count)) + labels
    }

    /// Writes the four standard files (gzipped when `gzipped`) for a tiny dataset into `directory`.
    public static func writeStandardFiles(in directory: TemporaryDirectory, trainCount: Int = 5, testCount: Int = 3,
                                   rows: Int = 4, columns: Int = 3, gzipped: Bool = true) throws {
        try writeStandardFiles(in: directory.url, trainCount: trainCount, testCount: testCount,
                               rows: rows, columns: columns, gzipped: gzipped)
    }

    public static func writeStandardFiles(in directory: URL, trainCount: Int = 5, testCount: Int = 3,
                                   rows: Int = 4, columns: Int = 3, gzipped: Bool = true) throws {
        let files: [(String, [UInt8])] = [
            ("train-images-idx3-ubyte", images(count: trainCount, rows: rows, columns: columns)),
            ("train-labels-idx1-ubyte", labels((0..<trainCount).map { UInt8($0 % 10) })),
            ("t10k-images-idx3-ubyte", images(count: testCount, rows: rows, columns: columns)),
            ("t10k-labels-idx1-ubyte", labels((0..<testCount).map { UInt8(9 - $0 % 10) })),
        ]
        for (name, bytes) in files {
            let file = directory.appendingPathComponent(gzipped ? name + ".gz" : name)
            try Data(gzipped ? try gzip(bytes) : bytes).write(to: file)
        }
    }

    /// Compresses with the system `gzip`, so the reader is checked against a real encoder.
    public static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = try TemporaryDirectory()
        let file = try input.write(bytes, to: "data")
        try runCommand("/usr/bin/env", ["gzip", "-n", "-9", file.path])
        return [UInt8](try Data(contentsOf: input.path("data.gz")))
    }
}

/// Runs a command to completion and returns its standard output.
@discardableResult
public func runCommand(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw NSError(domain: "run", code: Int(process.terminationStatus),
                      userInfo: [NSLocalizedDescriptionKey: "\(arguments) exited \(process.terminationStatus)"])
    }
    return String(decoding: data, as: UTF8.self)
}

