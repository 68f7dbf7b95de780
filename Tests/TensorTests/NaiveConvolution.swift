@testable import Tensor

/// The definition, one output at a time, with explicit zero padding.
func naiveConvolution(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int, padding: Int) -> [Float] {
    let (n, c, h, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let oh = (h + 2 * padding - kh) / stride + 1, ow = (width + 2 * padding - kw) / stride + 1
    var y = [Float](repeating: 0, count: n * o * oh * ow)
    for image in 0..<n { for filter in 0..<o { for row in 0..<oh { for column in 0..<ow {
        var total: Float = b?.data[filter] ?? 0
        for channel in 0..<c { for i in 0..<kh { for j in 0..<kw {
            let ih = row * stride - padding + i, iw = column * stride - padding + j
            guard ih >= 0 && ih < h && iw >= 0 && iw < width else { continue }
            total += x.data[((image * c + channel) * h + ih) * width + iw] * w.data[((filter * c + channel) * kh + i) * kw + j]
        } } }
        y[((image * o + filter) * oh + row) * ow + column] = total
    } } } }
    return y
}

/// `conv2d`'s output and gradients (`dx`, `dW`, and `db` with a bias) on a path the caller picks:
/// a specialised one where the shape allows (`specialised`), or the general im2col path. The
/// output is used twice, so the second pullback adds onto the first one's gradients.
func convolutionOutputAndGradients(_ x: Tensor, _ w: Tensor, _ b: Tensor, withBias: Bool, stride: Int, padding: Int,
                                   specialised: Bool) -> [[Float]] {
    let inputs = [x, w, b].map { Tensor($0.data, shape: $0.shape, requiresGradient: true) }
    func y() -> Tensor {
        conv2d(inputs[0], weight: inputs[1], bias: withBias ? inputs[2] : nil, stride: stride, padding: padding,
               regionSplitThreshold: ConvolutionGeometry.regionSplitThreshold, allowsSpecialisedPaths: specialised)
    }
    let first = y()
    (first + y() * 0.5).backward(gradient: first.data.indices.map { Float($0 % 7) - 3 })
    return [first.data] + inputs.prefix(withBias ? 3 : 2).map { $0.grad! }
}
