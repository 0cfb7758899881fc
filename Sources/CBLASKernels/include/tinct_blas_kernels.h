// Which OpenBLAS kernel set this process runs, and whether Tinct chose it (see
// tinct_blas_kernels.c for why and how).
#ifndef TINCT_BLAS_KERNELS_H
#define TINCT_BLAS_KERNELS_H

/// OpenBLAS's name for the kernel set it runs ("SkylakeX", "Haswell", "Prescott", …).
const char *tinct_blas_kernels(void);

/// The kernel set OpenBLAS had picked by itself when Tinct relaunched the process with a
/// better one for this CPU, or NULL when OpenBLAS's own choice (or the user's
/// OPENBLAS_CORETYPE) stands.
const char *tinct_blas_kernels_replaced(void);

/// The kernel set Tinct would choose for this CPU ("SkylakeX", "Haswell", "Sandybridge"), or
/// NULL when the CPU has no AVX (OpenBLAS's own choice then always stands).
const char *tinct_blas_kernels_for_cpu(void);

/// Whether OpenBLAS's kernel set `name` uses vector instructions at least as wide as
/// `other`'s (names OpenBLAS does not list here count as SSE).
int tinct_blas_kernels_at_least(const char *name, const char *other);

#endif
