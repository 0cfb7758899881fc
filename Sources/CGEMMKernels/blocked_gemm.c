// A blocked product for every shape of at least 8 rows, written for AVX-512 whatever kernels
// OpenBLAS runs (some of this project's machines set OPENBLAS_CORETYPE=Haswell on AVX-512 CPUs,
// where OpenBLAS then reached ~115 GFLOP/s on one core and this kernel ~180–215; against
// OpenBLAS's own SkylakeX kernels on a 2.3 GHz Xeon it is about even, 0.9–1.2× by shape).
//
// The usual three levels of blocking: op(B) is copied KC rows × NC columns at a time into panels
// of 48 contiguous columns (an L2-sized block), op(A) MC rows × KC at a time into panels of 8
// rows stored depth-major (so one panel's entries for a depth p are 8 consecutive floats), and a
// register block of 8 rows × 48 columns — 24 vector accumulators — runs down the depth,
// broadcasting A's 8 entries against B's three vectors at each p. Copying handles every
// transpose, so one register block serves NN, TN and NT. Edges are padded with zeros in the
// copies and written through a small buffer.
//
// C with few columns (9 to 31) but many rows, A transposed (the deep layers' input gradients)
// runs as its transpose, Cᵀ = op(B)ᵀ · op(A)ᵀ, written back transposed: its long side then fills
// the 48-column panels. Each element of C is summed in order of depth, KC at a time, with fused
// multiply-adds, whatever the block it falls in: checked against the naive twin within tolerance.
#include "gemm_kernels.h"

#include <string.h>

#include "vectors.h"

enum { blockRows = 8, blockVectors = 3, blockColumns = blockVectors * lanes };
/// Depth, columns and rows of the copied blocks: B's block (KC × NC, 768 KB) in L2, A's
/// (MC × KC, 128 KB) streaming through it, one register block's panels in L1.
enum { depthBlock = 256, columnBlock = 768, rowBlock = 128 };
enum { minRows = 8, minColumns = 32, minTransposedRows = 64, minTransposedColumns = 9 };
enum { maxRowsReadingBInPlace = 32 };
/// Depth blocks this shallow run each 8 rows of C across every panel (see blockedProduct).
enum { shallowDepth = 64 };

#if defined(__x86_64__)
#define AVX512 __attribute__((target("arch=x86-64-v4")))

int tinct_blocked_gemm_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
}
#else
#define AVX512
int tinct_blocked_gemm_available(void) { return 0; }
#endif

/// One operand of a product as the kernel reads it: element (row, depth) of op(A), or (depth,
/// column) of op(B), whether stored transposed or not. A B not transposed may instead give each
/// of its stored rows' start (`rows`, then `data` and `stride` unused): rows gathered from anywhere.
typedef struct {
    const float *data;
    size_t stride;
    int transposed;
    const float *const *rows;
} Operand;

/// Where row p of B as stored starts: a depth of op(B), or with B transposed a column of it.
INLINE const float *storedRowOfB(Operand b, size_t p) { return b.rows ? b.rows[p] : b.data + p * b.stride; }

/// The 16 × 16 tile of floats loaded in t (t[l] line l), transposed in place (t[p] then holds
/// entry p of every line), by swapping off-diagonal blocks of 8, 4, 2 and 1.
INLINE void transposeLoadedTile(vec t[16]) {
#define SWAP_BLOCKS(b, low, high)                                                                                    \
    for (int i = 0; i < 16; i++)                                                                                       \
        if (!(i & b)) {                                                                                                \
            const vec x = t[i], y = t[i + b];                                                                          \
            t[i] = __builtin_shufflevector(x, y, low);                                                                 \
            t[i + b] = __builtin_shufflevector(x, y, high);                                                            \
        }
#define LOW8 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23
#define HIGH8 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31
#define LOW4 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27
#define HIGH4 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31
#define LOW2 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29
#define HIGH2 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31
#define LOW1 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30
#define HIGH1 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31
    SWAP_BLOCKS(8, LOW8, HIGH8)
    SWAP_BLOCKS(4, LOW4, HIGH4)
    SWAP_BLOCKS(2, LOW2, HIGH2)
    SWAP_BLOCKS(1, LOW1, HIGH1)
}

/// The 16 × 16 tile of floats whose line l starts at source + l·stride, transposed into t.
INLINE void transposeTile(const float *source, size_t stride, vec t[16]) {
    for (int l = 0; l < 16; l++) t[l] = load(source + l * stride);
    transposeLoadedTile(t);
}

