// labbook_bf16.h — a bf16 mixed-precision GEMM for x86 CPUs with AVX512_BF16.
//
// Why: the convolutions of Labbook are im2col + sgemm. On CPUs with AVX512_BF16 (Zen 4, Cooper
// Lake, Sapphire Rapids) `vdpbf16ps` does twice the multiply-adds per instruction of an fp32 FMA,
// so rounding the operands to bf16 and accumulating in fp32 (the usual "mixed precision") nearly
// doubles the arithmetic rate while keeping fp32 tensors everywhere else. Inputs and output stay
// fp32 in memory; only the packed copies of A and B inside the GEMM are bf16.
//
// Numerics: A and B are rounded to bf16 with round-to-nearest-even exactly as
// `vcvtne2ps2bf16` does (fp32 denormal inputs become signed zero, NaN stays a quiet NaN).
// Products of bf16 values are exact in fp32; they are summed in fp32 in an order that depends
// only on k (never on n, m or where a block of columns starts), so splitting the columns of C
// across threads gives bitwise-identical results. Expect ~1e-3 relative error against an fp32
// sgemm: that is the bf16 rounding of the operands, not the accumulation.
#ifndef LABBOOK_BF16_H
#define LABBOOK_BF16_H

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU and OS support AVX512_BF16 (cpuid leaf 7 subleaf 1 EAX bit 5, plus AVX-512F/BW/VL/DQ
/// and OS-enabled opmask/zmm state via xgetbv), else 0. Cheap after the first call (cached).
/// Why a runtime check: the library is compiled without global -m flags so that it loads on any
/// x86-64 CPU; only the functions that use AVX-512 carry a target attribute.
int labbook_bf16_supported(void);

/// Row-major C = alpha * op(A) * op(B) + beta * C, like cblas_sgemm(CblasRowMajor, ...):
/// op(A) is m x k, op(B) is k x n; lda/ldb/ldc are the row strides (in floats) of the stored
/// matrices (A is stored m x k, or k x m when transA != 0; B is stored k x n, or n x k when
/// transB != 0). transA/transB nonzero = transposed storage.
/// beta == 0 overwrites C without reading it (C may hold NaN garbage), as BLAS does.
/// Single-threaded and deterministic: callers parallelise by giving each thread a block of columns
/// of C (offset B and C pointers); the result does not depend on that split.
/// Uses per-thread packing buffers that grow as needed and are reused across calls.
/// If the CPU lacks AVX512_BF16 it falls back to labbook_gemm_bf16_reference (correct but slow):
/// callers should check labbook_bf16_supported() and use sgemm instead.
void labbook_gemm_bf16(int transA, int transB, int m, int n, int k, float alpha,
                       const float *a, int lda, const float *b, int ldb,
                       float beta, float *c, int ldc);

/// The reference the tests compare against: the same bf16 rounding of A and B as
/// labbook_gemm_bf16, products summed in double (exactly, up to the double rounding of the sum),
/// alpha/beta applied in double, written as float. Plain C, slow: for tests only.
void labbook_gemm_bf16_reference(int transA, int transB, int m, int n, int k, float alpha,
                                 const float *a, int lda, const float *b, int ldb,
                                 float beta, float *c, int ldc);

#ifdef __cplusplus
}
#endif

#endif
