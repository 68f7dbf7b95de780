import Foundation
@testable import Notebook
import XCTest

/// Finding Chromium and what the printer does with what it writes, with small stand-in
/// scripts for the browser (the real print is tested end to end in LabbookCLITests).
final class PDFPrinterTests: XCTestCase {
    func testLabbookChromiumIsTheOnlyPlaceLookedAtWhenSet() throws {
        XCTAssertNil(PDFPrinter.find(environment: ["LABBOOK_CHROMIUM": "/nonexistent", "PATH": "/usr/bin:/bin"]))
        let message = PDFPrinter.missingMessage(for: URL(fileURLWithPath: "/r/assignment.pdf"), environment: ["LABBOOK_CHROMIUM": "/nonexistent"])
        XCTAssertTrue(message.contains("LABBOOK_CHROMIUM=/nonexistent is not an executable"), message)
        XCTAssertTrue(message.contains("/r/assignment.pdf was not printed"), message)
        XCTAssertTrue(message.contains("make setup") && message.contains("apt-get install chromium"), message)
        let fake = try browser("exit 0")
        XCTAssertEqual(PDFPrinter.find(environment: ["LABBOOK_CHROMIUM": fake.path])?.chromium, fake)
    }

    func testChromiumOnThePathIsFoundWhenNotInUsrBin() throws {
        let fake = try browser("exit 0"), absent = URL(fileURLWithPath: "/nonexistent/chromium")
        let found = PDFPrinter.find(environment: ["PATH": "/nonexistent:" + fake.deletingLastPathComponent().path], defaultLocation: absent)
        XCTAssertEqual(found?.chromium, fake)
        XCTAssertNil(PDFPrinter.find(environment: ["PATH": "/nonexistent"], defaultLocation: absent))
        XCTAssertEqual(PDFPrinter.find(environment: ["PATH": "/nonexistent"], defaultLocation: fake)?.chromium, fake, "/usr/bin/chromium comes first")
    }

    func testAPDFIsRenamedIntoPlaceAndNothingIsLeftBeside() throws {
        let (page, pdf) = try pageAndTarget()
        let printer = PDFPrinter(chromium: try browser(#"printf '%%PDF-1.4 fake' > "$out""#))
        try printer.print(page, to: pdf)
        XCTAssertEqual(try String(contentsOf: pdf, encoding: .utf8), "%PDF-1.4 fake")
        XCTAssertEqual(try leftovers(beside: pdf), [])
    }

    func testWhatIsNotAPDFIsRefusedAndTheOldFileKept() throws {
        let (page, pdf) = try pageAndTarget()
        try "%PDF-old".write(to: pdf, atomically: true, encoding: .utf8)
        let printer = PDFPrinter(chromium: try browser(#"printf '<html>' > "$out""#))
        XCTAssertThrowsError(try printer.print(page, to: pdf)) { error in
            XCTAssertTrue("\(error)".contains("cannot print \(pdf.path)"), "\(error)")
            XCTAssertTrue("\(error)".contains("is not a PDF"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: pdf, encoding: .utf8), "%PDF-old")
        XCTAssertEqual(try leftovers(beside: pdf), [])
    }

    func testAFailingOrSilentBrowserIsReportedWithItsMessage() throws {
        let (page, pdf) = try pageAndTarget()
        let failing = PDFPrinter(chromium: try browser("echo 'ERROR: cannot open display' >&2; exit 3"))
        XCTAssertThrowsError(try failing.print(page, to: pdf)) { error in
            XCTAssertTrue("\(error)".contains("exited with status 3"), "\(error)")
            XCTAssertTrue("\(error)".contains("cannot open display"), "\(error)")
        }
        let silent = PDFPrinter(chromium: try browser("exit 0"))
        XCTAssertThrowsError(try silent.print(page, to: pdf)) { error in
            XCTAssertTrue("\(error)".contains("wrote no PDF"), "\(error)")
        }
        var hung = PDFPrinter(chromium: try browser("exec sleep 30"))
        hung.timeoutSeconds = 1
        XCTAssertThrowsError(try hung.print(page, to: pdf)) { error in
            XCTAssertTrue("\(error)".contains("timed out after 1 s"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: pdf.path))
    }

    /// An executable shell script standing in for Chromium; `$out` is its --print-to-pdf file.
    private func browser(_ body: String) throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent("chromium")
        let script = """
        #!/bin/sh
        out=""
        for argument in "$@"; do case "$argument" in --print-to-pdf=*) out="${argument#--print-to-pdf=}";; esac; done
        \(body)
        """
        try script.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    private func pageAndTarget() throws -> (page: URL, pdf: URL) {
        let folder = try temporaryDirectory()
        let page = folder.appendingPathComponent("assignment.html")
        try "<html></html>".write(to: page, atomically: true, encoding: .utf8)
        return (page, folder.appendingPathComponent("assignment.pdf"))
    }

    private func leftovers(beside pdf: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: pdf.deletingLastPathComponent().path).filter { $0.hasSuffix(".partial") }
    }
}
