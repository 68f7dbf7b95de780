// column_kernels.c — the input gradient by window columns (see labbook_direct_conv.h).

#include "direct_conv_internal.h"

#if LB_X86

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
TARGET void direct_column_gradient_image(const float *dy, int O, int out_height, int out_width, const float *wp, int tv,
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

#endif
