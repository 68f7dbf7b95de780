import NN
import Tensor
import TestSupport
import XCTest

final class ConvolutionalModelsTests: XCTestCase {
    func testLeNet5ParameterCountAndShapes() {
        let model = LeNet5(seed: 1)
        XCTAssertEqual(model.parameterCount, 61_706)
        XCTAssertEqual(model(Tensor.zeros([3, 1, 28, 28])).shape, [3, 10])
        // conv1 117,600 + conv2 240,000 + dense 48,000 + 10,080 + 840 multiply-accumulates.
        XCTAssertEqual(model.forwardMultiplyAccumulates(sampleShape: [1, 28, 28]), 416_520)
    }

    /// LeNet-5 rectifies after pooling, and pools inside its convolutions' pass; that is the
    /// textbook order (convolution, ReLU, then pooling) to the bit, values and every gradient but
    /// the convolutions' biases (within rounding: the fused pass adds no zeros), on weights and
    /// images where many windows hold only negative values and some hold ties.
    func testLeNet5PoolingBeforeReLUIsTheSameFunctionToTheBit() {
        var generator = SeededGenerator(seed: 8)
        let model = LeNet5(seed: 9)
        let pixels = (0..<(4 * 28 * 28)).map { i in i % 9 == 0 ? 0 : generator.nextUnitFloat() - 0.5 }
        let input = Tensor(pixels, shape: [4, 1, 28, 28])
        let seed = (0..<40).map { Float($0 % 5) - 2 }
        func gradients(_ forward: (Tensor) -> Tensor) -> [(name: String, values: [Float])] {
            model.zeroGradients()
            let logits = forward(input)
            logits.backward(gradient: seed)
            return [("logits", logits.data)] + model.namedParameters().map { ($0.name, $0.tensor.grad!) }
        }
        let textbook = gradients { x in
            model.output(model.dense2(model.dense1(model.flatten(model.pool2(relu(model.conv2(model.pool1(relu(model.conv1(x))))))))))
        }
        let fused = gradients { model($0) }
        XCTAssertEqual(fused.map(\.name), textbook.map(\.name))
        for (a, b) in zip(fused, textbook) {
            if a.name.hasPrefix("conv") && a.name.hasSuffix("bias") {
                assertClose(a.values, b.values, rtol: 1e-5, atol: 1e-5, a.name)
            } else {
                XCTAssertEqual(a.values, b.values, a.name)
            }
        }
    }

    /// A layer with an activation runs it before the pooling it is asked to fuse.
    func testConvolutionThenPoolingKeepsTheLayersActivation() {
        var generator = SeededGenerator(seed: 10)
        let layer = Conv2D(inputChannels: 1, outputChannels: 6, kernelSize: 5, padding: 2, activation: sigmoid, generator: &generator)
        let pool = MaxPool2D(kernelSize: 2)
        let x = Tensor((0..<(2 * 28 * 28)).map { _ in generator.nextUnitFloat() - 0.5 }, shape: [2, 1, 28, 28])
        XCTAssertEqual(layer(x, thenPooling: pool).data, pool(layer(x)).data)
    }

    func testResNet18ParameterCount() {
        let model = ResNet.resNet18(seed: 1)
        XCTAssertEqual(model.parameterCount, 11_175_370)
        XCTAssertEqual(model(Tensor.zeros([2, 1, 28, 28])).shape, [2, 10])
    }

    func testResNet50ParameterCount() {
        let model = ResNet.resNet50(seed: 1)
        XCTAssertEqual(model.parameterCount, 23_522_250)
        XCTAssertEqual(model(Tensor.zeros([2, 1, 28, 28])).shape, [2, 10])
        // Buffers: two running statistics per batch normalisation, not counted as parameters.
        XCTAssertEqual(model.namedTensors().count - model.namedParameters().count, 2 * 53)
    }

