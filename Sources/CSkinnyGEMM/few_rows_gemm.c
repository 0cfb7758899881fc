// Products with few rows of C (8 to 64, a multiple of 8) over many columns: the outer layers of
// the U-Net and the discriminator, where OpenBLAS packs a large B for a small A and reaches about
// half its rate. Here B is copied panel by panel (up to `maxPanelWidth` columns, contiguous rows, so
// the power-of-two row strides of a plane do not thrash the cache), and each panel is swept by
// blocks of 8 rows × 48 columns whose 24 vector accumulators stay in registers while A's entries
// are broadcast. Same conventions as skinny_gemm.c: one body per vector level, fused
// multiply-adds allowed, checked against the naive twin within tolerance.
#include "skinny_gemm.h"

#include <string.h>

#include "vectors.h"

enum { blockRows = 8, maxRows = 64, minColumns = 256 };
/// Panels hold at most 768 columns and about 256 KB (an L2-sized share), at least 48 columns.
enum { maxPanelWidth = 768, panelFloats = 65536, blockColumns = 3 * lanes };

static float *panelSpace(size_t count) { return tinct_skinny_buffer(1, count); }

/// C[m0 … m0+7][j … j+16·vectors) = alpha · op(A) · B + beta · C, B being the packed panel
/// (row stride `width`) and `j` a column of it.
INLINE void rowBlock(int transA, int vectors, size_t m0, size_t j, size_t k, float alpha, const float *restrict a,
                     size_t lda, const float *restrict panel, size_t width, float beta, float *restrict c, size_t ldc) {
    vec acc[blockRows][3];
    for (int r = 0; r < blockRows; r++)
        for (int v = 0; v < vectors; v++) acc[r][v] = (vec){0};
    for (size_t p = 0; p < k; p++) {
        vec y[3];
        for (int v = 0; v < vectors; v++) y[v] = load(panel + p * width + j + lanes * v);
        for (int r = 0; r < blockRows; r++) {
            const float x = transA ? a[p * lda + m0 + r] : a[(m0 + r) * lda + p];
            for (int v = 0; v < vectors; v++) acc[r][v] += x * y[v];
        }
    }
    for (int r = 0; r < blockRows; r++)
        for (int v = 0; v < vectors; v++) {
            float *out = c + (m0 + r) * ldc + j + lanes * v;
            store(out, beta == 0 ? alpha * acc[r][v] : alpha * acc[r][v] + beta * load(out));
        }
}

TINCT_PER_CPU
int tinct_few_rows_gemm(int transA, size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda,
                        const float *b, size_t ldb, float beta, float *c, size_t ldc) {
    if (m == 0 || m > maxRows || m % blockRows != 0 || n % lanes != 0 || n < minColumns || k == 0) return 0;
    size_t panelWidth = panelFloats / k / blockColumns * blockColumns;
    panelWidth = panelWidth < blockColumns ? blockColumns : panelWidth > maxPanelWidth ? maxPanelWidth : panelWidth;
    float *panel = panelSpace(k * panelWidth);
    if (!panel) return 0;
    for (size_t j0 = 0; j0 < n; j0 += panelWidth) {
        const size_t width = n - j0 < panelWidth ? n - j0 : panelWidth;
        for (size_t p = 0; p < k; p++) memcpy(panel + p * width, b + p * ldb + j0, width * sizeof(float));
        size_t j = 0;
        for (; j + blockColumns <= width; j += blockColumns)
            for (size_t m0 = 0; m0 < m; m0 += blockRows)
                rowBlock(transA, 3, m0, j, k, alpha, a, lda, panel, width, beta, c + j0, ldc);
        for (; j < width; j += lanes)
            for (size_t m0 = 0; m0 < m; m0 += blockRows)
                rowBlock(transA, 1, m0, j, k, alpha, a, lda, panel, width, beta, c + j0, ldc);
    }
    return 1;
}
