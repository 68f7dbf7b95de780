// direct_conv.c — see labbook_direct_conv.h for what and why.
//
// Two ways to fill a 16-lane vector:
//   row kernels    (any filter count): 16 neighbouring output pixels of one row, a "unit". A
//                  row of 28 is two units (16 + 12 lanes, masked); a unit reads the input with
//                  masked unaligned loads, so it never touches memory outside its row.
//   filter kernels (filters a multiple of 16): 16 filters of one output pixel; the input pixel
//                  is broadcast, the weights are stored tap-major [T][O] so a tap's 16 filters
//                  are one load.
// Forward: filter kernels when the filter count allows, else row kernels. Input gradient: the
// row kernel on the output gradient padded by K-1-P, with the weight flipped and its channel
// and filter axes swapped (a transposed convolution is a correlation of that kind). Weight
// gradient: filter kernel (per input channel) or row kernel (per tap) likewise.
//
// Register blocks are compile-time sizes: each block function is always_inline and called with
// literal sizes from a switch, so the compiler keeps the accumulators in zmm registers.

#include "labbook_direct_conv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#define LB_X86 1
#else
#define LB_X86 0
#endif

// ---------------------------------------------------------------------------------------------
// CPU support.

#if LB_X86
static int detect_avx512f(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27))) return 0;   // OSXSAVE
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xe6u) != 0xe6u) return 0;   // SSE, AVX, opmask, zmm upper halves, zmm16-31
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx >> 16) & 1u;               // AVX512F
}
#endif

int labbook_direct_conv_supported(void) {
#if LB_X86
    static int cached = -1;
    if (cached < 0) cached = detect_avx512f();
    return cached;
#else
    return 0;
#endif
}

// ---------------------------------------------------------------------------------------------
// Shared geometry.

typedef struct {
    int in_offset;    // first input float the unit reads with tap (0, 0, 0)
    int out_offset;   // first output float of the unit in its plane
    uint16_t mask;    // valid lanes
} unit_t;

static int output_extent(const labbook_direct_conv_shape *s, int input) { return input + 2 * s->padding - s->kernel + 1; }

/// Units of an `rows` x `columns` output plane whose input rows are `in_width` floats apart.
static int make_units(int rows, int columns, int in_width, unit_t *units) {
    int count = 0;
    for (int y = 0; y < rows; y++) {
        for (int x = 0; x < columns; x += 16) {
            int lanes = columns - x < 16 ? columns - x : 16;
            units[count].in_offset = y * in_width + x;
            units[count].out_offset = y * columns + x;
            units[count].mask = (uint16_t)((1u << lanes) - 1u);
            count++;
        }
    }
    return count;
}

/// Copies `planes` planes of `rows` x `columns` into `target` with `pad` zeros on every side.
static void pad_planes(const float *source, int planes, int rows, int columns, int pad, float *target) {
    int wide = columns + 2 * pad, high = rows + 2 * pad;
    memset(target, 0, sizeof(float) * (size_t)planes * high * wide);
    for (int p = 0; p < planes; p++)
        for (int y = 0; y < rows; y++)
            memcpy(target + ((size_t)p * high + y + pad) * wide + pad, source + ((size_t)p * rows + y) * columns,
                   sizeof(float) * columns);
}

/// Offset of each tap (c, ky, kx) from a pixel in `channels` planes of `plane` floats, rows `width` apart.
static void tap_offsets(int channels, int kernel, int plane, int width, int *offsets) {
    int t = 0;
    for (int c = 0; c < channels; c++)
        for (int ky = 0; ky < kernel; ky++)
            for (int kx = 0; kx < kernel; kx++) offsets[t++] = c * plane + ky * width + kx;
}

#if LB_X86
#define TARGET __attribute__((target("avx512f")))
#define INLINE static inline __attribute__((always_inline, target("avx512f")))

// ---------------------------------------------------------------------------------------------
// Row kernel: out[o][unit] (+)= Σ_t w[o][t] · in[unit + toff[t]], OB filters x UB units.

INLINE void row_block(const float *in, const int *toff, int taps, const float *w, const unit_t *units, float *out,
                      int out_plane, const float *bias, int accumulate, const int OB, const int UB) {
    __m512 acc[4][4];
    for (int o = 0; o < OB; o++)
        for (int u = 0; u < UB; u++) acc[o][u] = _mm512_set1_ps(bias ? bias[o] : 0.0f);
    for (int t = 0; t < taps; t++) {
        __m512 v[4];
        for (int u = 0; u < UB; u++) v[u] = _mm512_maskz_loadu_ps(units[u].mask, in + units[u].in_offset + toff[t]);
        for (int o = 0; o < OB; o++) {
            __m512 b = _mm512_set1_ps(w[o * taps + t]);
            for (int u = 0; u < UB; u++) acc[o][u] = _mm512_fmadd_ps(b, v[u], acc[o][u]);
        }
    }
    for (int o = 0; o < OB; o++)
        for (int u = 0; u < UB; u++) {
            float *target = out + o * out_plane + units[u].out_offset;
            __m512 value = acc[o][u];
            if (accumulate) value = _mm512_add_ps(value, _mm512_maskz_loadu_ps(units[u].mask, target));
            _mm512_mask_storeu_ps(target, units[u].mask, value);
        }
}

