// The per-thread buffers of the skinny kernels (see vectors.h).
#include <stdlib.h>

#include "vectors.h"

static _Thread_local float *buffers[2];
static _Thread_local size_t counts[2];

float *tinct_skinny_buffer(int slot, size_t count) {
    if (count <= counts[slot]) return buffers[slot];
    float *grown = aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64);
    if (!grown) return NULL;
    free(buffers[slot]);
    buffers[slot] = grown;
    counts[slot] = count;
    return grown;
}
