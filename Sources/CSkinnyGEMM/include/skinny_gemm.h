// Skinny products, where OpenBLAS's sgemm runs far below the machine: a few columns of C (2 to
// 8; the deep layers of a batch-1 inference and of small training batches, where it packs a
// large weight matrix for a handful of columns) and a few rows over many columns (the outer
// layers). See skinny_gemm.c and few_rows_gemm.c.
#ifndef TINCT_SKINNY_GEMM_H
#define TINCT_SKINNY_GEMM_H

#include <stddef.h>

/// C = alpha · op(A) · B + beta · C, row-major, for B of K×N stored with row stride ldb and
/// 2 ≤ N ≤ 8; op(A) is A (M×K, row stride lda) or, with transA nonzero, Aᵀ (A stored K×M).
/// Returns 1 when it computed C, 0 when the shape is not one it handles (C untouched): then
/// the caller runs sgemm. Under beta 0, C is overwritten, never read.
int tinct_skinny_gemm(int transA, size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda,
                      const float *b, size_t ldb, float beta, float *c, size_t ldc);

/// The same product for C of few rows over many columns: 8 ≤ M ≤ 64 with M a multiple of 8, N a
/// multiple of 16 and at least 256. Returns 1 when it computed C, 0 otherwise (C untouched).
int tinct_few_rows_gemm(int transA, size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda,
                        const float *b, size_t ldb, float beta, float *c, size_t ldc);

#endif