    /// Ten classes of 12x12 images, each a bright 3x3 square at its own position, plus noise.
    private func squares(count: Int, seed: UInt64) -> LabeledData {
        var generator = SeededGenerator(seed: seed)
        var features: [Float] = [], labels: [Int32] = []
        for index in 0..<count {
            let label = index % 10
            var image = (0..<144).map { _ in generator.nextUnitFloat() * 0.3 }
            let top = (label / 5) * 5 + 1, left = (label % 5) * 2
            for row in top..<(top + 3) { for column in left..<(left + 3) { image[row * 12 + column] += 1 } }
            features += image
            labels.append(Int32(label))
        }
        return LabeledData(features: features, labels: labels, sampleShape: [1, 12, 12])
    }

    func testSmallConvolutionalNetworkLearns() {
        var generator = SeededGenerator(seed: 6)
        let model = Sequential(
            Conv2D(inputChannels: 1, outputChannels: 6, kernelSize: 3, padding: 1, activation: relu, generator: &generator),
            MaxPool2D(kernelSize: 2),
            BatchNorm2D(channels: 6),
            Flatten(),
            Dense(inputSize: 6 * 36, outputSize: 10, generator: &generator))
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: 3e-3), batchSize: 16, seed: 1)
        trainer.fit(squares(count: 300, seed: 1), epochs: 4)
        let accuracy = trainer.evaluate(squares(count: 200, seed: 2)).accuracy
        XCTAssertGreaterThan(accuracy, 0.9, "chance is 0.1")
    }

    func testLeNet5LearnsSeparableDigits() {
        // 28x28 version of the squares: each class a bright 6x6 block at its own place.
        func blocks(count: Int, seed: UInt64) -> LabeledData {
            var generator = SeededGenerator(seed: seed)
            var features: [Float] = [], labels: [Int32] = []
            for index in 0..<count {
                let label = index % 10
                var image = (0..<784).map { _ in generator.nextUnitFloat() * 0.3 }
                let top = (label / 5) * 12 + 4, left = (label % 5) * 5 + 1
                for row in top..<(top + 6) { for column in left..<(left + 3) { image[row * 28 + column] += 1 } }
                features += image
                labels.append(Int32(label))
            }
            return LabeledData(features: features, labels: labels, sampleShape: [1, 28, 28])
        }
        let trainer = Trainer(model: LeNet5(seed: 3), optimizer: Adam(), batchSize: 32, seed: 1)
        trainer.fit(blocks(count: 320, seed: 1), epochs: 3)
        let accuracy = trainer.evaluate(blocks(count: 200, seed: 2)).accuracy
        XCTAssertGreaterThan(accuracy, 0.8, "chance is 0.1")
    }
}

final class ZeroInitialResidualTests: XCTestCase {
    /// γ = 0 on each block's last batch normalisation, every other tensor as without the option.
    func testOnlyTheLastNormOfEachBlockStartsAtZero() {
        for (plain, zeroed) in [(ResNet.resNet18(seed: 5), ResNet.resNet18(seed: 5, zeroInitialResidual: true)),
                                (ResNet.resNet50(seed: 5), ResNet.resNet50(seed: 5, zeroInitialResidual: true))] {
            let zeroedNames = Set(zeroed.blocks.compactMap { $0 as? any ResidualBlock }.map { ObjectIdentifier($0.residualOutputNorm.weight) })
            XCTAssertEqual(zeroedNames.count, zeroed.blocks.count)
            for ((name, a), (_, b)) in zip(plain.namedTensors(), zeroed.namedTensors()) {
                if zeroedNames.contains(ObjectIdentifier(b)) {
                    XCTAssertTrue(b.data.allSatisfy { $0 == 0 }, name)
                } else {
                    XCTAssertEqual(a.data, b.data, name)
                }
            }
        }
    }

    /// With its residual branch at zero an identity-shortcut block computes relu(x).
    func testAZeroedBlockStartsAsTheIdentity() {
        let model = ResNet.resNet18(seed: 2, zeroInitialResidual: true)
        var generator = SeededGenerator(seed: 9)
        let input = Tensor((0..<(2 * 64 * 7 * 7)).map { _ in Float(generator.nextStandardNormal()) }, shape: [2, 64, 7, 7])
        let output = model.blocks[0](input)
        XCTAssertEqual(output.data, input.data.map { max($0, 0) })
    }
}
