// The per-thread buffers of the product kernels (see vectors.h). A thread's buffers are freed
// when it exits (Dispatch's threads come and go), through a pthread key's destructor.
#include <pthread.h>
#include <stdlib.h>

#include "vectors.h"

typedef struct {
    float *buffers[threadBufferSlots];
    size_t counts[threadBufferSlots];
} ThreadBuffers;

static _Thread_local ThreadBuffers *mine;
static pthread_key_t exitKey;
static pthread_once_t exitKeyOnce = PTHREAD_ONCE_INIT;

static void freeBuffers(void *pointer) {
    ThreadBuffers *buffers = pointer;
    for (int slot = 0; slot < threadBufferSlots; slot++) free(buffers->buffers[slot]);
    free(buffers);
}

static void makeExitKey(void) { pthread_key_create(&exitKey, freeBuffers); }

float *tinct_thread_buffer(int slot, size_t count) {
    if (!mine) {
        pthread_once(&exitKeyOnce, makeExitKey);
        ThreadBuffers *fresh = calloc(1, sizeof *fresh);
        if (!fresh || pthread_setspecific(exitKey, fresh) != 0) {
            free(fresh);
            return NULL;
        }
        mine = fresh;
    }
    if (count <= mine->counts[slot]) return mine->buffers[slot];
    float *grown = aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64);
    if (!grown) return NULL;
    free(mine->buffers[slot]);
    mine->buffers[slot] = grown;
    mine->counts[slot] = count;
    return grown;
}