#define ROW_BLOCK_CASES(OB)                                                                                          \
    switch (ub) {                                                                                                    \
    case 4: row_block(in, toff, taps, w0, u, o, out_plane, b, accumulate, OB, 4); break;                        \
    case 3: row_block(in, toff, taps, w0, u, o, out_plane, b, accumulate, OB, 3); break;                        \
    case 2: row_block(in, toff, taps, w0, u, o, out_plane, b, accumulate, OB, 2); break;                        \
    default: row_block(in, toff, taps, w0, u, o, out_plane, b, accumulate, OB, 1); break;                       \
    }

/// One image: every filter over every unit. `w` is [filters][taps].
TARGET static void row_correlate(const float *in, const int *toff, int taps, const float *w, int filters,
                                 const unit_t *units, int unit_count, float *out, int out_plane, const float *bias,
                                 int accumulate) {
    for (int o0 = 0; o0 < filters; o0 += 4) {
        int ob = filters - o0 < 4 ? filters - o0 : 4;
        for (int u0 = 0; u0 < unit_count; u0 += 4) {
            int ub = unit_count - u0 < 4 ? unit_count - u0 : 4;
            const float *w0 = w + (size_t)o0 * taps, *b = bias ? bias + o0 : NULL;
            const unit_t *u = units + u0;
            float *o = out + (size_t)o0 * out_plane;
            switch (ob) {
            case 4: ROW_BLOCK_CASES(4) break;
            case 3: ROW_BLOCK_CASES(3) break;
            case 2: ROW_BLOCK_CASES(2) break;
            default: ROW_BLOCK_CASES(1) break;
            }
        }
    }
}

// Row weight gradient: part[o][t][16] += Σ_units dy[o][unit] · in[unit + toff[t]] (lanes kept apart).
INLINE void row_gradient_block(const float *in, const int *toff, const float *dy, int out_plane, const unit_t *units,
                               int unit_count, float *part, int part_taps, const int OB, const int TB) {
    __m512 acc[4][4];
    for (int o = 0; o < OB; o++)
        for (int t = 0; t < TB; t++) acc[o][t] = _mm512_loadu_ps(part + ((size_t)o * part_taps + t) * 16);
    for (int u = 0; u < unit_count; u++) {
        __m512 d[4];
        for (int o = 0; o < OB; o++) d[o] = _mm512_maskz_loadu_ps(units[u].mask, dy + o * out_plane + units[u].out_offset);
        for (int t = 0; t < TB; t++) {
            __m512 v = _mm512_maskz_loadu_ps(units[u].mask, in + units[u].in_offset + toff[t]);
            for (int o = 0; o < OB; o++) acc[o][t] = _mm512_fmadd_ps(d[o], v, acc[o][t]);
        }
    }
    for (int o = 0; o < OB; o++)
        for (int t = 0; t < TB; t++) _mm512_storeu_ps(part + ((size_t)o * part_taps + t) * 16, acc[o][t]);
}

#define ROW_GRADIENT_CASES(OB)                                                                                       \
    switch (tb) {                                                                                                    \
    case 4: row_gradient_block(in, toff + t0, d, out_plane, units, unit_count, p, part_taps, OB, 4); break;         \
    case 3: row_gradient_block(in, toff + t0, d, out_plane, units, unit_count, p, part_taps, OB, 3); break;         \
    case 2: row_gradient_block(in, toff + t0, d, out_plane, units, unit_count, p, part_taps, OB, 2); break;         \
    default: row_gradient_block(in, toff + t0, d, out_plane, units, unit_count, p, part_taps, OB, 1); break;        \
    }

