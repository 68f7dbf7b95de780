// direct_conv_internal.h — what the files of CConvolution share: the x86 switch, the types of
// the kernels' bookkeeping, and the kernels and geometry helpers each file provides. Not part of
// the module's public header.
#ifndef LABBOOK_DIRECT_CONV_INTERNAL_H
#define LABBOOK_DIRECT_CONV_INTERNAL_H

#include "labbook_direct_conv.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define LB_X86 1
#define TARGET __attribute__((target("avx512f")))
#define INLINE static inline __attribute__((always_inline, target("avx512f")))
#else
#define LB_X86 0
#endif

/// 16 neighbouring output pixels of one row, as the row kernels fill a vector.
typedef struct {
    int in_offset;    // first input float the unit reads with tap (0, 0, 0)
    int out_offset;   // first output float of the unit in its plane
    uint16_t mask;    // valid lanes
} unit_t;

/// Where an image's output gradient comes from: `dy` as it is, or the gradient of the 2x2 max
/// pooling that followed (`pooled`, with `sources`: each window's maximum as an index into the
/// whole unpooled output), spread onto the pixels a scratch image at a time.
typedef struct {
    const float *dy;
    const float *pooled;
    const int32_t *sources;
} gradient_source;

/// Output side of the shape's convolution for an input side.
static inline int direct_output_extent(const labbook_direct_conv_shape *s, int input) { return input + 2 * s->padding - s->kernel + 1; }

// geometry.c
int direct_make_units(int rows, int columns, int in_width, unit_t *units);
void direct_pad_planes(const float *source, int planes, int rows, int columns, int pad, float *target);
void direct_tap_offsets(int channels, int kernel, int plane, int width, int *offsets);
void direct_pool_image(const float *conv, int filters, int rows, int columns, int32_t base, float *pooled, int32_t *sources);
const float *direct_image_gradient(const gradient_source *g, int n, int filters, size_t plane, float *scratch);
void direct_spread_filter_pixels(const gradient_source *g, int n, int filters, size_t plane, int o0, float *dyt);

#if LB_X86
// row_kernels.c
void direct_row_correlate(const float *in, const int *toff, int taps, const float *w, int filters, const unit_t *units,
                          int unit_count, float *out, int out_plane, const float *bias, int accumulate);
void direct_row_gradient_image(const float *in, const int *toff, int tap_count, const float *dy, int filters, int out_plane,
                               const unit_t *units, int unit_count, float *part);
float direct_lane_sum(const float *lanes);
// filter_kernels.c
void direct_filter_correlate(const float *in, const int *toff, int taps, const float *wt, int filters, int in_width,
                             int out_height, int out_width, float *pix, const float *bias);
void direct_filter_gradient_channel(const float *in, int in_width, const float *dyt, int out_height, int out_width,
                                    float *part, int K);
void direct_pool_filter_pixels(const float *pix, int rows, int columns, int o0, int32_t base, float *pooled, int32_t *sources);
// column_kernels.c
void direct_column_gradient_image(const float *dy, int O, int out_height, int out_width, const float *wp, int tv, int C, int K,
                                  int high, int wide, float *cols, float *dxp);
#endif

#endif
