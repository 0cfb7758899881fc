// A thin, prefixed shim over the few MPI calls data-parallel training needs.
//
// Open MPI's libmpi.so.40 is loaded with dlopen at run time, and only when the process was
// started by mpirun: the build needs no MPI headers or libraries, and a plain `tinct train`
// neither links nor loads MPI. Open MPI only — its handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM)
// are the addresses of exported objects, looked up here by name; MPICH uses integers instead.
//
// Every function returns 0 on success, otherwise an MPI error code (or -1 when the library is
// not loaded); `tinct_mpi_load` writes its reason into `message`.
#ifndef TINCT_MPI_H
#define TINCT_MPI_H

#include <stddef.h>

/// Loads libmpi (the first of `library` that opens) and resolves the calls below.
int tinct_mpi_load(const char *library, char *message, size_t message_capacity);
/// MPI_Init (no threads call MPI but the one that initialized it).
int tinct_mpi_init(void);
/// This process's rank and the number of ranks in MPI_COMM_WORLD.
int tinct_mpi_rank(int *rank);
int tinct_mpi_size(int *size);
/// In-place sums over all ranks: every rank ends with the element-wise total.
int tinct_mpi_allreduce_float_sum(float *values, int count);
int tinct_mpi_allreduce_double_sum(double *values, int count);
/// Rank `root`'s `count` bytes copied to every rank.
int tinct_mpi_broadcast_bytes(void *bytes, int count, int root);
int tinct_mpi_barrier(void);
/// Ends every rank of the job with `code` (mpirun then exits non-zero).
int tinct_mpi_abort(int code);
int tinct_mpi_finalize(void);

#endif