TARGET static void row_gradient_image(const float *in, const int *toff, int tap_count, const float *dy, int filters,
                                      int out_plane, const unit_t *units, int unit_count, float *part) {
    for (int o0 = 0; o0 < filters; o0 += 4) {
        int ob = filters - o0 < 4 ? filters - o0 : 4;
        const float *d = dy + (size_t)o0 * out_plane;
        for (int t0 = 0; t0 < tap_count; t0 += 4) {
            int tb = tap_count - t0 < 4 ? tap_count - t0 : 4, part_taps = tap_count;
            float *p = part + ((size_t)o0 * tap_count + t0) * 16;
            switch (ob) {
            case 4: ROW_GRADIENT_CASES(4) break;
            case 3: ROW_GRADIENT_CASES(3) break;
            case 2: ROW_GRADIENT_CASES(2) break;
            default: ROW_GRADIENT_CASES(1) break;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Filter kernel, forward: pix[p][o0..o0+16] = Σ_t in[pixel p + toff[t]] · wt[t][o], for R rows of
// XB pixels at once (accumulators R·XB <= 24).

INLINE void filter_block(const float *in, const int *toff, int taps, const float *wt, int filters, int in_width,
                         float *pix, int out_width, const float *bias, const int R, const int XB) {
    __m512 acc[2][12];
    __m512 start = bias ? _mm512_loadu_ps(bias) : _mm512_setzero_ps();
    for (int r = 0; r < R; r++)
        for (int x = 0; x < XB; x++) acc[r][x] = start;
    for (int t = 0; t < taps; t++) {
        __m512 w = _mm512_loadu_ps(wt + (size_t)t * filters);
        const float *row = in + toff[t];
        for (int r = 0; r < R; r++)
            for (int x = 0; x < XB; x++) acc[r][x] = _mm512_fmadd_ps(_mm512_set1_ps(row[r * in_width + x]), w, acc[r][x]);
    }
    for (int r = 0; r < R; r++)
        for (int x = 0; x < XB; x++) _mm512_storeu_ps(pix + ((size_t)r * out_width + x) * 16, acc[r][x]);
}

#define FILTER_X_CASES(R)                                                                                            \
    switch (xb) {                                                                                                    \
    case 12: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 12); break;                  \
    case 11: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 11); break;                  \
    case 10: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 10); break;                  \
    case 9: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 9); break;                    \
    case 8: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 8); break;                    \
    case 7: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 7); break;                    \
    case 6: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 6); break;                    \
    case 5: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 5); break;                    \
    case 4: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 4); break;                    \
    case 3: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 3); break;                    \
    case 2: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 2); break;                    \
    default: filter_block(i, toff, taps, wt, filters, in_width, p, out_width, bias, R, 1); break;                   \
    }

/// One image and one block of 16 filters: the output pixels as [OH][OW][16] in `pix`.
TARGET static void filter_correlate(const float *in, const int *toff, int taps, const float *wt, int filters,
                                    int in_width, int out_height, int out_width, float *pix, const float *bias) {
    for (int y = 0; y < out_height; y += 2) {
        int rows = out_height - y < 2 ? 1 : 2;
        for (int x0 = 0; x0 < out_width; x0 += 12) {
            int xb = out_width - x0 < 12 ? out_width - x0 : 12;
            const float *i = in + (size_t)y * in_width + x0;
            float *p = pix + ((size_t)y * out_width + x0) * 16;
            if (rows == 2) { FILTER_X_CASES(2) } else { FILTER_X_CASES(1) }
        }
    }
}

// Filter kernel, weight gradient of one input channel: acc[ky][kx][o0..o0+16] += Σ_pixels
// in[pixel + ky·W + kx] · dy[pixel][o], K·K <= 25 accumulators.
INLINE void filter_gradient_block(const float *in, int in_width, const float *dyt, int out_height, int out_width,
                                  float *part, const int K) {
    __m512 acc[5][5];
    for (int ky = 0; ky < K; ky++)
        for (int kx = 0; kx < K; kx++) acc[ky][kx] = _mm512_loadu_ps(part + (ky * K + kx) * 16);
    for (int y = 0; y < out_height; y++) {
        const float *row = in + (size_t)y * in_width;
        const float *d = dyt + (size_t)y * out_width * 16;
        for (int x = 0; x < out_width; x++) {
            __m512 g = _mm512_loadu_ps(d + x * 16);
            for (int ky = 0; ky < K; ky++)
                for (int kx = 0; kx < K; kx++)
                    acc[ky][kx] = _mm512_fmadd_ps(_mm512_set1_ps(row[ky * in_width + x + kx]), g, acc[ky][kx]);
        }
    }
    for (int ky = 0; ky < K; ky++)
        for (int kx = 0; kx < K; kx++) _mm512_storeu_ps(part + (ky * K + kx) * 16, acc[ky][kx]);
}

TARGET static void filter_gradient_channel(const float *in, int in_width, const float *dyt, int out_height,
                                           int out_width, float *part, int K) {
    switch (K) {
    case 5: filter_gradient_block(in, in_width, dyt, out_height, out_width, part, 5); break;
    case 4: filter_gradient_block(in, in_width, dyt, out_height, out_width, part, 4); break;
    case 3: filter_gradient_block(in, in_width, dyt, out_height, out_width, part, 3); break;
    case 2: filter_gradient_block(in, in_width, dyt, out_height, out_width, part, 2); break;
    default: filter_gradient_block(in, in_width, dyt, out_height, out_width, part, 1); break;
    }
}

