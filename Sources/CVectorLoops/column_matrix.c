// col2im for any stride and im2col for stride 2, one input plane at a time (stride 2 through
// the plane's four stride phases; see vector_loops.h). The lines are short (15 to 128 floats in the networks'
// layers), so the per-line work of a Swift loop — ranges, calls to copy and clear — cost more
// than the copying; here each line is a plain loop the compiler widens per vector level.
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "vector_loops.h"

#include "per_cpu.h"

/// Output positions [*low, *high) whose input index o·stride − padding + k falls inside
/// [0, size) (ConvGeometry.validRange).
static void validRange(long k, long stride, long padding, long size, long outSize, long *low, long *high) {
    const long shift = padding - k;
    const long top = size - 1 + shift;
    *low = shift > 0 ? (shift + stride - 1) / stride : 0;
    *high = top < 0 ? 0 : (top / stride + 1 < outSize ? top / stride + 1 : outSize);
    if (*low >= *high) *low = *high = 0;
}

TINCT_PER_CPU
void tinct_col2im_plane(const float *columns, size_t tapStride, size_t h, size_t w, size_t kh, size_t kw,
                        size_t stride, size_t padding, size_t oh, size_t ow, float base, float *plane) {
    const long s = (long)stride;
    for (long e = 0; e < (long)(h * w); e++) plane[e] = base;
    for (long i = 0; i < (long)kh; i++) {
        long rowLow, rowHigh;
        validRange(i, s, (long)padding, (long)h, (long)oh, &rowLow, &rowHigh);
        for (long j = 0; j < (long)kw; j++) {
            long low, high;
            validRange(j, s, (long)padding, (long)w, (long)ow, &low, &high);
            if (low == high) continue;
            const float *lines = columns + (i * (long)kw + j) * (long)tapStride;
            for (long y = rowLow; y < rowHigh; y++) {
                float *target = plane + (y * s - (long)padding + i) * (long)w + j - (long)padding;
                const float *line = lines + y * (long)ow;
                if (s == 1)
                    for (long x = low; x < high; x++) target[x] += line[x];
                else
                    for (long x = low; x < high; x++) target[x * s] += line[x];
            }
        }
    }
}

/// Where the four stride phases of an h × w plane lie in its scratch: phase (row parity,
/// column parity) starts at starts[row parity][column parity], its rows widths[column parity]
/// floats long.
typedef struct {
    long starts[2][2], widths[2];
} Phases;

static Phases phasesOf(long h, long w) {
    const long evenRows = (h + 1) / 2, evenColumns = (w + 1) / 2;
    return (Phases){{{0, evenRows * evenColumns}, {evenRows * w, evenRows * w + (h / 2) * evenColumns}},
                    {evenColumns, w / 2}};
}

/// One kernel tap seen through the phases: its lines and where output (y, x) reads its
/// phase, phase[(y + rowShift)·phaseRow + x + columnShift]; rows [rowLow, rowHigh) and
/// columns [low, high) fall inside the plane.
typedef struct {
    long rowShift, columnShift, phaseRow, start;
    long rowLow, rowHigh, low, high;
} Tap;

static Tap tapOf(Phases p, long i, long j, long padding, long h, long w, long oh, long ow) {
    const long rowOffset = i - padding, columnOffset = j - padding;
    const long rowParity = rowOffset & 1, columnParity = columnOffset & 1;
    Tap t = {(rowOffset - rowParity) / 2, (columnOffset - columnParity) / 2, p.widths[columnParity],
             p.starts[rowParity][columnParity], 0, 0, 0, 0};
    validRange(i, 2, padding, h, oh, &t.rowLow, &t.rowHigh);
    validRange(j, 2, padding, w, ow, &t.low, &t.high);
    return t;
}

/// Splits an h × w plane into its four stride phases in `scratch` (see Phases).
static inline void splitPhases(const float *plane, long h, long w, Phases p, float *scratch) {
    const long evenColumns = p.widths[0], oddColumns = p.widths[1];
    for (long r = 0; r < h; r++) {
        const float *line = plane + r * w;
        float *even = scratch + p.starts[r & 1][0] + (r >> 1) * evenColumns;
        float *odd = scratch + p.starts[r & 1][1] + (r >> 1) * oddColumns;
        for (long v = 0; v < oddColumns; v++) {
            even[v] = line[2 * v];
            odd[v] = line[2 * v + 1];
        }
        if (evenColumns > oddColumns) even[evenColumns - 1] = line[w - 1];
    }
}

