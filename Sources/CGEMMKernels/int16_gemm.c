// A product in 16-bit integers for inference, on CPUs with AVX-512 VNNI, where one VPDPWSSD
// does 32 multiply-adds against a float FMA's 16 at the same rate (measured on a Xeon: 175
// against 86 billion a second on one core), and the weights take half the bytes.
//
// C = op(A) · B with op(A) a layer's weights, quantized once per row (symmetric, ±2047, scale
// largest |entry| / 2047) and packed into panels of 8 rows whose depths are interleaved in pairs
// (one 32-bit word holds a row's entries for depths 2p and 2p+1, the operand VPDPWSSD
// broadcasts); B is quantized with one scale for the whole call (±4095, scale largest |entry| /
// 4095, given by the caller or found here) while it is copied into panels of 48 columns, pairs of
// depths interleaved the same way. A register block of 8 rows × 48 columns sums in 24 vectors of
// 32-bit integers over at most 256 depths: 128 pairs of products of at most 2047 · 4095 stay
// below 2³¹, so nothing wraps; each such depth block's sums are then scaled to floats and added
// into C. Rounding the operands costs ~1/4000 of a row's (or B's) largest entry per entry.
#include "gemm_kernels.h"

#include <math.h>

#include "vectors.h"

enum { int16BlockRows = 8, int16BlockVectors = 3, int16BlockColumns = int16BlockVectors * lanes };
/// Depths (a multiple of 2) and columns of one copied block of B.
enum { int16DepthBlock = 256, int16ColumnBlock = 768 };
static const float weightLevels = 2047, inputLevels = TINCT_INT16_INPUT_LEVELS;

#if defined(__x86_64__)
#include <immintrin.h>
#define VNNI __attribute__((target("arch=x86-64-v4,avx512vnni")))

int tinct_int16_gemm_available(void) {
    __builtin_cpu_init();
    return tinct_blocked_gemm_available() && __builtin_cpu_supports("avx512vnni");
}
#else
int tinct_int16_gemm_available(void) { return 0; }
#endif

/// `tinct_int16_gemm_available()`, asked once.
static int available(void) {
    static _Atomic int answer = -1;
    if (answer < 0) answer = tinct_int16_gemm_available();
    return answer;
}

size_t tinct_int16_weights_words(size_t m, size_t k) {
    return (m + int16BlockRows - 1) / int16BlockRows * int16BlockRows * ((k + 1) / 2);
}

/// Entry `x` times `inverseStep`, rounded to the nearest level and clamped to ±levels (a NaN
/// weight, which a float product would spread, counts as 0 rather than an undefined conversion).
static inline int32_t quantized(float x, float inverseStep, float levels) {
    const float level = nearbyintf(x * inverseStep);
    if (level != level) return 0;
    return (int32_t)(level > levels ? levels : level < -levels ? -levels : level);
}

static inline uint32_t pair(int32_t low, int32_t high) { return (uint32_t)(uint16_t)low | (uint32_t)high << 16; }

void tinct_int16_pack_weights(int transA, size_t m, size_t k, const float *a, size_t lda, int32_t *packed,
                              float *rowScales) {
    const size_t pairs = (k + 1) / 2;
    for (size_t i = 0; i < m; i++) {
        float largest = 0;
        for (size_t p = 0; p < k; p++) largest = fmaxf(largest, fabsf(transA ? a[p * lda + i] : a[i * lda + p]));
        rowScales[i] = largest / weightLevels;
    }
    const size_t panels = (m + int16BlockRows - 1) / int16BlockRows;
    for (size_t q = 0; q < panels; q++)
        for (size_t r = 0; r < int16BlockRows; r++) {
            const size_t i = q * int16BlockRows + r;
            int32_t *target = packed + q * pairs * int16BlockRows + r;
            const float inverseStep = i < m && rowScales[i] > 0 ? 1 / rowScales[i] : 0;
            for (size_t p = 0; p < pairs; p++) {
                int32_t level[2] = {0, 0};
                for (size_t d = 0; d < 2; d++) {
                    const size_t depth = 2 * p + d;
                    if (i >= m || depth >= k) continue;
                    const float entry = transA ? a[depth * lda + i] : a[i * lda + depth];
                    level[d] = quantized(entry, inverseStep, weightLevels);
                }
                target[p * int16BlockRows] = (int32_t)pair(level[0], level[1]);
            }
        }
}

#if defined(__x86_64__)
INLINE __mmask16 liveLanes(size_t live) { return live >= lanes ? (__mmask16)0xFFFF : (__mmask16)((1u << live) - 1); }

/// 16 entries of B (the first `live`, the rest 0) as levels, clamped to ±4095.
VNNI INLINE __m512i inputLevelsOf(const float *source, size_t live, __m512 inverseStep) {
    const __m512 x = _mm512_maskz_loadu_ps(liveLanes(live), source);
    const __m512i level = _mm512_cvtps_epi32(_mm512_mul_ps(x, inverseStep));
    const __m512i limit = _mm512_set1_epi32((int)inputLevels);
    return _mm512_max_epi32(_mm512_min_epi32(level, limit), _mm512_sub_epi32(_mm512_setzero_si512(), limit));
}