// Column kernel, input gradient: for PB output pixels at once, the column of each window's
// T = C·K·K gradients, cols[i][t] = Σ_o dy[o][pixel p + i] · w[o][t], 16 taps to a vector (TV
// vectors; `wp` is the weight with each filter's taps padded to TV·16).
INLINE void column_block(const float *dy, int out_plane, int O, const float *wp, int p, float *cols, const int TV, const int PB) {
    __m512 acc[2][10];
    for (int i = 0; i < PB; i++)
        for (int j = 0; j < TV; j++) acc[i][j] = _mm512_setzero_ps();
    for (int o = 0; o < O; o++) {
        __m512 d[2];
        for (int i = 0; i < PB; i++) d[i] = _mm512_set1_ps(dy[(size_t)o * out_plane + p + i]);
        for (int j = 0; j < TV; j++) {
            __m512 w = _mm512_loadu_ps(wp + ((size_t)o * TV + j) * 16);
            for (int i = 0; i < PB; i++) acc[i][j] = _mm512_fmadd_ps(d[i], w, acc[i][j]);
        }
    }
    for (int i = 0; i < PB; i++)
        for (int j = 0; j < TV; j++) _mm512_storeu_ps(cols + ((size_t)i * TV + j) * 16, acc[i][j]);
}

#define COLUMN_CASES(PB)                                                                                             \
    switch (tv) {                                                                                                    \
    case 10: column_block(dy, out_plane, O, wp, p, target, 10, PB); break;                                            \
    case 9: column_block(dy, out_plane, O, wp, p, target, 9, PB); break;                                              \
    case 8: column_block(dy, out_plane, O, wp, p, target, 8, PB); break;                                              \
    case 7: column_block(dy, out_plane, O, wp, p, target, 7, PB); break;                                              \
    case 6: column_block(dy, out_plane, O, wp, p, target, 6, PB); break;                                              \
    case 5: column_block(dy, out_plane, O, wp, p, target, 5, PB); break;                                              \
    case 4: column_block(dy, out_plane, O, wp, p, target, 4, PB); break;                                              \
    case 3: column_block(dy, out_plane, O, wp, p, target, 3, PB); break;                                              \
    case 2: column_block(dy, out_plane, O, wp, p, target, 2, PB); break;                                              \
    default: column_block(dy, out_plane, O, wp, p, target, 1, PB); break;                                             \
    }

/// One image's input gradient by columns, an output row at a time: the window columns of the
/// row's pixels (`cols`, OW x TV·16), then for each channel and kernel row the sum over the
/// pixels of their K values, each shifted to its pixel's place by a masked load, added in
/// registers and onto the padded row of `dxp` (`C` planes of `high` x `wide`) once. Adding each
/// pixel's K values straight into memory would make every add wait on the previous pixel's
/// overlapping store.
TARGET static void column_gradient_image(const float *dy, int O, int out_height, int out_width, const float *wp, int tv,
                                         int C, int K, int high, int wide, float *cols, float *dxp) {
    const int out_plane = out_height * out_width;
    const uint64_t run = (1u << K) - 1u;
    for (int oy = 0; oy < out_height; oy++) {
        for (int ox = 0; ox < out_width; ox += 2) {
            int p = oy * out_width + ox, pixels = out_width - ox < 2 ? 1 : 2;
            float *target = cols + (size_t)ox * tv * 16;
            if (pixels == 2) { COLUMN_CASES(2) } else { COLUMN_CASES(1) }
        }
        for (int c = 0; c < C; c++)
            for (int ky = 0; ky < K; ky++) {
                float *row = dxp + ((size_t)c * high + oy + ky) * wide;
                for (int x0 = 0; x0 < wide; x0 += 16) {
                    __m512 sum = _mm512_setzero_ps();
                    for (int ox = 0; ox < out_width; ox++) {
                        // Lanes ox - x0 .. ox - x0 + K - 1 of this vector (those inside it).
                        __mmask16 lanes = (__mmask16)((ox >= x0 ? run << (ox - x0) : run >> (x0 - ox)) & 0xffffu);
                        if (!lanes) continue;
                        const float *values = cols + (size_t)ox * tv * 16 + (c * K + ky) * K - (ox - x0);
                        sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(lanes, values));
                    }
                    int count = wide - x0 < 16 ? wide - x0 : 16;
                    __mmask16 valid = (__mmask16)((1u << count) - 1u);
                    _mm512_mask_storeu_ps(row + x0, valid, _mm512_add_ps(_mm512_maskz_loadu_ps(valid, row + x0), sum));
                }
            }
    }
}

TARGET static float lane_sum(const float *lanes) {
    float total = 0;
    for (int l = 0; l < 16; l++) total += lanes[l];
    return total;
}
#endif   // LB_X86

