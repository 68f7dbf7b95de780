import Checksums
import Foundation

/// What the code of a computed cell is, for its cache key: the SHA-256 of the source files of
/// each module that computations run (the engine: tensors and autodiff, layers and training,
/// datasets, analysis, the experiments' model catalog and data plumbing, kernels and C shims), and one digest over them all.
///
/// It is part of every computed cell's key, so an engine change (a kernel, the Trainer, a layer)
/// gives new keys and no cached result outlives the code that produced it, while a change to
/// prose, figures or report writing (Questions' text, Plot, Notebook) invalidates no computation.
/// The code that assembles a cell's computation inside Questions is still versioned by the cell's
/// own `version` string. Hashes come from the project's `Sources/` (the same tree a worker and
/// a fresh clone see); a binary run away from its sources is fingerprinted by its own bytes.
public struct CodeFingerprint: Codable, Equatable, Sendable {
    /// The modules whose code decides what a computed cell produces.
    public static let computationModules = ["CBLAS", "CBF16", "CConvolution", "CPlatform", "CZlib", "Seeding", "SIMDKernels", "SIMDKernelsAVX512", "Tensor", "NN",
                                            "Checksums", "Datasets", "Analysis", "Experiments"]
    static let sourceExtensions: Set<String> = ["swift", "h", "c", "modulemap"]

    /// Module name → SHA-256 of its source files (relative path and bytes of each, sorted).
    public var modules: [String: String]
    public var digest: String
    /// The arithmetic's precision when it is not fp32 (`bf16`): it changes results as much as
    /// code does, so it is part of the keys; nil (fp32) leaves the keys as they were.
    public var precision: String?
    /// The kernels whose choice changes results (`KernelDescription.resultKey`: the OpenBLAS core
    /// and whether LeNet-sized convolutions run direct), which the `labbook` tool sets for every
    /// run: switching `LABBOOK_SIMD` or `LABBOOK_BLAS_CORE`, or moving a cache to a CPU that gets
    /// other kernels, then recomputes a cell instead of reporting numbers these kernels did not
    /// produce. Nil (library callers) leaves the keys as they were.
    public var kernels: String?

    public init(modules: [String: String]) {
        self.modules = modules
        digest = SHA256.hex(Data(modules.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)\n" }.joined().utf8))
    }

    /// The fingerprint of the sources under `projectRoot/Sources`, or, without them, of `executable`.
    public static func of(projectRoot: URL, executable: URL = URL(fileURLWithPath: "/proc/self/exe")) -> CodeFingerprint {
        let sources = projectRoot.appendingPathComponent("Sources")
        var modules: [String: String] = [:]
        for module in computationModules {
            let folder = sources.appendingPathComponent(module)
            guard FileManager.default.fileExists(atPath: folder.path) else { continue }
            modules[module] = hashOfFolder(folder)
        }
        if modules.isEmpty {
            let bytes = (try? Data(contentsOf: executable.resolvingSymlinksInPath())) ?? Data()
            modules["executable"] = SHA256.hex(bytes)
        }
        return CodeFingerprint(modules: modules)
    }

    private static func hashOfFolder(_ folder: URL) -> String {
        let files = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { sourceExtensions.contains($0.pathExtension) }
            .map { (relative: String($0.path.dropFirst(folder.path.count)), url: $0) }
            .sorted { $0.relative < $1.relative }
        var hasher = SHA256()
        for file in files {
            hasher.update(Array("\(file.relative)\u{0}".utf8))
            hasher.update(Array((try? Data(contentsOf: file.url)) ?? Data()))
            hasher.update([0])
        }
        return hasher.hexDigest()
    }

    /// The modules whose sources differ from `older`'s (added or removed ones included).
    public func changedModules(since older: CodeFingerprint) -> [String] {
        Set(modules.keys).union(older.modules.keys).filter { modules[$0] != older.modules[$0] }.sorted()
    }

    /// The version string a cell key is made with: the cell's own version and this code.
    func version(_ cellVersion: String) -> String {
        "\(cellVersion)+code:\(digest)" + (precision.map { "+precision:\($0)" } ?? "") + (kernels.map { "+kernels:\($0)" } ?? "")
    }
}
