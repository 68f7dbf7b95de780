// bf16-gemm.c — correctness tests and benchmark for the CBF16 kernel (labbook_gemm_bf16).
//
// Tests (exit 1 on any failure):
//   rounding     a k = 1 product bf16(a) * bf16(1) equals the reference bit for bit, over random
//                bit patterns, exact ties, denormals, infinities, NaN and values that round to inf:
//                checks that the packing converts exactly as the reference's scalar RNE does.
//   gemm         every transpose combination, odd m, n, k (1 .. 600, so several K blocks), row
//                strides larger than the rows, alpha = 0.5 / beta = 0.25 and beta = 0 with C
//                prefilled with NaN; against labbook_gemm_bf16_reference with the tolerance below;
//                the padding columns of C (between n and ldc) must stay untouched.
//   alpha = 0    and k = 0: C = beta * C, zeros over NaN when beta = 0 (BLAS semantics).
//   split        C from one call equals, bit for bit, C from two calls on column blocks [0, n1) and
//                [n1, n) (B and C pointers offset), as when a caller splits n across threads.
//   vs sgemm     against fp32 cblas_sgemm: every element within the bf16 rounding bound
//                (2^-7 + 2^-16) * sum |a b| + fp32 sums (bf16 u = 2^-8); the relative Frobenius error is printed.
//
// Tolerance: both sides use the same bf16 operands, whose products are exact in fp32 and double,
// so the only differences are roundings of sums. The kernel sums in fp32 (vdpbf16ps adds each of
// the two products of a pair with one rounding) and merges K blocks into C with two more roundings
// per block, plus alpha/beta/store roundings; the reference sums in double. The first-order bound
// for recursive summation is (number of roundings) * u * (sum of |terms|), u = 2^-24. We allow
//   tol = (1.25 k + 8) * 2^-24 * (|alpha| * sum_k |a_ik b_kj| * (1 + 2^-8)^2 + |beta c_ij|)
// (the (1 + 2^-8)^2 bounds the bf16 magnitudes by the fp32 ones). Any indexing, packing or rounding
// bug produces errors of the order of one term (~1e-1 here), far above this (<~1e-4 here).
//
// Benchmark: shapes of the ResNet-18/50 and LeNet-5 convolution GEMMs, sgemm (OpenBLAS, one
// thread) and bf16 calls alternated in the same process, median of REPS (default 21) after warm-up.
// Only the ratio is meaningful on a shared machine.
//
// Usage: bf16-gemm [--test] [--bench]   (both when no argument)

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "labbook_bf16.h"

void openblas_set_num_threads(int num_threads);
char *openblas_get_corename(void);

// ---------------------------------------------------------------------------------------------
// Helpers.

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) {  // xorshift64*: deterministic across runs
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}
static float uniform(void) { return (float)((rng() >> 40) * (2.0 / 16777216.0) - 1.0); }  // [-1, 1)

static float *alloc_fill(size_t count, float value_or_nan_random) {
    float *p = malloc(count * sizeof(float) + 64);
    if (!p) { fprintf(stderr, "out of memory\n"); exit(2); }
    for (size_t i = 0; i < count; i++) p[i] = isnan(value_or_nan_random) ? uniform() : value_or_nan_random;
    return p;
}

