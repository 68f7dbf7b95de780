import NN
import Tensor
import TestSupport
import XCTest

final class OptimizerTests: XCTestCase {
    /// Two Adam steps with Keras defaults, against values worked out by hand (Float64):
    /// step 1: m = 0.1 g, v = 0.001 g², α = 1e-3 · sqrt(0.001) / 0.1 = 3.1623e-4,
    ///         θ = θ - α m / (sqrt(v) + 1e-7)
    func testAdamKnownAnswerFirstTwoSteps() {
        let theta = Tensor([1, -2], shape: [2], requiresGradient: true)
        let adam = Adam()
        XCTAssertEqual(adam.learningRate, 1e-3)
        XCTAssertEqual(adam.epsilon, 1e-7)
        (theta * Tensor([0.5, -1], shape: [2])).backward()          // g = [0.5, -1]
        adam.update(parameters: [theta])
        assertClose(theta.data, [0.9990000063245154, -1.9990000031622677], rtol: 1e-7, atol: 0)
        theta.zeroGradient()
        (theta * Tensor([0.1, 0.2], shape: [2])).backward()         // g = [0.1, 0.2]
        adam.update(parameters: [theta])
        assertClose(theta.data, [0.9981969703286983, -1.9984889786704665], rtol: 1e-7, atol: 0)
        XCTAssertEqual(adam.step, 2)
    }

    /// The SIMD path (eight lanes) and the scalar tail must agree, including sqrt(0) = 0.
    func testAdamVectorAndTailAgree() {
        let values = (0..<19).map { Float($0) * 0.1 - 0.9 }
        let gradients = (0..<19).map { $0 == 3 ? 0 : Float($0 % 5) - 2 }
        let long = Tensor(values, shape: [19], requiresGradient: true)
        (long * Tensor(gradients, shape: [19])).backward()
        Adam().update(parameters: [long])
        for index in 0..<19 {
            let single = Tensor([values[index]], shape: [1], requiresGradient: true)
            (single * Tensor([gradients[index]], shape: [1])).backward()
            Adam().update(parameters: [single])
            assertClose(long.data[index], single.data[0], rtol: 4e-7, atol: 1e-9, "index \(index)")
        }
    }

    /// Adam is element-wise, so splitting it across cores must not change a single bit.
    func testAdamResultDoesNotDependOnCoreCount() {
        func run(cores: Int) -> [Float] {
            let previous = Parallelism.coreCount
            defer { Parallelism.coreCount = previous }
            Parallelism.coreCount = cores
            var generator = SeededGenerator(seed: 1)
            // Above twice `Adam.minimumChunk`, so two cores really split the tensor.
            let theta = Tensor.randomUniform([2_200_000], lowerBound: -1, upperBound: 1, generator: &generator, requiresGradient: true)
            let adam = Adam()
            for _ in 0..<3 {
                theta.zeroGradient()
                sum(square(theta)).backward()
                adam.update(parameters: [theta])
            }
            return theta.data
        }
        XCTAssertEqual(run(cores: 1), run(cores: 2))
    }

    /// A whole model's parameters are updated in one pass over the cores (`ElementwiseWork`):
    /// every parameter gets exactly what it gets when updated alone on one core, a parameter
    /// listed twice is updated once, and one without a gradient is left alone.
    func testAdamOverManyParametersEqualsEachAlone() {
        var generator = SeededGenerator(seed: 5)
        let counts = [70_001, 3, 2, 40_000, 17, 1, 65_536]
        let values = counts.map { count in (0..<count).map { _ in generator.nextUnitFloat() * 2 - 1 } }
        func run(cores: Int, together: Bool) -> [[Float]] {
            let previous = Parallelism.coreCount
            defer { Parallelism.coreCount = previous }
            Parallelism.coreCount = cores
            let parameters = zip(values, counts).map { Tensor($0, shape: [$1], requiresGradient: true) }
            let optimizers = together ? [Adam()] : parameters.map { _ in Adam() }
            for step in 0..<3 {
                for (index, parameter) in parameters.enumerated() where index != 5 || step == 0 {
                    parameter.zeroGradient()
                    sum(square(parameter) * Float(index + 1)).backward()
                }
                parameters[5].zeroGradient()   // no gradient after the first step
                if together {
                    optimizers[0].update(parameters: parameters + [parameters[3]])
                } else {
                    for (parameter, adam) in zip(parameters, optimizers) { adam.update(parameters: [parameter]) }
                }
            }
            return parameters.map(\.data)
        }
        let alone = run(cores: 1, together: false)
        for cores in 1...3 {
            XCTAssertEqual(run(cores: cores, together: true), alone, "\(cores) cores")
        }
    }

    func testSGDWithMomentumKnownAnswer() {
        let theta = Tensor([1], shape: [1], requiresGradient: true)
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        for _ in 0..<2 {
            theta.zeroGradient()
            (theta * 0.5).backward()                               // g = 0.5
            sgd.update(parameters: [theta])
        }
        // v1 = -0.05, θ1 = 0.95; v2 = 0.9·(-0.05) - 0.05 = -0.095, θ2 = 0.855
        assertClose(theta.data, [0.855], rtol: 1e-6)
    }

    func testPlainSGD() {
        let theta = Tensor([1, 2], shape: [2], requiresGradient: true)
        sum(theta * theta).backward()
        SGD(learningRate: 0.25).update(parameters: [theta])
        assertClose(theta.data, [0.5, 1])
    }

    func testParametersWithoutGradientsAreSkipped() {
        let theta = Tensor([1], shape: [1], requiresGradient: true)
        Adam().update(parameters: [theta])
        XCTAssertEqual(theta.data, [1])
    }
}

final class WeightDecayTests: XCTestCase {
    /// Loss 0.5·θ (g = 0.5), θ₀ = 1, lr 0.1, momentum 0.9, decay 0.1, two steps.
    private func twoSteps(_ decay: SGD.WeightDecay) -> Float {
        let theta = Tensor([1], shape: [1], requiresGradient: true)
        let sgd = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: decay)
        for _ in 0..<2 {
            theta.zeroGradient()
            (theta * 0.5).backward()
            sgd.update(parameters: [theta])
        }
        return theta.data[0]
    }

    func testL2DecayPassesThroughTheVelocity() {
        // g₁ = 0.6, v₁ = −0.06, θ₁ = 0.94; g₂ = 0.594, v₂ = −0.054 − 0.0594 = −0.1134, θ₂ = 0.8266.
        XCTAssertEqual(twoSteps(.l2(0.1)), 0.8266, accuracy: 1e-6)
    }

    func testDecoupledDecayShrinksTheWeightsOutsideTheMomentum() {
        // θ ← 0.99θ, then v₁ = −0.05, θ₁ = 0.94; θ ← 0.9306, v₂ = −0.095, θ₂ = 0.8356.
        XCTAssertEqual(twoSteps(.decoupled(0.1)), 0.8356, accuracy: 1e-6)
        XCTAssertEqual(twoSteps(.none), 0.855, accuracy: 1e-6)
    }
}
