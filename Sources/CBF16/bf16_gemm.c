// bf16_gemm.c — bf16 mixed-precision GEMM (AVX512_BF16 `vdpbf16ps`), fp32 in and out.
//
// Design (Goto/BLIS style, single-threaded, deterministic):
//
//   for each K block of <= KC = 256 values of k         (sizes depend on k only: see k_block_size)
//     pack all of op(A)[0:m, block] to bf16 pairs        (reused by every column panel)
//     for each panel of NR = 32 columns of C
//       pack op(B)[block, panel] to bf16 pairs           (<= 16 KiB: stays in L1 for the row loop)
//       for each tile of MR = 12 rows: micro-kernel      (12 x 32 tile = 24 zmm accumulators)
//
// For n <= 128 with transA == 0 (A is then the big operand, e.g. m = 512, k = 4608, n = 32) the
// two inner loops swap: all B panels first, then A packed one 12-row tile at a time with the next
// tile prefetched, so reading A overlaps the arithmetic. Same operations per element of C.
//
// `vdpbf16ps acc, a, b` adds a.lo*b.lo + a.hi*b.hi to each fp32 lane, where lo/hi are the two bf16
// halves of a 32-bit lane. So both operands are packed as *pairs along k*: a 32-bit word holds
// (x[k=2p], x[k=2p+1]) as bf16 (an odd k is padded with a zero). The micro-kernel broadcasts one
// A pair (row i, pair p) to all lanes and multiplies it with 16 B pairs (pair p, 16 columns).
//
// Packed layouts (uint32 words, each one bf16 pair):
//   B panel:            [p][32]          p < kcp; columns past n are zero.
//   A, transA == 0:     [i][A_ROW_STRIDE] row i holds its kcp pairs contiguously, because a stored
//                                        row of A is contiguous along k: packing is a streaming
//                                        convert (no transpose).
//   A, transA != 0:     [p][ms]          pair p holds all m rows, because the stored A (k x m) is
//                                        contiguous along m: packing interleaves two stored rows.
// The micro-kernel is written once for both A layouts: row i of pair p is at
// a[i * a_row_step + p * a_pair_step], with a_row_step a compile-time constant so that the 12
// broadcasts are constant displacements from one pointer.
//
// Why this order keeps results independent of how the caller splits n: every element of C is
// computed as the same chain of fp32 `vdpbf16ps` steps over k (K blocks of fixed size KC, pairs in
// order), then combined with C in the same way per K block. Nothing depends on n or the column
// offset; edge columns use the same lanes arithmetic with masked stores.

#include "labbook_bf16.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#define LABBOOK_X86 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define LABBOOK_X86 0
#endif

// ---------------------------------------------------------------------------------------------
// Scalar bf16 rounding and the reference (portable C).

// fp32 -> bf16 bits exactly as vcvtne2ps2bf16: zero/denormal -> signed zero (the instruction
// treats denormal inputs as zero), NaN -> quiet NaN, otherwise round to nearest even.
static uint16_t bf16_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    if ((u & 0x7f800000u) == 0) return (uint16_t)((u >> 16) & 0x8000u);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x0040u);
    u += 0x7fffu + ((u >> 16) & 1u);
    return (uint16_t)(u >> 16);
}

static double bf16_round(float f) {
    uint32_t u = (uint32_t)bf16_bits(f) << 16;
    float r;
    memcpy(&r, &u, sizeof r);
    return r;
}

void labbook_gemm_bf16_reference(int transA, int transB, int m, int n, int k, float alpha,
                                 const float *a, int lda, const float *b, int ldb,
                                 float beta, float *c, int ldc) {
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            double sum = 0.0;  // bf16 x bf16 products are exact in double; only the sum rounds
            for (int kk = 0; kk < k; kk++) {
                float x = transA ? a[(size_t)kk * lda + i] : a[(size_t)i * lda + kk];
                float y = transB ? b[(size_t)j * ldb + kk] : b[(size_t)kk * ldb + j];
                sum += bf16_round(x) * bf16_round(y);
            }
            float *cij = &c[(size_t)i * ldc + j];
            double r = (double)alpha * sum;
            if (beta != 0.0f) r += (double)beta * *cij;  // beta == 0: never read C (may be NaN)
            *cij = (float)r;
        }
    }
}

