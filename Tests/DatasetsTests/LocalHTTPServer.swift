import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `python3 -m http.server` on 127.0.0.1 and a free port, serving `root`, for download tests.
final class LocalHTTPServer {
    let baseURL: URL
    private let process = Process()

    init(serving root: URL) throws {
        let port = try Self.freePort()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", root.path, String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        baseURL = URL(string: "http://127.0.0.1:\(port)/")!
        try waitUntilAccepting(port: port)
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }

    /// Asks the kernel for an unused port by binding port 0, then releases it for the server.
    private static func freePort() throws -> UInt16 {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketDescriptor) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketDescriptor, $0, length) == 0 && getsockname(socketDescriptor, $0, &length) == 0
            }
        }
        guard bound else { throw NSError(domain: "LocalHTTPServer", code: 1) }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Polls with TCP connects until the server answers (python takes a moment to start).
    private func waitUntilAccepting(port: UInt16) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: port)
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(socketDescriptor)
            if connected { return }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        stop()
        throw NSError(domain: "LocalHTTPServer", code: 2,
                      userInfo: [NSLocalizedDescriptionKey: "python3 -m http.server did not start on port \(port)"])
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
