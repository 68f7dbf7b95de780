import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Persistent worker threads for `parallelTasks`: a fork-join pool whose hand-off costs well
/// under a microsecond, so the engine can split even a 60-microsecond matrix product across
/// two cores.
///
/// `DispatchQueue.concurrentPerform` wakes a sleeping thread on every call (tens of
/// microseconds on a virtual machine), which made splitting an MLP step slower than not
/// splitting. Here the workers spin on a generation counter between jobs, and only after about
/// a millisecond without work do they sleep on a condition variable, so an idle process does
/// not burn a core.
///
/// A job is a closure and a task count, cut into one contiguous block of tasks per
/// participant. The caller bumps `generation` and runs the first block itself; every
/// participant, the caller included, then claims the other blocks from `nextBlock` until none
/// are left. A block is run by whoever claims it, so when the machine is busy and a worker is
/// not scheduled in time, the caller runs its block too instead of waiting: the pool never makes
/// a step slower than running it inline would (without that, a build running beside training
/// made epochs five times slower).
///
/// The first block is the caller's so that a core gets the same part of every job: a dense
/// layer's forward product, its weight gradient and Adam's update all give the first block the
/// same half of the weights (see `SmallMatrixProduct.splitsDepth`), which then stays in the
/// calling core's L2 cache from step to step. When any participant could claim the first
/// block, the spinning worker won it in a fifth to three quarters of an MLP step's jobs
/// (depending on the job), and a layer's weights, gradient and moments moved between the cores
/// as often; taking it for the caller made MLP epochs 3% faster (0.968, the median of 15
/// interleaved pairs).
final class WorkerPool: @unchecked Sendable {
    /// One pool per process, with a worker for every online processor but the caller's.
    static let shared = WorkerPool(workerCount: Parallelism.onlineProcessorCount - 1)

    private let workerCount: Int
    /// Bumped once per job; workers look for blocks when it moves past the last one they saw.
    private let generation = Atomic<Int>(0)
    /// The next unclaimed block of the current job.
    private let nextBlock = Atomic<Int>(0)
    /// Blocks of the current job that have finished.
    private let finishedBlocks = Atomic<Int>(0)
    /// Held by the thread running a job, so concurrent or nested callers run inline.
    private let busy = Atomic<Bool>(false)

    // The job. Written before `nextBlock` is reset (release); read only by a participant that
    // has claimed a block (acquire), so a worker waking late never reads a finished job.
    private nonisolated(unsafe) var job: ((Int) -> Void)?
    private nonisolated(unsafe) var taskCount = 0
    private nonisolated(unsafe) var blockCount = 0
    /// The caller's floating-point mode (flush-to-zero is per thread): workers switch to it.
    private nonisolated(unsafe) var environment = fenv_t()

    // Sleeping workers wait here; `sleepers` is guarded by `mutex`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wakeUp = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private nonisolated(unsafe) var sleepers = 0
    private var started = false

    /// Spins of a worker that finds no new job before it goes to sleep (about a millisecond).
    private static let spinsBeforeSleeping = 200_000
    /// Spins between yields of the core (about a quarter of a millisecond), for a caller
    /// waiting on a worker's block and for an idle worker. A job that arrives while the worker
    /// is in `sched_yield` waits for the call to return: with a yield every 2,000 spins (about
    /// 10 µs) the worker started the MLP's forward product 2.9 µs after the caller on average,
    /// now 0.4 µs, which took 3 µs off every MLP step (epochs 0.176 s against 0.183, median of
    /// 4 interleaved runs each). Yields every quarter millisecond still let another thread
    /// have a busy core, and an idle worker sleeps after a millisecond anyway.
    private static let spinsBeforeYielding = 50_000

