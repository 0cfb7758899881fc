// Products with 9 to 16 columns and A transposed: the deep layers of a batch-1 inference (a 4×4
// plane), C = Aᵀ·B with A a weight matrix of megabytes read once per call. The blocked kernel
// copies such an A into panels and reached ~60 GFLOP/s on one core (8 GB/s of A); reading A in
// place a depth at a time, down a strip of 16 of its columns, is worse (each depth is another
// row, kilobytes away, and the prefetchers cannot follow hundreds of rows).
//
// Here depths go 16 at a time: each such band of A's rows is read along its rows, 16 columns per
// step, which the hardware prefetchers follow (16 streams); the sums of C, kept transposed in a
// workspace (N × M, in L2), are loaded into 16 vector registers for the band and stored back.
// Each element of C is one chain of fused multiply-adds in order of depth, alpha applied once at
// the end: checked against the naive twin within tolerance.
#include "gemm_kernels.h"

#include "vectors.h"

enum { maxFewColumns = 16, minFewColumns = 9, depthBand = 16 };

#if defined(__x86_64__)
#define AVX512 __attribute__((target("arch=x86-64-v4")))
#else
#define AVX512
#endif

/// sums[j·stride + (0…15)] (+)= Σ over the band's depths p of A[p][0…15] · B[p][j], for the
/// `width` columns; the band's first depths start the sums when `first`.
INLINE void band(int width, size_t depths, int first, const float *restrict a, size_t lda, const float *restrict b,
                 size_t ldb, float *restrict sums, size_t stride) {
    vec s[maxFewColumns];
    for (int j = 0; j < width; j++) s[j] = first ? (vec){0} : load(sums + j * stride);
    for (size_t p = 0; p < depths; p++) {
        const vec x = load(a + p * lda);
        const float *row = b + p * ldb;
        for (int j = 0; j < width; j++) s[j] += x * row[j];
    }
    for (int j = 0; j < width; j++) store(sums + j * stride, s[j]);
}

AVX512 static void fewColumns(size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda,
                              const float *b, size_t ldb, float beta, float *c, size_t ldc, float *sums) {
    for (size_t p0 = 0; p0 < k; p0 += depthBand) {
        const size_t depths = k - p0 < depthBand ? k - p0 : depthBand;
        const float *bandA = a + p0 * lda, *bandB = b + p0 * ldb;
        for (size_t i = 0; i < m; i += lanes) {
            // One call per width, so each inlined copy keeps its sums in registers.
            switch (n) {
#define WIDTH(w)                                                                                                       \
    case w: band(w, depths, p0 == 0, bandA + i, lda, bandB, ldb, sums + i, m); break;
                WIDTH(9) WIDTH(10) WIDTH(11) WIDTH(12) WIDTH(13) WIDTH(14) WIDTH(15)
#undef WIDTH
            default: band(16, depths, p0 == 0, bandA + i, lda, bandB, ldb, sums + i, m); break;
            }
        }
    }
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            float *target = c + i * ldc + j;
            *target = beta == 0 ? alpha * sums[j * m + i] : alpha * sums[j * m + i] + beta * *target;
        }
}

int tinct_few_columns_gemm(size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda, const float *b,
                           size_t ldb, float beta, float *c, size_t ldc) {
    if (n < minFewColumns || n > maxFewColumns || m == 0 || m % lanes != 0 || k == 0) return 0;
    if (!tinct_blocked_gemm_available()) return 0;
    float *sums = tinct_thread_buffer(fewColumnsSums, n * m);
    if (!sums) return 0;
    fewColumns(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, sums);
    return 1;
}
