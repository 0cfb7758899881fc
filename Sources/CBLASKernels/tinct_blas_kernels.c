// OpenBLAS (Debian's DYNAMIC_ARCH build) picks its kernels from the CPU's family and model
// when the library loads. A processor newer than the library — or a virtual machine that
// hides the model — makes it fall back to "Prescott", its SSE3 kernels: on a 2-core AVX-512
// Xeon that was 32 GFLOP/s per core instead of 143 (a 1024×512×4096 product), and a Tinct
// training step 1.8× slower.
//
// The choice is made once, before any of Tinct's code runs, and only the OPENBLAS_CORETYPE
// environment variable overrides it. So this constructor, which runs after OpenBLAS's own,
// compares the kernels OpenBLAS picked with the widest vector instructions the CPU and the
// OS support; when the CPU could run a better set, it re-executes the same program with the
// same arguments and OPENBLAS_CORETYPE naming that set. A user's own OPENBLAS_CORETYPE is
// left as it is unless TINCT_BLAS_KERNELS=widest asks Tinct to replace an older set it names.
// If the relaunch fails, the process goes on with OpenBLAS's choice.
#define _GNU_SOURCE
#include "tinct_blas_kernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

extern char *openblas_get_corename(void);

/// Vector levels, each a superset of the one before.
enum VectorLevel { SSE = 1, AVX = 2, AVX2_FMA = 3, AVX512 = 4 };

/// The OpenBLAS kernel set each level runs best (ordered by level).
static const char *const kernelsForLevel[] = {[AVX] = "Sandybridge", [AVX2_FMA] = "Haswell", [AVX512] = "SkylakeX"};

static const char *const relaunchMarker = "TINCT_BLAS_KERNELS_REPLACED";
static const char *const widestRequest = "TINCT_BLAS_KERNELS";

/// The level a kernel set of OpenBLAS needs; SSE for any it does not name here.
static enum VectorLevel level_of_kernels(const char *name) {
    static const struct { const char *name; enum VectorLevel level; } known[] = {
        {"SkylakeX", AVX512}, {"Cooperlake", AVX512}, {"SapphireRapids", AVX512},
        {"Haswell", AVX2_FMA}, {"Zen", AVX2_FMA}, {"Excavator", AVX2_FMA},
        {"Sandybridge", AVX}, {"Bulldozer", AVX}, {"Piledriver", AVX}, {"Steamroller", AVX},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (name && strcasecmp(name, known[i].name) == 0) return known[i].level;
    }
    return SSE;
}

/// The widest level this CPU runs with the OS saving its registers (the compiler's CPU
/// check reads CPUID and XGETBV).
static enum VectorLevel level_of_cpu(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512cd"))
        return AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return AVX2_FMA;
    if (__builtin_cpu_supports("avx")) return AVX;
#endif
    return SSE;
}

const char *tinct_blas_kernels(void) { return openblas_get_corename(); }

const char *tinct_blas_kernels_replaced(void) { return getenv(relaunchMarker); }

const char *tinct_blas_kernels_for_cpu(void) {
    enum VectorLevel cpu = level_of_cpu();
    return cpu > SSE ? kernelsForLevel[cpu] : NULL;
}

int tinct_blas_kernels_at_least(const char *name, const char *other) {
    return level_of_kernels(name) >= level_of_kernels(other);
}

/// Whether TINCT_BLAS_KERNELS asks for the widest set the CPU runs even over an
/// OPENBLAS_CORETYPE that names an older one (a machine image may set OPENBLAS_CORETYPE for
/// every program; see README "Engine"). Any other value is reported once and ignored.
static int user_asked_for_widest(void) {
    const char *asked = getenv(widestRequest);
    if (asked == NULL || *asked == '\0') return 0;
    if (strcasecmp(asked, "widest") == 0) return 1;
    fprintf(stderr, "tinct: %s=%s is not understood (the one value is \"widest\"); ignored\n", widestRequest, asked);
    return 0;
}

__attribute__((constructor)) static void tinct_choose_blas_kernels(int argc, char **argv, char **envp) {
    (void)argc;
    (void)envp;
    if (argv == NULL) return;
    if (getenv("OPENBLAS_CORETYPE") != NULL && !user_asked_for_widest()) return;
    const char *picked = openblas_get_corename();
    enum VectorLevel cpu = level_of_cpu();
    if (cpu <= level_of_kernels(picked)) return;
    if (setenv("OPENBLAS_CORETYPE", kernelsForLevel[cpu], 1) != 0) return;
    setenv(relaunchMarker, picked ? picked : "unknown", 1);
    execv("/proc/self/exe", argv);
    // Still here: the relaunch failed; keep OpenBLAS's own choice.
    unsetenv("OPENBLAS_CORETYPE");
    unsetenv(relaunchMarker);
}
