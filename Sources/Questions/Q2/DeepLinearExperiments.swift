import Analysis
import Foundation

/// Hessian spectra of deep linear networks at three kinds of points.
struct CurvatureConfig: Codable {
    var data: LinearDigitsConfig
    var hiddenWidth: Int
    var depths: [Int]
    /// The "trained" point: gradient descent until ‖∇L‖ ≤ `gradientTolerance`, at most this many steps.
    var trainingIterations: Int
    var gradientTolerance: Double
    var learningRate: Double
    var seed: UInt64
}

struct SpectrumAtPoint: Codable {
    var depth: Int
    var loss: DeepLinearNetwork.Loss
    var point: String
    var lossValue: Double
    /// ‖∇L‖ at the point, and the gradient-descent steps that reached it (0 for the others).
    var gradientNorm: Double
    var steps: Int
    /// Every eigenvalue of the exact Hessian (R-operator, see `DeepLinearNetwork.exactHessian`), ascending.
    var eigenvalues: [Double]
    /// λ_min and λ_max from Lanczos on Hessian-vector products, as an independent check.
    var lanczosSmallest: Double
    var lanczosLargest: Double

    var smallest: Double { eigenvalues.first ?? .nan }
    var largest: Double { eigenvalues.last ?? .nan }
    /// The spectrum's scale, max |λ|.
    var scale: Double { eigenvalues.map(abs).max() ?? 0 }
    /// Eigenvalues below −`curvatureTolerance` · max |λ| (see `curvatureTolerance`).
    var negativeCount: Int { eigenvalues.filter { $0 < -curvatureTolerance * scale }.count }
}

/// The one rule for "negative" in Question 2: an eigenvalue counts as negative when it lies
/// below −τ · max |λ| of its own spectrum, τ = 10⁻⁸. The Hessians are exact in double precision
/// and Jacobi's eigenvalues are accurate to about 10⁻¹⁵ · max |λ|, so τ leaves seven orders of
/// magnitude for rounding and counts nothing a finite-difference step would have invented.
let curvatureTolerance = 1e-8

struct CurvatureResult: Codable {
    var spectra: [SpectrumAtPoint]

    func spectrum(depth: Int, loss: DeepLinearNetwork.Loss, point: String) -> SpectrumAtPoint? {
        spectra.first { $0.depth == depth && $0.loss == loss && $0.point == point }
    }
}

func hiddenSizes(depth: Int, width: Int) -> [Int] { Array(repeating: width, count: depth - 1) }

func computeCurvature(_ config: CurvatureConfig, data: LinearDigitsData, progress: (Int, Int) -> Void) -> CurvatureResult {
    var spectra: [SpectrumAtPoint] = []
    let total = config.depths.count * DeepLinearNetwork.Loss.allCases.count
    var done = 0
    for loss in DeepLinearNetwork.Loss.allCases {
        for depth in config.depths {
            let network = data.network(hiddenSizes: hiddenSizes(depth: depth, width: config.hiddenWidth), loss: loss)
            let initial = network.glorotUniformParameters(seed: config.seed &+ UInt64(depth))
            let training = gradientDescent(on: network, from: initial, learningRate: config.learningRate,
                                           gradientTolerance: config.gradientTolerance, maximumIterations: config.trainingIterations)
            let points: [(String, [Double], Int)] = [
                ("origin", [Double](repeating: 0, count: network.parameterCount), 0), ("random init", initial, 0),
                ("trained", training.finalParameters, training.losses.count - 1),
            ]
            for (name, point, steps) in points {
                let eigenvalues = SymmetricEigenvalues.jacobi(network.exactHessian(at: point), size: network.parameterCount)
                let extremes = extremeEigenvalues(count: 1, dimension: network.parameterCount, seed: config.seed,
                                                  applying: { network.hessianVectorProduct(point, $0) })
                spectra.append(SpectrumAtPoint(depth: depth, loss: loss, point: name, lossValue: network.value(point),
                                               gradientNorm: network.gradient(point).reduce(0) { $0 + $1 * $1 }.squareRoot(), steps: steps,
                                               eigenvalues: eigenvalues, lanczosSmallest: extremes.smallest.first ?? .nan,
                                               lanczosLargest: extremes.largest.first ?? .nan))
            }
            done += 1
            progress(done, total)
        }
    }
    return CurvatureResult(spectra: spectra)
}

