// Tinct's own product kernels, for the shapes where they beat OpenBLAS's sgemm: skinny products
// (a few columns of C: the deep layers of a batch-1 inference and of small training batches,
// where OpenBLAS packs a large weight matrix for a handful of columns) and, on CPUs with
// AVX-512, every product of at least 8 rows (a blocked kernel that runs AVX-512 whatever kernels
// OpenBLAS was told to use), and with AVX-512 a kernel for 9 to 16 columns with A transposed.
// See skinny_gemm.c, blocked_gemm.c and few_columns_gemm.c.
#ifndef TINCT_GEMM_KERNELS_H
#define TINCT_GEMM_KERNELS_H

#include <stddef.h>

/// C = alpha · op(A) · B + beta · C, row-major, for B of K×N stored with row stride ldb and
/// 2 ≤ N ≤ 8; op(A) is A (M×K, row stride lda) or, with transA nonzero, Aᵀ (A stored K×M).
/// Returns 1 when it computed C, 0 when the shape is not one it handles (C untouched): then
/// the caller runs sgemm. Under beta 0, C is overwritten, never read.
int tinct_skinny_gemm(int transA, size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda,
                      const float *b, size_t ldb, float beta, float *c, size_t ldc);

/// C = alpha · op(A) · op(B) + beta · C, row-major, any transposes, for M ≥ 8 and N ≥ 32 (or
/// 9 ≤ N < 32 with A transposed and M ≥ 64), on CPUs with AVX-512. Returns 1 when it computed C,
/// 0 when the CPU or the shape is not one it handles (C untouched) or memory ran out. Under
/// beta 0, C is overwritten, never read.
int tinct_blocked_gemm(int transA, int transB, size_t m, size_t n, size_t k, float alpha, const float *a,
                       size_t lda, const float *b, size_t ldb, float beta, float *c, size_t ldc);

/// C = alpha · Aᵀ · B + beta · C, row-major, A stored K×M (row stride lda), B K×N (row stride
/// ldb), for 9 ≤ N ≤ 16 and M a whole number of 16-float vectors, on CPUs with AVX-512 (the deep
/// layers of a batch-1 inference; see few_columns_gemm.c). Returns 1 when it computed C, 0 when
/// the CPU or the shape is not one it handles (C untouched) or memory ran out. Under beta 0, C
/// is overwritten, never read.
int tinct_few_columns_gemm(size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda, const float *b,
                           size_t ldb, float beta, float *c, size_t ldc);

/// Whether this CPU runs `tinct_blocked_gemm` (AVX-512 with the OS saving its registers).
int tinct_blocked_gemm_available(void);

#endif