// ---------------------------------------------------------------------------------------------
// 2x2 max pooling fused behind the convolution (the output's sides even).

/// Where an image's output gradient comes from: `dy` as it is, or the gradient of the 2x2 max
/// pooling that followed (`pooled`, with `sources`: each window's maximum as an index into the
/// whole unpooled output), spread onto the pixels a scratch image at a time.
typedef struct {
    const float *dy;
    const float *pooled;
    const int32_t *sources;
} gradient_source;

/// Pools one image's `filters` planes of `rows` x `columns` (`conv`) into `pooled`, recording each
/// window's maximum in `sources` as `base` + its index in the image: the scan order (top left,
/// top right, bottom left, bottom right), the strict `>` and the NaN rule of Tensor's maxPool2d.
static void pool_image(const float *conv, int filters, int rows, int columns, int32_t base, float *pooled, int32_t *sources) {
    const int plane = rows * columns;
    for (int o = 0; o < filters; o++)
        for (int ph = 0; ph < rows / 2; ph++)
            for (int pw = 0; pw < columns / 2; pw++) {
                const int first = o * plane + 2 * ph * columns + 2 * pw;
                const float *p = conv + first;
                float best = p[0];
                int index = first;
                if (!(best > -__builtin_inff())) best = -__builtin_inff();
                if (p[1] > best) { best = p[1]; index = first + 1; }
                if (p[columns] > best) { best = p[columns]; index = first + columns; }
                if (p[columns + 1] > best) { best = p[columns + 1]; index = first + columns + 1; }
                *pooled++ = best;
                *sources++ = base + index;
            }
}

/// Image `n`'s output gradient (`filters` planes of `plane` floats): in place, or spread from the
/// pooled gradient into `scratch` (zeros where no window's maximum lies).
static const float *image_gradient(const gradient_source *g, int n, int filters, size_t plane, float *scratch) {
    const size_t image = (size_t)filters * plane;
    if (!g->pooled) return g->dy + (size_t)n * image;
    const size_t windows = image / 4;
    const float *gradient = g->pooled + (size_t)n * windows;
    const int32_t *sources = g->sources + (size_t)n * windows;
    const int64_t base = (int64_t)n * (int64_t)image;
    memset(scratch, 0, sizeof(float) * image);
    for (size_t i = 0; i < windows; i++) scratch[sources[i] - base] += gradient[i];
    return scratch;
}

#if LB_X86
/// `pool_image` for the filter kernels' layout: `pix` holds the output pixels as [OH·OW][16] for
/// filters o0..o0+15; the 16 filters' windows are compared at once, in pool_image's order and
/// with its rules (ordered `>` is false for NaN), and written to the image's NCHW `pooled` and
/// `sources` (whole-output indices from `base`).
TARGET static void pool_filter_pixels(const float *pix, int rows, int columns, int o0, int32_t base, float *pooled, int32_t *sources) {
    const int plane = rows * columns, windows = plane / 4;
    const __m512 lowest = _mm512_set1_ps(-__builtin_inff());
    const __m512i lanes = _mm512_add_epi32(_mm512_set1_epi32(base + o0 * plane),
                                           _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                                              _mm512_set1_epi32(plane)));
    float values[16];
    int32_t indices[16];
    for (int ph = 0; ph < rows / 2; ph++)
        for (int pw = 0; pw < columns / 2; pw++) {
            const int q = 2 * ph * columns + 2 * pw, others[3] = {q + 1, q + columns, q + columns + 1};
            __m512 first = _mm512_loadu_ps(pix + (size_t)q * 16);
            __m512 best = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(first, lowest, _CMP_GT_OQ), lowest, first);
            __m512i index = _mm512_set1_epi32(q);
            for (int k = 0; k < 3; k++) {
                __m512 next = _mm512_loadu_ps(pix + (size_t)others[k] * 16);
                __mmask16 larger = _mm512_cmp_ps_mask(next, best, _CMP_GT_OQ);
                best = _mm512_mask_blend_ps(larger, best, next);
                index = _mm512_mask_blend_epi32(larger, index, _mm512_set1_epi32(others[k]));
            }
            _mm512_storeu_ps(values, best);
            _mm512_storeu_si512(indices, _mm512_add_epi32(index, lanes));
            const int window = ph * (columns / 2) + pw;
            for (int o = 0; o < 16; o++) {
                pooled[(size_t)(o0 + o) * windows + window] = values[o];
                sources[(size_t)(o0 + o) * windows + window] = indices[o];
            }
        }
}
#endif

