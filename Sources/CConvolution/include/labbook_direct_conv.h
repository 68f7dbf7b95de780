// labbook_direct_conv.h — direct (no im2col) stride-1 convolutions for layers with few channels
// and small kernels (LeNet-5's 5x5 layers), in C with AVX-512 intrinsics.
//
// Why: im2col turns a 5x5 convolution over 1 or 6 channels into a skinny product (6 x 25 or
// 16 x 150 weights) over a column matrix 25 times the size of the image. Copying the columns
// (and folding their gradient back) cost more than the multiply-adds, and the skinny product
// runs far below the machine's peak. These kernels read each image where it lies and keep the
// sums in registers:
//   - "row" kernels put 16 neighbouring output pixels of one row in a vector (any filter count);
//   - "filter" kernels put 16 filters in a vector (filter counts that are multiples of 16);
//   - the input gradient of deep windows goes by "columns": 16 of a window's taps in a vector.
// All arithmetic is fp32 FMA. Each output element is one chain of multiply-adds in a fixed order
// that does not depend on how the caller splits images, taps or channels over threads, so
// results are identical for any thread count.
//
// Layouts: images NCHW, weights [O][C][K][K], all row-major floats. Every function is
// single-threaded and works on the part named by its range arguments; callers parallelise by
// giving each thread its own range. The caller checks labbook_direct_conv_supported() first.
#ifndef LABBOOK_DIRECT_CONV_H
#define LABBOOK_DIRECT_CONV_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU and OS support AVX-512F (cpuid leaf 7 EBX bit 16 and OS-enabled opmask and
/// zmm state), else 0. Cached after the first call.
int labbook_direct_conv_supported(void);

/// The convolution: `channels` x `height` x `width` images, `filters` square `kernel` x `kernel`
/// filters, `padding` zeros on every side, stride 1.
typedef struct {
    int channels, height, width;
    int filters, kernel, padding;
} labbook_direct_conv_shape;

/// Forward pass of images [first, last): y[n] = conv(x[n]) (+ bias[o] when bias is not NULL).
void labbook_direct_conv_forward(labbook_direct_conv_shape shape, const float *x, const float *weight,
                                 const float *bias, float *y, int first, int last);

/// Input gradient of images [first, last): dx[n] (+)= transposed convolution of dy[n] (added to
/// dx when accumulate != 0, else dx is overwritten). Needs padding < kernel.
void labbook_direct_conv_input_gradient(labbook_direct_conv_shape shape, const float *dy, const float *weight,
                                        float *dx, int first, int last, int accumulate);

/// Weight gradient over all `batch` images, for the part [part, part + 1) of `parts` equal parts
/// (taps or channels, whichever the kernel splits): dw (+)= Σ_n dy[n] ⋆ x[n].
void labbook_direct_conv_weight_gradient(labbook_direct_conv_shape shape, const float *x, const float *dy,
                                         int batch, float *dw, int part, int parts, int accumulate);

// The same three passes for a convolution followed by 2x2, stride-2 max pooling (output sides
// even), fused: the forward pass pools each image's output while it is in cache and writes only
// the pooled values and, for each window, the index of its maximum in the whole unpooled output
// `[N][O][OH][OW]` (`sources`, as Tensor's maxPool2d records them). The gradient passes take the
// pooled gradient and those indices and spread them over each image's output in cache, so the
// unpooled output and its gradient never go to memory.

void labbook_direct_conv_pool_forward(labbook_direct_conv_shape shape, const float *x, const float *weight, const float *bias,
                                      float *pooled, int32_t *sources, int first, int last);

void labbook_direct_conv_pooled_input_gradient(labbook_direct_conv_shape shape, const float *pooled_dy, const int32_t *sources,
                                               const float *weight, float *dx, int first, int last, int accumulate);

void labbook_direct_conv_pooled_weight_gradient(labbook_direct_conv_shape shape, const float *x, const float *pooled_dy,
                                                const int32_t *sources, int batch, float *dw, int part, int parts, int accumulate);

#ifdef __cplusplus
}
#endif

#endif
