#if arch(x86_64) || arch(i386)
import CPlatform
#endif

/// The vector instructions this CPU has and the OS lets programs use, read once from cpuid.
///
/// Kernels are chosen from these features, never from a CPU model number: a model table
/// misses every CPU newer than it (Debian's OpenBLAS 0.3.21 does not know the Xeon of family 6
/// model 207 and falls back to SSE3 kernels, 5x slower), while the feature bits of a new CPU
/// say exactly what it can run.
public struct CPUFeatures: Equatable, Sendable, CustomStringConvertible {
    public var sse3 = false
    public var sse42 = false
    public var avx = false
    public var avx2 = false
    public var fma = false
    public var avx512f = false
    public var avx512bw = false
    public var avx512dq = false
    public var avx512vl = false
    /// `vdpbf16ps` and the bf16 conversions (Zen 4, Cooper Lake, Sapphire Rapids): the bf16 GEMM.
    public var avx512bf16 = false
    /// AMX tiles with bf16 (Sapphire Rapids and later): recorded, not used yet.
    public var amxBF16 = false
    /// Whether the OS saves the AVX (ymm) register state: without it AVX code faults.
    public var osSavesAVX = false
    /// Whether the OS saves the AVX-512 (zmm, mask) register state.
    public var osSavesAVX512 = false

    public init() {}

    /// AVX2 and FMA, usable (x86-64-v3, the level Tensor and NN are compiled for on x86).
    public var hasUsableAVX2: Bool { avx && avx2 && fma && osSavesAVX }

    /// AVX-512 F/BW/DQ/VL, usable (x86-64-v4, what OpenBLAS's SkylakeX kernels and
    /// Labbook's AVX-512 kernels need).
    public var hasUsableAVX512: Bool { hasUsableAVX2 && avx512f && avx512bw && avx512dq && avx512vl && osSavesAVX512 }

    /// The short list of what matters for kernel choice, e.g. "avx512f avx512bw avx512dq avx512vl avx2 fma".
    public var description: String {
        let names: [(Bool, String)] = [(avx512f, "avx512f"), (avx512bw, "avx512bw"), (avx512dq, "avx512dq"),
                                       (avx512vl, "avx512vl"), (avx512bf16, "avx512_bf16"), (amxBF16, "amx_bf16"), (avx2, "avx2"), (fma, "fma"), (avx, "avx"),
                                       (sse42, "sse4.2"), (sse3, "sse3")]
        let present = names.filter(\.0).map(\.1)
        return present.isEmpty ? "none detected" : present.joined(separator: " ")
    }

    /// This machine's features (all false off x86).
    public static let current = detect()

    static func detect() -> CPUFeatures {
        var features = CPUFeatures()
        #if arch(x86_64) || arch(i386)
        var registers: [UInt32] = [0, 0, 0, 0]
        func cpuid(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> (eax: UInt32, ebx: UInt32, ecx: UInt32, edx: UInt32) {
            _ = labbook_cpuid(leaf, subleaf, &registers)
            return (registers[0], registers[1], registers[2], registers[3])
        }
        func bit(_ value: UInt32, _ index: UInt32) -> Bool { value & (1 << index) != 0 }
        let highestLeaf = cpuid(0).eax
        let leaf1 = cpuid(1)
        features.sse3 = bit(leaf1.ecx, 0)
        features.fma = bit(leaf1.ecx, 12)
        features.sse42 = bit(leaf1.ecx, 20)
        features.avx = bit(leaf1.ecx, 28)
        if bit(leaf1.ecx, 27) {   // OSXSAVE: xgetbv may be executed
            let xcr0 = labbook_xgetbv0()
            features.osSavesAVX = xcr0 & 0b110 == 0b110
            features.osSavesAVX512 = xcr0 & 0b1110_0110 == 0b1110_0110
        }
        if highestLeaf >= 7 {
            let leaf7 = cpuid(7)
            features.avx2 = bit(leaf7.ebx, 5)
            features.avx512f = bit(leaf7.ebx, 16)
            features.avx512dq = bit(leaf7.ebx, 17)
            features.avx512bw = bit(leaf7.ebx, 30)
            features.avx512vl = bit(leaf7.ebx, 31)
            features.amxBF16 = bit(leaf7.edx, 22)
            features.avx512bf16 = bit(cpuid(7, 1).eax, 5)
        }
        #endif
        return features
    }
}
