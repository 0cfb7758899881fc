// What Tinct's product kernels share: the vector type, the per-CPU cloning, and growing buffers
// per thread (each core's block of a split product runs on its own thread).
#ifndef TINCT_GEMM_VECTORS_H
#define TINCT_GEMM_VECTORS_H

#include <stddef.h>

#if defined(__x86_64__) && defined(__linux__)
#define TINCT_PER_CPU __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TINCT_PER_CPU
#endif
#define INLINE static inline __attribute__((always_inline))

typedef float vec __attribute__((vector_size(64), aligned(4)));
enum { lanes = 16 };

INLINE vec load(const float *p) { return *(const vec *)p; }
INLINE void store(float *p, vec v) { *(vec *)p = v; }

/// The buffers' slots: one per use, so that one kernel's buffer is never another's.
enum ThreadBufferSlot {
    skinnyWorkspace,
    packedRowsOfA,
    packedColumnsOfB,
    fewColumnsSums,
    int16ColumnsOfB,
    int16RowScales,
    threadBufferSlots
};

/// This thread's buffer `slot`, grown to at least `count` floats, 64-byte aligned; NULL when
/// memory runs out.
float *tinct_thread_buffer(int slot, size_t count);

#endif
