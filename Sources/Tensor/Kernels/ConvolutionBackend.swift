import Foundation

/// Which kernels compute `conv2d`: oneDNN's JIT convolutions (the default where oneDNN runs) or
/// Labbook's im2col + sgemm plan, which stays as the reference the tests compare against.
/// `LABBOOK_CONVOLUTION=im2col` (or `onednn`) overrides the choice; it is part of the kernels a
/// report records and of every computed cell's key (results differ between the two by rounding).
public enum ConvolutionBackend: String, Sendable {
    case oneDNN = "onednn"
    case im2col

    /// The backend of this process: the environment's choice, else oneDNN when its engine starts.
    public static let current: ConvolutionBackend = {
        if let asked = ProcessInfo.processInfo.environment["LABBOOK_CONVOLUTION"].flatMap(ConvolutionBackend.init(rawValue:)) {
            return asked == .oneDNN && OneDNNEngine.shared == nil ? .im2col : asked
        }
        return OneDNNEngine.shared == nil ? .im2col : .oneDNN
    }()

    /// For the kernels row of reports and benchmarks, e.g. "convolutions: oneDNN (fp32)".
    public var description: String {
        switch self {
        case .oneDNN: return "convolutions: oneDNN 2.6 JIT (fp32, blocked layouts)"
        case .im2col: return "convolutions: im2col + sgemm (fp32)"
        }
    }
}