static float from_bits(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static uint32_t to_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static int failures = 0;
#define FAIL(...) do { failures++; if (failures <= 20) { printf("FAIL: "); printf(__VA_ARGS__); printf("\n"); } } while (0)

// ---------------------------------------------------------------------------------------------
// Rounding test: C[i] = bf16(a[i]) * bf16(1.0), k = 1, both paths, compared bit for bit.

static void test_rounding(void) {
    enum { M = 8192 };
    float *a = malloc(M * sizeof(float)), *c1 = malloc(M * sizeof(float)), *c2 = malloc(M * sizeof(float));
    uint32_t specials[] = {0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00400000,  // zeros, denormals
                           0x00800000, 0x3f808000, 0x3f818000, 0x3f80ffff, 0x3f807fff,  // min normal, ties
                           0x7f7fffff, 0x7f7f8000, 0xff7f8000, 0x7f7f7fff,              // round to inf or not
                           0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffa00000}; // inf, NaNs
    int ns = (int)(sizeof specials / sizeof specials[0]);
    for (int i = 0; i < M; i++) {
        uint32_t u = (uint32_t)rng();
        if (i < ns) u = specials[i];
        else if (i % 4 == 1) u = (u & 0xffff0000u) | 0x8000u;  // exact ties: even and odd bf16 LSB
        else if (i % 4 == 2) u = (u & 0x807fffffu) | ((uint32_t)(rng() % 3) << 23);  // denormal or tiny
        a[i] = from_bits(u);
    }
    float one = 1.0f;
    labbook_gemm_bf16(0, 0, M, 1, 1, 1.0f, a, 1, &one, 1, 0.0f, c1, 1);
    labbook_gemm_bf16_reference(0, 0, M, 1, 1, 1.0f, a, 1, &one, 1, 0.0f, c2, 1);
    int bad = 0;
    for (int i = 0; i < M; i++) {
        int same = to_bits(c1[i]) == to_bits(c2[i]) || (isnan(c1[i]) && isnan(c2[i])) || (c1[i] == 0 && c2[i] == 0);
        if (!same && bad++ < 5)
            FAIL("rounding: a=%08x kernel %08x reference %08x", to_bits(a[i]), to_bits(c1[i]), to_bits(c2[i]));
    }
    printf("rounding: %d values, %d mismatches\n", M, bad);
    free(a); free(c1); free(c2);
}

// ---------------------------------------------------------------------------------------------
// GEMM test for one configuration.

typedef struct { double worst_ratio; double worst_rel_sgemm; int cases; } Stats;

static void test_gemm(int ta, int tb, int m, int n, int k, int pad, float alpha, float beta, Stats *st) {
    int arows = ta ? k : m, acols = ta ? m : k, brows = tb ? n : k, bcols = tb ? k : n;
    int lda = acols + pad, ldb = bcols + pad * 2, ldc = n + pad * 3;
    float *a = alloc_fill((size_t)arows * lda, NAN), *b = alloc_fill((size_t)brows * ldb, NAN);
    float *c0 = alloc_fill((size_t)m * ldc, NAN);
    const float sentinel = 12345.0f;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < ldc; j++)
            if (j >= n) c0[(size_t)i * ldc + j] = sentinel;
            else if (beta == 0.0f) c0[(size_t)i * ldc + j] = NAN;  // must never be read
    size_t cbytes = (size_t)m * ldc * sizeof(float);
    float *ck = malloc(cbytes), *cr = malloc(cbytes), *cs = malloc(cbytes);
    memcpy(ck, c0, cbytes); memcpy(cr, c0, cbytes); memcpy(cs, c0, cbytes);

    labbook_gemm_bf16(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, ck, ldc);
    labbook_gemm_bf16_reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, cr, ldc);

    // Column split: [0, n1) then [n1, n), with B and C offset as a threaded caller would.
    int n1 = n > 1 ? (int)(1 + rng() % (unsigned)(n - 1)) : 0;
    if (n1 > 0) {
        labbook_gemm_bf16(ta, tb, m, n1, k, alpha, a, lda, b, ldb, beta, cs, ldc);
        const float *b2 = tb ? b + (size_t)n1 * ldb : b + n1;
        labbook_gemm_bf16(ta, tb, m, n - n1, k, alpha, a, lda, b2, ldb, beta, cs + n1, ldc);
    } else {
        labbook_gemm_bf16(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, cs, ldc);
    }

    char tag[128];
    snprintf(tag, sizeof tag, "tA=%d tB=%d m=%d n=%d k=%d pad=%d alpha=%g beta=%g", ta, tb, m, n, k, pad, alpha, beta);

    // fp32 sgemm for comparison (beta = 0 cases, so the difference is the bf16 rounding alone).
    int vs_sgemm = beta == 0.0f;
    float *cf = malloc(cbytes);
    if (vs_sgemm)
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha,
                    a, lda, b, ldb, 0.0f, cf, ldc);

    int bad = 0;
    double num = 0, den = 0;
    for (int i = 0; i < m && bad < 3; i++) {
        for (int j = 0; j < ldc && bad < 3; j++) {
            size_t at = (size_t)i * ldc + j;
            if (j >= n) {
                if (ck[at] != sentinel || cs[at] != sentinel) { FAIL("%s: wrote C padding (%d,%d)", tag, i, j); bad++; }
                continue;
            }
            double s = 0;
            for (int kk = 0; kk < k; kk++) {
                float x = ta ? a[(size_t)kk * lda + i] : a[(size_t)i * lda + kk];
                float y = tb ? b[(size_t)j * ldb + kk] : b[(size_t)kk * ldb + j];
                s += fabs((double)x * y);
            }
            double scale = fabs(alpha) * s * (1.0 + 1.0 / 256) * (1.0 + 1.0 / 256) + (beta != 0 ? fabs(beta * c0[at]) : 0);
            double tol = (1.25 * k + 8) * ldexp(1.0, -24) * scale;
            double diff = fabs((double)ck[at] - cr[at]);
            if (!(diff <= tol)) { FAIL("%s: C(%d,%d) kernel %.9g reference %.9g tol %.3g", tag, i, j, ck[at], cr[at], tol); bad++; }
            else if (tol > 0 && diff / tol > st->worst_ratio) st->worst_ratio = diff / tol;
            if (to_bits(ck[at]) != to_bits(cs[at])) { FAIL("%s: split at n1=%d differs at (%d,%d): %.9g vs %.9g", tag, n1, i, j, ck[at], cs[at]); bad++; }
            if (vs_sgemm) {
                // bf16 has u = 2^-8: |bf16(x) bf16(y) - x y| <= (2^-7 + 2^-16) |x y| per product, plus both sides' fp32 sums.
                double d = (double)ck[at] - cf[at];
                double bound = (ldexp(1.0, -7) + ldexp(1.0, -16) + (2.5 * k + 16) * ldexp(1.0, -24)) * scale;
                if (!(fabs(d) <= bound)) { FAIL("%s: C(%d,%d) kernel %.9g sgemm %.9g bound %.3g", tag, i, j, ck[at], cf[at], bound); bad++; }
                num += d * d;
                den += (double)cf[at] * cf[at];
            }
        }
    }
    // The relative Frobenius error is only a stable statistic with many elements and terms.
    if (vs_sgemm && m * n >= 1000 && k >= 16 && den > 0 && sqrt(num / den) > st->worst_rel_sgemm)
        st->worst_rel_sgemm = sqrt(num / den);
    free(cf);
    st->cases++;
    free(a); free(b); free(c0); free(ck); free(cr); free(cs);
}

