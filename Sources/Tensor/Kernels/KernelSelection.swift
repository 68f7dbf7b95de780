import Foundation

/// Which vector kernels Labbook's own loops use.
public enum SIMDLevel: String, Codable, Sendable, CaseIterable, Comparable {
    /// Whatever the compiler makes of the portable SIMD code for the build's target
    /// (NEON on arm64; SSE2 on an x86-64 build made with `LABBOOK_PORTABLE_BUILD=1`).
    case baseline
    /// AVX2 + FMA (x86-64-v3): the level Tensor and NN are compiled for on x86-64.
    case avx2
    /// AVX-512 F/BW/DQ/VL (x86-64-v4): the 16-lane kernels in `TensorKernelsAVX512`.
    case avx512

    public static func < (lhs: SIMDLevel, rhs: SIMDLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The kernels a process runs with, and why: chosen from CPU features, or set by the user.
///
/// The choice is a pure function of the features and the environment (`select`), so every
/// case (AVX-512, AVX2-only, SSE-only, an override) is testable on any machine.
public struct KernelSelection: Equatable, Sendable, CustomStringConvertible {
    /// OpenBLAS core to ask for through `OPENBLAS_CORETYPE` (nil: leave OpenBLAS to decide).
    public var blasCore: String?
    /// The variable a user override came from (`OPENBLAS_CORETYPE`, `LABBOOK_BLAS_CORE`);
    /// nil when the core follows from the CPU's features or is left to OpenBLAS.
    public var blasCoreVariable: String?
    /// Why `blasCore` is what it is, which `blasCore` and `blasCoreVariable` determine.
    public var blasCoreSource: Source {
        blasCoreVariable != nil ? .userOverride : (blasCore != nil ? .features : .library)
    }
    /// The level of Labbook's own kernels.
    public var simdLevel: SIMDLevel
    public var simdSource: Source

    public enum Source: String, Equatable, Sendable {
        /// From cpuid feature bits.
        case features
        /// From an environment variable the user set (`OPENBLAS_CORETYPE`, `LABBOOK_BLAS_CORE`,
        /// `LABBOOK_SIMD`).
        case userOverride = "user override"
        /// Nothing to choose (no x86 features known): the library's own detection.
        case library
    }

    /// Environment variable that forces Labbook's own kernels: `avx512`, `avx2` or `baseline`
    /// (a level above what the CPU or the build supports is refused at start-up).
    public static let simdOverrideVariable = "LABBOOK_SIMD"
    /// OpenBLAS's own override, honoured as the user's choice when set: OpenBLAS reads it itself.
    public static let blasOverrideVariable = "OPENBLAS_CORETYPE"
    /// Labbook's override of the BLAS core (`Haswell`, `SkylakeX`, ...): like `OPENBLAS_CORETYPE`,
    /// but applied by `BLASCoreStartup`, so it also reaches a process started without it.
    public static let labbookBLASCoreVariable = "LABBOOK_BLAS_CORE"

    /// This process's selection, from this CPU and this environment; nil when the environment's
    /// override is invalid (`labbook` reports that error at start-up, see `BLASCoreStartup`).
    public static let process: KernelSelection? = try? processSelection()

    public static func processSelection() throws -> KernelSelection {
        try select(features: .current, environment: ProcessInfo.processInfo.environment)
    }

    /// The choice for `features` on a build whose kernels need at least `buildMinimum`.
    ///
    /// OpenBLAS cores by feature, best first: AVX-512 → `SkylakeX` (its sgemm kernel; the
    /// Cooperlake and Sapphire Rapids cores add only bf16/AMX routines), AVX2+FMA → `Haswell`,
    /// AVX → `Sandybridge`, SSE4.2 → `Nehalem`, else OpenBLAS's own pick.
    public static func select(features: CPUFeatures, environment: [String: String],
                              buildMinimum: SIMDLevel = buildMinimumLevel) throws -> KernelSelection {
        var selection = KernelSelection(blasCore: nil, blasCoreVariable: nil, simdLevel: .baseline, simdSource: .features)
        if let core = environment[blasOverrideVariable], !core.isEmpty, core != environment[BLASCoreStartup.chosenCoreVariable] {
            selection.blasCore = core
            selection.blasCoreVariable = blasOverrideVariable
        } else if let core = environment[labbookBLASCoreVariable], !core.isEmpty {
            selection.blasCore = core
            selection.blasCoreVariable = labbookBLASCoreVariable
        } else if let core = blasCore(for: features) {   // also after `BLASCoreStartup` re-executed with it
            selection.blasCore = core
        }
        let supported = supportedLevel(features: features, buildMinimum: buildMinimum)
        if let requested = environment[simdOverrideVariable], !requested.isEmpty {
            guard let level = SIMDLevel(rawValue: requested.lowercased()) else {
                throw KernelSelectionError.unknownLevel(requested)
            }
            guard level <= supported else { throw KernelSelectionError.unsupportedLevel(level, supported: supported) }
            guard level >= buildMinimum else { throw KernelSelectionError.belowBuild(level, build: buildMinimum) }
            selection.simdLevel = level
            selection.simdSource = .userOverride
        } else {
            selection.simdLevel = supported
        }
        return selection
    }

    /// The OpenBLAS core whose kernels `features` can run, best first.
    static func blasCore(for features: CPUFeatures) -> String? {
        if features.hasUsableAVX512 { return "SkylakeX" }
        if features.hasUsableAVX2 { return "Haswell" }
        if features.avx && features.osSavesAVX { return "Sandybridge" }
        if features.sse42 { return "Nehalem" }
        return nil
    }

    /// The best level the CPU supports, given what the build requires; a CPU below the build's
    /// minimum still reports the minimum (start-up refuses to run it, see `checkBuildRuns`).
    static func supportedLevel(features: CPUFeatures, buildMinimum: SIMDLevel) -> SIMDLevel {
        #if arch(x86_64)
        if features.hasUsableAVX512 { return .avx512 }
        if features.hasUsableAVX2 { return .avx2 }
        return buildMinimum
        #else
        return .baseline
        #endif
    }

    /// Whether this CPU can run this build at all (an x86-64-v3 build on a CPU without AVX2
    /// would die of SIGILL at its first kernel).
    public static func checkBuildRuns(on features: CPUFeatures, buildMinimum: SIMDLevel = buildMinimumLevel) throws {
        if buildMinimum >= .avx2 && !features.hasUsableAVX2 { throw KernelSelectionError.cpuBelowBuild(features) }
    }

    /// The level this build's Tensor and NN modules were compiled for.
    public static var buildMinimumLevel: SIMDLevel {
        #if arch(x86_64) && !LABBOOK_PORTABLE_BUILD
        return .avx2
        #else
        return .baseline
        #endif
    }

    /// "BLAS OpenBLAS SkylakeX (from CPU features); SIMD avx512 (from CPU features)".
    public var description: String {
        let core = blasCore.map { "\($0) (\(blasCoreVariable ?? "from CPU features"))" }
            ?? "OpenBLAS's own choice"
        let simd = simdSource == .userOverride ? "\(simdLevel.rawValue) (LABBOOK_SIMD)" : "\(simdLevel.rawValue) (from CPU features)"
        return "BLAS core \(core); SIMD \(simd)"
    }
}

public enum KernelSelectionError: Error, Equatable, CustomStringConvertible {
    case unknownLevel(String)
    case unsupportedLevel(SIMDLevel, supported: SIMDLevel)
    case belowBuild(SIMDLevel, build: SIMDLevel)
    case cpuBelowBuild(CPUFeatures)

    public var description: String {
        switch self {
        case .unknownLevel(let value):
            return "\(KernelSelection.simdOverrideVariable)=\(value) is not a kernel level (avx512, avx2 or baseline)"
        case .unsupportedLevel(let level, let supported):
            return "\(KernelSelection.simdOverrideVariable)=\(level.rawValue): this CPU or build supports at most \(supported.rawValue)"
        case .belowBuild(let level, let build):
            return "\(KernelSelection.simdOverrideVariable)=\(level.rawValue): this build is compiled for \(build.rawValue); rebuild with LABBOOK_PORTABLE_BUILD=1 for a baseline build"
        case .cpuBelowBuild(let features):
            return "this CPU lacks AVX2+FMA (it has: \(features)), which this build of Labbook is compiled for; rebuild with LABBOOK_PORTABLE_BUILD=1 swift build -c release"
        }
    }
}
