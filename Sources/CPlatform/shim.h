// What Swift's Glibc module does not export: glibc's allocator tuning (mallopt), the atomic path
// exchange (renameat2), the parent-death signal (prctl), pinning a thread to a processor (the
// CPU_SET macros), and, on x86,
// the cpuid and xgetbv instructions that tell which vector instructions the CPU and the OS
// support (see Tensor's CPUFeatures).
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE   /* before any header: CPU_SET and pthread_setaffinity_np */
#endif

#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/// cpuid leaf/subleaf into registers[0..3] = eax, ebx, ecx, edx; returns 0 when the leaf is
/// above the CPU's highest supported leaf (the registers are then zero).
static inline int labbook_cpuid(unsigned int leaf, unsigned int subleaf, unsigned int registers[4]) {
    registers[0] = registers[1] = registers[2] = registers[3] = 0;
    return __get_cpuid_count(leaf, subleaf, &registers[0], &registers[1], &registers[2], &registers[3]);
}

/// XCR0: which register states the OS saves on a context switch (bits 1-2: SSE/AVX,
/// bits 5-7: AVX-512). Only call when cpuid says OSXSAVE (leaf 1, ecx bit 27).
static inline unsigned long long labbook_xgetbv0(void) {
    unsigned int low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return ((unsigned long long)high << 32) | low;
}
#endif

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/// Asks the kernel to send `signal` to this process when its parent dies (prctl's
/// PR_SET_PDEATHSIG, which Swift cannot call: prctl is variadic). A worker of `--executor local`
/// uses it so that no worker outlives a driver that was interrupted or killed.
static inline int labbook_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}

/// Swaps two paths in one atomic step (renameat2 with RENAME_EXCHANGE, Linux 3.15+): a report
/// folder is replaced without an instant where neither the old nor the new one exists. Returns
/// 0, or -1 with errno set (EINVAL or ENOSYS where the file system or kernel lacks it).
static inline int labbook_exchange_paths(const char *first, const char *second) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, 2 /* RENAME_EXCHANGE */);
#else
    errno = ENOSYS;
    return -1;
#endif
}

/// Pins the calling thread to processor `cpu`. Returns 0 or an errno value.
static inline int labbook_pin_current_thread(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

/// Writes the processors this process may run on, lowest first, into `cpus` (at most
/// `capacity`) and returns how many it wrote (0 when the mask cannot be read).
static inline int labbook_allowed_processors(int *cpus, int capacity) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    int count = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && count < capacity; cpu++) {
        if (CPU_ISSET(cpu, &set)) cpus[count++] = cpu;
    }
    return count;
}
#endif