/// The largest magnitude in B's rows × columns (row stride ldb); NaNs are passed over.
VNNI INLINE float largestMagnitude(const float *b, size_t rows, size_t columns, size_t ldb) {
    __m512 largest = _mm512_setzero_ps();
    for (size_t p = 0; p < rows; p++)
        for (size_t j = 0; j < columns; j += lanes) {
            const __m512 x = _mm512_maskz_loadu_ps(liveLanes(columns - j), b + p * ldb + j);
            largest = _mm512_max_ps(_mm512_abs_ps(x), largest);  // the second operand where x is NaN
        }
    return _mm512_reduce_max_ps(largest);
}

/// Copies depths [p0, p0+kc) × columns [j0, j0+columns) of B into panels of 48 columns (the last
/// as wide as its columns rounded up to whole vectors), each 32-bit word holding depths 2p and
/// 2p+1 of one column; columns and depths past the end as zeros.
VNNI INLINE void copyInputPanels(const float *b, size_t ldb, size_t j0, size_t columns, size_t p0, size_t kc,
                                 float inverseStep, int32_t *restrict panels) {
    const size_t pairs = (kc + 1) / 2;
    const __m512 scale = _mm512_set1_ps(inverseStep);
    for (size_t q = 0; q < columns; q += int16BlockColumns) {
        const size_t live = columns - q < int16BlockColumns ? columns - q : int16BlockColumns;
        const size_t vectors = (live + lanes - 1) / lanes;
        int32_t *restrict panel = panels + q * pairs;
        for (size_t p = 0; p < pairs; p++) {
            const size_t depth = p0 + 2 * p;
            const float *even = b + depth * ldb + j0 + q, *odd = even + ldb;
            for (size_t v = 0; v < vectors; v++) {
                const size_t liveHere = live - v * lanes;
                const __m512i low = inputLevelsOf(even + v * lanes, liveHere, scale);
                const __m512i high =
                    depth + 1 < p0 + kc ? inputLevelsOf(odd + v * lanes, liveHere, scale) : _mm512_setzero_si512();
                const __m512i word =
                    _mm512_or_si512(_mm512_and_si512(low, _mm512_set1_epi32(0xFFFF)), _mm512_slli_epi32(high, 16));
                _mm512_storeu_si512(panel + (p * vectors + v) * lanes, word);
            }
        }
    }
}

/// Copies pairs of depths [p0, p0+kc) × columns [j0, j0+columns) of B given as words (pairs row
/// p0/2 + p at bPairs + (p0/2 + p)·ldb, already quantized) into panels as `copyInputPanels` does.
VNNI INLINE void copyPairPanels(const int32_t *bPairs, size_t ldb, size_t j0, size_t columns, size_t p0, size_t kc,
                                int32_t *restrict panels) {
    const size_t pairs = (kc + 1) / 2;
    for (size_t q = 0; q < columns; q += int16BlockColumns) {
        const size_t live = columns - q < int16BlockColumns ? columns - q : int16BlockColumns;
        const size_t vectors = (live + lanes - 1) / lanes;
        int32_t *restrict panel = panels + q * pairs;
        for (size_t p = 0; p < pairs; p++) {
            const int32_t *source = bPairs + (p0 / 2 + p) * ldb + j0 + q;
            for (size_t v = 0; v < vectors; v++)
                _mm512_storeu_si512(panel + (p * vectors + v) * lanes,
                                    _mm512_maskz_loadu_epi32(liveLanes(live - v * lanes), source + v * lanes));
        }
    }
}

/// The register block: rows × columns (≤ 8 × 48) of C over `pairs` depth pairs; `scales[r]` turns
/// row r's integer sums into floats. With `storeFirst` they replace C's block, else add to it.
VNNI INLINE void int16RegisterBlock(int vectors, size_t pairs, const int32_t *restrict aPanel,
                                    const int32_t *restrict bPanel, const float *scales, float *c, size_t ldc,
                                    int storeFirst, size_t rows, size_t columns) {
    __m512i acc[int16BlockRows][int16BlockVectors];
    for (int r = 0; r < int16BlockRows; r++)
        for (int v = 0; v < vectors; v++) acc[r][v] = _mm512_setzero_si512();
    for (size_t p = 0; p < pairs; p++) {
        __m512i y[int16BlockVectors];
        for (int v = 0; v < vectors; v++) y[v] = _mm512_loadu_si512(bPanel + (p * vectors + v) * lanes);
        for (int r = 0; r < int16BlockRows; r++) {
            const __m512i x = _mm512_set1_epi32(aPanel[p * int16BlockRows + r]);
            for (int v = 0; v < vectors; v++) acc[r][v] = _mm512_dpwssd_epi32(acc[r][v], x, y[v]);
        }
    }
    for (size_t r = 0; r < rows; r++) {
        const __m512 scale = _mm512_set1_ps(scales[r]);
        for (int v = 0; v < vectors; v++) {
            const size_t live = columns - (size_t)v * lanes;
            const __mmask16 mask = liveLanes(live);
            float *target = c + r * ldc + (size_t)v * lanes;
            __m512 sum = _mm512_mul_ps(_mm512_cvtepi32_ps(acc[r][v]), scale);
            if (!storeFirst) sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(mask, target));
            _mm512_mask_storeu_ps(target, mask, sum);
        }
    }
}

