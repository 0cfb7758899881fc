// Elementwise loops of the engine that Swift, built for the baseline x86-64 (SSE2), cannot
// widen: each is compiled once per vector level and the CPU's best is picked when the
// program loads (see vector_loops.c).
#ifndef TINCT_VECTOR_LOOPS_H
#define TINCT_VECTOR_LOOPS_H

#include <stddef.h>

/// One Adam update of `count` parameters, element by element exactly as Sources/NN/Adam.swift
/// documents it (the same operations in the same order, no fused multiply-add, so every
/// vector level gives the same bits):
///   m ← m + (g − m)(1 − β₁);  v ← β₂v + (1 − β₂)·g·g;  p ← p − stepSize·m / (√v / correction2Root + ε)
void tinct_adam_update(float *parameters, const float *gradients, float *firstMoments, float *secondMoments,
                       size_t count, float beta1, float beta2, float stepSize, float correction2Root, float eps);

/// The vector level the loops run at on this CPU: "avx512", "avx2" or "baseline".
const char *tinct_vector_loops_level(void);

#endif