/// Line y of tap `t` (ow entries, zeros outside the plane) into `out`.
static inline void tapLine(const float *scratch, Tap t, long y, long ow, float *out) {
    if (y < t.rowLow || y >= t.rowHigh || t.low == t.high) {
        for (long x = 0; x < ow; x++) out[x] = 0;
        return;
    }
    const float *source = scratch + t.start + (y + t.rowShift) * t.phaseRow + t.columnShift;
    for (long x = 0; x < t.low; x++) out[x] = 0;
    for (long x = t.low; x < t.high; x++) out[x] = source[x];
    for (long x = t.high; x < ow; x++) out[x] = 0;
}

TINCT_PER_CPU
void tinct_im2col_stride2_plane(const float *plane, size_t h, size_t w, size_t kh, size_t kw, size_t padding,
                                size_t oh, size_t ow, float *scratch, float *columns, size_t tapStride) {
    const Phases p = phasesOf((long)h, (long)w);
    splitPhases(plane, (long)h, (long)w, p, scratch);
    for (long i = 0; i < (long)kh; i++)
        for (long j = 0; j < (long)kw; j++) {
            const Tap t = tapOf(p, i, j, (long)padding, (long)h, (long)w, (long)oh, (long)ow);
            float *lines = columns + (i * (long)kw + j) * (long)tapStride;
            for (long y = 0; y < (long)oh; y++) tapLine(scratch, t, y, (long)ow, lines + y * (long)ow);
        }
}

TINCT_PER_CPU
void tinct_im2col_stride2_plane_int16(const float *plane, size_t h, size_t w, size_t kh, size_t kw, size_t padding,
                                      size_t oh, size_t ow, float *scratch, float inverseStep, float levels,
                                      int32_t *pairs, size_t pairStride) {
    const Phases p = phasesOf((long)h, (long)w);
    splitPhases(plane, (long)h, (long)w, p, scratch);
    float *even = scratch + h * w, *odd = even + ow;
    for (long i = 0; i < (long)kh; i++)
        for (long j = 0; j + 1 < (long)kw; j += 2) {
            const Tap first = tapOf(p, i, j, (long)padding, (long)h, (long)w, (long)oh, (long)ow);
            const Tap second = tapOf(p, i, j + 1, (long)padding, (long)h, (long)w, (long)oh, (long)ow);
            int32_t *lines = pairs + (i * (long)kw + j) / 2 * (long)pairStride;
            for (long y = 0; y < (long)oh; y++) {
                tapLine(scratch, first, y, (long)ow, even);
                tapLine(scratch, second, y, (long)ow, odd);
                int32_t *out = lines + y * (long)ow;
                for (long x = 0; x < (long)ow; x++) {
                    const float low = fminf(fmaxf(nearbyintf(even[x] * inverseStep), -levels), levels);
                    const float high = fminf(fmaxf(nearbyintf(odd[x] * inverseStep), -levels), levels);
                    out[x] = (int32_t)((uint32_t)(uint16_t)(int32_t)low | (uint32_t)(int32_t)high << 16);
                }
            }
        }
}

TINCT_PER_CPU
void tinct_col2im_stride2_plane(const float *columns, size_t tapStride, size_t h, size_t w, size_t kh, size_t kw,
                                size_t padding, size_t oh, size_t ow, float base, float *scratch, float *plane) {
    const Phases p = phasesOf((long)h, (long)w);
    const long evenColumns = p.widths[0], oddColumns = p.widths[1];
    for (long e = 0; e < (long)(h * w); e++) scratch[e] = 0;
    for (long i = 0; i < (long)kh; i++)
        for (long j = 0; j < (long)kw; j++) {
            const Tap t = tapOf(p, i, j, (long)padding, (long)h, (long)w, (long)oh, (long)ow);
            if (t.low == t.high) continue;
            const float *lines = columns + (i * (long)kw + j) * (long)tapStride;
            for (long y = t.rowLow; y < t.rowHigh; y++) {
                float *target = scratch + t.start + (y + t.rowShift) * t.phaseRow + t.columnShift;
                const float *line = lines + y * (long)ow;
                for (long x = t.low; x < t.high; x++) target[x] += line[x];
            }
        }
    for (long r = 0; r < (long)h; r++) {
        float *line = plane + r * (long)w;
        const float *even = scratch + p.starts[r & 1][0] + (r >> 1) * evenColumns;
        const float *odd = scratch + p.starts[r & 1][1] + (r >> 1) * oddColumns;
        for (long v = 0; v < oddColumns; v++) {
            line[2 * v] = base + even[v];
            line[2 * v + 1] = base + odd[v];
        }
        if (evenColumns > oddColumns) line[w - 1] = base + even[evenColumns - 1];
    }
}
