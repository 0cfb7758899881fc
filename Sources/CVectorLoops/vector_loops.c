// Each loop carries target_clones: the compiler emits an AVX-512, an AVX2 and a baseline body
// and the dynamic loader binds the widest the CPU runs (an ifunc). Package.swift compiles this
// file with -ffp-contract=off, so no level fuses a multiply into an add and every level rounds
// exactly as the scalar formula the tests compare with; with -fno-math-errno, so sqrtf is a
// vector instruction; and with -O2 in debug builds too, so the tests run the vector bodies.
#include "vector_loops.h"

#include <math.h>

#if defined(__x86_64__) && defined(__linux__)
#define TINCT_PER_CPU __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TINCT_PER_CPU
#endif

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

const char *tinct_vector_loops_level(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4")) return "avx512";
    if (__builtin_cpu_supports("x86-64-v3")) return "avx2";
#endif
    return "baseline";
}
