import Foundation
import Tensor
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), computed
/// exactly as Keras does: the bias corrections fold into the step size and epsilon is added
/// to the uncorrected `sqrt(v)` (the paper's "epsilon hat" form, section 2).
///
/// ```
/// t  = t + 1
/// m  = m + (1 - β₁)(g - m)
/// v  = v + (1 - β₂)(g² - v)
/// α  = lr · sqrt(1 - β₂ᵗ) / (1 - β₁ᵗ)
/// θ  = θ - α · m / (sqrt(v) + ε)
/// ```
/// Defaults are Keras's: `lr = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-7`.
public final class Adam: Optimizer {
    public let learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    /// Steps taken so far (`t`).
    public private(set) var step = 0
    private var moments: [ObjectIdentifier: (first: [Float], second: [Float])] = [:]
    /// Elements per core below which the step stays on the calling thread: a chunk of 32,768
    /// parameters takes about 20 us, well above the pool's hand-off cost.
    static let minimumChunk = 1 << 15

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        precondition(learningRate >= 0, "Adam: learning rate must be non-negative, got \(learningRate)")
        precondition((0..<1).contains(beta1), "Adam: beta1 must be in [0, 1), got \(beta1)")
        precondition((0..<1).contains(beta2), "Adam: beta2 must be in [0, 1), got \(beta2)")
        precondition(epsilon >= 0, "Adam: epsilon must be non-negative, got \(epsilon)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public func update(parameters: [Tensor]) {
        step += 1
        let t = Float(step)
        let stepSize = learningRate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t))
        let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2, epsilon = epsilon
        for parameter in parameters {
            guard let gradient = parameter.grad else { continue }
            let key = ObjectIdentifier(parameter)
            var state = moments.removeValue(forKey: key)
                ?? ([Float](repeating: 0, count: parameter.count), [Float](repeating: 0, count: parameter.count))
            gradient.withUnsafeBufferPointer { g in
                state.first.withUnsafeMutableBufferPointer { m in
                    state.second.withUnsafeMutableBufferPointer { v in
                        parameter.withUnsafeMutableData { theta in
                            // Element-wise, so splitting across cores cannot change the result.
                            let count = theta.count
                            let theta = theta.baseAddress!, g = g.baseAddress!, m = m.baseAddress!, v = v.baseAddress!
                            concurrentChunks(count: count, minimumChunk: Adam.minimumChunk) { range in
                                let start = range.lowerBound
                                Adam.step(count: range.count, parameter: theta + start, gradient: g + start,
                                          first: m + start, second: v + start, oneMinusBeta1: oneMinusBeta1,
                                          oneMinusBeta2: oneMinusBeta2, stepSize: stepSize, epsilon: epsilon)
                            }
                        }
                    }
                }
            }
            moments[key] = state
        }
    }

    /// The update loop on raw pointers, eight lanes at a time (one AVX2 register). This loop
    /// touches every parameter on every step, so it is written with SIMD types rather than left
    /// to the auto-vectoriser, which gives up on four arrays it cannot prove distinct. The
    /// last `count % 8` elements go through the same vector code on a zero-padded copy, so
    /// every element gets bit-identical arithmetic wherever it sits.
    @inline(__always)
    static func step(count: Int, parameter theta: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
                     first m: UnsafeMutablePointer<Float>, second v: UnsafeMutablePointer<Float>,
                     oneMinusBeta1: Float, oneMinusBeta2: Float, stepSize: Float, epsilon: Float) {
        typealias Lanes = SIMD8<Float>
        let width = Lanes.scalarCount
        @inline(__always)
        func update(_ value: inout Lanes, _ gradient: Lanes, _ first: inout Lanes, _ second: inout Lanes) {
            first.addProduct(Lanes(repeating: oneMinusBeta1), gradient - first)
            second.addProduct(Lanes(repeating: oneMinusBeta2), gradient * gradient - second)
            value -= stepSize * first / (squareRoot(second) + epsilon)
        }
        var i = 0
        while i + width <= count {
            let gradient = UnsafeRawPointer(g + i).loadUnaligned(as: Lanes.self)
            var first = UnsafeRawPointer(m + i).loadUnaligned(as: Lanes.self)
            var second = UnsafeRawPointer(v + i).loadUnaligned(as: Lanes.self)
            var value = UnsafeRawPointer(theta + i).loadUnaligned(as: Lanes.self)
            update(&value, gradient, &first, &second)
            UnsafeMutableRawPointer(m + i).storeBytes(of: first, as: Lanes.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: second, as: Lanes.self)
            UnsafeMutableRawPointer(theta + i).storeBytes(of: value, as: Lanes.self)
            i += width
        }
        if i < count {
            var gradient = Lanes(), first = Lanes(), second = Lanes(), value = Lanes()
            for lane in 0..<(count - i) {
                gradient[lane] = g[i + lane]; first[lane] = m[i + lane]
                second[lane] = v[i + lane]; value[lane] = theta[i + lane]
            }
            update(&value, gradient, &first, &second)
            for lane in 0..<(count - i) {
                m[i + lane] = first[lane]; v[i + lane] = second[lane]; theta[i + lane] = value[lane]
            }
        }
    }

    /// `sqrt(x)` for `x >= 0`, eight lanes at once. On Linux `Float.squareRoot()` and
    /// `SIMD8.squareRoot()` lower to `sqrtf` with an errno check, which splits every vector into
    /// scalar calls (and made this optimizer a third of a training step). On x86-64 this is
    /// the `vsqrtps` instruction (correctly rounded, like Keras's `sqrt`); elsewhere Newton's
    /// iteration for `1/sqrt(x)` from the classic bit-level first guess, three rounds, which
    /// reaches float rounding error (relative error < 4e-7, checked in the tests).
    ///
    /// ```
    /// y₀ = bits⁻¹(0x5F375A86 - bits(x) / 2)       yₙ₊₁ = yₙ (1.5 - 0.5 x yₙ²)       sqrt(x) = x · y₃
    /// ```
    @inline(__always)
    static func squareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> {
        #if arch(x86_64)
        return unsafeBitCast(_mm256_sqrt_ps(unsafeBitCast(x, to: __m256.self)), to: SIMD8<Float>.self)
        #else
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        var y = unsafeBitCast(SIMD8<UInt32>(repeating: 0x5F37_5A86) &- (bits &>> 1), to: SIMD8<Float>.self)
        let halfX = 0.5 * x
        for _ in 0..<3 { y = y * (1.5 - halfX * y * y) }
        return x * y
        #endif
    }
}
