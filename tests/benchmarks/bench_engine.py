#!/usr/bin/env python
"""Engine speed: W1-W4 on playground.torch and on real torch in the same run, plus W1-W3
inside Pyodide under Node.   python tests/benchmarks/bench_engine.py [--repeat 3] [--no-pyodide]

Both engines run single-threaded (torch.set_num_threads(1); numpy's BLAS limited to one thread
through the environment before numpy loads), so the ratio compares per-op overhead and kernels,
not core counts. Each workload runs once to warm up, then `repeat` times on each engine, taking
turns; the best time counts.
Ratio = engine time / torch time (best against best; also the median over the turns of the
two runs' ratio): lower is better; the targets are <= 0.5 on W1-W3 and <= 1.0 on W4. Prints a
Markdown table (for the README) and, with --json, writes the figures.
"""
import os

for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(var, "1")  # before numpy (and torch) load their BLAS

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "pyodide"))
import engine_workloads  # noqa: E402

TARGETS = {"W1": 0.5, "W2": 0.5, "W3": 0.5, "W4": 1.0}
LABELS = {"W1": "1-D descent on (x-2)^2, 2000 steps",
          "W2": "linear regression 50x2, norm()**2/n, 2000 steps",
          "W3": "MLP 2-32-32-1 tanh/relu, 256 points, SGD momentum, 500 steps",
          "W4": "((A@B).tanh()@B).sum(), 512x512 float32, 10 backward passes"}


def best_times(fn, modules, repeat):
    """The best time of `fn(module)` for each module, their runs taking turns (on a shared
    machine the speed drifts over seconds, and runs of one module after all of the other's
    compared different minutes of it: the W2 ratio moved 0.41-0.60 between such runs), and
    the median over the turns of the second module's time over the first's (a turn's two runs
    see the same minute, so this ratio drifts less than the ratio of the bests)."""
    for module in modules:
        fn(module)  # warm-up: imports, caches, first allocations
    best = [float("inf")] * len(modules)
    turn_ratios = []
    for _ in range(repeat):
        took = []
        for i, module in enumerate(modules):
            t0 = time.perf_counter()
            fn(module)
            took.append(time.perf_counter() - t0)
            best[i] = min(best[i], took[-1])
        turn_ratios.append(took[1] / took[0])
    return best, statistics.median(turn_ratios)


def run_host(repeat):
    import torch
    import playground.torch as engine
    torch.set_num_threads(1)
    rows = {}
    for name, fn in engine_workloads.WORKLOADS.items():
        (t_torch, t_engine), median = best_times(fn, (torch, engine), repeat)
        rows[name] = {"torch_s": t_torch, "engine_s": t_engine, "ratio": t_engine / t_torch,
                      "median_turn_ratio": median}
        print(f"{name}: torch {t_torch:.3f} s, engine {t_engine:.3f} s, "
              f"ratio {t_engine / t_torch:.2f} (median of turns {median:.2f}; "
              f"target <= {TARGETS[name]})", flush=True)
    return rows


PYODIDE_DRIVER = '''
import json, sys, time
sys.path.insert(0, sys.argv[1])
import engine_workloads
import playground.torch as engine
out = {}
for name in ("W1", "W2", "W3"):
    fn = engine_workloads.WORKLOADS[name]
    fn(engine)
    times = []
    for _ in range(int(sys.argv[2])):
        t0 = time.perf_counter(); fn(engine); times.append(time.perf_counter() - t0)
    out[name] = min(times)
print(json.dumps(out))
'''


def run_pyodide(repeat):
    from pyodide_runner import run_json
    script = HERE / "_pyodide_bench_driver.py"
    script.write_text(PYODIDE_DRIVER)
    try:
        return run_json(script, args=[str(HERE), str(repeat)], timeout=1800)
    finally:
        script.unlink()


def table(host, pyo):
    lines = ["| workload | torch 2.13 CPU (1 thread) | playground.torch | ratio | median of turns "
             "| target |" + (" in Pyodide (Node) |" if pyo else ""),
             "|---|---|---|---|---|---|" + ("---|" if pyo else "")]
    for name, r in host.items():
        line = (f"| {name}: {LABELS[name]} | {r['torch_s']:.3f} s | {r['engine_s']:.3f} s | "
                f"{r['ratio']:.2f} | {r['median_turn_ratio']:.2f} | <= {TARGETS[name]} |")
        if pyo:
            line += f" {pyo[name]:.3f} s |" if name in pyo else " - |"
        lines.append(line)
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-pyodide", action="store_true")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    host = run_host(a.repeat)
    pyo = {} if a.no_pyodide else run_pyodide(a.repeat)
    for name, t in pyo.items():
        print(f"{name} in Pyodide: {t:.3f} s ({t / host[name]['torch_s']:.2f} x host torch)")
    print()
    print(table(host, pyo))
    if a.json:
        a.json.write_text(json.dumps({"host": host, "pyodide": pyo}, indent=1))


if __name__ == "__main__":
    main()
