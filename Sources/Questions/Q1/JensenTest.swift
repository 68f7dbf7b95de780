import Analysis
import Foundation

/// Random segments in parameter space for both losses: the toy (w, b) box and the
/// 785-dimensional digit problem.
struct JensenConfig: Codable {
    var toy: ToyProblemConfig
    var toyPairs: Int
    var box: Double
    var digits: DigitsTaskConfig
    var digitPairs: Int
    /// Standard deviation of the logits at a random point (weights scaled to the data).
    var digitLogitScale: Double
    var seed: UInt64
}

struct JensenOutcome: Codable {
    var loss: BinaryLoss
    var setting: String
    var test: MidpointConvexityResult
    /// Loss along the first violating segment and its chord, for the profile figure.
    var segmentT: [Double]
    var segmentLoss: [Double]
    var segmentChord: [Double]
}

struct JensenResult: Codable {
    var outcomes: [JensenOutcome]

    func outcome(_ loss: BinaryLoss, _ setting: String) -> JensenOutcome {
        outcomes.first { $0.loss == loss && $0.setting == setting }!
    }
}

func runJensenTests(_ config: JensenConfig, digits: DigitsTask, progress: (Int, Int) -> Void) -> JensenResult {
    let toy = ToyProblemData(config.toy)
    var outcomes: [JensenOutcome] = []
    let settings: [(name: String, pairs: Int, make: (BinaryLoss) -> LogisticRegression, scale: Double)] = [
        ("toy", config.toyPairs, { toy.problem($0) }, config.box),
        ("digits", config.digitPairs, { digits.train(loss: $0) }, config.digitLogitScale / digits.featureScale),
    ]
    var step = 0
    for setting in settings {
        for loss in BinaryLoss.allCases {
            let problem = setting.make(loss)
            var generator = SeededGenerator(seed: config.seed)
            let isToy = setting.name == "toy"
            let test = midpointConvexityTest(pairs: setting.pairs, samplePoint: {
                (0..<problem.parameterCount).map { _ in
                    isToy ? (generator.nextUniform() * 2 - 1) * setting.scale : generator.nextGaussian() * setting.scale
                }
            }, function: problem.value)
            step += 1
            progress(step, 4)
            var segmentT: [Double] = [], segmentLoss: [Double] = [], segmentChord: [Double] = []
            if let pair = test.firstViolation {
                let fa = problem.value(pair[0]), fb = problem.value(pair[1])
                for k in 0...60 {
                    let t = Double(k) / 60
                    segmentT.append(t)
                    segmentLoss.append(problem.value(zip(pair[0], pair[1]).map { (1 - t) * $0 + t * $1 }))
                    segmentChord.append((1 - t) * fa + t * fb)
                }
            }
            outcomes.append(JensenOutcome(loss: loss, setting: setting.name, test: test,
                                          segmentT: segmentT, segmentLoss: segmentLoss, segmentChord: segmentChord))
        }
    }
    return JensenResult(outcomes: outcomes)
}
