// Elementwise loops of the engine that Swift, built for the baseline x86-64 (SSE2), cannot
// widen: each is compiled once per vector level and the CPU's best is picked when the
// program loads (see vector_loops.c).
#ifndef TINCT_VECTOR_LOOPS_H
#define TINCT_VECTOR_LOOPS_H

#include <stddef.h>
#include <stdint.h>

/// One Adam update of `count` parameters, element by element exactly as Sources/NN/Adam.swift
/// documents it (the same operations in the same order, no fused multiply-add, so every
/// vector level gives the same bits):
///   m ← m + (g − m)(1 − β₁);  v ← β₂v + (1 − β₂)·g·g;  p ← p − stepSize·m / (√v / correction2Root + ε)
void tinct_adam_update(float *parameters, const float *gradients, float *firstMoments, float *secondMoments,
                       size_t count, float beta1, float beta2, float stepSize, float correction2Root, float eps);

/// Σ values[i] in double precision, and Σ (values[i] − mean)² when `squaredAround` is
/// nonzero. The order of the additions is fixed by the source — eight running sums over
/// i mod 8, the rest added to the first, then combined pairwise — so every vector level gives
/// the same bits.
double tinct_sum_double(const float *values, size_t count, double mean, int squaredAround);

/// Σ dy[i] and Σ dy[i]·xhat[i] in single precision, in the same fixed order as
/// tinct_sum_double (batch norm's backward sums).
void tinct_gradient_sums(const float *dy, const float *xhat, size_t count, float *sumDy, float *sumDyXhat);

/// y[i] = x[i] > 0 ? x[i] : 0 (ReLU).
void tinct_relu(const float *x, float *y, size_t count);

/// y[i] = x[i] > 0 ? x[i] : slope·x[i] (LeakyReLU).
void tinct_leaky_relu(const float *x, float *y, size_t count, float slope);

/// dx[i] = dy[i] · (x[i] > 0 ? 1 : slope): the input gradient of LeakyReLU, and of ReLU with
/// slope 0.
void tinct_rectifier_gradient(const float *x, const float *dy, float *dx, size_t count, float slope);

/// y[i] = tanh(x[i]), computed in double precision (exp by range reduction and a degree-10
/// polynomial, x − x³/3 below 10⁻³) and rounded once to float: the float nearest the true
/// value wherever tested, as Float(tanh(Double(x))) is; NaN stays NaN, −0 stays −0.
void tinct_tanh(const float *x, float *y, size_t count);

/// col2im of one (image, channel) input plane, any stride (the adjoint of im2col):
/// plane = base, then each tap's lines added where they were read from, taps (i, j) in order,
/// then rows, then columns. Additions only, in that order: the same bits at every level.
void tinct_col2im_plane(const float *columns, size_t tapStride, size_t h, size_t w, size_t kh, size_t kw,
                        size_t stride, size_t padding, size_t oh, size_t ow, float base, float *plane);

/// im2col of one (image, channel) input plane for a stride-2 convolution. `plane` (h × w) is
/// split into its four stride phases in `scratch` (h·w floats: even rows' even columns, even
/// rows' odd columns, odd rows' even columns, odd rows' odd columns), where a tap's entries are
/// contiguous; then the oh lines of ow floats of tap (i, j), at columns + (i·kw + j)·tapStride,
/// are copied from its phase, zero where the tap falls outside the plane (padding). A copy:
/// the same bits at every vector level.
void tinct_im2col_stride2_plane(const float *plane, size_t h, size_t w, size_t kh, size_t kw, size_t padding,
                                size_t oh, size_t ow, float *scratch, float *columns, size_t tapStride);

/// The same for the int16 product (Sources/CGEMMKernels/int16_gemm.c), kw even: each pair of
/// taps (i, j), (i, j+1) becomes one line of 32-bit words at pairs + (i·kw + j)/2 · pairStride,
/// word x holding the two taps' entries as levels, round(entry · inverseStep) clamped to
/// ±levels, the first in its low 16 bits. `scratch` holds h·w + 2·ow floats.
void tinct_im2col_stride2_plane_int16(const float *plane, size_t h, size_t w, size_t kh, size_t kw, size_t padding,
                                      size_t oh, size_t ow, float *scratch, float inverseStep, float levels,
                                      int32_t *pairs, size_t pairStride);

/// col2im of one (image, channel) input plane for a stride-2 convolution, the adjoint of
/// tinct_im2col_stride2_plane: each tap (i, j)'s lines (at columns + (i·kw + j)·tapStride) are
/// added, taps in order, into the phase planes in `scratch` (h·w floats, cleared first), and
/// the phases are then interleaved into `plane` (h × w) over `base`: plane = base + Σ taps.
/// Additions only, in a fixed order: the same bits at every vector level.
void tinct_col2im_stride2_plane(const float *columns, size_t tapStride, size_t h, size_t w, size_t kh, size_t kw,
                                size_t padding, size_t oh, size_t ow, float base, float *scratch, float *plane);

/// One pass of LineBoundedSmoothing's recursive filter along every row of `plane` (width ×
/// height), left to right then right to left: v[x] += joined[x]·feedback·(v[x∓1] − v[x]), where
/// joined[x] (0 or 1, one per pixel) says whether pixel x is joined to its left neighbour.
void tinct_recursive_filter_rows(float *plane, size_t width, size_t height, const float *joined, float feedback);

/// The same along every column, top to bottom then bottom to top, joined[i] saying whether
/// pixel i is joined to the one above it.
void tinct_recursive_filter_columns(float *plane, size_t width, size_t height, const float *joined,
                                    float feedback);

/// The vector level the loops run at on this CPU: "avx512", "avx2" or "baseline".
const char *tinct_vector_loops_level(void);

#endif