/// Copies rows [i0, i0+rows) × depths [p0, p0+kc) of op(A) into panels of 8 rows, depth-major
/// (panel q holds rows i0+8q … i0+8q+7 at panels + 8·kc·q), rows past the end as zeros.
INLINE void copyRows(Operand a, size_t i0, size_t rows, size_t p0, size_t kc, float *restrict panels) {
    size_t q = 0;
    if (!a.transposed)  // op(A)[i][p] = A[i][p]: two panels at a time, 16 rows × 16 depths transposed
        for (; q + 2 * blockRows <= rows; q += 2 * blockRows) {
            float *restrict first = panels + q * kc, *restrict second = first + blockRows * kc;
            const float *source = a.data + (i0 + q) * a.stride + p0;
            size_t p = 0;
            for (; p + 16 <= kc; p += 16) {
                vec t[16];
                transposeTile(source + p, a.stride, t);
                for (int d = 0; d < 16; d++) {
                    memcpy(first + (p + d) * blockRows, &t[d], blockRows * sizeof(float));
                    memcpy(second + (p + d) * blockRows, (const float *)&t[d] + blockRows, blockRows * sizeof(float));
                }
            }
            for (; p < kc; p++)
                for (size_t r = 0; r < blockRows; r++) {
                    first[p * blockRows + r] = source[r * a.stride + p];
                    second[p * blockRows + r] = source[(r + blockRows) * a.stride + p];
                }
        }
    for (; q < rows; q += blockRows) {
        const size_t live = rows - q < blockRows ? rows - q : blockRows;
        float *restrict panel = panels + q * kc;
        if (a.transposed && live == blockRows) {  // op(A)[i][p] = A[p][i]: 8 consecutive floats per depth
            for (size_t p = 0; p < kc; p++)
                memcpy(panel + p * blockRows, a.data + (p0 + p) * a.stride + i0 + q, blockRows * sizeof(float));
        } else if (a.transposed) {
            for (size_t p = 0; p < kc; p++) {
                const float *source = a.data + (p0 + p) * a.stride + i0 + q;
                for (size_t r = 0; r < blockRows; r++) panel[p * blockRows + r] = r < live ? source[r] : 0;
            }
        } else {
            for (size_t r = 0; r < blockRows; r++) {
                const float *source = a.data + (i0 + q + r) * a.stride + p0;
                for (size_t p = 0; p < kc; p++) panel[p * blockRows + r] = r < live ? source[p] : 0;
            }
        }
    }
}

/// Copies depths [p0, p0+kc) × columns [j0, j0+columns) of op(B) into panels of 48 columns (the
/// last one as wide as its columns rounded up to whole vectors), columns past the end as zeros.
INLINE void copyColumns(Operand b, size_t j0, size_t columns, size_t p0, size_t kc, float *restrict panels) {
    for (size_t q = 0; q < columns; q += blockColumns) {
        const size_t live = columns - q < blockColumns ? columns - q : blockColumns;
        const size_t width = (live + lanes - 1) / lanes * lanes;
        float *restrict panel = panels + q * kc;
        if (!b.transposed && live == blockColumns) {  // op(B)[p][j] = B[p][j]: three vectors per depth
            for (size_t p = 0; p < kc; p++) {
                const float *source = storedRowOfB(b, p0 + p) + j0 + q;
                for (int v = 0; v < blockVectors; v++) store(panel + p * blockColumns + v * lanes, load(source + v * lanes));
            }
            continue;
        }
        if (!b.transposed) {  // the last, narrower panel: its whole vectors, then the rest zero-padded
            const size_t whole = live / lanes, rest = live % lanes;
            for (size_t p = 0; p < kc; p++) {
                const float *source = storedRowOfB(b, p0 + p) + j0 + q;
                float *target = panel + p * width;
                for (size_t v = 0; v < whole; v++) store(target + v * lanes, load(source + v * lanes));
                if (!rest) continue;
                vec last = {0};
                for (size_t l = 0; l < rest; l++) last[l] = source[whole * lanes + l];
                store(target + whole * lanes, last);
            }
            continue;
        }
        // op(B)[p][j] = B[j][p]: 16 columns × 16 depths transposed at a time, the rest one by one.
        for (size_t j = 0; j < width; j += lanes) {
            const float *lines[lanes];
            for (size_t l = 0; l < lanes; l++) lines[l] = j + l < live ? storedRowOfB(b, j0 + q + j + l) + p0 : NULL;
            size_t p = 0;
            if (j + lanes <= live)
                for (; p + 16 <= kc; p += 16) {
                    vec t[16];
                    for (int l = 0; l < 16; l++) t[l] = load(lines[l] + p);
                    transposeLoadedTile(t);
                    for (int d = 0; d < 16; d++) store(panel + (p + d) * width + j, t[d]);
                }
            for (; p < kc; p++)
                for (size_t l = 0; l < lanes; l++) panel[p * width + j + l] = lines[l] ? lines[l][p] : 0;
        }
    }
}

