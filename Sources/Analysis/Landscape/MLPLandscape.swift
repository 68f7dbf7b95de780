import Foundation
import NN
import Tensor

/// Loss landscapes of an `MLP`, evaluated about ten times faster than point by point.
///
/// The first layer is linear in its weights, so along a plane θ = θ₀ + αδ + βη its
/// pre-activations are
/// ```
/// X(W₁ + αD₁ + βE₁) + (b₁ + αd₁ + βe₁) = XW₁ + α·XD₁ + β·XE₁ + …
/// ```
/// The three products with the (large) input matrix are computed once; each grid point then
/// costs only a few additions and the two small layers. Results equal `ModuleObjective.value`
/// up to Float32 rounding (checked in the tests).
public final class MLPLandscape {
    public let model: MLP
    public let data: LabeledData
    public let loss: Loss

    public init(model: MLP, data: LabeledData, loss: Loss = .crossEntropy) {
        self.model = model
        self.data = data
        self.loss = loss
    }

    /// The same grid as `LossLandscape2D(center:firstDirection:secondDirection:alphas:betas:loss:)`.
    public func landscape(center: [Double], firstDirection: [Double], secondDirection: [Double],
                          alphas: [Double], betas: [Double], progress: ((Int, Int) -> Void)? = nil) -> LossLandscape2D {
        let shapes = model.parameterShapes
        precondition(shapes.count >= 2 && shapes[0].name.hasSuffix("weight") && shapes[1].name.hasSuffix("bias"),
                     "MLPLandscape expects the first layer's weight and bias first, got \(shapes.map(\.name))")
        let inputSize = shapes[0].shape[0], width = shapes[0].shape[1]
        let weightCount = inputSize * width
        let input = Tensor(data.features, shape: [data.count, inputSize])
        func firstLayerBlock(_ vector: [Double]) -> Tensor {
            Tensor(vector[0..<weightCount].map(Float.init), shape: [inputSize, width])
        }
        let (base, alongFirst, alongSecond) = withoutGradients {
            (matmul(input, firstLayerBlock(center)).data, matmul(input, firstLayerBlock(firstDirection)).data,
             matmul(input, firstLayerBlock(secondDirection)).data)
        }
        let saved = model.flattenedParameters()
        defer { model.setParameters(from: saved) }
        model.train(false)
        defer { model.train(true) }

        var values = [[Double]](repeating: [Double](repeating: .nan, count: alphas.count), count: betas.count)
        var accuracies = values
        var preActivation = [Float](repeating: 0, count: base.count)
        // One chunk of rows per engine thread (`withThreads` decides how many), at least 256 rows each.
        let chunkCount = max(1, min(Parallelism.usableCoreCount, data.count / 256))
        var done = 0
        for (j, beta) in betas.enumerated() {
            for (i, alpha) in alphas.enumerated() {
                let point = zip(center, zip(firstDirection, secondDirection)).map { Float($0 + alpha * $1.0 + beta * $1.1) }
                model.setParameters(from: point)
                let a = Float(alpha), b = Float(beta)
                preActivation.withUnsafeMutableBufferPointer { output in
                    base.withUnsafeBufferPointer { p0 in
                        alongFirst.withUnsafeBufferPointer { p1 in
                            alongSecond.withUnsafeBufferPointer { p2 in
                                // Rows are independent: split them over the cores.
                                let rowsPerChunk = (data.count + chunkCount - 1) / chunkCount
                                parallelTasks(chunkCount) { chunk in
                                    for row in (chunk * rowsPerChunk)..<min(data.count, (chunk + 1) * rowsPerChunk) {
                                        let offset = row * width
                                        for unit in 0..<width {
                                            let k = offset + unit
                                            output[k] = max(0, p0[k] + a * p1[k] + b * p2[k] + point[weightCount + unit])
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                (values[j][i], accuracies[j][i]) = withoutGradients {
                    let hidden = Tensor(preActivation, shape: [data.count, width])
                    let logits = model.output(model.hidden2(hidden))
                    return (Double(loss(logits: logits, labels: data.labels).scalar), accuracy(logits: logits, labels: data.labels))
                }
                done += 1
                progress?(done, alphas.count * betas.count)
            }
        }
        return LossLandscape2D(alphas: alphas, betas: betas, values: values, accuracies: accuracies)
    }
}

extension LossLandscape2D {
    /// A landscape whose values were computed elsewhere (e.g. by `MLPLandscape`, or row
    /// blocks computed separately and joined with `stacking(_:)`).
    public init(alphas: [Double], betas: [Double], values: [[Double]], accuracies: [[Double]]? = nil) {
        precondition(values.count == betas.count && values.allSatisfy { $0.count == alphas.count }, "values must be betas × alphas")
        precondition(accuracies.map { $0.count == betas.count && $0.allSatisfy { $0.count == alphas.count } } ?? true,
                     "accuracies must be betas × alphas")
        self.alphas = alphas
        self.betas = betas
        self.values = values
        self.accuracies = accuracies
    }

    /// Row blocks of one grid (same α axis, consecutive β rows) joined in order.
    public static func stacking(_ blocks: [LossLandscape2D]) -> LossLandscape2D {
        precondition(!blocks.isEmpty && blocks.allSatisfy { $0.alphas == blocks[0].alphas }, "row blocks must share their α axis")
        let accuracies = blocks.allSatisfy { $0.accuracies != nil } ? blocks.flatMap { $0.accuracies! } : nil
        return LossLandscape2D(alphas: blocks[0].alphas, betas: blocks.flatMap(\.betas), values: blocks.flatMap(\.values), accuracies: accuracies)
    }
}
