// geometry.c — the kernels' bookkeeping: units, padded copies, tap offsets, and the fused 2x2 max pooling's
// pooling and gradient spreading.

#include "direct_conv_internal.h"

#include <string.h>

/// Units of an `rows` x `columns` output plane whose input rows are `in_width` floats apart.
int direct_make_units(int rows, int columns, int in_width, unit_t *units) {
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
void direct_pad_planes(const float *source, int planes, int rows, int columns, int pad, float *target) {
    int wide = columns + 2 * pad, high = rows + 2 * pad;
    memset(target, 0, sizeof(float) * (size_t)planes * high * wide);
    for (int p = 0; p < planes; p++)
        for (int y = 0; y < rows; y++)
            memcpy(target + ((size_t)p * high + y + pad) * wide + pad, source + ((size_t)p * rows + y) * columns,
                   sizeof(float) * columns);
}

/// Offset of each tap (c, ky, kx) from a pixel in `channels` planes of `plane` floats, rows `width` apart.
void direct_tap_offsets(int channels, int kernel, int plane, int width, int *offsets) {
    int t = 0;
    for (int c = 0; c < channels; c++)
        for (int ky = 0; ky < kernel; ky++)
            for (int kx = 0; kx < kernel; kx++) offsets[t++] = c * plane + ky * width + kx;
}


// 2x2 max pooling fused behind the convolution (the output's sides even).

/// Pools one image's `filters` planes of `rows` x `columns` (`conv`) into `pooled`, recording each
/// window's maximum in `sources` as `base` + its index in the image: the scan order (top left,
/// top right, bottom left, bottom right), the strict `>` and the NaN rule of Tensor's maxPool2d.
void direct_pool_image(const float *conv, int filters, int rows, int columns, int32_t base, float *pooled, int32_t *sources) {
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
const float *direct_image_gradient(const gradient_source *g, int n, int filters, size_t plane, float *scratch) {
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

/// Image `n`'s output gradient for filters o0..o0+15 in the filter kernels' layout [OH·OW][16],
/// spread straight from the pooled gradient (see `direct_image_gradient`).
void direct_spread_filter_pixels(const gradient_source *g, int n, int filters, size_t plane, int o0, float *dyt) {
    const size_t windows = plane / 4;
    const int64_t base = (int64_t)n * filters * (int64_t)plane;
    memset(dyt, 0, sizeof(float) * plane * 16);
    for (int o = 0; o < 16; o++) {
        const size_t first = ((size_t)n * filters + o0 + o) * windows;
        const int64_t plane_start = base + (int64_t)(o0 + o) * (int64_t)plane;
        for (size_t w = 0; w < windows; w++) dyt[(size_t)(g->sources[first + w] - plane_start) * 16 + o] += g->pooled[first + w];
    }
}
