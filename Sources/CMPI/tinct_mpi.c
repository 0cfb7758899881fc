// See include/tinct_mpi.h. The MPI prototypes are restated with `void *` handles: Open MPI's
// MPI_Comm, MPI_Datatype and MPI_Op are pointers to the objects resolved in `tinct_mpi_load`.
#include "tinct_mpi.h"

#include <dlfcn.h>
#include <stdio.h>

typedef int (*init_fn)(int *, char ***);
typedef int (*comm_int_fn)(void *, int *);
typedef int (*allreduce_fn)(const void *, void *, int, void *, void *, void *);
typedef int (*bcast_fn)(void *, int, void *, int, void *);
typedef int (*comm_fn)(void *);
typedef int (*abort_fn)(void *, int);
typedef int (*void_fn)(void);

static struct {
    init_fn init;
    comm_int_fn rank, size;
    allreduce_fn allreduce;
    bcast_fn bcast;
    comm_fn barrier;
    abort_fn abort;
    void_fn finalize;
    void *world, *float_type, *double_type, *byte_type, *sum;
} mpi;

// Open MPI's MPI_IN_PLACE.
#define TINCT_MPI_IN_PLACE ((void *)1)

static void *resolve(void *library, const char *name, int *missing, char *message, size_t capacity) {
    void *symbol = dlsym(library, name);
    if (!symbol && !*missing) {
        *missing = 1;
        snprintf(message, capacity, "%s has no symbol %s (is it Open MPI?)", "libmpi", name);
    }
    return symbol;
}

int tinct_mpi_load(const char *library_name, char *message, size_t capacity) {
    // RTLD_GLOBAL: Open MPI's components, loaded by libmpi itself, resolve libmpi's symbols.
    void *library = dlopen(library_name, RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        const char *reason = dlerror();
        snprintf(message, capacity, "%s", reason ? reason : "dlopen failed");
        return -1;
    }
    int missing = 0;
    mpi.init = (init_fn)resolve(library, "MPI_Init", &missing, message, capacity);
    mpi.rank = (comm_int_fn)resolve(library, "MPI_Comm_rank", &missing, message, capacity);
    mpi.size = (comm_int_fn)resolve(library, "MPI_Comm_size", &missing, message, capacity);
    mpi.allreduce = (allreduce_fn)resolve(library, "MPI_Allreduce", &missing, message, capacity);
    mpi.bcast = (bcast_fn)resolve(library, "MPI_Bcast", &missing, message, capacity);
    mpi.barrier = (comm_fn)resolve(library, "MPI_Barrier", &missing, message, capacity);
    mpi.abort = (abort_fn)resolve(library, "MPI_Abort", &missing, message, capacity);
    mpi.finalize = (void_fn)resolve(library, "MPI_Finalize", &missing, message, capacity);
    mpi.world = resolve(library, "ompi_mpi_comm_world", &missing, message, capacity);
    mpi.float_type = resolve(library, "ompi_mpi_float", &missing, message, capacity);
    mpi.double_type = resolve(library, "ompi_mpi_double", &missing, message, capacity);
    mpi.byte_type = resolve(library, "ompi_mpi_byte", &missing, message, capacity);
    mpi.sum = resolve(library, "ompi_mpi_op_sum", &missing, message, capacity);
    if (missing) {
        mpi.init = NULL;
        return -1;
    }
    return 0;
}

int tinct_mpi_init(void) { return mpi.init ? mpi.init(NULL, NULL) : -1; }
int tinct_mpi_rank(int *rank) { return mpi.init ? mpi.rank(mpi.world, rank) : -1; }
int tinct_mpi_size(int *size) { return mpi.init ? mpi.size(mpi.world, size) : -1; }

int tinct_mpi_allreduce_float_sum(float *values, int count) {
    return mpi.init ? mpi.allreduce(TINCT_MPI_IN_PLACE, values, count, mpi.float_type, mpi.sum, mpi.world) : -1;
}

int tinct_mpi_allreduce_double_sum(double *values, int count) {
    return mpi.init ? mpi.allreduce(TINCT_MPI_IN_PLACE, values, count, mpi.double_type, mpi.sum, mpi.world) : -1;
}

int tinct_mpi_broadcast_bytes(void *bytes, int count, int root) {
    return mpi.init ? mpi.bcast(bytes, count, mpi.byte_type, root, mpi.world) : -1;
}

int tinct_mpi_barrier(void) { return mpi.init ? mpi.barrier(mpi.world) : -1; }
int tinct_mpi_abort(int code) { return mpi.init ? mpi.abort(mpi.world, code) : -1; }
int tinct_mpi_finalize(void) { return mpi.init ? mpi.finalize() : -1; }
