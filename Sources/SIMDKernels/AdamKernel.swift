/// Adam's update on raw pointers, `Lanes.scalarCount` elements at a time (see `NN.Adam` for the
/// formula). This loop touches every parameter on every step, so it is written with SIMD
/// types rather than left to the auto-vectoriser, which gives up on four arrays it cannot
/// prove distinct. The last `count % width` elements go through the same vector code on a
/// zero-padded copy, so every element gets bit-identical arithmetic wherever it sits.
///
/// ```
/// m = m + (1 - β₁)(g - m)      v = v + (1 - β₂)(g² - v)      θ = θ - α · m / (sqrt(v) + ε)
/// ```
@inlinable @inline(__always)
public func adamStep<Lanes: FloatLanes>(_: Lanes.Type, count: Int, parameter theta: UnsafeMutablePointer<Float>,
                                         gradient g: UnsafePointer<Float>, first m: UnsafeMutablePointer<Float>,
                                         second v: UnsafeMutablePointer<Float>, oneMinusBeta1: Float,
                                         oneMinusBeta2: Float, stepSize: Float, epsilon: Float) {
    let width = Lanes.scalarCount
    @inline(__always)
    func update(_ value: inout Lanes, _ gradient: Lanes, _ first: inout Lanes, _ second: inout Lanes) {
        first.addProduct(Lanes(repeating: oneMinusBeta1), gradient - first)
        second.addProduct(Lanes(repeating: oneMinusBeta2), gradient * gradient - second)
        value -= stepSize * first / (Lanes.squareRoot(second) + epsilon)
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