// C = beta * C over the m x n block (used for alpha == 0 or k == 0, as BLAS defines it).
static void scale_c(int m, int n, float beta, float *c, int ldc) {
    for (int i = 0; i < m; i++) {
        float *ci = c + (size_t)i * ldc;
        for (int j = 0; j < n; j++) ci[j] = beta == 0.0f ? 0.0f : beta * ci[j];
    }
}

#if LABBOOK_X86

// ---------------------------------------------------------------------------------------------
// CPU detection.

static uint64_t read_xcr0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static int detect_bf16(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    if (!(ecx & (1u << 27))) return 0;  // OSXSAVE: the OS manages extended state, xgetbv exists
    // xcr0 bits 1,2 (SSE, AVX) and 5,6,7 (opmask, upper zmm0-15, zmm16-31) must all be enabled.
    if ((read_xcr0() & 0xe6u) != 0xe6u) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned need = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);  // F, DQ, BW, VL
    if ((ebx & need) != need) return 0;
    if (eax < 1) return 0;  // subleaf 1 absent
    if (!__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) return 0;
    return (eax >> 5) & 1u;  // AVX512_BF16
}

int labbook_bf16_supported(void) {
    static int cached = -1;  // every thread that races here computes and stores the same value
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v < 0) {
        v = detect_bf16();
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v;
}

// ---------------------------------------------------------------------------------------------
// Blocking parameters.

enum {
    MR = 12,                  // rows per micro-tile: 12 x 2 zmm accumulators + 2 B + broadcasts
    NR = 32,                  // columns per micro-tile: two zmm of fp32 lanes
    KC = 256,                 // k values per block (even): B panel 128 pairs x 32 x 4 B = 16 KiB
    KCP = KC / 2,             // pairs per full block
    A_ROW_STRIDE = KCP + 16,  // words per packed A row (transA == 0); +64 B so rows do not alias
};

#define TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16")))
#define ALWAYS_INLINE static inline __attribute__((always_inline))

// ---------------------------------------------------------------------------------------------
// Per-thread packing buffers: grown on demand, reused by every later call on the thread.

static __thread void *tl_buf[2];
static __thread size_t tl_cap[2];

static void *scratch(int which, size_t bytes) {
    if (bytes > tl_cap[which]) {
        size_t cap = (bytes + 4095) & ~(size_t)4095;  // multiple of the alignment, as C11 requires
        free(tl_buf[which]);
        tl_buf[which] = aligned_alloc(64, cap);
        tl_cap[which] = tl_buf[which] ? cap : 0;
    }
    return tl_buf[which];
}

// ---------------------------------------------------------------------------------------------
// Conversion helpers.

static inline __mmask16 lanes(int count) {  // mask of the first `count` lanes, count clamped to 0..16
    return count >= 16 ? (__mmask16)0xffff : count <= 0 ? (__mmask16)0 : (__mmask16)((1u << count) - 1);
}

// 32 consecutive floats (the first `count` of them; the rest read as 0) -> 32 bf16 in order,
// i.e. 16 pairs of neighbours.
ALWAYS_INLINE TARGET __m512i cvt32(const float *src, int count) {
    __m512 lo = _mm512_maskz_loadu_ps(lanes(count), src);
    __m512 hi = _mm512_maskz_loadu_ps(lanes(count - 16), src + 16);
    return (__m512i)_mm512_cvtne2ps_pbh(hi, lo);
}

