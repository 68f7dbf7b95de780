import CPlatform
import Foundation
import Synchronization

/// How long a cache line takes to go from one core to another and back, measured by two
/// threads passing a counter back and forth: the one number that tells which placement a
/// virtual machine's cores are in.
///
/// On the 2-vCPU machines Labbook is developed on, a round trip takes 46-60 ns most of the
/// time and 320-390 ns in spells that last minutes (the two vCPUs then run far apart). Every
/// parallel step moves data between the cores, so in those spells MLP epochs took 0.31-0.33 s
/// instead of 0.22 (PyTorch's 1.8 s instead of 1.1), LeNet-5 trained 30,000 images/s instead
/// of 50,000, and the sgemm peak, which shares almost nothing between its threads, did not
/// show it. Benchmarks record this probe at their start, and `compare.sh` around every run, so
/// that a sitting says which runs were made in which placement.
public struct CoreRoundTripReport: Codable, Sendable, Equatable {
    public var workload = "core-round-trip"
    /// Median over batches of the mean round trip within a batch, nanoseconds.
    public var nanoseconds: Double
    public var fastestBatchNanoseconds: Double
    public var slowestBatchNanoseconds: Double
    public var batches: Int
    public var roundTripsPerBatch: Int
    /// The two processors the threads were pinned to.
    public var processors: [Int]

    enum CodingKeys: String, CodingKey {
        case workload, batches, processors
        case nanoseconds = "round_trip_ns"
        case fastestBatchNanoseconds = "fastest_batch_ns"
        case slowestBatchNanoseconds = "slowest_batch_ns"
        case roundTripsPerBatch = "round_trips_per_batch"
    }
}

/// Measures `CoreRoundTripReport` between the first two processors the process may run on, on
/// two threads of its own pinned one to each (the caller's thread is left alone). Returns nil
/// where there is only one processor, a thread cannot be started or pinned, or a batch takes
/// over 100 ms (the two threads are then not running at once). Takes a few milliseconds
/// (`batches × roundTrips` round trips); a batch interrupted by the scheduler shows as an
/// outlier that the median drops.
public func measureCoreRoundTrip(batches: Int = 9, roundTrips: Int = 2000) -> CoreRoundTripReport? {
    precondition(batches > 0 && roundTrips > 0, "measureCoreRoundTrip: batches and round trips must be positive")
    var allowed = [Int32](repeating: 0, count: 2)
    guard labbook_allowed_processors(&allowed, 2) == 2 else { return nil }
    let rally = Rally(batches: batches, roundTrips: roundTrips, processors: allowed.map(Int.init))
    var threads: [pthread_t] = []
    for side in [Rally.Side.answering, .serving] {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(RallyThread(rally: rally, side: side)).toOpaque()
        let status = pthread_create(&thread, nil, { raw in
            Unmanaged<RallyThread>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<RallyThread>.fromOpaque(context).release()
            rally.stop()
            break
        }
        threads.append(thread)
    }
    for thread in threads { pthread_join(thread, nil) }
    let means = rally.batchMeans.sorted()
    guard threads.count == 2, means.count == batches else { return nil }
    return CoreRoundTripReport(nanoseconds: means[means.count / 2], fastestBatchNanoseconds: means[0],
                               slowestBatchNanoseconds: means[means.count - 1], batches: batches,
                               roundTripsPerBatch: roundTrips, processors: rally.processors)
}

/// A batch slower than this means the two threads are not running at once.
private let maximumBatchNanoseconds: UInt64 = 100_000_000

/// The counter the two threads pass: the serving thread writes odd values, the answering
/// thread the following even one. Either side may end the rally (`stop`).
private final class Rally: @unchecked Sendable {
    enum Side { case serving, answering }

    let batches: Int
    let roundTrips: Int
    let processors: [Int]
    /// Written by the serving thread only, read after it has been joined.
    nonisolated(unsafe) var batchMeans: [Double] = []
    private let ball = Atomic<Int>(0)
    private static let stopped = -1

    init(batches: Int, roundTrips: Int, processors: [Int]) {
        self.batches = batches
        self.roundTrips = roundTrips
        self.processors = processors
    }

    func stop() { ball.store(Self.stopped, ordering: .releasing) }

    /// Times each batch; stops the rally when a batch passes its deadline.
    func serve() {
        for batch in 0..<batches {
            let start = DispatchTime.now().uptimeNanoseconds
            guard serve(from: batch * roundTrips, until: start + maximumBatchNanoseconds) else { return stop() }
            batchMeans.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(roundTrips))
        }
        stop()
    }

    private func serve(from first: Int, until deadline: UInt64) -> Bool {
        for trip in first..<(first + roundTrips) {
            guard ball.compareExchange(expected: 2 * trip, desired: 2 * trip + 1, ordering: .acquiringAndReleasing).exchanged
            else { return false }
            var spins = 0
            var value = ball.load(ordering: .acquiring)
            while value != 2 * trip + 2 {
                spins += 1
                if value == Self.stopped || (spins % 4096 == 0 && DispatchTime.now().uptimeNanoseconds > deadline) {
                    return false
                }
                value = ball.load(ordering: .acquiring)
            }
        }
        return true
    }

    /// The other side of every round trip, until the serving side stops. Exchanges rather
    /// than stores, so that a `stop` landing in between is never overwritten.
    func answer() {
        for trip in 0..<(batches * roundTrips) {
            var value = ball.load(ordering: .acquiring)
            while value != 2 * trip + 1 {
                if value == Self.stopped { return }
                value = ball.load(ordering: .acquiring)
            }
            guard ball.compareExchange(expected: value, desired: 2 * trip + 2, ordering: .acquiringAndReleasing).exchanged
            else { return }
        }
    }
}

/// One side of a rally, pinned to its processor (`processors[0]` serves, `[1]` answers).
private final class RallyThread {
    let rally: Rally
    let side: Rally.Side

    init(rally: Rally, side: Rally.Side) {
        self.rally = rally
        self.side = side
    }

    func run() {
        let processor = rally.processors[side == .serving ? 0 : 1]
        guard labbook_pin_current_thread(Int32(processor)) == 0 else { return rally.stop() }
        switch side {
        case .serving: rally.serve()
        case .answering: rally.answer()
        }
    }
}
