import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process limits Labbook cannot work below, checked before any work: Foundation traps
/// (SIGILL) instead of throwing when it cannot open a pipe or allocate a buffer, so a run under
/// `ulimit -n 12` or `ulimit -v 200000` would crash midway. A low open-files soft limit is raised
/// to the hard one where that suffices; otherwise the command stops with one line saying which
/// limit, its value and how to raise it.
enum ResourceLimits {
    /// Open files: the cache, reports, a worker's stderr, pipes to git and the browser.
    static let minimumOpenFiles: rlim_t = 64
    /// Address space: the Swift runtime, OpenBLAS's buffers and thread stacks, a model's tensors.
    static let minimumAddressSpace: rlim_t = 2 << 30

    static func check() throws {
        var files = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &files) == 0, files.rlim_cur < minimumOpenFiles {
            let raised = rlimit(rlim_cur: min(files.rlim_max, 1024), rlim_max: files.rlim_max)
            if raised.rlim_cur < minimumOpenFiles || setrlimit(Int32(RLIMIT_NOFILE.rawValue), [raised]) != 0 {
                throw RunFailure(description: "labbook needs at least \(minimumOpenFiles) open files; the limit is \(files.rlim_cur) (hard \(describe(files.rlim_max))): raise it with `ulimit -n 1024`")
            }
        }
        var memory = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &memory) == 0, memory.rlim_cur != rlim_t.max, memory.rlim_cur < minimumAddressSpace {
            throw RunFailure(description: "labbook needs at least \(minimumAddressSpace >> 30) GiB of address space; the limit (ulimit -v) is \(memory.rlim_cur >> 10) KiB: raise it with `ulimit -v unlimited`")
        }
    }

    private static func describe(_ limit: rlim_t) -> String { limit == rlim_t.max ? "unlimited" : "\(limit)" }
}
