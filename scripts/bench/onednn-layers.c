// Feasibility: oneDNN 2.6 convolution forward / backward-data / backward-weights times on the
// Q4 layer shapes of `labbook bench layers`, fp32 and bf16, blocked ("any") and plain nchw layouts.
#include <oneapi/dnnl/dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#define CHECK(f) do { dnnl_status_t s_ = (f); if (s_ != dnnl_success) { fprintf(stderr, "%s failed: %d at line %d\n", #f, s_, __LINE__); return -1.0; } } while (0)
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static int cmp(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }
static dnnl_engine_t engine; static dnnl_stream_t stream;
typedef struct { const char *name; int c, size, k, kernel, stride, pad; } shape_t;

static dnnl_memory_t make(const dnnl_memory_desc_t *md) {
    dnnl_memory_t m; dnnl_memory_create(&m, md, engine, DNNL_MEMORY_ALLOCATE);
    void *h; dnnl_memory_get_data_handle(m, &h); memset(h, 0, dnnl_memory_desc_get_size(md));
    return m;
}
static double timeit(dnnl_primitive_t p, int n, dnnl_exec_arg_t *args) {
    double t[25];
    for (int i = 0; i < 25; i++) { double s = now(); dnnl_primitive_execute(p, stream, n, args); dnnl_stream_wait(stream); t[i] = now() - s; }
    qsort(t, 25, sizeof(double), cmp); return t[12] * 1e3;
}
// which: 0 forward, 1 backward data, 2 backward weights
static double run(shape_t s, int N, dnnl_data_type_t low, int plain, int which) {
    int o = (s.size + 2 * s.pad - s.kernel) / s.stride + 1;
    dnnl_dims_t sd = {N, s.c, s.size, s.size}, wd = {s.k, s.c, s.kernel, s.kernel}, dd = {N, s.k, o, o};
    dnnl_dims_t st = {s.stride, s.stride}, pl = {s.pad, s.pad};
    dnnl_format_tag_t act = plain ? dnnl_nchw : dnnl_format_tag_any, wt = plain ? dnnl_oihw : dnnl_format_tag_any;
    dnnl_memory_desc_t src, wei, dst, src32, wei32, dst32;
    dnnl_memory_desc_init_by_tag(&src, 4, sd, low, act); dnnl_memory_desc_init_by_tag(&wei, 4, wd, low, wt);
    dnnl_memory_desc_init_by_tag(&dst, 4, dd, dnnl_f32, act);
    dnnl_memory_desc_init_by_tag(&src32, 4, sd, dnnl_f32, act); dnnl_memory_desc_init_by_tag(&wei32, 4, wd, dnnl_f32, wt);
    dnnl_memory_desc_init_by_tag(&dst32, 4, dd, low, act);
    dnnl_convolution_desc_t fd; dnnl_primitive_desc_t fpd;
    CHECK(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_convolution_direct, &src, &wei, NULL, &dst, st, pl, pl));
    CHECK(dnnl_primitive_desc_create(&fpd, &fd, NULL, engine, NULL));
    dnnl_convolution_desc_t d; dnnl_primitive_desc_t pd; dnnl_primitive_t p; dnnl_exec_arg_t args[3];
    if (which == 0) {
        pd = fpd;
        args[0].arg = DNNL_ARG_SRC; args[0].memory = make(dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0));
        args[1].arg = DNNL_ARG_WEIGHTS; args[1].memory = make(dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0));
        args[2].arg = DNNL_ARG_DST; args[2].memory = make(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0));
    } else if (which == 1) {
        // diff_src f32, weights and diff_dst in the low precision
        CHECK(dnnl_convolution_backward_data_desc_init(&d, dnnl_convolution_direct, &src32, &wei, &dst32, st, pl, pl));
        CHECK(dnnl_primitive_desc_create(&pd, &d, NULL, engine, fpd));
        args[0].arg = DNNL_ARG_DIFF_SRC; args[0].memory = make(dnnl_primitive_desc_query_md(pd, dnnl_query_diff_src_md, 0));
        args[1].arg = DNNL_ARG_WEIGHTS; args[1].memory = make(dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0));
        args[2].arg = DNNL_ARG_DIFF_DST; args[2].memory = make(dnnl_primitive_desc_query_md(pd, dnnl_query_diff_dst_md, 0));
    } else {
        CHECK(dnnl_convolution_backward_weights_desc_init(&d, dnnl_convolution_direct, &src, &wei32, NULL, &dst32, st, pl, pl));
        CHECK(dnnl_primitive_desc_create(&pd, &d, NULL, engine, fpd));
        args[0].arg = DNNL_ARG_SRC; args[0].memory = make(dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0));
        args[1].arg = DNNL_ARG_DIFF_WEIGHTS; args[1].memory = make(dnnl_primitive_desc_query_md(pd, dnnl_query_diff_weights_md, 0));
        args[2].arg = DNNL_ARG_DIFF_DST; args[2].memory = make(dnnl_primitive_desc_query_md(pd, dnnl_query_diff_dst_md, 0));
    }
    CHECK(dnnl_primitive_create(&p, pd));
    const char *impl; dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl);
    double ms = timeit(p, 3, args);
    if (getenv("IMPL")) fprintf(stderr, "  %s %s: %s\n", s.name, which == 0 ? "fwd" : which == 1 ? "bwd-data" : "bwd-wei", impl);
    return ms;
}
int main(void) {
    shape_t shapes[] = {
        {"resnet stem 7x7/2", 1, 28, 64, 7, 2, 3}, {"resnet18 stage 1 3x3", 64, 7, 64, 3, 1, 1},
        {"resnet18 stage 2 3x3/2", 64, 7, 128, 3, 2, 1}, {"resnet18 stage 2 projection 1x1/2", 64, 7, 128, 1, 2, 0},
        {"resnet18 stage 2 3x3", 128, 4, 128, 3, 1, 1}, {"resnet18 stage 3 3x3/2", 128, 4, 256, 3, 2, 1},
        {"resnet18 stage 3 3x3", 256, 2, 256, 3, 1, 1}, {"resnet18 stage 4 3x3/2", 256, 2, 512, 3, 2, 1},
        {"resnet18 stage 4 3x3", 512, 1, 512, 3, 1, 1}, {"resnet50 stage 1 reduce 1x1", 256, 7, 64, 1, 1, 0},
        {"resnet50 stage 1 expand 1x1", 64, 7, 256, 1, 1, 0}, {"resnet50 stage 3 reduce 1x1", 1024, 2, 256, 1, 1, 0},
        {"resnet50 stage 4 expand 1x1", 512, 1, 2048, 1, 1, 0}, {"lenet5 conv1 5x5", 1, 28, 6, 5, 1, 2},
        {"lenet5 conv2 5x5", 6, 14, 16, 5, 1, 0},
    };
    dnnl_engine_create(&engine, dnnl_cpu, 0); dnnl_stream_create(&stream, engine, dnnl_stream_default_flags);
    printf("%-34s %28s %28s %28s\n", "shape (batch 64, median of 25, ms)", "fp32 fwd/bwd-d/bwd-w (any)", "fp32 (plain nchw)", "bf16 (any)");
    for (unsigned i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        shape_t s = shapes[i];
        printf("%-34s", s.name);
        for (int v = 0; v < 3; v++) {
            dnnl_data_type_t t = v == 2 ? dnnl_bf16 : dnnl_f32; int plain = v == 1;
            printf("   %7.3f %7.3f %7.3f", run(s, 64, t, plain, 0), s.c == 1 ? 0.0 : run(s, 64, t, plain, 1), run(s, 64, t, plain, 2));
        }
        printf("\n");
    }
    return 0;
}
