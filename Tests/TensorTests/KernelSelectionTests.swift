@testable import Tensor
import XCTest

/// The kernel choice as a pure function of CPU features and environment.
final class KernelSelectionTests: XCTestCase {
    static var sseOnly: CPUFeatures {
        var features = CPUFeatures()
        features.sse3 = true
        features.sse42 = true
        return features
    }

    static var avx2Only: CPUFeatures {
        var features = sseOnly
        features.avx = true
        features.avx2 = true
        features.fma = true
        features.osSavesAVX = true
        return features
    }

    static var avx512: CPUFeatures {
        var features = avx2Only
        features.avx512f = true
        features.avx512bw = true
        features.avx512dq = true
        features.avx512vl = true
        features.osSavesAVX512 = true
        return features
    }

    func testAVX512MachineGetsSkylakeXAndAVX512Kernels() throws {
        let selection = try KernelSelection.select(features: Self.avx512, environment: [:], buildMinimum: .avx2)
        XCTAssertEqual(selection.blasCore, "SkylakeX")
        XCTAssertEqual(selection.blasCoreSource, .features)
        #if arch(x86_64)
        XCTAssertEqual(selection.simdLevel, .avx512)
        #endif
    }

    func testAVX512WithoutOSSupportFallsBackToAVX2() throws {
        var features = Self.avx512
        features.osSavesAVX512 = false
        let selection = try KernelSelection.select(features: features, environment: [:], buildMinimum: .avx2)
        XCTAssertEqual(selection.blasCore, "Haswell")
        #if arch(x86_64)
        XCTAssertEqual(selection.simdLevel, .avx2)
        #endif
    }

    func testAVX2OnlyMachineGetsHaswell() throws {
        let selection = try KernelSelection.select(features: Self.avx2Only, environment: [:], buildMinimum: .avx2)
        XCTAssertEqual(selection.blasCore, "Haswell")
        #if arch(x86_64)
        XCTAssertEqual(selection.simdLevel, .avx2)
        #endif
        XCTAssertThrowsError(try KernelSelection.select(features: Self.avx2Only, environment: ["LABBOOK_SIMD": "avx512"],
                                                        buildMinimum: .avx2))
    }

    func testSSEOnlyMachineGetsNehalemAndIsRefusedByAnAVX2Build() throws {
        let selection = try KernelSelection.select(features: Self.sseOnly, environment: [:], buildMinimum: .baseline)
        XCTAssertEqual(selection.blasCore, "Nehalem")
        XCTAssertEqual(selection.simdLevel, .baseline)
        XCTAssertThrowsError(try KernelSelection.checkBuildRuns(on: Self.sseOnly, buildMinimum: .avx2)) { error in
            XCTAssertTrue("\(error)".contains("LABBOOK_PORTABLE_BUILD"), "\(error)")
        }
        XCTAssertNoThrow(try KernelSelection.checkBuildRuns(on: Self.sseOnly, buildMinimum: .baseline))
        XCTAssertNil(try KernelSelection.select(features: CPUFeatures(), environment: [:], buildMinimum: .baseline).blasCore)
    }

    func testUserOverridesWin() throws {
        let openBLAS = try KernelSelection.select(features: Self.avx512, environment: ["OPENBLAS_CORETYPE": "Haswell"], buildMinimum: .avx2)
        XCTAssertEqual(openBLAS.blasCore, "Haswell")
        XCTAssertEqual(openBLAS.blasCoreSource, .userOverride)
        XCTAssertEqual(openBLAS.blasCoreVariable, "OPENBLAS_CORETYPE")
        let labbook = try KernelSelection.select(features: Self.avx512, environment: ["LABBOOK_BLAS_CORE": "Sandybridge"], buildMinimum: .avx2)
        XCTAssertEqual(labbook.blasCore, "Sandybridge")
        XCTAssertEqual(labbook.blasCoreVariable, "LABBOOK_BLAS_CORE")
        let simd = try KernelSelection.select(features: Self.avx512, environment: ["LABBOOK_SIMD": "AVX2"], buildMinimum: .avx2)
        XCTAssertEqual(simd.simdLevel, .avx2)
        XCTAssertEqual(simd.simdSource, .userOverride)
        XCTAssertThrowsError(try KernelSelection.select(features: Self.avx512, environment: ["LABBOOK_SIMD": "sse9"], buildMinimum: .avx2))
        XCTAssertThrowsError(try KernelSelection.select(features: Self.avx512, environment: ["LABBOOK_SIMD": "baseline"], buildMinimum: .avx2))
    }

    func testTheCoreSetOnReexecutionCountsAsChosenFromFeatures() throws {
        let environment = ["OPENBLAS_CORETYPE": "SkylakeX", BLASCoreStartup.chosenCoreVariable: "SkylakeX"]
        let selection = try KernelSelection.select(features: Self.avx512, environment: environment, buildMinimum: .avx2)
        XCTAssertEqual(selection.blasCore, "SkylakeX")
        XCTAssertEqual(selection.blasCoreSource, .features)
        XCTAssertNil(selection.blasCoreVariable)
    }

    func testThisMachineIsDescribed() {
        let description = BLASCoreStartup.kernelDescription
        XCTAssertFalse(description.blasCore.isEmpty)
        XCTAssertTrue(description.blasLibrary.hasPrefix("OpenBLAS"), description.blasLibrary)
        XCTAssertEqual(description.simdLevel, VectorKernels.level.rawValue)
        #if arch(x86_64)
        XCTAssertTrue(CPUFeatures.current.hasUsableAVX2, "the test machine runs an x86-64-v3 build")
        #endif
    }
}

/// What of the kernels goes into cache keys: only what changes a result.
final class KernelDescriptionResultKeyTests: XCTestCase {
    private func description(core: String, coreSource: String, simd: String, direct: String?) -> KernelDescription {
        KernelDescription(blasCore: core, blasCoreSource: coreSource, blasLibrary: "OpenBLAS 0.3.21", simdLevel: simd,
                          simdSource: "chosen from CPU features", cpuFeatures: "avx2 fma", precision: "fp32",
                          directConvolutions: direct)
    }

    func testTheCoreAndTheDirectConvolutionsMakeTheKey() {
        let features = description(core: "SkylakeX", coreSource: "chosen from CPU features", simd: "avx512", direct: "avx512 fp32")
        XCTAssertEqual(features.resultKey, "OpenBLAS SkylakeX + direct convolutions avx512 fp32")
        XCTAssertEqual(description(core: "SkylakeX", coreSource: "LABBOOK_BLAS_CORE set by the user", simd: "avx512",
                                   direct: "avx512 fp32").resultKey, features.resultKey, "why a core was chosen changes no number")
        XCTAssertEqual(description(core: "SkylakeX", coreSource: "chosen from CPU features", simd: "avx2", direct: nil).resultKey,
                       "OpenBLAS SkylakeX", "below avx512, convolutions are im2col products")
        XCTAssertEqual(description(core: "Haswell", coreSource: "chosen from CPU features", simd: "avx2", direct: nil).resultKey,
                       "OpenBLAS Haswell")
    }
}