/// The product with B as floats (`b`) or as quantized pairs of depths (`bPairs`, then bLargest ≥ 0).
VNNI static int int16Product(size_t m, size_t n, size_t k, const int32_t *packed, const float *rowScales,
                             const float *b, const int32_t *bPairs, size_t ldb, float bLargest, float *c, size_t ldc,
                             int addToC) {
    const size_t panelWords = (size_t)int16ColumnBlock * int16DepthBlock / 2;
    int32_t *columnPanels = (int32_t *)tinct_thread_buffer(int16ColumnsOfB, panelWords);
    float *scales = tinct_thread_buffer(int16RowScales, m);
    if (!columnPanels || !scales) return 0;
    if (!(bLargest >= 0)) bLargest = largestMagnitude(b, k, n, ldb);
    const float bStep = bLargest / inputLevels, inverseStep = bLargest > 0 ? inputLevels / bLargest : 0;
    for (size_t i = 0; i < m; i++) scales[i] = rowScales[i] * bStep;
    const size_t allPairs = (k + 1) / 2;
    for (size_t j0 = 0; j0 < n; j0 += int16ColumnBlock) {
        const size_t nc = n - j0 < int16ColumnBlock ? n - j0 : int16ColumnBlock;
        for (size_t p0 = 0; p0 < k; p0 += int16DepthBlock) {
            const size_t kc = k - p0 < int16DepthBlock ? k - p0 : int16DepthBlock, pairs = (kc + 1) / 2;
            if (bPairs) copyPairPanels(bPairs, ldb, j0, nc, p0, kc, columnPanels);
            else copyInputPanels(b, ldb, j0, nc, p0, kc, inverseStep, columnPanels);
            const int storeFirst = p0 == 0 && !addToC;
            for (size_t i = 0; i < m; i += int16BlockRows) {
                const size_t rows = m - i < int16BlockRows ? m - i : int16BlockRows;
                const int32_t *aPanel = packed + (i / int16BlockRows * allPairs + p0 / 2) * int16BlockRows;
                for (size_t j = 0; j < nc; j += int16BlockColumns) {
                    const size_t columns = nc - j < int16BlockColumns ? nc - j : int16BlockColumns;
                    const int vectors = (int)((columns + lanes - 1) / lanes);
                    const int32_t *bPanel = columnPanels + j * pairs;
                    float *block = c + i * ldc + j0 + j;
                    // One call per width, so each inlined copy keeps its accumulators in registers.
                    if (vectors == 3)
                        int16RegisterBlock(3, pairs, aPanel, bPanel, scales + i, block, ldc, storeFirst, rows, columns);
                    else if (vectors == 2)
                        int16RegisterBlock(2, pairs, aPanel, bPanel, scales + i, block, ldc, storeFirst, rows, columns);
                    else
                        int16RegisterBlock(1, pairs, aPanel, bPanel, scales + i, block, ldc, storeFirst, rows, columns);
                }
            }
        }
    }
    return 1;
}
#endif

int tinct_int16_gemm(size_t m, size_t n, size_t k, const int32_t *packed, const float *rowScales, const float *b,
                     size_t ldb, float bLargest, float *c, size_t ldc, int addToC) {
#if defined(__x86_64__)
    if (!available() || m == 0 || n == 0 || k == 0) return 0;
    return int16Product(m, n, k, packed, rowScales, b, NULL, ldb, bLargest, c, ldc, addToC);
#else
    (void)m, (void)n, (void)k, (void)packed, (void)rowScales, (void)b, (void)ldb, (void)bLargest;
    (void)c, (void)ldc, (void)addToC;
    return 0;
#endif
}

int tinct_int16_gemm_pairs(size_t m, size_t n, size_t k, const int32_t *packed, const float *rowScales,
                           const int32_t *bPairs, size_t ldb, float bLargest, float *c, size_t ldc, int addToC) {
#if defined(__x86_64__)
    if (!available() || m == 0 || n == 0 || k == 0 || !(bLargest >= 0)) return 0;
    return int16Product(m, n, k, packed, rowScales, NULL, bPairs, ldb, bLargest, c, ldc, addToC);
#else
    (void)m, (void)n, (void)k, (void)packed, (void)rowScales, (void)bPairs, (void)ldb, (void)bLargest;
    (void)c, (void)ldc, (void)addToC;
    return 0;
#endif
}

#if defined(__x86_64__)
VNNI static float largestMagnitudeOfRow(const float *x, size_t count) { return largestMagnitude(x, 1, count, count); }
#endif

float tinct_largest_magnitude(const float *x, size_t count) {
#if defined(__x86_64__)
    if (available()) return largestMagnitudeOfRow(x, count);
#endif
    float largest = 0;
    for (size_t i = 0; i < count; i++) largest = fmaxf(largest, fabsf(x[i]));
    return largest;
}
