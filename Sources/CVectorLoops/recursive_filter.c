// The first-order recursive filter of LineBoundedSmoothing (Sources/Pix2Pix/Colorization):
// v[i] ← v[i] + w[i]·f·(v[i−1] − v[i]) along rows and columns of a plane. A column pass runs a
// whole row of columns at once, which vectorizes; a row pass is one recurrence per row, so rows
// run in groups of 8 side by side: 8 independent chains in flight instead of one waiting on
// each add (the Swift loops this replaces took ~10 cycles a pixel). Compiled with
// -ffp-contract=off like every loop here: each pixel's operations and their order are the
// formula's, so the result is the same at every vector level and in every grouping.
#include "vector_loops.h"

#include "per_cpu.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { rowsAtOnce = 8 };

/// A colour carried away from its source decays by the feedback at every pixel and reaches
/// subnormal floats (below 1.2e-38) a few hundred pixels on, where each x86 operation takes
/// ~100 cycles: the passes flush those to zero (FTZ and DAZ in MXCSR), for this thread and only
/// while they run. No value a caller reads changes by more than 1.2e-38.
typedef struct {
    unsigned saved;
} SubnormalsFlushed;

static inline SubnormalsFlushed flushSubnormals(void) {
#if defined(__x86_64__)
    const unsigned saved = _mm_getcsr();
    _mm_setcsr(saved | 0x8040);  // FTZ (bit 15) and DAZ (bit 6)
    return (SubnormalsFlushed){saved};
#else
    return (SubnormalsFlushed){0};
#endif
}

static inline void restoreSubnormals(SubnormalsFlushed state) {
#if defined(__x86_64__)
    _mm_setcsr(state.saved);
#else
    (void)state;
#endif
}


TINCT_PER_CPU
void tinct_recursive_filter_rows(float *plane, size_t width, size_t height, const float *joined, float feedback) {
    if (width < 2) return;
    const SubnormalsFlushed state = flushSubnormals();
    for (size_t y0 = 0; y0 < height; y0 += rowsAtOnce) {
        const size_t rows = height - y0 < rowsAtOnce ? height - y0 : rowsAtOnce;
        float *row = plane + y0 * width;
        const float *link = joined + y0 * width;
        for (size_t x = 1; x < width; x++) {
#pragma clang loop vectorize(disable)
            for (size_t r = 0; r < rows; r++) {
                float *v = row + r * width;
                v[x] += link[r * width + x] * feedback * (v[x - 1] - v[x]);
            }
        }
        for (size_t x = width - 1; x-- > 0;) {
#pragma clang loop vectorize(disable)
            for (size_t r = 0; r < rows; r++) {
                float *v = row + r * width;
                v[x] += link[r * width + x + 1] * feedback * (v[x + 1] - v[x]);
            }
        }
    }
    restoreSubnormals(state);
}

TINCT_PER_CPU
void tinct_recursive_filter_columns(float *plane, size_t width, size_t height, const float *joined,
                                    float feedback) {
    if (height < 2) return;
    const SubnormalsFlushed state = flushSubnormals();
    for (size_t y = 1; y < height; y++) {
        float *restrict row = plane + y * width;
        const float *restrict above = row - width, *restrict link = joined + y * width;
        for (size_t x = 0; x < width; x++) row[x] += link[x] * feedback * (above[x] - row[x]);
    }
    for (size_t y = height - 1; y-- > 0;) {
        float *restrict row = plane + y * width;
        const float *restrict below = row + width, *restrict link = joined + (y + 1) * width;
        for (size_t x = 0; x < width; x++) row[x] += link[x] * feedback * (below[x] - row[x]);
    }
    restoreSubnormals(state);
}
