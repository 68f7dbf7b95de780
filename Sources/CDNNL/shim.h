// oneDNN's C API (Debian's libdnnl-dev, 2.6), the convolution kernels Tensor uses, and the one
// OpenMP call Labbook makes: oneDNN runs on libgomp's threads, whose count must follow the
// engine's (`withThreads`).
#include <oneapi/dnnl/dnnl.h>

extern void omp_set_num_threads(int threads);
