import Datasets
import Foundation
import Tensor
import TestSupport
import XCTest

/// Inflating never allocates past what the IDX header promises: not for a damaged gzip trailer
/// (whose size field once sized the buffer), not for a gzip bomb.
final class GzipLimitTests: XCTestCase {
    private func load(_ directory: TemporaryDirectory) throws -> DatasetSplit {
        try DatasetSource.directory(directory.url.path).load(projectRoot: URL(fileURLWithPath: "/"))
    }

    /// Incompressible pixels with the trailer's size field set to 4 GB: the old inflater sized
    /// its buffer from it (capped at 1032x the 1.6 MB file, 1.6 GB). Now zlib's own length check
    /// fails the file and the buffer never outgrows the header's 1.6 MB.
    func testDamagedTrailerFailsWithoutAllocatingFromIt() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory)
        var generator = SeededGenerator(seed: 13)
        let count = 2_000
        let images = IDXFixture.bigEndian(0x0803) + [UInt32(count), 28, 28].flatMap(IDXFixture.bigEndian)
            + (0..<(count * 784)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var compressed = try IDXFixture.gzip(images)
        for index in compressed.count - 4 ..< compressed.count { compressed[index] = 0xff }
        try directory.write(compressed, to: "train-images-idx3-ubyte.gz")
        let growth = try PeakResidentMemory.growth {
            assertDatasetError(try load(directory), contains: ["train-images-idx3-ubyte.gz", "corrupt gzip", "length check"])
        }
        if let growth { XCTAssertLessThan(growth, 64, "MB of peak RSS for a 1.6 MB file") }
    }

    /// 10 labels followed by 64 MB of zeros (a 64 KB file): inflating stops one byte past the
    /// 18 bytes the header promises.
    func testGzipBombStopsAtTheHeadersSize() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, trainCount: 10)
        let bomb = try IDXFixture.gzip(IDXFixture.labels(Array(repeating: 1, count: 10)) + Array(repeating: 0, count: 64 << 20))
        XCTAssertLessThan(bomb.count, 100_000)
        try directory.write(bomb, to: "train-labels-idx1-ubyte.gz")
        let growth = try PeakResidentMemory.growth {
            assertDatasetError(try load(directory), contains: ["train-labels-idx1-ubyte.gz", "inflates to more than the 18 bytes"]) {
                XCTAssertEqual($0, .inflatesPastLimit(path: directory.path("train-labels-idx1-ubyte.gz").path, limitBytes: 18))
            }
        }
        if let growth { XCTAssertLessThan(growth, 32, "MB of peak RSS for a 64 MB bomb") }
    }

    func testTruncatedGzipNamesTheFile() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, trainCount: 50, rows: 28, columns: 28)
        let compressed = try IDXFixture.gzip(IDXFixture.images(count: 50, rows: 28, columns: 28))
        try directory.write(Array(compressed.prefix(compressed.count - 20)), to: "train-images-idx3-ubyte.gz")
        assertDatasetError(try load(directory), contains: ["train-images-idx3-ubyte.gz", "corrupt gzip"])
    }
}

/// The process's peak resident memory, reset before a block and read after it: Linux resets
/// VmHWM when "5" is written to /proc/self/clear_refs. nil where that is not allowed.
enum PeakResidentMemory {
    static func growth(_ body: () throws -> Void) throws -> Double? {
        guard reset(), let before = megabytes(field: "VmRSS:") else { try body(); return nil }
        try body()
        return megabytes(field: "VmHWM:").map { $0 - before }
    }

    private static func reset() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    private static func megabytes(field: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kilobytes / 1024
    }
}
