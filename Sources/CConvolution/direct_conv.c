// direct_conv.c — the entry points (see labbook_direct_conv.h for what and why): which kernels
// serve a shape, the per-image loops, the scratch buffers, and the CPU check.
//
// Two ways to fill a 16-lane vector (row_kernels.c, filter_kernels.c):
//   row kernels    (any filter count): 16 neighbouring output pixels of one row, a "unit". A
//                  row of 28 is two units (16 + 12 lanes, masked); a unit reads the input with
//                  masked unaligned loads, so it never touches memory outside its row.
//   filter kernels (filters a multiple of 16): 16 filters of one output pixel; the input pixel
//                  is broadcast, the weights are stored tap-major [T][O] so a tap's 16 filters
//                  are one load.
// Forward: filter kernels when the filter count allows, else row kernels. Weight gradient: filter
// kernel (per input channel) or row kernel (per tap) likewise. Input gradient: for windows of 48
// taps or more, by window columns (column_kernels.c); else the row kernel on the output gradient
// padded by K-1-P, with the weight flipped and its channel and filter axes swapped (a transposed
// convolution is a correlation of that kind). With 2x2 max pooling fused behind (geometry.c),
// each image's output is pooled, and its gradient spread back, in a scratch image.
//
// Register blocks are compile-time sizes: each block function is always_inline and called with
// literal sizes from a switch, so the compiler keeps the accumulators in zmm registers.

#include "direct_conv_internal.h"

#include <stdlib.h>
#include <string.h>

#if LB_X86
#include <cpuid.h>
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
// Entry points.

/// Whether the filter kernels serve this shape (16-filter blocks, kernel <= 5).
static int uses_filter_kernels(const labbook_direct_conv_shape *s) { return s->filters % 16 == 0 && s->kernel <= 5; }

