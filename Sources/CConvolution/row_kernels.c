// row_kernels.c — row kernels: 16 neighbouring output pixels of a row in a vector (see labbook_direct_conv.h).

#include "direct_conv_internal.h"

#if LB_X86

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
TARGET void direct_row_correlate(const float *in, const int *toff, int taps, const float *w, int filters,
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

TARGET void direct_row_gradient_image(const float *in, const int *toff, int tap_count, const float *dy, int filters,
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


TARGET float direct_lane_sum(const float *lanes) {
    float total = 0;
    for (int l = 0; l < 16; l++) total += lanes[l];
    return total;
}

#endif
