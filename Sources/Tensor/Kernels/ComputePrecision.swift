import CBF16
import Foundation

/// The precision of the convolutions' matrix products, the engine's largest cost.
///
/// `bf16` is mixed precision for training: inside a training step (`Trainer.step`) the operands of
/// each convolution product are rounded to bfloat16 as they are packed and multiplied with
/// `vdpbf16ps`, summing in fp32; tensors, gradients, weights and the optimizer's state stay fp32
/// (fp32 master weights). It needs AVX512_BF16 (Zen 4, Cooper Lake, Sapphire Rapids) and nearly
/// doubles the products' rate there. Everything outside training steps stays fp32: evaluation
/// (validation, test), and the landscapes and Hessians, whose finite differences (relative step
/// 10⁻³) bf16's rounding (about 4·10⁻³) would drown. Dense layers and batch normalisation are fp32
/// in both (bf16 dense products were measured and did not pass Q3's accuracy rule: see the
/// README's bf16 section), and so are LeNet-sized convolutions where they take the direct kernels
/// (`DirectConvolution`), which have no products to round.
public enum ComputePrecision: String, Codable, Sendable, CaseIterable {
    case fp32
    case bf16

    /// The environment variable that chooses: `fp32` (the default), `bf16` (refused at start-up
    /// on a CPU without AVX512_BF16) or `auto` (bf16 where the CPU has it, else fp32).
    public static let variable = "LABBOOK_PRECISION"

    /// Whether this CPU and OS can run the bf16 products.
    public static var bf16Supported: Bool { labbook_bf16_supported() != 0 }

    /// The precision `requested` (the variable's value) gives on a CPU with or without bf16.
    ///
    /// fp32 stays the default until bf16 is shown to train Q4's networks to the same accuracy
    /// (within the spread over seeds); `auto` and `bf16` opt in.
    public static func select(requested: String?, bf16Supported: Bool) throws -> ComputePrecision {
        switch requested?.lowercased() ?? "" {
        case "", "fp32": return .fp32
        case "auto": return bf16Supported ? .bf16 : .fp32
        case "bf16":
            guard bf16Supported else { throw PrecisionError.unsupported }
            return .bf16
        case let other: throw PrecisionError.unknown(other)
        }
    }

    /// The precision the products run in right now: fp32, except inside `withPrecision`.
    nonisolated(unsafe) public private(set) static var current: ComputePrecision = .fp32

    /// The precision of this process's training steps, from `LABBOOK_PRECISION` (checked by
    /// `labbook` at start-up, `processSelection`); `Trainer.step` runs in it.
    nonisolated(unsafe) public private(set) static var training: ComputePrecision = (try? processSelection()) ?? .fp32

    public static func processSelection() throws -> ComputePrecision {
        try select(requested: ProcessInfo.processInfo.environment[variable], bf16Supported: bf16Supported)
    }

    /// Runs `body` with training steps in `precision` (tests, and benchmarks comparing both).
    public static func withTrainingPrecision<Result>(_ precision: ComputePrecision, _ body: () throws -> Result) rethrows -> Result {
        precondition(precision == .fp32 || bf16Supported, "withTrainingPrecision(.bf16) on a CPU without AVX512_BF16")
        let previous = training
        training = precision
        defer { training = previous }
        return try body()
    }

    /// Runs `body` with the products in `precision` (tests, benchmarks); bf16 needs the CPU's support.
    public static func withPrecision<Result>(_ precision: ComputePrecision, _ body: () throws -> Result) rethrows -> Result {
        precondition(precision == .fp32 || bf16Supported, "withPrecision(.bf16) on a CPU without AVX512_BF16")
        let previous = current
        current = precision
        defer { current = previous }
        return try body()
    }
}

/// A `LABBOOK_PRECISION` the CPU or Labbook cannot honour.
public enum PrecisionError: Error, CustomStringConvertible {
    case unsupported
    case unknown(String)

    public var description: String {
        switch self {
        case .unsupported:
            return "\(ComputePrecision.variable)=bf16 needs AVX512_BF16, which this CPU (or OS) lacks; use fp32 or auto"
        case .unknown(let value):
            return "\(ComputePrecision.variable) must be fp32, bf16 or auto, got \(value)"
        }
    }
}
