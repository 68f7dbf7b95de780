import Analysis
import Foundation

/// The one-feature problem of Question 1: two Gaussian classes on a line, so the loss is a
/// function of just (w, b) and can be drawn as a surface.
struct ToyProblemConfig: Codable {
    var examplesPerClass: Int
    var classZeroMean: Double
    var classOneMean: Double
    var standardDeviation: Double
    var seed: UInt64
}

struct ToyProblemData: Codable {
    var features: [Double]
    var labels: [Double]

    init(_ config: ToyProblemConfig) {
        var generator = SeededGenerator(seed: config.seed)
        features = []
        labels = []
        for label in [0.0, 1.0] {
            let mean = label == 0 ? config.classZeroMean : config.classOneMean
            for _ in 0..<config.examplesPerClass {
                features.append(mean + config.standardDeviation * generator.nextGaussian())
                labels.append(label)
            }
        }
    }

    func problem(_ loss: BinaryLoss) -> LogisticRegression {
        LogisticRegression(features: features, labels: labels, dimension: 1, loss: loss)
    }
}

/// Loss values and smallest Hessian eigenvalues of both losses on a (w, b) grid.
struct SurfaceConfig: Codable {
    var toy: ToyProblemConfig
    var weightRange: [Double]
    var biasRange: [Double]
    var gridSize: Int
}

struct LossSurface: Codable {
    var loss: BinaryLoss
    /// values[j][i] at (weights[i], biases[j]).
    var values: [[Double]]
    var smallestEigenvalues: [[Double]]
    var largestEigenvalues: [[Double]]

    var minimumSmallestEigenvalue: Double { smallestEigenvalues.joined().min() ?? .nan }
    var negativeCurvatureFraction: Double {
        let all = smallestEigenvalues.joined()
        return Double(all.filter { $0 < -1e-9 }.count) / Double(max(all.count, 1))
    }
}

struct SurfaceResult: Codable {
    var weights: [Double]
    var biases: [Double]
    var surfaces: [LossSurface]

    func surface(_ loss: BinaryLoss) -> LossSurface { surfaces.first { $0.loss == loss }! }
}

func computeSurfaces(_ config: SurfaceConfig, progress: (Int, Int) -> Void) -> SurfaceResult {
    let data = ToyProblemData(config.toy)
    let n = config.gridSize
    let weights = (0..<n).map { config.weightRange[0] + (config.weightRange[1] - config.weightRange[0]) * Double($0) / Double(n - 1) }
    let biases = (0..<n).map { config.biasRange[0] + (config.biasRange[1] - config.biasRange[0]) * Double($0) / Double(n - 1) }
    var surfaces: [LossSurface] = []
    for (index, loss) in BinaryLoss.allCases.enumerated() {
        let problem = data.problem(loss)
        var values = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var smallest = values, largest = values
        for j in 0..<n {
            for i in 0..<n {
                let parameters = [weights[i], biases[j]]
                values[j][i] = problem.value(parameters)
                let h = problem.hessian(parameters)
                let eigenvalues = SymmetricEigenvalues.twoByTwo(h[0], h[1], h[3])
                smallest[j][i] = eigenvalues.smallest
                largest[j][i] = eigenvalues.largest
            }
            progress(index * n + j + 1, 2 * n)
        }
        surfaces.append(LossSurface(loss: loss, values: values, smallestEigenvalues: smallest, largestEigenvalues: largest))
    }
    return SurfaceResult(weights: weights, biases: biases, surfaces: surfaces)
}