/// Randomised Jensen test per depth and loss, on pairs of random initialisations.
struct DeepJensenConfig: Codable {
    var data: LinearDigitsConfig
    var hiddenWidth: Int
    var depths: [Int]
    var pairs: Int
    var seed: UInt64
}

struct DeepJensenRow: Codable {
    var depth: Int
    var loss: DeepLinearNetwork.Loss
    var test: MidpointConvexityResult
}

func runDeepJensen(_ config: DeepJensenConfig, data: LinearDigitsData) -> [DeepJensenRow] {
    var rows: [DeepJensenRow] = []
    for loss in DeepLinearNetwork.Loss.allCases {
        for depth in config.depths {
            let network = data.network(hiddenSizes: hiddenSizes(depth: depth, width: config.hiddenWidth), loss: loss)
            var draws: UInt64 = 0
            let test = midpointConvexityTest(pairs: config.pairs, samplePoint: {
                draws += 1
                return network.glorotUniformParameters(seed: config.seed &+ draws &* 7919)
            }, function: network.value)
            rows.append(DeepJensenRow(depth: depth, loss: loss, test: test))
        }
    }
    return rows
}

/// Two equally good minima related by a permutation of hidden units, and the segment between them.
struct PermutationConfig: Codable {
    var data: LinearDigitsConfig
    var hiddenWidth: Int
    var trainingIterations: Int
    var learningRate: Double
    var seed: UInt64
}

struct PermutationResult: Codable {
    var minimumLoss: Double
    var permutedLoss: Double
    var midpointLoss: Double
    var profile: SegmentProfile
}

func runPermutationSymmetry(_ config: PermutationConfig, data: LinearDigitsData) -> PermutationResult {
    let network = data.network(hiddenSizes: [config.hiddenWidth], loss: .meanSquared)
    let start = network.glorotUniformParameters(seed: config.seed)
    let trained = gradientDescent(on: network, from: start, learningRate: config.learningRate,
                                  iterations: config.trainingIterations).finalParameters
    let reversed = Array((0..<config.hiddenWidth).reversed())
    let twin = network.permuteHiddenUnits(trained, layer: 1, permutation: reversed)
    let midpoint = zip(trained, twin).map { ($0 + $1) / 2 }
    return PermutationResult(minimumLoss: network.value(trained), permutedLoss: network.value(twin),
                             midpointLoss: network.value(midpoint),
                             profile: segmentProfile(network, from: trained, to: twin, points: 41))
}

/// Many random starts of a depth-2 MSE network: where they end, and the least-squares optimum.
struct BenignConfig: Codable {
    var data: LinearDigitsConfig
    var hiddenWidth: Int
    var initializations: Int
    var trainingIterations: Int
    var learningRate: Double
    var seed: UInt64
}

struct BenignResult: Codable {
    var finalLosses: [Double]
    var leastSquaresLoss: Double
    /// ‖W_trained − W_ls‖ / ‖W_ls‖ for each run, W = W₂W₁.
    var endToEndRelativeErrors: [Double]
}

func runBenignLandscape(_ config: BenignConfig, data: LinearDigitsData, progress: (Int, Int) -> Void) -> BenignResult {
    let network = data.network(hiddenSizes: [config.hiddenWidth], loss: .meanSquared)
    let linear = data.network(hiddenSizes: [], loss: .meanSquared)
    let optimum = linear.leastSquaresSolution(ridge: 0) ?? linear.leastSquaresSolution(ridge: 1e-9)!
    let optimumNorm = sqrt(optimum.reduce(0) { $0 + $1 * $1 })
    var losses: [Double] = [], errors: [Double] = []
    for run in 0..<config.initializations {
        let start = network.glorotUniformParameters(seed: config.seed &+ UInt64(run))
        let trained = gradientDescent(on: network, from: start, learningRate: config.learningRate,
                                      iterations: config.trainingIterations).finalParameters
        losses.append(network.value(trained))
        let product = network.endToEndMatrix(trained)
        errors.append(sqrt(zip(product, optimum).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }) / optimumNorm)
        progress(run + 1, config.initializations)
    }
    return BenignResult(finalLosses: losses, leastSquaresLoss: linear.value(optimum), endToEndRelativeErrors: errors)
}