/// Image `n`'s output gradient for filters o0..o0+15 in the filter kernels' layout [OH·OW][16],
/// spread straight from the pooled gradient (see `image_gradient`).
static void spread_filter_pixels(const gradient_source *g, int n, int filters, size_t plane, int o0, float *dyt) {
    const size_t windows = plane / 4;
    const int64_t base = (int64_t)n * filters * (int64_t)plane;
    memset(dyt, 0, sizeof(float) * plane * 16);
    for (int o = 0; o < 16; o++) {
        const size_t first = ((size_t)n * filters + o0 + o) * windows;
        const int64_t plane_start = base + (int64_t)(o0 + o) * (int64_t)plane;
        for (size_t w = 0; w < windows; w++) dyt[(size_t)(g->sources[first + w] - plane_start) * 16 + o] += g->pooled[first + w];
    }
}

// ---------------------------------------------------------------------------------------------
// Entry points.

/// Whether the filter kernels serve this shape (16-filter blocks, kernel <= 5).
static int uses_filter_kernels(const labbook_direct_conv_shape *s) { return s->filters % 16 == 0 && s->kernel <= 5; }

/// The forward pass, into `y`, or (when `pooled` is not NULL) into a scratch image pooled at once.
static void forward(const labbook_direct_conv_shape *s, const float *x, const float *weight, const float *bias, float *y,
                    float *pooled, int32_t *sources, int first, int last) {
#if LB_X86
    const int C = s->channels, K = s->kernel, P = s->padding, O = s->filters;
    const int OH = output_extent(s, s->height), OW = output_extent(s, s->width);
    const int HP = s->height + 2 * P, WP = s->width + 2 * P, taps = C * K * K;
    const size_t image = (size_t)C * s->height * s->width, out_plane = (size_t)OH * OW;
    float *padded = P > 0 ? malloc(sizeof(float) * (size_t)C * HP * WP) : NULL;
    float *scratch = pooled && !uses_filter_kernels(s) ? malloc(sizeof(float) * O * out_plane) : NULL;
    int *toff = malloc(sizeof(int) * taps);
    tap_offsets(C, K, HP * WP, WP, toff);
    if (uses_filter_kernels(s)) {
        float *wt = malloc(sizeof(float) * (size_t)taps * O), *pix = malloc(sizeof(float) * out_plane * 16);
        for (int o = 0; o < O; o++)
            for (int t = 0; t < taps; t++) wt[(size_t)t * O + o] = weight[(size_t)o * taps + t];
        for (int n = first; n < last; n++) {
            const float *in = x + n * image;
            if (P > 0) { pad_planes(in, C, s->height, s->width, P, padded); in = padded; }
            for (int o0 = 0; o0 < O; o0 += 16) {
                filter_correlate(in, toff, taps, wt + o0, O, WP, OH, OW, pix, bias ? bias + o0 : NULL);
                if (pooled) {
                    pool_filter_pixels(pix, OH, OW, o0, (int32_t)((size_t)n * O * out_plane), pooled + (size_t)n * O * out_plane / 4,
                                       sources + (size_t)n * O * out_plane / 4);
                    continue;
                }
                float *out = y + ((size_t)n * O + o0) * out_plane;
                for (size_t p = 0; p < out_plane; p++)
                    for (int o = 0; o < 16; o++) out[o * out_plane + p] = pix[p * 16 + o];
            }
        }
        free(wt); free(pix);
    } else {
        unit_t *units = malloc(sizeof(unit_t) * (size_t)OH * ((OW + 15) / 16));
        int unit_count = make_units(OH, OW, WP, units);
        for (int n = first; n < last; n++) {
            const float *in = x + n * image;
            if (P > 0) { pad_planes(in, C, s->height, s->width, P, padded); in = padded; }
            row_correlate(in, toff, taps, weight, O, units, unit_count, pooled ? scratch : y + (size_t)n * O * out_plane,
                          (int)out_plane, bias, 0);
            if (pooled) pool_image(scratch, O, OH, OW, (int32_t)((size_t)n * O * out_plane), pooled + (size_t)n * O * out_plane / 4,
                                   sources + (size_t)n * O * out_plane / 4);
        }
        free(units);
    }
    free(toff); free(padded); free(scratch);
#else
    (void)s; (void)x; (void)weight; (void)bias; (void)y; (void)pooled; (void)sources; (void)first; (void)last;
    abort();
#endif
}

void labbook_direct_conv_forward(labbook_direct_conv_shape shape, const float *x, const float *weight,
                                 const float *bias, float *y, int first, int last) {
    forward(&shape, x, weight, bias, y, NULL, NULL, first, last);
}

void labbook_direct_conv_pool_forward(labbook_direct_conv_shape shape, const float *x, const float *weight, const float *bias,
                                      float *pooled, int32_t *sources, int first, int last) {
    forward(&shape, x, weight, bias, NULL, pooled, sources, first, last);
}

