import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Persistent worker threads for `parallelTasks`: a fork-join pool whose hand-off costs about a
/// microsecond, so the engine can split even a 60-microsecond matrix product across two cores.
///
/// `DispatchQueue.concurrentPerform` wakes a sleeping thread on every call (tens of
/// microseconds on a virtual machine), which made splitting an MLP step slower than not
/// splitting. Here the workers spin on a generation counter between jobs, and only after about
/// a millisecond without work do they sleep on a condition variable, so an idle process does
/// not burn a core.
///
/// A job is a closure and a task count. The caller bumps `generation`; participant `p` of `P`
/// (the caller is participant 0, worker `i` participant `i + 1`) runs the block of tasks
/// `p·T/P ..< (p+1)·T/P`, and the caller waits until every worker has checked out.
final class WorkerPool: @unchecked Sendable {
    /// One pool per process, with a worker for every online processor but the caller's.
    static let shared = WorkerPool(workerCount: Parallelism.onlineProcessorCount - 1)

    private let workerCount: Int
    /// Bumped once per job; workers run a job when it moves past the last one they saw.
    private let generation = Atomic<Int>(0)
    /// Workers still inside the current job.
    private let unfinishedWorkers = Atomic<Int>(0)
    /// Held by the thread running a job, so concurrent or nested callers run inline.
    private let busy = Atomic<Bool>(false)

    // The job, written before `generation` is bumped (release) and read after (acquire).
    private nonisolated(unsafe) var job: ((Int) -> Void)?
    private nonisolated(unsafe) var taskCount = 0
    private nonisolated(unsafe) var participantCount = 0
    /// The caller's floating-point mode (flush-to-zero is per thread): workers switch to it.
    private nonisolated(unsafe) var environment = fenv_t()

    // Sleeping workers wait here; `sleepers` is guarded by `mutex`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wakeUp = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private nonisolated(unsafe) var sleepers = 0
    private var threads: [pthread_t] = []
    private var started = false

    /// Spins of a worker that finds no new job before it goes to sleep (about a millisecond).
    private static let spinsBeforeSleeping = 200_000

    private init(workerCount: Int) {
        self.workerCount = max(0, workerCount)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wakeUp, nil)
        // Never deinitialised: the shared pool lives as long as the process.
    }

    /// Runs `body` over `0..<tasks` with at most `participants` threads (the caller is one).
    /// Returns false, having run nothing, when the pool has no workers or is already in use.
    func run(tasks: Int, participants: Int, _ body: (Int) -> Void) -> Bool {
        guard workerCount > 0, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        defer { busy.store(false, ordering: .releasing) }
        startIfNeeded()
        withoutActuallyEscaping(body) { body in
            job = body
            taskCount = tasks
            participantCount = min(workerCount + 1, participants)
            environment = FloatingPointMode.current()
            unfinishedWorkers.store(workerCount, ordering: .relaxed)
            generation.add(1, ordering: .releasing)
            wakeSleepers()
            runTasks(body, participant: 0)
            while unfinishedWorkers.load(ordering: .acquiring) > 0 {}
            job = nil
        }
        return true
    }

    /// Runs participant `participant`'s block of tasks.
    @inline(__always)
    private func runTasks(_ body: (Int) -> Void, participant: Int) {
        for task in (participant * taskCount / participantCount)..<((participant + 1) * taskCount / participantCount) {
            body(task)
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
        for index in 0..<workerCount {
            // The generation is read here, not in the new thread, which may start only after the
            // first job has been posted and would then wait for the next one.
            let context = Unmanaged.passRetained(
                WorkerContext(pool: self, index: index, seen: generation.load(ordering: .acquiring))).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.workerLoop(index: context.index, seen: context.seen)
                return nil
            }, context)
            precondition(status == 0, "WorkerPool: pthread_create failed with \(status)")
            threads.append(thread)
        }
    }

    private func workerLoop(index: Int, seen lastGeneration: Int) {
        var seen = lastGeneration
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                spins += 1
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
            if index + 1 < participantCount, let job {
                var callerEnvironment = environment
                fesetenv(&callerEnvironment)
                runTasks(job, participant: index + 1)
            }
            unfinishedWorkers.subtract(1, ordering: .releasing)
        }
    }
}

/// What a worker thread is started with.
private final class WorkerContext {
    let pool: WorkerPool
    let index: Int
    /// The generation before the worker's first job.
    let seen: Int
    init(pool: WorkerPool, index: Int, seen: Int) { self.pool = pool; self.index = index; self.seen = seen }
}
