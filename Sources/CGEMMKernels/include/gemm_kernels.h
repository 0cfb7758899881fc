// Tinct's own product kernels, for the shapes where they beat OpenBLAS's sgemm: skinny products
// (a few columns of C: the deep layers of a batch-1 inference and of small training batches,
// where OpenBLAS packs a large weight matrix for a handful of columns) and, on CPUs with
// AVX-512, every product of at least 8 rows (a blocked kernel that runs AVX-512 whatever kernels
// OpenBLAS was told to use), and with AVX-512 a kernel for 9 to 16 columns with A transposed;
// for inference, a product in 16-bit integers on CPUs with AVX-512 VNNI. See skinny_gemm.c,
// blocked_gemm.c, few_columns_gemm.c and int16_gemm.c.
#ifndef TINCT_GEMM_KERNELS_H
#define TINCT_GEMM_KERNELS_H

#include <stddef.h>
#include <stdint.h>

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

/// `tinct_blocked_gemm` with each row of B as stored starting wherever rowsOfB points: K rows of N
/// floats, or with transB nonzero N rows of K floats. One product over rows gathered from several
/// places (the shifted planes of a convolution's taps), for M ≥ 8 and N ≥ 32 on CPUs with
/// AVX-512. Returns 1 when it computed C, 0 otherwise (C untouched).
int tinct_blocked_gemm_rows(int transA, int transB, size_t m, size_t n, size_t k, float alpha, const float *a,
                            size_t lda, const float *const *rowsOfB, float beta, float *c, size_t ldc);

/// C = alpha · Aᵀ · B + beta · C, row-major, A stored K×M (row stride lda), B K×N (row stride
/// ldb), for 9 ≤ N ≤ 16 and M a whole number of 16-float vectors, on CPUs with AVX-512 (the deep
/// layers of a batch-1 inference; see few_columns_gemm.c). Returns 1 when it computed C, 0 when
/// the CPU or the shape is not one it handles (C untouched) or memory ran out. Under beta 0, C
/// is overwritten, never read.
int tinct_few_columns_gemm(size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda, const float *b,
                           size_t ldb, float beta, float *c, size_t ldc);

/// Whether this CPU runs `tinct_int16_gemm` (AVX-512 with VNNI).
int tinct_int16_gemm_available(void);

/// How many 32-bit words `tinct_int16_pack_weights` writes for an M×K op(A).
size_t tinct_int16_weights_words(size_t m, size_t k);

/// Quantizes op(A) (M×K; A itself, row stride lda, or with transA nonzero Aᵀ of A stored K×M)
/// row by row to 16-bit levels (±2047, rowScales[i] = row i's largest magnitude / 2047) and packs
/// them for `tinct_int16_gemm` (see int16_gemm.c). Runs on any CPU.
void tinct_int16_pack_weights(int transA, size_t m, size_t k, const float *a, size_t lda, int32_t *packed,
                              float *rowScales);

/// C = op(A) · B, row-major, op(A) packed by `tinct_int16_pack_weights` (M×K), B of K×N (row stride
/// ldb) quantized to ±4095 steps of bLargest / 4095 (bLargest at least B's largest magnitude, or
/// negative: then found here), on CPUs with AVX-512 VNNI. With addToC 0, C is overwritten, never
/// read; otherwise the product is added to C. Returns 1 when it computed C, 0 when the CPU cannot
/// or memory ran out (C untouched).
int tinct_int16_gemm(size_t m, size_t n, size_t k, const int32_t *packed, const float *rowScales, const float *b,
                     size_t ldb, float bLargest, float *c, size_t ldc, int addToC);

/// The levels of B in `tinct_int16_gemm`: ±4095 steps of its largest magnitude / 4095.
#define TINCT_INT16_INPUT_LEVELS 4095

/// `tinct_int16_gemm` with B already quantized (as `tinct_im2col_stride2_plane_int16` writes
/// it): ⌈K/2⌉ rows of N 32-bit words (row stride ldb words), word j of row p holding the levels
/// of B[2p][j] (low 16 bits) and B[2p+1][j] (high), on steps of bLargest / 4095 (bLargest ≥ 0).
int tinct_int16_gemm_pairs(size_t m, size_t n, size_t k, const int32_t *packed, const float *rowScales,
                           const int32_t *bPairs, size_t ldb, float bLargest, float *c, size_t ldc, int addToC);

/// The largest magnitude among `count` floats (NaNs passed over); 0 when there are none.
float tinct_largest_magnitude(const float *x, size_t count);

/// Whether this CPU runs `tinct_blocked_gemm` (AVX-512 with the OS saving its registers).
int tinct_blocked_gemm_available(void);

#endif
