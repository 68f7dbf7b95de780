import Checksums
import Datasets
import TestSupport
import XCTest

final class ChecksumTests: XCTestCase {
    /// The test suite of RFC 1321, appendix A.5.
    func testMD5MatchesRFC1321Vectors() {
        let vectors = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (message, digest) in vectors {
            XCTAssertEqual(MD5.hexDigest(of: Array(message.utf8)), digest, "MD5(\"\(message)\")")
        }
    }

    /// FIPS 180-4 examples (NIST CSRC "SHA256.pdf") and the empty message.
    func testSHA256MatchesFIPSVectors() {
        XCTAssertEqual(SHA256.hexDigest(of: Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hexDigest(of: []),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hexDigest(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hexDigest(of: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Feeding bytes in uneven pieces (crossing block boundaries) gives the one-shot digest.
    func testIncrementalUpdatesMatchOneShot() {
        let message = (0..<1000).map { UInt8($0 % 251) }
        var sha = SHA256()
        var md5 = MD5()
        var start = 0
        for size in [1, 63, 64, 65, 7, 200, 600] {
            let piece = Array(message[start..<min(start + size, message.count)])
            sha.update(piece)
            md5.update(piece)
            start += size
        }
        XCTAssertEqual(start, message.count)
        XCTAssertEqual(sha.hexDigest(), SHA256.hexDigest(of: message))
        XCTAssertEqual(md5.hexDigest(), MD5.hexDigest(of: message))
    }

    /// Messages whose padding needs a second block (55, 56 and 64 bytes) agree with `sha256sum`/`md5sum`.
    func testPaddingBoundariesMatchCoreutils() throws {
        let directory = try TemporaryDirectory()
        for length in [55, 56, 63, 64, 119, 120] {
            let message = [UInt8](repeating: UInt8(ascii: "x"), count: length)
            let file = try directory.write(message, to: "m\(length)")
            let sha = try runCommand("/usr/bin/env", ["sha256sum", file.path]).prefix(64)
            let md5 = try runCommand("/usr/bin/env", ["md5sum", file.path]).prefix(32)
            XCTAssertEqual(SHA256.hexDigest(of: message), String(sha), "length \(length)")
            XCTAssertEqual(MD5.hexDigest(of: message), String(md5), "length \(length)")
        }
    }
}
