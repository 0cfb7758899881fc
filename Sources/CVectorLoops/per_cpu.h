// The attribute every loop of this target carries: the compiler emits an AVX-512, an AVX2 and a
// baseline body and the dynamic loader binds the widest the CPU runs (an ifunc).
#ifndef TINCT_PER_CPU_H
#define TINCT_PER_CPU_H

#if defined(__x86_64__) && defined(__linux__)
#define TINCT_PER_CPU __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TINCT_PER_CPU
#endif

#endif
