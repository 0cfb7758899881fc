// Each loop carries target_clones: the compiler emits an AVX-512, an AVX2 and a baseline body
// and the dynamic loader binds the widest the CPU runs (an ifunc). Package.swift compiles this
// file with -ffp-contract=off, so no level fuses a multiply into an add and every level rounds
// exactly as the scalar formula the tests compare with; with -fno-math-errno, so sqrtf is a
// vector instruction; and with -O2 in debug builds too, so the tests run the vector bodies.
#include "vector_loops.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "per_cpu.h"

TINCT_PER_CPU
void tinct_adam_update(float *restrict parameters, const float *restrict gradients, float *restrict firstMoments,
                       float *restrict secondMoments, size_t count, float beta1, float beta2, float stepSize,
                       float correction2Root, float eps) {
    const float keep1 = 1 - beta1, keep2 = 1 - beta2;
    for (size_t i = 0; i < count; i++) {
        const float g = gradients[i];
        const float m = firstMoments[i] + (g - firstMoments[i]) * keep1;
        const float s = beta2 * secondMoments[i] + keep2 * g * g;
        firstMoments[i] = m;
        secondMoments[i] = s;
        parameters[i] -= stepSize * m / (sqrtf(s) / correction2Root + eps);
    }
}

TINCT_PER_CPU
void tinct_relu(const float *restrict x, float *restrict y, size_t count) {
    for (size_t i = 0; i < count; i++) y[i] = x[i] > 0 ? x[i] : 0;
}

TINCT_PER_CPU
void tinct_leaky_relu(const float *restrict x, float *restrict y, size_t count, float slope) {
    for (size_t i = 0; i < count; i++) y[i] = x[i] > 0 ? x[i] : slope * x[i];
}

TINCT_PER_CPU
void tinct_rectifier_gradient(const float *restrict x, const float *restrict dy, float *restrict dx, size_t count, float slope) {
    for (size_t i = 0; i < count; i++) dx[i] = dy[i] * (x[i] > 0 ? 1.0f : slope);
}

TINCT_PER_CPU
void tinct_tanh(const float *restrict x, float *restrict y, size_t count) {
    for (size_t i = 0; i < count; i++) {
        const double v = x[i];
        // tanh(|v|) = (1 − t)/(1 + t) with t = e^(−2|v|); |v| ≥ 10 rounds to ±1 in float.
        const double a = fmin(fabs(v), 10.0);
        const double e = -2.0 * a;
        // e^e = 2^k · e^r, |r| ≤ ln2/2; e^r by its Taylor series to r¹⁰ (relative error < 10⁻¹²).
        const double k = nearbyint(e * 1.4426950408889634);
        const double r = e - k * 0.6931471805599453;
        double p = 1.0 / 3628800.0;
        p = p * r + 1.0 / 362880.0;
        p = p * r + 1.0 / 40320.0;
        p = p * r + 1.0 / 5040.0;
        p = p * r + 1.0 / 720.0;
        p = p * r + 1.0 / 120.0;
        p = p * r + 1.0 / 24.0;
        p = p * r + 1.0 / 6.0;
        p = p * r + 0.5;
        p = p * r + 1.0;
        p = p * r + 1.0;
        const int64_t exponentBits = ((int64_t)k + 1023) << 52;
        double twoToK;
        memcpy(&twoToK, &exponentBits, sizeof twoToK);
        const double t = p * twoToK;
        double h = (1.0 - t) / (1.0 + t);
        h = v < 0 ? -h : h;
        // Near 0 the difference above loses digits; the series keeps them (and the sign of −0).
        h = a < 1e-3 ? v * (1.0 - v * v / 3.0) : h;
        y[i] = v != v ? x[i] : (float)h;
    }
}

/// Sums a, lane by lane, into one value in a fixed pairwise order.
#define TINCT_COMBINE_EIGHT(a) (((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7])))

TINCT_PER_CPU
double tinct_sum_double(const float *restrict values, size_t count, double mean, int squaredAround) {
    double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    if (squaredAround) {
        for (; i + 8 <= count; i += 8) {
            for (int k = 0; k < 8; k++) {
                const double t = (double)values[i + k] - mean;
                lanes[k] += t * t;
            }
        }
        for (; i < count; i++) {
            const double t = (double)values[i] - mean;
            lanes[0] += t * t;
        }
    } else {
        for (; i + 8 <= count; i += 8) {
            for (int k = 0; k < 8; k++) lanes[k] += (double)values[i + k];
        }
        for (; i < count; i++) lanes[0] += (double)values[i];
    }
    return TINCT_COMBINE_EIGHT(lanes);
}

TINCT_PER_CPU
void tinct_gradient_sums(const float *restrict dy, const float *restrict xhat, size_t count, float *sumDy, float *sumDyXhat) {
    float plain[8] = {0, 0, 0, 0, 0, 0, 0, 0}, products[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        for (int k = 0; k < 8; k++) {
            plain[k] += dy[i + k];
            products[k] += dy[i + k] * xhat[i + k];
        }
    }
    for (; i < count; i++) {
        plain[0] += dy[i];
        products[0] += dy[i] * xhat[i];
    }
    *sumDy = TINCT_COMBINE_EIGHT(plain);
    *sumDyXhat = TINCT_COMBINE_EIGHT(products);
}

const char *tinct_vector_loops_level(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4")) return "avx512";
    if (__builtin_cpu_supports("x86-64-v3")) return "avx2";
#endif
    return "baseline";
}