/// Whether the input gradient goes by columns (windows deep enough to fill three vectors) rather
/// than as a row-kernel correlation of the padded output gradient, which multiplies every tap
/// with the padding's zeros too (on LeNet-5's second layer, 2.2 times the useful work).
static int uses_column_gradient(const labbook_direct_conv_shape *s) { return s->channels * s->kernel * s->kernel >= 48; }

/// The input gradient by columns (see `column_gradient_image`).
static void column_input_gradient(const labbook_direct_conv_shape *s, const gradient_source *g, const float *weight,
                                  float *dx, int first, int last, int accumulate) {
#if LB_X86
    const int C = s->channels, K = s->kernel, O = s->filters, P = s->padding, H = s->height, W = s->width;
    const int OH = output_extent(s, H), OW = output_extent(s, W), T = C * K * K, tv = (T + 15) / 16;
    const int high = H + 2 * P, wide = W + 2 * P;
    float *wp = calloc((size_t)O * tv * 16, sizeof(float)), *cols = malloc(sizeof(float) * (size_t)OW * tv * 16);
    float *dxp = malloc(sizeof(float) * (size_t)C * high * wide);
    float *scratch = g->pooled ? malloc(sizeof(float) * (size_t)O * OH * OW) : NULL;
    for (int o = 0; o < O; o++) memcpy(wp + (size_t)o * tv * 16, weight + (size_t)o * T, sizeof(float) * T);
    for (int n = first; n < last; n++) {
        memset(dxp, 0, sizeof(float) * (size_t)C * high * wide);
        column_gradient_image(image_gradient(g, n, O, (size_t)OH * OW, scratch), O, OH, OW, wp, tv, C, K, high, wide, cols, dxp);
        float *target = dx + (size_t)n * C * H * W;
        for (int c = 0; c < C; c++)
            for (int y = 0; y < H; y++) {
                const float *source = dxp + ((size_t)c * high + y + P) * wide + P;
                float *row = target + ((size_t)c * H + y) * W;
                if (accumulate) { for (int x = 0; x < W; x++) row[x] += source[x]; }
                else memcpy(row, source, sizeof(float) * W);
            }
    }
    free(wp); free(cols); free(dxp); free(scratch);
#else
    (void)s; (void)g; (void)weight; (void)dx; (void)first; (void)last; (void)accumulate;
    abort();
#endif
}

static void input_gradient(const labbook_direct_conv_shape *s, const gradient_source *g, const float *weight,
                           float *dx, int first, int last, int accumulate) {
    if (uses_column_gradient(s)) { column_input_gradient(s, g, weight, dx, first, last, accumulate); return; }
#if LB_X86
    const int C = s->channels, K = s->kernel, O = s->filters, Q = K - 1 - s->padding;
    const int OH = output_extent(s, s->height), OW = output_extent(s, s->width);
    const int HQ = OH + 2 * Q, WQ = OW + 2 * Q, taps = O * K * K, H = s->height, W = s->width;
    // Flipped, channel-major weight: wf[c][o][ky][kx] = w[o][c][K-1-ky][K-1-kx].
    float *wf = malloc(sizeof(float) * (size_t)C * taps), *padded = malloc(sizeof(float) * (size_t)O * HQ * WQ);
    for (int c = 0; c < C; c++)
        for (int o = 0; o < O; o++)
            for (int k = 0; k < K * K; k++) wf[((size_t)c * O + o) * K * K + k] = weight[((size_t)o * C + c) * K * K + (K * K - 1 - k)];
    int *toff = malloc(sizeof(int) * taps);
    tap_offsets(O, K, HQ * WQ, WQ, toff);
    unit_t *units = malloc(sizeof(unit_t) * (size_t)H * ((W + 15) / 16));
    int unit_count = make_units(H, W, WQ, units);
    float *scratch = g->pooled ? malloc(sizeof(float) * (size_t)O * OH * OW) : NULL;
    for (int n = first; n < last; n++) {
        pad_planes(image_gradient(g, n, O, (size_t)OH * OW, scratch), O, OH, OW, Q, padded);
        row_correlate(padded, toff, taps, wf, C, units, unit_count, dx + (size_t)n * C * H * W, H * W, NULL, accumulate);
    }
    free(wf); free(padded); free(toff); free(units); free(scratch);
#else
    (void)s; (void)g; (void)weight; (void)dx; (void)first; (void)last; (void)accumulate;
    abort();
#endif
}

void labbook_direct_conv_input_gradient(labbook_direct_conv_shape shape, const float *dy, const float *weight,
                                        float *dx, int first, int last, int accumulate) {
    gradient_source g = {dy, NULL, NULL};
    input_gradient(&shape, &g, weight, dx, first, last, accumulate);
}

void labbook_direct_conv_pooled_input_gradient(labbook_direct_conv_shape shape, const float *pooled_dy, const int32_t *sources,
                                               const float *weight, float *dx, int first, int last, int accumulate) {
    gradient_source g = {NULL, pooled_dy, sources};
    input_gradient(&shape, &g, weight, dx, first, last, accumulate);
}

