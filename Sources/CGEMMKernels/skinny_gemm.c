// Skinny products, written for the vector units through GCC/clang vector types and compiled
// once per vector level with target_clones (the loader binds the CPU's widest). Package.swift
// allows fused multiply-adds here: these kernels are checked against the naive twin within
// tolerance, not bit for bit.
//
// Aᵀ·B (transA): C[i][j] = Σ_p A[p][i]·B[p][j]. Rows of A are read in order, four at a time,
// each multiplied into all columns of a column-major accumulator that stays in L2; column groups
// of at most four columns each stream A once.
// A·B: C[i][j] = Σ_p A[i][p]·B[p][j]. B is transposed once into a small buffer, then four rows
// of A at a time run dot products against each column, summed in vectors along p.
#include "gemm_kernels.h"

#include "vectors.h"

enum { maxColumns = 8 };

static float *workspace(size_t count) { return tinct_thread_buffer(skinnyWorkspace, count); }

INLINE void writeC(float *c, float alpha, float sum, float beta) { *c = beta == 0 ? alpha * sum : alpha * sum + beta * *c; }

/// acc[j·m + i] += Σ_p A[p][i]·B[p][j] for the `width` (1…4) columns from j0, i over whole vectors.
INLINE void transposedColumns(size_t m, size_t vectorRows, size_t k, const float *restrict a, size_t lda,
                              const float *restrict b, size_t ldb, size_t j0, int width, float *restrict acc) {
    float *restrict c0 = acc + j0 * m;
    float *restrict c1 = c0 + m, *restrict c2 = c1 + m, *restrict c3 = c2 + m;
    size_t p = 0;
    for (; p + 4 <= k; p += 4) {
        const float *restrict a0 = a + p * lda, *restrict a1 = a0 + lda, *restrict a2 = a1 + lda, *restrict a3 = a2 + lda;
        const float *restrict bp = b + p * ldb + j0;
        float w[4][4] = {{0}};
        for (int q = 0; q < 4; q++)
            for (int j = 0; j < width; j++) w[q][j] = bp[q * ldb + j];
        for (size_t i = 0; i < vectorRows; i += lanes) {
            __builtin_prefetch(a0 + i + 512);
            __builtin_prefetch(a1 + i + 512);
            __builtin_prefetch(a2 + i + 512);
            __builtin_prefetch(a3 + i + 512);
            const vec x0 = load(a0 + i), x1 = load(a1 + i), x2 = load(a2 + i), x3 = load(a3 + i);
            store(c0 + i, load(c0 + i) + x0 * w[0][0] + x1 * w[1][0] + x2 * w[2][0] + x3 * w[3][0]);
            if (width > 1) store(c1 + i, load(c1 + i) + x0 * w[0][1] + x1 * w[1][1] + x2 * w[2][1] + x3 * w[3][1]);
            if (width > 2) store(c2 + i, load(c2 + i) + x0 * w[0][2] + x1 * w[1][2] + x2 * w[2][2] + x3 * w[3][2]);
            if (width > 3) store(c3 + i, load(c3 + i) + x0 * w[0][3] + x1 * w[1][3] + x2 * w[2][3] + x3 * w[3][3]);
        }
    }
    for (; p < k; p++) {
        const float *restrict a0 = a + p * lda;
        for (int j = 0; j < width; j++) {
            const float wj = b[p * ldb + j0 + j];
            float *restrict cj = acc + (j0 + j) * m;
            for (size_t i = 0; i < vectorRows; i += lanes) store(cj + i, load(cj + i) + load(a0 + i) * wj);
        }
    }
}

INLINE int transposedProduct(size_t m, size_t n, size_t k, float alpha, const float *restrict a, size_t lda,
                             const float *restrict b, size_t ldb, float beta, float *restrict c, size_t ldc) {
    const size_t vectorRows = m / lanes * lanes;
    float *acc = workspace(n * m);
    if (!acc) return 0;
    for (size_t x = 0; x < n * m; x++) acc[x] = 0;
    for (size_t j0 = 0; j0 < n; j0 += 4) {
        const int width = n - j0 < 4 ? (int)(n - j0) : 4;
        switch (width) {  // constant widths let the compiler drop the unused columns
        case 1: transposedColumns(m, vectorRows, k, a, lda, b, ldb, j0, 1, acc); break;
        case 2: transposedColumns(m, vectorRows, k, a, lda, b, ldb, j0, 2, acc); break;
        case 3: transposedColumns(m, vectorRows, k, a, lda, b, ldb, j0, 3, acc); break;
        default: transposedColumns(m, vectorRows, k, a, lda, b, ldb, j0, 4, acc); break;
        }
    }
    for (size_t i = vectorRows; i < m; i++)  // rows past the last whole vector
        for (size_t j = 0; j < n; j++) {
            float sum = 0;
            for (size_t p = 0; p < k; p++) sum += a[p * lda + i] * b[p * ldb + j];
            acc[j * m + i] = sum;
        }
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) writeC(c + i * ldc + j, alpha, acc[j * m + i], beta);
    return 1;
}

INLINE float horizontalSum(vec v) {
    float sum = 0;
    for (int i = 0; i < lanes; i++) sum += v[i];
    return sum;
}

/// C rows i0 … i0+rows−1 (rows 1…4) = A rows · B, with bt = Bᵀ (n×k) and k a whole number of vectors.
INLINE void rowDots(int rows, size_t i0, size_t n, size_t k, float alpha, const float *restrict a, size_t lda,
                    const float *restrict bt, float beta, float *restrict c, size_t ldc) {
    for (size_t j0 = 0; j0 < n; j0 += 4) {
        const size_t width = n - j0 < 4 ? n - j0 : 4;
        vec sums[4][4] = {{{0}}};
        for (size_t p = 0; p < k; p += lanes) {
            vec y[4];
            for (size_t j = 0; j < 4; j++) y[j] = j < width ? load(bt + (j0 + j) * k + p) : (vec){0};
            for (int r = 0; r < rows; r++) {
                const float *ar = a + (i0 + r) * lda + p;
                __builtin_prefetch(ar + 256);
                const vec x = load(ar);
                for (int j = 0; j < 4; j++) sums[r][j] += x * y[j];
            }
        }
        for (int r = 0; r < rows; r++)
            for (size_t j = 0; j < width; j++) writeC(c + (i0 + r) * ldc + j0 + j, alpha, horizontalSum(sums[r][j]), beta);
    }
}

INLINE int plainProduct(size_t m, size_t n, size_t k, float alpha, const float *restrict a, size_t lda,
                        const float *restrict b, size_t ldb, float beta, float *restrict c, size_t ldc) {
    if (k % lanes != 0) return 0;
    float *bt = workspace(n * k);
    if (!bt) return 0;
    for (size_t p = 0; p < k; p++)
        for (size_t j = 0; j < n; j++) bt[j * k + p] = b[p * ldb + j];
    size_t i = 0;
    for (; i + 4 <= m; i += 4) rowDots(4, i, n, k, alpha, a, lda, bt, beta, c, ldc);
    for (; i < m; i++) rowDots(1, i, n, k, alpha, a, lda, bt, beta, c, ldc);
    return 1;
}

TINCT_PER_CPU
int tinct_skinny_gemm(int transA, size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda,
                      const float *b, size_t ldb, float beta, float *c, size_t ldc) {
    if (n < 2 || n > maxColumns || m == 0 || k == 0) return 0;
    return transA ? transposedProduct(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
                  : plainProduct(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
