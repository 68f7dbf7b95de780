// swift-tools-version:6.0
// Labbook: a Swift experiment notebook that regenerates a deep-learning assignment as
// measured, reproducible reports. See README.md for the module map.
import Foundation
import PackageDescription

/// The numerical modules are optimised even in debug builds: unoptimised Swift array code
/// is 10-50x slower, which would make `swift test` (a debug build) crawl through training
/// and dataset decoding. Release builds drop bounds checks in the hot loops as well.
let optimizedSettings: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

/// The tensor engine's kernels (matrix tiles, Adam) are written with SIMD vectors and fused
/// multiply-adds; on x86-64 Tensor, NN and SIMDKernels are compiled for x86-64-v3 (AVX2 + FMA,
/// every x86 server since 2015), or each FMA becomes a call to `fmaf` and each vector two SSE
/// halves. SIMDKernelsAVX512 is compiled for x86-64-v4 and only entered when the CPU has
/// AVX-512 (`KernelSelection`, at run time). `LABBOOK_PORTABLE_BUILD=1 swift build` makes a
/// build for any x86-64 (SSE2 baseline; still dispatching to AVX-512 where the CPU has it).
let portableBuild = ProcessInfo.processInfo.environment["LABBOOK_PORTABLE_BUILD"].map { !$0.isEmpty && $0 != "0" } ?? false
#if arch(x86_64)
let vectorSettings: [SwiftSetting] = portableBuild
    ? [.define("LABBOOK_PORTABLE_BUILD")] : [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]
let avx512Settings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v4"])]
#else
let vectorSettings: [SwiftSetting] = []
let avx512Settings: [SwiftSetting] = []
#endif

let package = Package(
    name: "Labbook",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "labbook", targets: ["labbook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System-library shims: a module map and a header, nothing else.
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPlatform", path: "Sources/CPlatform"),
        // The bf16 mixed-precision GEMM (AVX512_BF16), in C with intrinsics: its AVX-512 functions
        // carry their own target attribute, so the library loads on any x86-64 and Tensor calls it
        // only where the CPU has the instructions. Optimised in debug builds too, like the kernels.
        .target(name: "CBF16", path: "Sources/CBF16", cSettings: [.unsafeFlags(["-O2"])]),
        // Direct convolutions for layers with few channels (LeNet-5), in C with AVX-512
        // intrinsics; loads anywhere, called only where the CPU has AVX-512F, like CBF16.
        .target(name: "CConvolution", path: "Sources/CConvolution", cSettings: [.unsafeFlags(["-O2"])]),

        // Atomic writes (temporary file + rename) and the tags that let a later run sweep what a
        // killed one left: for the report writers and the figures alike.
        .target(name: "AtomicFiles"),
        // SplitMix64: the seeding every random stream in Labbook starts from.
        .target(name: "Seeding", swiftSettings: optimizedSettings),
        .target(name: "Checksums", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: optimizedSettings),
        .target(name: "SIMDKernels", swiftSettings: optimizedSettings + vectorSettings),
        .target(name: "SIMDKernelsAVX512", dependencies: ["SIMDKernels"], swiftSettings: optimizedSettings + avx512Settings),
        .target(name: "Tensor", dependencies: ["CBLAS", "CBF16", "CConvolution", "CPlatform", "Seeding", "SIMDKernels", "SIMDKernelsAVX512"],
                swiftSettings: optimizedSettings + vectorSettings),
        .target(name: "NN", dependencies: ["Tensor"], swiftSettings: optimizedSettings + vectorSettings),
        .target(name: "Datasets", dependencies: ["CZlib", "Checksums", "Seeding"], swiftSettings: optimizedSettings),
        .target(name: "Analysis", dependencies: ["Tensor", "NN"], swiftSettings: optimizedSettings),
        // What the questions' computations and the benchmarks share, below both: the model
        // catalog and the training data plumbing (no Notebook, no Plot).
        .target(name: "Experiments", dependencies: ["Datasets", "NN", "Tensor"], swiftSettings: optimizedSettings),
        .target(name: "Plot", dependencies: ["CCairo", "AtomicFiles"]),
        .target(name: "Notebook", dependencies: [
            "AtomicFiles", "Checksums", "CPlatform",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Ink", package: "Ink"),
        ]),
        .target(name: "Questions", dependencies: ["Checksums", "Notebook", "Plot", "Experiments", "Analysis", "NN", "Tensor", "Datasets"],
                swiftSettings: optimizedSettings),
        // Benchmarks are their own room: timings of the questions' workloads and of the engine,
        // measured against PyTorch/Keras by scripts/reference/compare.sh; not tests.
        .target(name: "Benchmarks", dependencies: ["CPlatform", "Experiments", "Analysis", "NN", "Tensor", "Datasets"],
                swiftSettings: optimizedSettings),
        .executableTarget(name: "labbook", dependencies: [
            "Benchmarks", "Questions", "Notebook", "Plot", "Experiments", "Datasets", "NN", "Tensor",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Assertions and gradient checks shared by the test targets.
        .target(name: "TestSupport", dependencies: ["Tensor"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "CBF16", "SIMDKernels", "SIMDKernelsAVX512", "TestSupport"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Tensor", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Checksums", "Seeding", "TestSupport"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Tensor", "NN", "TestSupport"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot"], exclude: ["Baselines"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "AtomicFiles", "TestSupport", "Checksums"], exclude: ["Snapshots"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "NN", "Tensor"]),
        .testTarget(name: "QuestionsTests", dependencies: ["Questions", "Experiments", "Notebook", "Plot", "NN", "Datasets", "Analysis", "Checksums", "TestSupport"]),
        .testTarget(name: "LabbookCLITests", dependencies: ["labbook", "TestSupport", "Plot", "Notebook", "Tensor"], exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v5]
)