static void weight_gradient(const labbook_direct_conv_shape *s, const float *x, const gradient_source *g, int batch,
                            float *dw, int part, int parts, int accumulate) {
#if LB_X86
    const int C = s->channels, K = s->kernel, P = s->padding, O = s->filters;
    const int OH = output_extent(s, s->height), OW = output_extent(s, s->width);
    const int HP = s->height + 2 * P, WP = s->width + 2 * P, taps = C * K * K, KK = K * K;
    const size_t image = (size_t)C * s->height * s->width, out_plane = (size_t)OH * OW;
    float *padded = P > 0 ? malloc(sizeof(float) * (size_t)C * HP * WP) : NULL;
    float *scratch = g->pooled ? malloc(sizeof(float) * (size_t)O * out_plane) : NULL;
    if (uses_filter_kernels(s)) {
        // This part's input channels; each channel's K·K taps for 16 filters at a time.
        int c0 = part * C / parts, c1 = (part + 1) * C / parts;
        float *part_sums = calloc((size_t)(c1 - c0) * O * KK + 1, sizeof(float));
        float *dyt = malloc(sizeof(float) * out_plane * 16);
        for (int n = 0; n < batch; n++) {
            const float *in = x + n * image;
            if (P > 0) { pad_planes(in, C, s->height, s->width, P, padded); in = padded; }
            const float *image = g->pooled ? NULL : image_gradient(g, n, O, out_plane, scratch);
            for (int o0 = 0; o0 < O; o0 += 16) {
                if (g->pooled) {
                    spread_filter_pixels(g, n, O, out_plane, o0, dyt);
                } else {
                    const float *d = image + o0 * out_plane;
                    for (size_t p = 0; p < out_plane; p++)
                        for (int o = 0; o < 16; o++) dyt[p * 16 + o] = d[o * out_plane + p];
                }
                for (int c = c0; c < c1; c++)
                    filter_gradient_channel(in + (size_t)c * HP * WP, WP, dyt, OH, OW,
                                            part_sums + (((size_t)(c - c0) * (O / 16) + o0 / 16) * KK) * 16, K);
            }
        }
        for (int c = c0; c < c1; c++)
            for (int o = 0; o < O; o++)
                for (int k = 0; k < KK; k++) {
                    float value = part_sums[(((size_t)(c - c0) * (O / 16) + o / 16) * KK + k) * 16 + o % 16];
                    float *target = dw + ((size_t)o * C + c) * KK + k;
                    *target = accumulate ? *target + value : value;
                }
        free(part_sums); free(dyt);
    } else {
        // This part's taps, every filter, lanes summed at the end.
        int t0 = part * taps / parts, t1 = (part + 1) * taps / parts, count = t1 - t0;
        int *toff = malloc(sizeof(int) * taps);
        tap_offsets(C, K, HP * WP, WP, toff);
        unit_t *units = malloc(sizeof(unit_t) * (size_t)OH * ((OW + 15) / 16));
        int unit_count = make_units(OH, OW, WP, units);
        float *part_sums = calloc((size_t)O * (count > 0 ? count : 1) * 16, sizeof(float));
        for (int n = 0; n < batch && count > 0; n++) {
            const float *in = x + n * image;
            if (P > 0) { pad_planes(in, C, s->height, s->width, P, padded); in = padded; }
            row_gradient_image(in, toff + t0, count, image_gradient(g, n, O, out_plane, scratch), O, (int)out_plane, units, unit_count,
                               part_sums);
        }
        for (int o = 0; o < O; o++)
            for (int t = 0; t < count; t++) {
                float value = lane_sum(part_sums + ((size_t)o * count + t) * 16);
                float *target = dw + (size_t)o * taps + t0 + t;
                *target = accumulate ? *target + value : value;
            }
        free(toff); free(units); free(part_sums);
    }
    free(padded); free(scratch);
#else
    (void)s; (void)x; (void)g; (void)batch; (void)dw; (void)part; (void)parts; (void)accumulate;
    abort();
#endif
}

void labbook_direct_conv_weight_gradient(labbook_direct_conv_shape shape, const float *x, const float *dy, int batch,
                                         float *dw, int part, int parts, int accumulate) {
    gradient_source g = {dy, NULL, NULL};
    weight_gradient(&shape, x, &g, batch, dw, part, parts, accumulate);
}

void labbook_direct_conv_pooled_weight_gradient(labbook_direct_conv_shape shape, const float *x, const float *pooled_dy,
                                                const int32_t *sources, int batch, float *dw, int part, int parts, int accumulate) {
    gradient_source g = {NULL, pooled_dy, sources};
    weight_gradient(&shape, x, &g, batch, dw, part, parts, accumulate);
}
