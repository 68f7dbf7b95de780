import Foundation
import NN
import Tensor

/// A trained engine model and a fixed evaluation set seen as a function of one flat Float64
/// parameter vector, so the curvature and landscape tools (Hessian-vector products, Lanczos,
/// filter-normalised slices) apply to any `Module` with one call.
///
/// Values are computed in Float32 by the engine and widened; Hessian-vector products built on
/// these gradients by central differences therefore need a larger relative step (~1e-3) than
/// Float64 objectives.
public final class ModuleObjective: DifferentiableObjective {
    public let model: any UnaryLayer
    public let data: LabeledData
    public let loss: Loss
    private let input: Tensor

    public init(model: any UnaryLayer, data: LabeledData, loss: Loss = .crossEntropy) {
        self.model = model
        self.data = data
        self.loss = loss
        input = Tensor(data.features, shape: [data.count] + data.sampleShape)
    }

    public var parameterCount: Int { model.parameterCount }

    /// The model's current parameters.
    public var currentParameters: [Double] { model.flattenedParameters().map(Double.init) }

    /// Weights are filters along their output axis: the last for dense kernels (`[in, out]`),
    /// the first for convolution kernels (`[out, in, kh, kw]`); rank-1 tensors (biases, batch
    /// normalisation scales and shifts) get no direction.
    public var parameterLayout: ParameterLayout {
        var offset = 0
        return ParameterLayout(groups: model.parameterShapes.map { entry in
            let group = ParameterGroup(name: entry.name, shape: entry.shape, offset: offset, role: entry.shape.count == 1 ? .bias : .weight,
                                       filterAxis: entry.shape.count == 4 ? .first : .last)
            offset += group.count
            return group
        })
    }

    public func value(_ parameters: [Double]) -> Double {
        model.setParameters(from: parameters.map(Float.init))
        model.train(false)
        defer { model.train(true) }
        return withoutGradients { Double(loss(logits: model(input), labels: data.labels).scalar) }
    }

    /// The loss and the classification accuracy at `parameters`, from one forward pass.
    public func lossAndAccuracy(_ parameters: [Double]) -> (loss: Double, accuracy: Double) {
        model.setParameters(from: parameters.map(Float.init))
        model.train(false)
        defer { model.train(true) }
        return withoutGradients {
            let logits = model(input)
            return (Double(loss(logits: logits, labels: data.labels).scalar), accuracy(logits: logits, labels: data.labels))
        }
    }

    public func valueAndGradient(_ parameters: [Double]) -> (value: Double, gradient: [Double]) {
        model.setParameters(from: parameters.map(Float.init))
        model.zeroGradients()
        let output = loss(logits: model(input), labels: data.labels)
        output.backward()
        let gradient = model.flattenedGradients().map(Double.init)
        model.zeroGradients()
        return (Double(output.scalar), gradient)
    }
}

/// The fraction of rows of `logits` whose largest entry is at the label.
func accuracy(logits: Tensor, labels: [Int32]) -> Double {
    let predictions = argmaxRows(logits)
    return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(max(labels.count, 1))
}