/// The forward pass, into `y`, or (when `pooled` is not NULL) into a scratch image pooled at once.
static void forward(const labbook_direct_conv_shape *s, const float *x, const float *weight, const float *bias, float *y,
                    float *pooled, int32_t *sources, int first, int last) {
#if LB_X86
    const int C = s->channels, K = s->kernel, P = s->padding, O = s->filters;
    const int OH = direct_output_extent(s, s->height), OW = direct_output_extent(s, s->width);
    const int HP = s->height + 2 * P, WP = s->width + 2 * P, taps = C * K * K;
    const size_t image = (size_t)C * s->height * s->width, out_plane = (size_t)OH * OW;
    float *padded = P > 0 ? malloc(sizeof(float) * (size_t)C * HP * WP) : NULL;
    float *scratch = pooled && !uses_filter_kernels(s) ? malloc(sizeof(float) * O * out_plane) : NULL;
    int *toff = malloc(sizeof(int) * taps);
    direct_tap_offsets(C, K, HP * WP, WP, toff);
    if (uses_filter_kernels(s)) {
        float *wt = malloc(sizeof(float) * (size_t)taps * O), *pix = malloc(sizeof(float) * out_plane * 16);
        for (int o = 0; o < O; o++)
            for (int t = 0; t < taps; t++) wt[(size_t)t * O + o] = weight[(size_t)o * taps + t];
        for (int n = first; n < last; n++) {
            const float *in = x + n * image;
            if (P > 0) { direct_pad_planes(in, C, s->height, s->width, P, padded); in = padded; }
            for (int o0 = 0; o0 < O; o0 += 16) {
                direct_filter_correlate(in, toff, taps, wt + o0, O, WP, OH, OW, pix, bias ? bias + o0 : NULL);
                if (pooled) {
                    direct_pool_filter_pixels(pix, OH, OW, o0, (int32_t)((size_t)n * O * out_plane), pooled + (size_t)n * O * out_plane / 4,
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
        int unit_count = direct_make_units(OH, OW, WP, units);
        for (int n = first; n < last; n++) {
            const float *in = x + n * image;
            if (P > 0) { direct_pad_planes(in, C, s->height, s->width, P, padded); in = padded; }
            direct_row_correlate(in, toff, taps, weight, O, units, unit_count, pooled ? scratch : y + (size_t)n * O * out_plane,
                          (int)out_plane, bias, 0);
            if (pooled) direct_pool_image(scratch, O, OH, OW, (int32_t)((size_t)n * O * out_plane), pooled + (size_t)n * O * out_plane / 4,
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

/// The input gradient by columns (see `direct_column_gradient_image`).
static void column_input_gradient(const labbook_direct_conv_shape *s, const gradient_source *g, const float *weight,
                                  float *dx, int first, int last, int accumulate) {
#if LB_X86
    const int C = s->channels, K = s->kernel, O = s->filters, P = s->padding, H = s->height, W = s->width;
    const int OH = direct_output_extent(s, H), OW = direct_output_extent(s, W), T = C * K * K, tv = (T + 15) / 16;
    const int high = H + 2 * P, wide = W + 2 * P;
    float *wp = calloc((size_t)O * tv * 16, sizeof(float)), *cols = malloc(sizeof(float) * (size_t)OW * tv * 16);
    float *dxp = malloc(sizeof(float) * (size_t)C * high * wide);
    float *scratch = g->pooled ? malloc(sizeof(float) * (size_t)O * OH * OW) : NULL;
    for (int o = 0; o < O; o++) memcpy(wp + (size_t)o * tv * 16, weight + (size_t)o * T, sizeof(float) * T);
    for (int n = first; n < last; n++) {
        memset(dxp, 0, sizeof(float) * (size_t)C * high * wide);
        direct_column_gradient_image(direct_image_gradient(g, n, O, (size_t)OH * OW, scratch), O, OH, OW, wp, tv, C, K, high, wide, cols, dxp);
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
    const int OH = direct_output_extent(s, s->height), OW = direct_output_extent(s, s->width);
    const int HQ = OH + 2 * Q, WQ = OW + 2 * Q, taps = O * K * K, H = s->height, W = s->width;
    // Flipped, channel-major weight: wf[c][o][ky][kx] = w[o][c][K-1-ky][K-1-kx].
    float *wf = malloc(sizeof(float) * (size_t)C * taps), *padded = malloc(sizeof(float) * (size_t)O * HQ * WQ);
    for (int c = 0; c < C; c++)
        for (int o = 0; o < O; o++)
            for (int k = 0; k < K * K; k++) wf[((size_t)c * O + o) * K * K + k] = weight[((size_t)o * C + c) * K * K + (K * K - 1 - k)];
    int *toff = malloc(sizeof(int) * taps);
    direct_tap_offsets(O, K, HQ * WQ, WQ, toff);
    unit_t *units = malloc(sizeof(unit_t) * (size_t)H * ((W + 15) / 16));
    int unit_count = direct_make_units(H, W, WQ, units);
    float *scratch = g->pooled ? malloc(sizeof(float) * (size_t)O * OH * OW) : NULL;
    for (int n = first; n < last; n++) {
        direct_pad_planes(direct_image_gradient(g, n, O, (size_t)OH * OW, scratch), O, OH, OW, Q, padded);
        direct_row_correlate(padded, toff, taps, wf, C, units, unit_count, dx + (size_t)n * C * H * W, H * W, NULL, accumulate);
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
    const int OH = direct_output_extent(s, s->height), OW = direct_output_extent(s, s->width);
    const int HP = s->height + 2 * P, WP = s->width + 2 * P, taps = C * K * K, KK = K * K;
    const size_t image = (size_t)C * s->height * s->width, out_plane = (size_t)OH * OW;
    float *padded = P > 0 ? malloc(sizeof(float) * (size_t)C * HP * WP) : NULL;
    // A pooled gradient is spread into a scratch image for the row kernels; the filter kernels
    // take it straight into their own layout.
    float *scratch = g->pooled && !uses_filter_kernels(s) ? malloc(sizeof(float) * (size_t)O * out_plane) : NULL;
    if (uses_filter_kernels(s)) {
        // This part's input channels; each channel's K·K taps for 16 filters at a time.
        int c0 = part * C / parts, c1 = (part + 1) * C / parts;
        float *part_sums = calloc((size_t)(c1 - c0) * O * KK + 1, sizeof(float));
        float *dyt = malloc(sizeof(float) * out_plane * 16);
        for (int n = 0; n < batch; n++) {
            const float *in = x + n * image;
            if (P > 0) { direct_pad_planes(in, C, s->height, s->width, P, padded); in = padded; }
            for (int o0 = 0; o0 < O; o0 += 16) {
                if (g->pooled) {
                    direct_spread_filter_pixels(g, n, O, out_plane, o0, dyt);
                } else {
                    const float *d = g->dy + ((size_t)n * O + o0) * out_plane;
                    for (size_t p = 0; p < out_plane; p++)
                        for (int o = 0; o < 16; o++) dyt[p * 16 + o] = d[o * out_plane + p];
                }
                for (int c = c0; c < c1; c++)
                    direct_filter_gradient_channel(in + (size_t)c * HP * WP, WP, dyt, OH, OW,
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
        direct_tap_offsets(C, K, HP * WP, WP, toff);
        unit_t *units = malloc(sizeof(unit_t) * (size_t)OH * ((OW + 15) / 16));
        int unit_count = direct_make_units(OH, OW, WP, units);
        float *part_sums = calloc((size_t)O * (count > 0 ? count : 1) * 16, sizeof(float));
        for (int n = 0; n < batch && count > 0; n++) {
            const float *in = x + n * image;
            if (P > 0) { direct_pad_planes(in, C, s->height, s->width, P, padded); in = padded; }
            direct_row_gradient_image(in, toff + t0, count, direct_image_gradient(g, n, O, out_plane, scratch), O, (int)out_plane, units, unit_count,
                               part_sums);
        }
        for (int o = 0; o < O; o++)
            for (int t = 0; t < count; t++) {
                float value = direct_lane_sum(part_sums + ((size_t)o * count + t) * 16);
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

