import Foundation
import Tensor

/// `labbook bench peak`: the machine's practical limit for single-precision arithmetic, as
/// OpenBLAS's sgemm on a 2048³ product reaches it on one core and on all of them. Training
/// benchmarks measure it in the same run and state their FLOP rate as a fraction of it.
public struct PeakBenchmarkReport: Codable, Sendable {
    public var workload: String
    /// Matrix side `n` of the `n × n · n × n` product.
    public var size: Int
    public var repeats: Int
    /// Best GFLOP/s on one OpenBLAS thread.
    public var singleCoreGFLOPS: Double
    /// Best GFLOP/s on `cores` OpenBLAS threads.
    public var allCoresGFLOPS: Double
    public var cores: Int
    /// Largest relative difference of a sample of C's entries from a float64 dot product:
    /// a fast kernel that computes the wrong thing is no peak.
    public var maximumRelativeError: Double

    enum CodingKeys: String, CodingKey {
        case workload, size, repeats, cores
        case singleCoreGFLOPS = "single_core_gflops"
        case allCoresGFLOPS = "all_cores_gflops"
        case maximumRelativeError = "max_relative_error"
    }

    /// The peak for a benchmark that ran on `threads` cores.
    public func gflops(threads: Int) -> Double { threads <= 1 ? singleCoreGFLOPS : allCoresGFLOPS }
}

/// Times `repeats` sgemm calls of size `size` on 1 and on `cores` threads and keeps the best of each.
public func runPeakBenchmark(size: Int = 2048, repeats: Int = 3, cores: Int = Parallelism.onlineProcessorCount,
                             seed: UInt64 = 42) -> PeakBenchmarkReport {
    precondition(size > 0 && repeats > 0 && cores > 0, "runPeakBenchmark: size, repeats and cores must be positive")
    var generator = SeededGenerator(seed: seed)
    let a = Tensor.randomNormal([size, size], generator: &generator).data
    let b = Tensor.randomNormal([size, size], generator: &generator).data
    var c = [Float](repeating: 0, count: size * size)
    let flops = 2 * Double(size) * Double(size) * Double(size)
    let clock = ContinuousClock()
    func best(threads: Int) -> Double {
        withThreads(blas: threads) {
            var fastest = Double.infinity
            for _ in 0..<repeats {
                let start = clock.now
                c.withUnsafeMutableBufferPointer { output in
                    BLAS.gemm(transposeA: false, transposeB: false, m: size, n: size, k: size, a: a, rowStrideA: size,
                              b: b, rowStrideB: size, beta: 0, c: output.baseAddress!, rowStrideC: size)
                }
                let elapsed = clock.now - start
                fastest = min(fastest, elapsed.seconds)
            }
            return flops / fastest / 1e9
        }
    }
    let single = best(threads: 1)
    let all = cores > 1 ? best(threads: cores) : single
    var worst = 0.0
    for sample in 0..<64 {
        let i = (sample * 7919) % size, j = (sample * 104_729) % size
        var exact = 0.0
        for p in 0..<size { exact += Double(a[i * size + p]) * Double(b[p * size + j]) }
        worst = max(worst, abs(Double(c[i * size + j]) - exact) / max(abs(exact), 1e-3))
    }
    return PeakBenchmarkReport(workload: "sgemm-\(size)", size: size, repeats: repeats, singleCoreGFLOPS: single,
                               allCoresGFLOPS: all, cores: cores, maximumRelativeError: worst)
}

/// How close a training benchmark came to the machine's peak: the FLOPs of a training step
/// (forward multiply-accumulates × 2, times 3 for forward + backward, the forward being about
/// a third of a step) over the step's time, against `PeakBenchmarkReport` measured in the same run.
public struct TrainingEfficiency: Codable, Sendable, Equatable {
    public var flopsPerStep: Double
    public var achievedGFLOPS: Double
    public var peakGFLOPS: Double
    public var fractionOfPeak: Double

    enum CodingKeys: String, CodingKey {
        case flopsPerStep = "flops_per_step"
        case achievedGFLOPS = "achieved_gflops"
        case peakGFLOPS = "peak_gflops"
        case fractionOfPeak = "fraction_of_peak"
    }

    public init(forwardMultiplyAccumulatesPerSample: Int, batchSize: Int, secondsPerStep: Double, peakGFLOPS: Double) {
        flopsPerStep = 3 * 2 * Double(forwardMultiplyAccumulatesPerSample) * Double(batchSize)
        achievedGFLOPS = flopsPerStep / max(secondsPerStep, 1e-12) / 1e9
        self.peakGFLOPS = peakGFLOPS
        fractionOfPeak = peakGFLOPS > 0 ? achievedGFLOPS / peakGFLOPS : 0
    }
}
