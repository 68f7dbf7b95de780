// filter_kernels.c — filter kernels: 16 filters of one output pixel in a vector (see labbook_direct_conv.h).

#include "direct_conv_internal.h"

#if LB_X86

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
TARGET void direct_filter_correlate(const float *in, const int *toff, int taps, const float *wt, int filters,
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

TARGET void direct_filter_gradient_channel(const float *in, int in_width, const float *dyt, int out_height,
                                           int out_width, float *part, int K) {
    switch (K) {
    case 5: filter_gradient_block(in, in_width, dyt, out_height, out_width, part, 5); break;
    case 4: filter_gradient_block(in, in_width, dyt, out_height, out_width, part, 4); break;
    case 3: filter_gradient_block(in, in_width, dyt, out_height, out_width, part, 3); break;
    case 2: filter_gradient_block(in, in_width, dyt, out_height, out_width, part, 2); break;
    default: filter_gradient_block(in, in_width, dyt, out_height, out_width, part, 1); break;
    }
}


/// `direct_pool_image` for the filter kernels' layout: `pix` holds the output pixels as [OH·OW][16] for
/// filters o0..o0+15; the 16 filters' windows are compared at once, in direct_pool_image's order and
/// with its rules (ordered `>` is false for NaN), and written to the image's NCHW `pooled` and
/// `sources` (whole-output indices from `base`).
TARGET void direct_pool_filter_pixels(const float *pix, int rows, int columns, int o0, int32_t base, float *pooled, int32_t *sources) {
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