// Interleave the bf16 of two converted rows x, y (32 bf16 each) into pairs (x[j], y[j]):
// *lo gets j = 0..15, *hi gets j = 16..31.
ALWAYS_INLINE TARGET void interleave_pairs(__m512i x, __m512i y, __m512i *lo, __m512i *hi) {
    const __m512i idx_lo = _mm512_set_epi16(47, 15, 46, 14, 45, 13, 44, 12, 43, 11, 42, 10, 41, 9, 40, 8,
                                            39, 7, 38, 6, 37, 5, 36, 4, 35, 3, 34, 2, 33, 1, 32, 0);
    const __m512i idx_hi = _mm512_add_epi16(idx_lo, _mm512_set1_epi16(16));
    *lo = _mm512_permutex2var_epi16(x, idx_lo, y);
    *hi = _mm512_permutex2var_epi16(x, idx_hi, y);
}

// In-place transpose of a 16 x 16 matrix of 32-bit words held in 16 zmm.
ALWAYS_INLINE TARGET void transpose16(__m512i r[16]) {
    __m512i t[16];
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_epi32(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_epi32(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
        r[i] = _mm512_unpacklo_epi64(t[i], t[i + 2]);
        r[i + 1] = _mm512_unpackhi_epi64(t[i], t[i + 2]);
        r[i + 2] = _mm512_unpacklo_epi64(t[i + 1], t[i + 3]);
        r[i + 3] = _mm512_unpackhi_epi64(t[i + 1], t[i + 3]);
    }
    // r[4g + q] now holds, in 128-bit lane L, column 4L + q of rows 4g .. 4g+3.
    for (int g = 0; g < 16; g += 8) {
        for (int q = 0; q < 4; q++) {
            t[g + q] = _mm512_shuffle_i32x4(r[g + q], r[g + 4 + q], 0x88);
            t[g + 4 + q] = _mm512_shuffle_i32x4(r[g + q], r[g + 4 + q], 0xdd);
        }
    }
    for (int q = 0; q < 8; q++) {
        r[q] = _mm512_shuffle_i32x4(t[q], t[q + 8], 0x88);
        r[q + 8] = _mm512_shuffle_i32x4(t[q], t[q + 8], 0xdd);
    }
}

// ---------------------------------------------------------------------------------------------
// Packing A (all m rows of one K block).

// transA == 0: stored A is m x k, row i contiguous along k. Row i -> dst[i * A_ROW_STRIDE + p].
TARGET static void pack_a_rows(const float *a, int lda, int m, int kc, uint32_t *dst) {
    for (int i = 0; i < m; i++) {
        const float *src = a + (size_t)i * lda;
        uint32_t *row = dst + (size_t)i * A_ROW_STRIDE;
        for (int q = 0; q < kc; q += 32)  // stores whole vectors: the row has room up to KCP
            _mm512_store_si512(row + q / 2, cvt32(src + q, kc - q));
    }
}

// Words per pair in the transA != 0 layout: m rounded up to whole vectors, plus 64 B when the
// stride is a multiple of 1 KiB so consecutive pairs do not fall in the same L1 sets.
static size_t a_pair_stride(int m) {
    size_t ms = ((size_t)m + 31) & ~(size_t)31;
    return (ms % 256 == 0) ? ms + 16 : ms;
}

// transA != 0: stored A is k x m, row kk contiguous along m. Pair p -> dst[p * ms + i].
TARGET static void pack_a_pairs(const float *a, int lda, int m, int kc, uint32_t *dst, size_t ms) {
    for (int p = 0; 2 * p < kc; p++) {
        const float *x = a + (size_t)(2 * p) * lda;
        const float *y = x + lda;
        int has_y = 2 * p + 1 < kc;  // odd kc: the second half of the last pair is zero
        uint32_t *out = dst + (size_t)p * ms;
        for (int i = 0; i < m; i += 32) {
            __m512i lo, hi;
            __m512i vy = has_y ? cvt32(y + i, m - i) : _mm512_setzero_si512();
            interleave_pairs(cvt32(x + i, m - i), vy, &lo, &hi);
            _mm512_storeu_si512(out + i, lo);
            _mm512_storeu_si512(out + i + 16, hi);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Packing one B panel (nc <= 32 columns) to [p][32].

// transB == 0: stored B is k x n, row kk contiguous along n: interleave rows 2p and 2p+1.
// `prefetch_next`: also ask for the next panel's 128 B of each row (into L2), so that its packing,
// after this panel's whole micro-kernel loop, does not wait on kc scattered cache misses.
TARGET static void pack_b_pairs(const float *b, int ldb, int kc, int nc, uint32_t *dst, int prefetch_next) {
    for (int p = 0; 2 * p < kc; p++) {
        const float *x = b + (size_t)(2 * p) * ldb;
        if (prefetch_next) {
            for (int r = 0; r < 2 && 2 * p + r < kc; r++) {
                _mm_prefetch((const char *)(x + (size_t)r * ldb + NR), _MM_HINT_T1);
                _mm_prefetch((const char *)(x + (size_t)r * ldb + NR + 16), _MM_HINT_T1);
            }
        }
        __m512i vy = 2 * p + 1 < kc ? cvt32(x + ldb, nc) : _mm512_setzero_si512();
        __m512i lo, hi;
        interleave_pairs(cvt32(x, nc), vy, &lo, &hi);
        _mm512_store_si512(dst + (size_t)p * NR, lo);
        _mm512_store_si512(dst + (size_t)p * NR + 16, hi);
    }
}

// transB != 0: stored B is n x k, row j contiguous along k, so a converted row is 16 pairs of one
// column; a 16 x 16 transpose turns 16 columns x 16 pairs into 16 pairs x 16 columns.
// `prefetch_next`: as for pack_b_pairs, the next panel's rows (the next 32 rows of B) into L2.
TARGET static void pack_b_rows(const float *b, int ldb, int kc, int nc, uint32_t *dst, int prefetch_next) {
    int kcp = (kc + 1) / 2;
    if (prefetch_next) {
        for (int j = NR; j < 2 * NR; j++)
            for (int q = 0; q < kc; q += 16) _mm_prefetch((const char *)(b + (size_t)j * ldb + q), _MM_HINT_T1);
    }
    for (int half = 0; half < 2; half++) {
        for (int p0 = 0; p0 < kcp; p0 += 16) {
            __m512i r[16];
            for (int j = 0; j < 16; j++) {
                int col = half * 16 + j;
                r[j] = col < nc ? cvt32(b + (size_t)col * ldb + 2 * p0, kc - 2 * p0) : _mm512_setzero_si512();
            }
            transpose16(r);
            int np = kcp - p0 < 16 ? kcp - p0 : 16;
            for (int q = 0; q < np; q++) _mm512_store_si512(dst + (size_t)(p0 + q) * NR + half * 16, r[q]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Micro-kernel: C[0:mr, 0:32] (masked to the valid columns) = alpha * A_tile * B_panel + beta * C.
// `mr` and `a_row_step` are compile-time constants at every call site (see the dispatchers), so
// the accumulator arrays live in registers and the broadcasts use constant displacements.
// beta == 0 overwrites C without reading it; later K blocks pass beta = 1 (exact: 1 * C == C).

ALWAYS_INLINE TARGET void micro_tile(const int mr, const int a_row_step, const uint32_t *a, size_t a_pair_step,
                                     const uint32_t *b, int kcp, float *c, int ldc, __mmask16 m0,
                                     __mmask16 m1, float alpha, float beta) {
    __m512 acc0[MR], acc1[MR];
#pragma GCC unroll 12
    for (int i = 0; i < mr; i++) acc0[i] = acc1[i] = _mm512_setzero_ps();
    for (int p = 0; p < kcp; p++) {
        __m512bh b0 = (__m512bh)_mm512_load_si512(b);
        __m512bh b1 = (__m512bh)_mm512_load_si512(b + 16);
#pragma GCC unroll 12
        for (int i = 0; i < mr; i++) {
            __m512bh ai = (__m512bh)_mm512_set1_epi32((int)a[i * a_row_step]);
            acc0[i] = _mm512_dpbf16_ps(acc0[i], ai, b0);
            acc1[i] = _mm512_dpbf16_ps(acc1[i], ai, b1);
        }
        a += a_pair_step;
        b += NR;
    }
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
#pragma GCC unroll 12
    for (int i = 0; i < mr; i++) {
        float *ci = c + (size_t)i * ldc;
        __m512 r0 = _mm512_mul_ps(acc0[i], va), r1 = _mm512_mul_ps(acc1[i], va);
        if (beta != 0.0f) {
            r0 = _mm512_fmadd_ps(acc0[i], va, _mm512_mul_ps(vb, _mm512_maskz_loadu_ps(m0, ci)));
            r1 = _mm512_fmadd_ps(acc1[i], va, _mm512_mul_ps(vb, _mm512_maskz_loadu_ps(m1, ci + 16)));
        }
        _mm512_mask_storeu_ps(ci, m0, r0);
        _mm512_mask_storeu_ps(ci + 16, m1, r1);
    }
}

#define TILE_CASES(ROW_STEP)                                                                       \
    switch (mr) {                                                                                  \
    case 12: micro_tile(12, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break; \
    case 11: micro_tile(11, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break; \
    case 10: micro_tile(10, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break; \
    case 9: micro_tile(9, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break;   \
    case 8: micro_tile(8, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break;   \
    case 7: micro_tile(7, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break;   \
    case 6: micro_tile(6, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break;   \
    case 5: micro_tile(5, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break;   \
    case 4: micro_tile(4, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break;   \
    case 3: micro_tile(3, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break;   \
    case 2: micro_tile(2, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break;   \
    default: micro_tile(1, ROW_STEP, a, a_pair_step, b, kcp, c, ldc, m0, m1, alpha, beta); break;  \
    }

// A in the [i][A_ROW_STRIDE] layout (transA == 0).
TARGET __attribute__((noinline)) static void tile_a_rows(int mr, const uint32_t *a, const uint32_t *b, int kcp, float *c, int ldc,
                               __mmask16 m0, __mmask16 m1, float alpha, float beta) {
    const size_t a_pair_step = 1;
    TILE_CASES(A_ROW_STRIDE)
}

// A in the [p][ms] layout (transA != 0).
TARGET __attribute__((noinline)) static void tile_a_pairs(int mr, const uint32_t *a, size_t a_pair_step, const uint32_t *b, int kcp,
                                float *c, int ldc, __mmask16 m0, __mmask16 m1, float alpha, float beta) {
    TILE_CASES(1)
}

// ---------------------------------------------------------------------------------------------
// Driver.

// K block size: k split into the fewest blocks of at most KC, of (nearly) equal even size, so that
// no block is a short remainder (a short block pays the B packing and C update for little work).
// Depends on k alone: this is what keeps the summation order independent of n and of the split.
static int k_block_size(int k) {
    int blocks = (k + KC - 1) / KC;
    int size = (k + blocks - 1) / blocks;
    return (size + 1) & ~1;
}

// Packs the B panel that starts at column j0 of the K block starting at k0 (either storage).
TARGET static void pack_b_panel(int transB, const float *b, int ldb, int n, int k0, int kc, int j0, uint32_t *dst) {
    int nc = n - j0 < NR ? n - j0 : NR;
    int prefetch_next = n - j0 >= 2 * NR;
    if (transB)
        pack_b_rows(b + (size_t)j0 * ldb + k0, ldb, kc, nc, dst, prefetch_next);
    else
        pack_b_pairs(b + (size_t)k0 * ldb + j0, ldb, kc, nc, dst, prefetch_next);
}

// Runs the micro-kernel over rows [0, m) x one B panel (columns j0 .. j0+31 of C).
TARGET static void rows_times_panel(int transA, int m, const uint32_t *pa, size_t ms, const uint32_t *pb, int kcp,
                                    float *c, int ldc, int n, int j0, float alpha, float beta) {
    __mmask16 m0 = lanes(n - j0), m1 = lanes(n - j0 - 16);
    for (int i0 = 0; i0 < m; i0 += MR) {
        int mr = m - i0 < MR ? m - i0 : MR;
        float *ct = c + (size_t)i0 * ldc + j0;
        if (transA)
            tile_a_pairs(mr, pa + i0, ms, pb, kcp, ct, ldc, m0, m1, alpha, beta);
        else
            tile_a_rows(mr, pa + (size_t)i0 * A_ROW_STRIDE, pb, kcp, ct, ldc, m0, m1, alpha, beta);
    }
}

// Below this many columns (and transA == 0) A is the big operand and each of its values is used by
// at most 4 panels: it is packed one row tile at a time, just before use, while the next tile's
// rows are prefetched, so reading A overlaps the arithmetic instead of being a separate pass.
enum { SMALL_N = 4 * NR };

TARGET static void prefetch_rows(const float *a, int lda, int rows, int kc) {
    for (int i = 0; i < rows; i++)
        for (int q = 0; q < kc; q += 16) _mm_prefetch((const char *)(a + (size_t)i * lda + q), _MM_HINT_T1);
}

// Both loop orders below compute every element of C with the same operations in the same order
// (same K blocks, same pairs): which one runs does not change a single bit of the result.
TARGET static void gemm_avx512(int transA, int transB, int m, int n, int k, float alpha, const float *a,
                               int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    int stream_a = !transA && n <= SMALL_N;
    int panels = (n + NR - 1) / NR;
    size_t ms = a_pair_stride(m);
    size_t a_words = stream_a ? (size_t)MR * A_ROW_STRIDE : transA ? (size_t)KCP * ms : (size_t)m * A_ROW_STRIDE;
    size_t b_words = (size_t)KCP * NR * (stream_a ? panels : 1);
    uint32_t *pa = scratch(0, a_words * sizeof(uint32_t));
    uint32_t *pb = scratch(1, b_words * sizeof(uint32_t));
    if (!pa || !pb) {  // out of memory: still give the right answer
        labbook_gemm_bf16_reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    int kc_step = k_block_size(k);
    for (int k0 = 0; k0 < k; k0 += kc_step) {
        int kc = k - k0 < kc_step ? k - k0 : kc_step;
        int kcp = (kc + 1) / 2;
        float block_beta = k0 == 0 ? beta : 1.0f;  // later blocks accumulate onto C
        if (stream_a) {
            // All (<= 4) B panels first, then A tile by tile against all of them.
            for (int p = 0; p < panels; p++)
                pack_b_panel(transB, b, ldb, n, k0, kc, p * NR, pb + (size_t)p * KCP * NR);
            for (int i0 = 0; i0 < m; i0 += MR) {
                int mr = m - i0 < MR ? m - i0 : MR;
                const float *at = a + (size_t)i0 * lda + k0;
                pack_a_rows(at, lda, mr, kc, pa);
                if (i0 + MR < m) prefetch_rows(at + (size_t)MR * lda, lda, m - i0 - MR < MR ? m - i0 - MR : MR, kc);
                for (int p = 0; p < panels; p++)
                    rows_times_panel(0, mr, pa, 0, pb + (size_t)p * KCP * NR, kcp, c + (size_t)i0 * ldc, ldc, n,
                                     p * NR, alpha, block_beta);
            }
        } else {
            // All of A for this K block once, then B panel by panel against all of it.
            if (transA)
                pack_a_pairs(a + (size_t)k0 * lda, lda, m, kc, pa, ms);
            else
                pack_a_rows(a + k0, lda, m, kc, pa);
            for (int j0 = 0; j0 < n; j0 += NR) {
                pack_b_panel(transB, b, ldb, n, k0, kc, j0, pb);
                rows_times_panel(transA, m, pa, ms, pb, kcp, c, ldc, n, j0, alpha, block_beta);
            }
        }
    }
}

#else  // not x86-64

int labbook_bf16_supported(void) { return 0; }

#endif

void labbook_gemm_bf16(int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda,
                       const float *b, int ldb, float beta, float *c, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0.0f) {  // BLAS: A and B are not referenced, C = beta * C
        scale_c(m, n, beta, c, ldc);
        return;
    }
#if LABBOOK_X86
    if (labbook_bf16_supported()) {
        gemm_avx512(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
#endif
    labbook_gemm_bf16_reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
