import Checksums
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One synchronous HTTP GET streamed into a file, computing the MD5 on the way.
///
/// Uses a delegate-based `URLSession` so bytes are written as they arrive (no 10 MB buffer) and
/// progress can be reported; the calling thread blocks on a semaphore until the transfer ends.
/// `@unchecked Sendable`: the mutable state is touched only by the session's serial delegate
/// queue, and read by the caller after the completion semaphore (which orders the accesses).
final class HTTPFileTransfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// Why one mirror did not deliver (HTTP status, network error, short body).
    struct Failure: Error { let reason: String }

    private let output: FileHandle
    private let progress: (Int, Int?) -> Void
    private let finished = DispatchSemaphore(value: 0)
    private var md5 = MD5()
    private var received = 0
    private var expected: Int?
    private var failure: String?

    /// Creates (or truncates) `destination` for writing.
    init(destination: URL, progress: @escaping (Int, Int?) -> Void) throws {
        guard FileManager.default.createFile(atPath: destination.path, contents: nil) else {
            throw DatasetError.unreadableFile(path: destination.path, reason: "cannot create a file there")
        }
        output = try FileHandle(forWritingTo: destination)
        self.progress = progress
    }

    deinit { try? output.close() }

    /// Fetches `url`; returns the MD5 hex of the body.
    /// - Throws: `Failure` when the server or network fails.
    func run(url: URL, timeout: TimeInterval) throws -> String {
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        let session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil)
        session.dataTask(with: request).resume()
        finished.wait()
        session.finishTasksAndInvalidate()
        try output.synchronize()
        if let failure {
            throw Failure(reason: failure)
        }
        return md5.hexDigest()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            failure = "HTTP \(http.statusCode)"
            completionHandler(.cancel)
            return
        }
        // With a Content-Encoding the announced length is of the encoded body, not what arrives here.
        let encoded = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Encoding") != nil
        expected = response.expectedContentLength >= 0 && !encoded ? Int(response.expectedContentLength) : nil
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        do {
            try output.write(contentsOf: data)
        } catch {
            failure = "cannot write: \(error.localizedDescription)"
            dataTask.cancel()
            return
        }
        data.withUnsafeBytes { md5.update($0) }
        received += data.count
        progress(received, expected)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error, failure == nil { failure = error.localizedDescription }
        if failure == nil, let expected, received != expected {
            failure = "connection closed after \(received) of \(expected) bytes"
        }
        finished.signal()
    }
}