/// Where a register block's results go: C's block at `c` (row stride ldc), or its transpose.
typedef struct {
    float *c;
    size_t ldc;
    int transposed;
    float alpha, beta;
} Destination;

/// The register block: rows × columns (≤ 8 × 48) of C from a panel of A and a panel of B over kc
/// depths; `vectors` is the B panel's width in vectors. The first depth block writes alpha·sum +
/// beta·C (C never read under beta 0); later ones add alpha·sum.
INLINE void registerBlock(int vectors, size_t kc, const float *restrict aPanel, const float *restrict bPanel,
                          size_t bStride, Destination out, int firstDepths, size_t rows, size_t columns) {
    const size_t width = (size_t)vectors * lanes;
    // The first depth's products start the sums (kc ≥ 1): zeroing the accumulators first
    // compiled to a memset call of the whole block and a reload into registers (~2 % of a
    // lineart-128 step's samples, more in the short-depth products).
    vec acc[blockRows][blockVectors];
    {
        vec y[blockVectors];
        for (int v = 0; v < vectors; v++) y[v] = load(bPanel + v * lanes);
        for (int r = 0; r < blockRows; r++) {
            const float x = aPanel[r];
            for (int v = 0; v < vectors; v++) acc[r][v] = x * y[v];
        }
    }
    for (size_t p = 1; p < kc; p++) {
        vec y[blockVectors];
        for (int v = 0; v < vectors; v++) y[v] = load(bPanel + p * bStride + v * lanes);
        for (int r = 0; r < blockRows; r++) {
            const float x = aPanel[p * blockRows + r];
            for (int v = 0; v < vectors; v++) acc[r][v] += x * y[v];
        }
    }
    const float beta = firstDepths ? out.beta : 1;
    if (!out.transposed && rows == blockRows && columns == width) {
        for (int r = 0; r < blockRows; r++)
            for (int v = 0; v < vectors; v++) {
                float *target = out.c + r * out.ldc + v * lanes;
                store(target, beta == 0 ? out.alpha * acc[r][v] : out.alpha * acc[r][v] + beta * load(target));
            }
        return;
    }
    float sums[blockRows][blockColumns] __attribute__((aligned(64)));
    for (int r = 0; r < blockRows; r++)
        for (int v = 0; v < vectors; v++) store(&sums[r][v * lanes], out.alpha * acc[r][v]);
    for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; j < columns; j++) {
            float *target = out.transposed ? out.c + j * out.ldc + r : out.c + r * out.ldc + j;
            *target = beta == 0 ? sums[r][j] : sums[r][j] + beta * *target;
        }
}