static int run_tests(void) {
    test_rounding();
    static const int sizes[] = {1, 3, 17, 33, 65, 130};
    enum { NS = sizeof sizes / sizeof sizes[0] };
    Stats st = {0, 0, 0};
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++)
            for (int im = 0; im < NS; im++)
                for (int in = 0; in < NS; in++)
                    for (int ik = 0; ik < NS; ik++) {
                        int pad = (im + in + ik) % 3 == 0 ? 0 : 5;  // mix tight and padded strides
                        test_gemm(ta, tb, sizes[im], sizes[in], sizes[ik], pad, 0.5f, 0.25f, &st);
                        test_gemm(ta, tb, sizes[im], sizes[in], sizes[ik], pad, 1.0f, 0.0f, &st);
                    }
    // Several K blocks, odd k, tile-sized / vector-sized edges; n around 128, where the kernel
    // switches loop order for transA == 0, so a split can run the two halves on the other order.
    static const int big[][3] = {{64, 100, 600}, {37, 65, 513}, {12, 32, 1001}, {25, 48, 257},
                                 {130, 31, 300}, {40, 200, 600}, {13, 160, 300}};
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++)
            for (int s = 0; s < (int)(sizeof big / sizeof big[0]); s++) {
                test_gemm(ta, tb, big[s][0], big[s][1], big[s][2], 7, 0.5f, 0.25f, &st);
                test_gemm(ta, tb, big[s][0], big[s][1], big[s][2], 3, -1.5f, 0.0f, &st);
            }
    // alpha == 0 (and k == 0): C = beta * C without touching A or B; beta == 0 gives zeros, even over NaN.
    {
        float c[6] = {NAN, NAN, NAN, 2.0f, 4.0f, 6.0f}, one = 1.0f;
        labbook_gemm_bf16(0, 0, 1, 3, 1, 0.0f, &one, 1, &one, 3, 0.0f, c, 3);
        labbook_gemm_bf16(0, 0, 1, 3, 0, 1.0f, NULL, 1, NULL, 3, 0.5f, c + 3, 3);
        if (c[0] != 0 || c[1] != 0 || c[2] != 0 || c[3] != 1 || c[4] != 2 || c[5] != 3)
            FAIL("alpha == 0 / k == 0: got %g %g %g %g %g %g", c[0], c[1], c[2], c[3], c[4], c[5]);
    }
    printf("gemm: %d cases (each also split into two column blocks); worst |diff|/tol = %.3f; "
           "worst relative Frobenius error vs fp32 sgemm (m*n >= 1000) = %.2e\n",
           st.cases, st.worst_ratio, st.worst_rel_sgemm);
    printf("tests: %s (%d failures)\n", failures ? "FAILED" : "passed", failures);
    return failures ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Benchmark.

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static double median(double *v, int count) {
    qsort(v, (size_t)count, sizeof(double), cmp_double);
    return count % 2 ? v[count / 2] : 0.5 * (v[count / 2 - 1] + v[count / 2]);
}

