import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Gives OpenBLAS the core `KernelSelection` chose from the CPU's features.
///
/// OpenBLAS (built with DYNAMIC_ARCH, as Debian ships it) picks its kernels in a library
/// constructor, before `main` runs, from a table of CPU models; `OPENBLAS_CORETYPE` is read
/// only then. So when its pick differs from the feature-based one, `labbook` sets the variable
/// and executes itself again (a few milliseconds, once per command). A user's own
/// `OPENBLAS_CORETYPE` is left alone.
public enum BLASCoreStartup {
    /// Set beside `OPENBLAS_CORETYPE` on re-execution, so the second start knows the core came
    /// from the features (not from the user) and does not re-execute again.
    public static let chosenCoreVariable = "LABBOOK_BLAS_CORE_CHOSEN"

    /// Checks the environment's overrides and that this CPU can run this build, then
    /// re-executes the program with the chosen core if OpenBLAS started with another one.
    /// Call first thing in `main`. Throws `KernelSelectionError` for an invalid override or CPU,
    /// `PrecisionError` for a `LABBOOK_PRECISION` this CPU cannot honour.
    public static func applyBeforeWork() throws {
        try KernelSelection.checkBuildRuns(on: .current)
        _ = try ComputePrecision.processSelection()
        let selection = try KernelSelection.processSelection()
        // OpenBLAS has read OPENBLAS_CORETYPE itself; features and LABBOOK_BLAS_CORE are applied here.
        guard selection.blasCoreVariable != KernelSelection.blasOverrideVariable, let core = selection.blasCore else { return }
        let environment = ProcessInfo.processInfo.environment
        guard environment[chosenCoreVariable] == nil, BLAS.coreName.lowercased() != core.lowercased() else { return }
        setenv(KernelSelection.blasOverrideVariable, core, 1)
        setenv(chosenCoreVariable, core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // exec failed (no /proc): carry on with OpenBLAS's own pick, which `description` reports.
        unsetenv(KernelSelection.blasOverrideVariable)
        unsetenv(chosenCoreVariable)
    }

    /// What a report or benchmark states about its kernels: the core OpenBLAS actually runs,
    /// why, the SIMD level, and the CPU's features.
    public static var kernelDescription: KernelDescription {
        let selection = KernelSelection.process
        let running = BLAS.coreName
        var source = "OpenBLAS's own CPU-model table"
        if let selection, let core = selection.blasCore, core.lowercased() == running.lowercased() {
            source = selection.blasCoreVariable.map { "\($0) set by the user" } ?? "chosen from CPU features"
        }
        return KernelDescription(blasCore: running, blasCoreSource: source,
                                 blasLibrary: BLAS.configuration.split(separator: " ").prefix(2).joined(separator: " "),
                                 simdLevel: VectorKernels.level.rawValue,
                                 simdSource: selection?.simdSource == .userOverride ? "LABBOOK_SIMD set by the user" : "chosen from CPU features",
                                 cpuFeatures: CPUFeatures.current.description, precision: ComputePrecision.training.rawValue,
                                 directConvolutions: DirectConvolution.isAvailable ? "avx512 fp32" : nil)
    }
}

/// The kernels a run used, as benchmarks' JSON (`kernels`) and reports' run metadata show them.
public struct KernelDescription: Codable, Equatable, Sendable, CustomStringConvertible {
    public var blasCore: String
    public var blasCoreSource: String
    public var blasLibrary: String
    public var simdLevel: String
    public var simdSource: String
    public var cpuFeatures: String
    /// The training steps' convolution products (`ComputePrecision.training`): fp32, or bf16 with
    /// fp32 accumulation; evaluation and analysis are fp32 in both.
    public var precision: String
    /// The direct kernels that LeNet-sized convolutions take instead of products
    /// (`DirectConvolution`: "avx512 fp32", in either precision), or nil where the CPU lacks them.
    public var directConvolutions: String?

    enum CodingKeys: String, CodingKey {
        case blasCore = "blas_core", blasCoreSource = "blas_core_source", blasLibrary = "blas_library"
        case simdLevel = "simd_level", simdSource = "simd_source", cpuFeatures = "cpu_features", precision
        case directConvolutions = "direct_convolutions"
    }

    /// What of these kernels changes a result, for cache keys (`CodeFingerprint.kernels`): the
    /// OpenBLAS core, whose sgemm kernels sum in their own order, and the direct convolutions,
    /// which sum in another order than the im2col products they replace. Not the reasons for the
    /// choice, nor the SIMD level (its kernels give bit-identical results at every level, apart
    /// from the direct convolutions), nor the precision, which is keyed on its own.
    public var resultKey: String {
        "OpenBLAS \(blasCore)" + (directConvolutions.map { " + direct convolutions \($0)" } ?? "")
    }

    /// "OpenBLAS 0.3.21 SkylakeX (chosen from CPU features); Labbook SIMD avx512 (chosen from CPU
    /// features); convolution products fp32".
    public var description: String {
        let products = precision == ComputePrecision.bf16.rawValue
            ? "bf16 in training steps (Labbook's AVX512_BF16 kernel, fp32 accumulation), fp32 elsewhere" : precision
        let direct = directConvolutions.map { "; LeNet-sized convolutions direct (\($0))" } ?? ""
        return "\(blasLibrary) \(blasCore) (\(blasCoreSource)); Labbook SIMD \(simdLevel) (\(simdSource)); convolution products \(products)\(direct)"
    }
}
