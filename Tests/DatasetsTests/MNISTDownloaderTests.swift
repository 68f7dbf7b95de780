import Checksums
import Datasets
import Foundation
import TestSupport
import XCTest

/// Downloads from a local `python3 -m http.server`, with two "mirror" folders under its root.
final class MNISTDownloaderTests: XCTestCase {
    private var served: TemporaryDirectory!
    private var destination: TemporaryDirectory!
    private var server: LocalHTTPServer!
    private let labels = IDXFixture.labels([3, 1, 4, 1, 5])

    override func setUpWithError() throws {
        served = try TemporaryDirectory()
        destination = try TemporaryDirectory()
        server = try LocalHTTPServer(serving: served.url)
    }

    override func tearDown() {
        server?.stop()
        server = nil
        served = nil
        destination = nil
    }

    private func mirror(_ name: String) -> URL { server.baseURL.appendingPathComponent(name + "/") }

    /// The MD5 `md5sum` computes, so the check does not rely on the implementation under test.
    private func md5sum(_ file: URL) throws -> String {
        String(try runCommand("/usr/bin/env", ["md5sum", file.path]).prefix(32))
    }

    func testDownloadsAndVerifiesGoodFile() throws {
        let source = try served.write(try IDXFixture.gzip(labels), to: "a/labels.gz")
        let file = MNISTDownloader.RemoteFile(name: "labels.gz", md5: try md5sum(source))
        var reports: [DownloadProgress] = []
        let lock = NSLock()
        let downloader = MNISTDownloader(mirrors: [mirror("a")], files: [file], timeout: 10)
        let urls = try downloader.download(into: destination.url) { progress in
            lock.lock(); reports.append(progress); lock.unlock()
        }
        XCTAssertEqual(urls, [destination.path("labels.gz")])
        XCTAssertEqual(try Data(contentsOf: urls[0]), try Data(contentsOf: source))
        XCTAssertEqual(try destination.contents(), ["labels.gz"], "no temporary file should remain")
        let size = try Data(contentsOf: source).count
        XCTAssertEqual(reports.last?.bytesReceived, size)
        XCTAssertEqual(reports.last?.expectedBytes, size)
        XCTAssertEqual(reports.last?.file, "labels.gz")
    }

    func testWrongChecksumIsRejectedAndLeavesNoFile() throws {
        try served.write(try IDXFixture.gzip(labels), to: "a/labels.gz")
        let wrong = "00112233445566778899aabbccddeeff"
        let downloader = MNISTDownloader(mirrors: [mirror("a")],
                                         files: [.init(name: "labels.gz", md5: wrong)], timeout: 10)
        assertDatasetError(try downloader.download(into: destination.url),
                           contains: ["labels.gz", "MD5 mismatch", "expected \(wrong)", "discarded"])
        XCTAssertEqual(try destination.contents(), [], "neither the file nor a temporary may remain")
    }

    func testFallsBackToSecondMirrorAfter404() throws {
        let source = try served.write(try IDXFixture.gzip(labels), to: "b/labels.gz")
        let downloader = MNISTDownloader(mirrors: [mirror("a"), mirror("b")],
                                         files: [.init(name: "labels.gz", md5: try md5sum(source))], timeout: 10)
        try downloader.download(into: destination.url)
        XCTAssertEqual(try Data(contentsOf: destination.path("labels.gz")), try Data(contentsOf: source))
        XCTAssertEqual(try destination.contents(), ["labels.gz"])
    }

    func testEveryMirrorFailingListsEachAttempt() throws {
        let downloader = MNISTDownloader(mirrors: [mirror("a"), mirror("b")],
                                         files: [.init(name: "labels.gz", md5: String(repeating: "0", count: 32))],
                                         timeout: 10)
        assertDatasetError(try downloader.download(into: destination.url),
                           contains: ["labels.gz", "every mirror", mirror("a").absoluteString + "labels.gz: HTTP 404",
                                      mirror("b").absoluteString + "labels.gz: HTTP 404"])
        XCTAssertEqual(try destination.contents(), [])
    }

    func testVerifiedFileAlreadyPresentIsNotFetchedAgain() throws {
        let source = try served.write(try IDXFixture.gzip(labels), to: "a/labels.gz")
        let file = MNISTDownloader.RemoteFile(name: "labels.gz", md5: try md5sum(source))
        try destination.write([UInt8](try Data(contentsOf: source)), to: "labels.gz")
        server.stop()
        // Would fail if it tried the (stopped) server.
        try MNISTDownloader(mirrors: [mirror("a")], files: [file], timeout: 5).download(into: destination.url)
        XCTAssertEqual(try md5sum(destination.path("labels.gz")), file.md5)
    }

    func testDownloadedFolderLoadsAsDataset() throws {
        let fixture = try TemporaryDirectory()
        try IDXFixture.writeStandardFiles(in: fixture, trainCount: 4, testCount: 2)
        var files: [MNISTDownloader.RemoteFile] = []
        for name in try fixture.contents() {
            let source = try served.write([UInt8](try Data(contentsOf: fixture.path(name))), to: "a/" + name)
            files.append(.init(name: name, md5: try md5sum(source)))
        }
        try MNISTDownloader(mirrors: [mirror("a")], files: files, timeout: 10).download(into: destination.url)
        let split = try DatasetSource.directory(destination.url.path).load(projectRoot: destination.url)
        XCTAssertEqual(split.train.count, 4)
        XCTAssertEqual(split.test.count, 2)
    }

    func testTemporaryLeftByAKilledDownloadIsRemoved() throws {
        let source = try served.write(try IDXFixture.gzip(labels), to: "a/labels.gz")
        try destination.write([1, 2, 3], to: ".labels.gz.0A1B.partial")
        try destination.write([4], to: "unrelated.partial")
        try MNISTDownloader(mirrors: [mirror("a")], files: [.init(name: "labels.gz", md5: try md5sum(source))],
                            timeout: 10).download(into: destination.url)
        XCTAssertEqual(try destination.contents(), ["labels.gz", "unrelated.partial"])
    }

    func testDefaultFilesAreTheFourMNISTFilesWithPublishedChecksums() {
        XCTAssertEqual(MNISTDownloader.mnistFiles.map(\.name), StandardIDXFiles.baseNames.map { $0 + ".gz" })
        XCTAssertEqual(MNISTDownloader.mnistFiles.first?.md5, "f68b3c2dcbeaaa9fbdd348bbdeb94873")
        XCTAssertEqual(MNISTDownloader.defaultMirrors.count, 2)
    }
}