    private init(workerCount: Int) {
        self.workerCount = max(0, workerCount)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wakeUp, nil)
        // Never deinitialised: the shared pool lives as long as the process.
    }

    /// Runs `body` over `0..<tasks` in at most `participants` blocks (the caller is one
    /// participant). Returns false, having run nothing, when the pool has no workers or is
    /// already in use.
    func run(tasks: Int, participants: Int, _ body: (Int) -> Void) -> Bool {
        guard workerCount > 0, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        defer { busy.store(false, ordering: .releasing) }
        startIfNeeded()
        withoutActuallyEscaping(body) { body in
            // Until the job is fully written, a worker still finishing the previous one must not
            // claim anything.
            nextBlock.store(Self.closed, ordering: .sequentiallyConsistent)
            job = body
            taskCount = tasks
            blockCount = min(workerCount + 1, participants, tasks)
            environment = FloatingPointMode.current()
            finishedBlocks.store(0, ordering: .relaxed)
            nextBlock.store(1, ordering: .releasing)   // block 0 is the caller's
            generation.add(1, ordering: .releasing)
            wakeSleepers()
            runBlock(0)
            finishedBlocks.add(1, ordering: .releasing)
            runBlocks(adoptingEnvironment: false)
            var spins = 0
            while finishedBlocks.load(ordering: .acquiring) < blockCount {
                spins += 1
                if spins >= Self.spinsBeforeYielding { sched_yield(); spins = 0 }
            }
            job = nil
        }
        return true
    }

    /// A `nextBlock` value no job reaches: claims fail while a job is being set up.
    private static let closed = Int.max / 2

    /// Claims and runs blocks of the current job until none are left. A worker switches to
    /// the caller's floating-point mode once it holds a block (only then is it safe to read).
    @inline(__always)
    private func runBlocks(adoptingEnvironment: Bool) {
        var adopted = !adoptingEnvironment
        while true {
            let block = nextBlock.add(1, ordering: .acquiringAndReleasing).oldValue
            guard block < blockCount else { return }
            if !adopted {
                var callerEnvironment = environment
                fesetenv(&callerEnvironment)
                adopted = true
            }
            runBlock(block)
            finishedBlocks.add(1, ordering: .releasing)
        }
    }

    /// Runs one block's tasks. A separate function so that its reference to `job` ends before
    /// the block is counted as finished: after that the caller may return, and the closure
    /// (a non-escaping one, lent through `withoutActuallyEscaping`) must not outlive the call.
    @inline(never)
    private func runBlock(_ block: Int) {
        guard let job else { return }
        for task in (block * taskCount / blockCount)..<((block + 1) * taskCount / blockCount) {
            job(task)
        }
    }

    private func wakeSleepers() {
        pthread_mutex_lock(mutex)
        if sleepers > 0 { pthread_cond_broadcast(wakeUp) }
        pthread_mutex_unlock(mutex)
    }

    private func startIfNeeded() {
        guard !started else { return }
        started = true
        for _ in 0..<workerCount {
            // The generation is read here, not in the new thread, which may start only after the
            // first job has been posted and would then wait for the next one.
            let context = Unmanaged.passRetained(
                WorkerContext(pool: self, seen: generation.load(ordering: .acquiring))).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.workerLoop(seen: context.seen)
                return nil
            }, context)
            precondition(status == 0, "WorkerPool: pthread_create failed with \(status)")
            pthread_detach(thread)
        }
    }

    private func workerLoop(seen lastGeneration: Int) {
        var seen = lastGeneration
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                spins += 1
                // Let OpenBLAS's threads, or another process, have the core now and then.
                if spins % Self.spinsBeforeYielding == 0 { sched_yield() }
                if spins >= Self.spinsBeforeSleeping {
                    pthread_mutex_lock(mutex)
                    sleepers += 1
                    while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(wakeUp, mutex) }
                    sleepers -= 1
                    pthread_mutex_unlock(mutex)
                    spins = 0
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            runBlocks(adoptingEnvironment: true)
        }
    }
}

/// What a worker thread is started with.
private final class WorkerContext {
    let pool: WorkerPool
    /// The generation before the worker's first job.
    let seen: Int
    init(pool: WorkerPool, seen: Int) { self.pool = pool; self.seen = seen }
}
