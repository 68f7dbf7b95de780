import Checksums
import Datasets
import TestSupport
import XCTest

/// Reads generated IDX folders through `DatasetSource.directory`, the public path to the reader.
final class IDXReaderTests: XCTestCase {
    private func load(_ directory: TemporaryDirectory) throws -> DatasetSplit {
        try DatasetSource.directory(directory.url.path).load(projectRoot: URL(fileURLWithPath: "/"))
    }

    func testReadsKnownAnswerFromGzippedFiles() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, trainCount: 5, testCount: 3, rows: 4, columns: 3)
        let split = try load(directory)
        XCTAssertEqual(split.train.count, 5)
        XCTAssertEqual(split.test.count, 3)
        XCTAssertEqual(split.train.rows, 4)
        XCTAssertEqual(split.train.columns, 3)
        XCTAssertEqual(split.train.images, IDXFixture.imagesPixels(count: 5, rows: 4, columns: 3))
        XCTAssertEqual(split.train.labels, [0, 1, 2, 3, 4])
        XCTAssertEqual(split.test.labels, [9, 8, 7])
        XCTAssertEqual(Array(split.train.image(at: 1)), (0..<12).map { UInt8(7 + $0) })
        XCTAssertEqual(split.classNames, (0...9).map(String.init))
        XCTAssertEqual(split.name, directory.url.path)
    }

    func testRawAndGzippedFilesReadTheSameButHashDifferently() throws {
        let gzipped = try TemporaryDirectory()
        let raw = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: gzipped, gzipped: true)
        try IDXFixture.writeStandardFiles(in: raw, gzipped: false)
        let fromGzip = try load(gzipped)
        let fromRaw = try load(raw)
        XCTAssertEqual(fromGzip.train.images, fromRaw.train.images)
        XCTAssertEqual(fromGzip.test.labels, fromRaw.test.labels)
        // The content hash covers the bytes on disk, concatenated in load order.
        let rawBytes = try ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
            .flatMap { [UInt8](try Data(contentsOf: raw.path($0))) }
        XCTAssertEqual(fromRaw.contentHash, SHA256.hexDigest(of: rawBytes))
        XCTAssertNotEqual(fromGzip.contentHash, fromRaw.contentHash)
    }

    func testConcatenatedGzipMembersAreReadLikeGunzip() throws {
        // 100 KB that compresses well, then a 10-byte member: the trailer's size hint describes
        // only the last member, so the output buffer must grow several times.
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, trainCount: 100, rows: 32, columns: 32)
        let images = IDXFixture.images(count: 100, rows: 32, columns: 32)
        let split = images.count - 10
        let twoMembers = try IDXFixture.gzip(Array(images[..<split])) + IDXFixture.gzip(Array(images[split...]))
        XCTAssertLessThan(twoMembers.count, 20_000)
        try directory.write(twoMembers, to: "train-images-idx3-ubyte.gz")
        XCTAssertEqual(try load(directory).train.images, IDXFixture.imagesPixels(count: 100, rows: 32, columns: 32))
    }

    func testWrongMagicNumberNamesFileAndBothValues() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory)
        // A labels file where the images should be.
        try directory.write(IDXFixture.gzip(IDXFixture.labels([1, 2, 3])), to: "train-images-idx3-ubyte.gz")
        assertDatasetError(try load(directory),
                           contains: ["train-images-idx3-ubyte.gz", "magic", "expected 0x00000803", "found 0x00000801"])
    }

    func testTruncatedFileNamesFileAndByteCounts() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory)
        let images = IDXFixture.images(count: 3, rows: 4, columns: 3)   // 16 + 36 bytes
        try directory.write(IDXFixture.gzip(Array(images.dropLast(10))), to: "t10k-images-idx3-ubyte.gz")
        assertDatasetError(try load(directory),
                           contains: ["t10k-images-idx3-ubyte.gz", "truncated", "expected 52 bytes", "found 42 after decompression"]) {
            XCTAssertEqual($0, .truncated(path: directory.path("t10k-images-idx3-ubyte.gz").path,
                                          expectedBytes: 52, foundBytes: 42))
        }
    }

    func testHeaderCutShortIsTruncated() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, gzipped: false)
        try directory.write([0, 0, 8, 3, 0, 0], to: "train-images-idx3-ubyte")
        assertDatasetError(try load(directory), contains: ["train-images-idx3-ubyte", "expected 16 bytes", "found 6"])
    }

    func testExtraBytesAreReported() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, gzipped: false)
        try directory.write(IDXFixture.labels([1, 2, 3]) + [9, 9], to: "t10k-labels-idx1-ubyte")
        assertDatasetError(try load(directory), contains: ["t10k-labels-idx1-ubyte", "expected 11 bytes", "found 13"])
    }

    func testImageAndLabelCountMismatchNamesBothFiles() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory, trainCount: 5)
        try directory.write(IDXFixture.gzip(IDXFixture.labels([1, 2, 3, 4])), to: "train-labels-idx1-ubyte.gz")
        assertDatasetError(try load(directory),
                           contains: ["train-images-idx3-ubyte.gz", "5 images", "train-labels-idx1-ubyte.gz", "4 labels"])
    }

    func testCorruptGzipNamesFile() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory)
        var compressed = try IDXFixture.gzip(IDXFixture.images(count: 5, rows: 4, columns: 3))
        for index in 12..<compressed.count - 8 { compressed[index] ^= 0x5a }
        try directory.write(compressed, to: "train-images-idx3-ubyte.gz")
        assertDatasetError(try load(directory), contains: ["train-images-idx3-ubyte.gz", "corrupt gzip"])
    }

    func testCutShortGzipStreamIsCorrupt() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory)
        let compressed = try IDXFixture.gzip(IDXFixture.images(count: 5, rows: 4, columns: 3))
        try directory.write(Array(compressed.prefix(compressed.count / 2)), to: "train-images-idx3-ubyte.gz")
        assertDatasetError(try load(directory), contains: ["train-images-idx3-ubyte.gz", "corrupt gzip", "ends early"])
    }

    func testDotGzFileThatIsNotGzipIsCorrupt() throws {
        let directory = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: directory)
        try directory.write(Array("<html>404 Not Found</html>".utf8), to: "t10k-labels-idx1-ubyte.gz")
        assertDatasetError(try load(directory), contains: ["t10k-labels-idx1-ubyte.gz", "not in gzip format"])
    }

    func testMissingFileSaysWhatTheFolderNeeds() throws {
        let directory = try TemporaryDirectory()
        assertDatasetError(try load(directory),
                           contains: ["train-images-idx3-ubyte.gz", "not found", "t10k-labels-idx1-ubyte"])
    }
}