/// op(A) · op(B) into `out`, blocked as described at the top. With few rows (at most
/// `maxRowsReadingBInPlace`) and B not transposed, each element of B copied into a panel would
/// serve only a few register blocks, and the copy cost up to ~40 % of the product: full panels
/// are then read from B where it lies (row stride ldb); only a last panel whose width is not a
/// whole number of vectors is copied (zero-padded). Not in the transposed product (`mayReadBInPlace`
/// 0): its B is a deep layer's weight matrix, megabytes read once per call, and there the
/// copy's runs of independent loads beat the register block's strided reads (5.6 vs 4.8 ms for
/// m8192 n16 k1024).
AVX512 static int blockedProduct(Operand a, Operand b, size_t m, size_t n, size_t k, Destination out,
                                 int mayReadBInPlace) {
    float *rowPanels = tinct_thread_buffer(packedRowsOfA, (size_t)rowBlock * depthBlock);
    float *columnPanels = tinct_thread_buffer(packedColumnsOfB, (size_t)columnBlock * depthBlock);
    if (!rowPanels || !columnPanels) return 0;
    const int bInPlace = mayReadBInPlace && !b.transposed && m <= maxRowsReadingBInPlace;
    for (size_t j0 = 0; j0 < n; j0 += columnBlock) {
        const size_t nc = n - j0 < columnBlock ? n - j0 : columnBlock;
        // In place, the one panel that is copied: the last, when its width is not whole vectors.
        const size_t raggedPanel = nc % lanes ? nc / blockColumns * blockColumns : nc;
        for (size_t p0 = 0; p0 < k; p0 += depthBlock) {
            const size_t kc = k - p0 < depthBlock ? k - p0 : depthBlock;
            if (!bInPlace) copyColumns(b, j0, nc, p0, kc, columnPanels);
            else if (raggedPanel < nc) copyColumns(b, j0 + raggedPanel, nc - raggedPanel, p0, kc, columnPanels);
            for (size_t i0 = 0; i0 < m; i0 += rowBlock) {
                const size_t mc = m - i0 < rowBlock ? m - i0 : rowBlock;
                copyRows(a, i0, mc, p0, kc, rowPanels);
                // Shallow products (a weight gradient over a few positions) write C much faster
                // than they compute it: there each 8 rows are swept across all panels, a few long
                // runs of C at a time, instead of a panel's 8-row blocks down all rows.
                const int rowsOuter = kc <= shallowDepth;
                const size_t panels = (nc + blockColumns - 1) / blockColumns;
                const size_t rowBlocks = (mc + blockRows - 1) / blockRows;
                for (size_t outer = 0; outer < (rowsOuter ? rowBlocks : panels); outer++) {
                    for (size_t inner = 0; inner < (rowsOuter ? panels : rowBlocks); inner++) {
                        const size_t j = (rowsOuter ? inner : outer) * blockColumns;
                        const size_t i = (rowsOuter ? outer : inner) * blockRows;
                        const size_t columns = nc - j < blockColumns ? nc - j : blockColumns;
                        const int vectors = (int)((columns + lanes - 1) / lanes);
                        const float *bPanel = columnPanels + j * kc;
                        size_t bStride = (size_t)vectors * lanes;
                        if (bInPlace && j < raggedPanel) {
                            bPanel = b.data + p0 * b.stride + j0 + j;
                            bStride = b.stride;
                        } else if (bInPlace) {
                            bPanel = columnPanels;
                        }
                        Destination block = out;
                        const size_t row = i0 + i, column = j0 + j;
                        block.c = out.transposed ? out.c + column * out.ldc + row : out.c + row * out.ldc + column;
                        const size_t rows = mc - i < blockRows ? mc - i : blockRows;
                        const float *aPanel = rowPanels + i * kc;
                        // One call per width, so each inlined copy keeps its accumulators in registers.
                        if (vectors == 3) registerBlock(3, kc, aPanel, bPanel, bStride, block, p0 == 0, rows, columns);
                        else if (vectors == 2) registerBlock(2, kc, aPanel, bPanel, bStride, block, p0 == 0, rows, columns);
                        else registerBlock(1, kc, aPanel, bPanel, bStride, block, p0 == 0, rows, columns);
                    }
                }
            }
        }
    }
    return 1;
}

int tinct_blocked_gemm(int transA, int transB, size_t m, size_t n, size_t k, float alpha, const float *a,
                       size_t lda, const float *b, size_t ldb, float beta, float *c, size_t ldc) {
    static _Atomic int available = -1;
    if (available < 0) available = tinct_blocked_gemm_available();
    if (!available || m < minRows || k == 0) return 0;
    const Operand opA = {a, lda, transA != 0, NULL}, opB = {b, ldb, transB != 0, NULL};
    if (n >= minColumns) return blockedProduct(opA, opB, m, n, k, (Destination){c, ldc, 0, alpha, beta}, 1);
    if (transA && n >= minTransposedColumns && m >= minTransposedRows) {
        // Cᵀ = op(B)ᵀ · op(A)ᵀ: op(B)ᵀ[j][p] = op(B)[p][j], op(A)ᵀ[p][i] = op(A)[i][p].
        const Operand bT = {b, ldb, transB == 0, NULL}, aT = {a, lda, transA == 0, NULL};
        return blockedProduct(bT, aT, n, m, k, (Destination){c, ldc, 1, alpha, beta}, 0);
    }
    return 0;
}

int tinct_blocked_gemm_rows(int transA, int transB, size_t m, size_t n, size_t k, float alpha, const float *a,
                            size_t lda, const float *const *rowsOfB, float beta, float *c, size_t ldc) {
    static _Atomic int available = -1;
    if (available < 0) available = tinct_blocked_gemm_available();
    if (!available || m < minRows || n < minColumns || k == 0) return 0;
    const Operand opA = {a, lda, transA != 0, NULL}, opB = {NULL, 0, transB != 0, rowsOfB};
    return blockedProduct(opA, opB, m, n, k, (Destination){c, ldc, 0, alpha, beta}, 0);
}