static void bench_one(const char *label, int ta, int tb, int m, int n, int k, int reps) {
    int lda = ta ? m : k, ldb = tb ? k : n, ldc = n;
    float *a = alloc_fill((size_t)m * k, NAN), *b = alloc_fill((size_t)k * n, NAN);
    float *c = alloc_fill((size_t)m * n, 0.0f);
    double *ts = malloc(sizeof(double) * reps), *tb16 = malloc(sizeof(double) * reps), *ratio = malloc(sizeof(double) * reps);
    for (int r = -3; r < reps; r++) {  // 3 warm-up rounds (buffers grown, caches and clocks settled)
        double t0 = now();
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f,
                    a, lda, b, ldb, 0.0f, c, ldc);
        double t1 = now();
        labbook_gemm_bf16(ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
        double t2 = now();
        if (r >= 0) { ts[r] = t1 - t0; tb16[r] = t2 - t1; ratio[r] = (t1 - t0) / (t2 - t1); }
    }
    double flop = 2.0 * m * n * k;
    double s = median(ts, reps), h = median(tb16, reps), q = median(ratio, reps);
    printf("%-22s %d %d %5d %5d %5d  %8.1f  %8.1f  %6.2fx  %6.2fx\n", label, ta, tb, m, n, k, flop / s * 1e-9,
           flop / h * 1e-9, s / h, q);
    fflush(stdout);
    free(a); free(b); free(c); free(ts); free(tb16); free(ratio);
}

static void run_bench(void) {
    openblas_set_num_threads(1);
    int reps = getenv("REPS") ? atoi(getenv("REPS")) : 21;
    if (reps < 1) reps = 1;
    printf("\nbenchmark: single thread, OpenBLAS core %s, median of %d interleaved runs\n", openblas_get_corename(), reps);
    printf("%-22s tA tB     m     n     k  sgemm GF  bf16 GF   ratio  med.ratio\n", "shape");
    static const struct { const char *label; int ta, tb, m, n, k; } shapes[] = {
        {"fwd 3x3 64", 0, 0, 64, 3136, 576},      {"fwd 3x3 64 half-n", 0, 0, 64, 1568, 576},
        {"fwd 3x3 128", 0, 0, 128, 1024, 1152},   {"fwd 3x3 128 half-n", 0, 0, 128, 512, 1152},
        {"fwd 3x3 256", 0, 0, 256, 256, 2304},    {"fwd 3x3 256 half-n", 0, 0, 256, 128, 2304},
        {"fwd 3x3 512", 0, 0, 512, 64, 4608},     {"fwd 3x3 512 half-n", 0, 0, 512, 32, 4608},
        {"fwd 1x1 256", 0, 0, 256, 3136, 64},     {"fwd 1x1 256 half-n", 0, 0, 256, 1568, 64},
        {"fwd 1x1 2048", 0, 0, 2048, 64, 512},    {"fwd 1x1 2048 half-n", 0, 0, 2048, 32, 512},
        {"bwd-data 64", 1, 0, 576, 3136, 64},     {"bwd-data 64 half-n", 1, 0, 576, 1568, 64},
        {"bwd-data 512", 1, 0, 4608, 64, 512},    {"bwd-data 512 half-n", 1, 0, 4608, 32, 512},
        {"bwd-weights 64", 0, 1, 64, 576, 3136},  {"bwd-weights 512", 0, 1, 512, 4608, 64},
        {"bwd-weights 256", 0, 1, 256, 2304, 256},
    };
    for (int s = 0; s < (int)(sizeof shapes / sizeof shapes[0]); s++)
        bench_one(shapes[s].label, shapes[s].ta, shapes[s].tb, shapes[s].m, shapes[s].n, shapes[s].k, reps);
}

int main(int argc, char **argv) {
    int test = argc < 2, bench = argc < 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--test")) test = 1;
        else if (!strcmp(argv[i], "--bench")) bench = 1;
        else { fprintf(stderr, "usage: %s [--test] [--bench]\n", argv[0]); return 2; }
    }
    if (!labbook_bf16_supported()) {
        printf("this CPU lacks AVX512_BF16: labbook_gemm_bf16 falls back to the reference\n");
        if (bench) { printf("benchmark skipped\n"); bench = 0; }
    }
    int rc = test ? run_tests() : 0;
    if (bench && rc == 0) run_bench();
    return rc;
}
