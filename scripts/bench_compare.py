#!/usr/bin/env python3
"""Tinct's `bench` beside the PyTorch reference, in the same run, as ratios.

For each configuration it alternates: Tinct, PyTorch, Tinct, PyTorch (``--rounds``), each in
its own process so peak RSS is per process, and reports the median of the rounds' medians.
Ratios are PyTorch time / Tinct time (above 1 means Tinct is faster).

The configurations are those of the PyTorch script's CONFIGS table: by default
scripts/bench/torch_pix2pix.py, the repository's copy of the shared reference whose table
matches `tinct bench` (the planes the modes really use, photo-128); ``--torch-script
../shared/bench/torch_pix2pix.py`` times the shared reference's own table instead (only the
configurations both know are compared, with a warning where their input planes differ).

Usage:  python3 scripts/bench_compare.py [--tinct .build/release/tinct] [--python .venv/bin/python]
                                         [--torch-script PATH] [--only NAME] [--rounds 2] [--repeat 5]
Needs a release build of tinct and a Python with torch (make .venv/bin/python).
"""
import argparse, ast, json, os, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
TORCH_SCRIPT = os.path.join(HERE, "bench", "torch_pix2pix.py")
SHARED_TORCH_SCRIPT = os.path.join(HERE, "..", "..", "shared", "bench", "torch_pix2pix.py")


def configuration_names(script):
    """The names in a torch_pix2pix.py's CONFIGS table, read without importing torch."""
    with open(script) as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "CONFIGS" for t in node.targets):
            return [row[0] for row in ast.literal_eval(node.value)]
    raise SystemExit(f"{script}: no CONFIGS table")


# Runs the PyTorch script in-process and reports that process's own peak RSS on stderr.
TORCH_WRAPPER = ("import json, resource, runpy, sys; script = sys.argv[1]; sys.argv = sys.argv[1:]; "
                 "runpy.run_path(script, run_name='__main__'); "
                 "print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)")


def run(cmd):
    """Runs one benchmark process; returns its JSON line and its peak RSS in MiB (if reported)."""
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    line = [l for l in done.stdout.splitlines() if l.startswith("{")][-1]
    rss = [float(l.split()[1]) for l in done.stderr.splitlines() if l.startswith("RSS ")]
    return json.loads(line), (rss[-1] if rss else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tinct", default=os.path.join(HERE, "..", ".build", "release", "tinct"))
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--torch-script", default=TORCH_SCRIPT,
                    help=f"the PyTorch reference to run (default: the repository's copy; shared one: {os.path.normpath(SHARED_TORCH_SCRIPT)})")
    ap.add_argument("--only")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    kernels = subprocess.run([args.tinct, "bench", "--kernels"], capture_output=True, text=True).stderr.strip()
    print(kernels.replace("\n", "; "), flush=True)
    rows = []
    for name in configuration_names(args.torch_script):
        if args.only and args.only != name:
            continue
        tinct, torch = [], []
        for _ in range(args.rounds):
            tinct.append(run([args.tinct, "bench", "--only", name, "--repeat", str(args.repeat)]))
            torch.append(run([args.python, "-c", TORCH_WRAPPER, args.torch_script, "--only", name, "--repeat", str(args.repeat)]))
        if tinct[0][0]["in_nc"] != torch[0][0]["in_nc"]:
            print(f"warning: {name}: Tinct feeds {tinct[0][0]['in_nc']} input planes, {args.torch_script} "
                  f"{torch[0][0]['in_nc']}: the figures are not of the same network", file=sys.stderr)
        med = lambda xs, key: round(statistics.median(x[0][key] for x in xs), 1)
        t_inf, p_inf = med(tinct, "infer_ms"), med(torch, "infer_ms")
        # Tinct's inference as its server runs it (int16 products where the CPU has AVX-512
        # VNNI) and with float32 products throughout, both against PyTorch's float32.
        t_inf32 = med(tinct, "infer_float32_ms")
        t_step, p_step = med(tinct, "step_ms"), med(torch, "step_ms")
        row = {"name": name, "tinct_infer_ms": t_inf, "tinct_infer_products": tinct[0][0]["infer_products"],
               "torch_infer_ms": p_inf, "infer_speedup": round(p_inf / t_inf, 2),
               "tinct_infer_float32_ms": t_inf32, "infer_float32_speedup": round(p_inf / t_inf32, 2),
               "tinct_step_ms": t_step, "torch_step_ms": p_step, "step_speedup": round(p_step / t_step, 2),
               "tinct_peak_rss_mib": max(x[0].get("peak_rss_mib", 0) for x in tinct),
               "torch_peak_rss_mib": round(max((x[1] or 0) for x in torch), 1),
               # Tinct's own GEMM operations per step over its median step, and the 1024^3
               # product rates the same process measured, through the engine's GEMM and on
               # OpenBLAS's own threaded sgemm: the shares of the machine a step uses.
               "tinct_step_gflops_per_s": med(tinct, "step_gflops_per_s"),
               "sgemm_gflops_per_s": med(tinct, "sgemm_gflops_per_s"),
               "openblas_sgemm_gflops_per_s": med(tinct, "openblas_sgemm_gflops_per_s")}
        row["sgemm_share"] = round(row["tinct_step_gflops_per_s"] / row["sgemm_gflops_per_s"], 2)
        row["openblas_share"] = round(row["tinct_step_gflops_per_s"] / row["openblas_sgemm_gflops_per_s"], 2)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print("\n| config | Tinct infer ms (products) | PyTorch infer ms | speedup | Tinct float32 infer ms | speedup | Tinct step ms | PyTorch step ms | speedup | Tinct RSS MiB | PyTorch RSS MiB | Tinct step GFLOP/s | engine GEMM GFLOP/s | share | OpenBLAS sgemm GFLOP/s | share |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['name']} | {r['tinct_infer_ms']} ({r['tinct_infer_products']}) | {r['torch_infer_ms']} | {r['infer_speedup']}× | "
              f"{r['tinct_infer_float32_ms']} | {r['infer_float32_speedup']}× | "
              f"{r['tinct_step_ms']} | {r['torch_step_ms']} | {r['step_speedup']}× | {r['tinct_peak_rss_mib']} | {r['torch_peak_rss_mib']} | "
              f"{r['tinct_step_gflops_per_s']} | {r['sgemm_gflops_per_s']} | {r['sgemm_share']} | "
              f"{r['openblas_sgemm_gflops_per_s']} | {r['openblas_share']} |")


if __name__ == "__main__":
    main()
