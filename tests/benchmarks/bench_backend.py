#!/usr/bin/env python
"""The backend over loopback:  python tests/benchmarks/bench_backend.py [--requests 200]

Starts `python -m playground.backend` on 127.0.0.1 (CPU, or CUDA where torch finds a GPU, with
a queue and rate limit roomy enough for the load below) and measures, in the same run:

  round trip     sequential POST /v1/experiments/descent1d (the lesson's default spec):
                 p50 / p99 of the client's wall time, against the compute time the server
                 reports and against compute.run() in this process (what HTTP, JSON, auth
                 and the job queue add)
  throughput     20 concurrent clients, each sending requests back to back: requests per
                 second, p50 / p99 latency, and the number of errors (the target is zero)
  GPU speed-up   the matmul experiment on the server's GPU against its CPU, per size (only
                 where torch finds a CUDA device; says so otherwise)

Prints Markdown tables (for the README).
"""
import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent)]
from backend_support import backend_server, call  # noqa: E402

SPEC = {}  # descent1d's defaults: what the lesson sends when it opens


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def round_trips(url, n):
    wall, compute = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        status, out, _ = call(url, "/v1/experiments/descent1d", SPEC)
        wall.append(time.perf_counter() - t0)
        assert status == 200, out
        compute.append(out["seconds"])
    return wall, compute


def in_process(n):
    import torch

    from playground import compute
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        compute.run("descent1d", SPEC, torch)
        times.append(time.perf_counter() - t0)
    return times


def throughput(url, clients, per_client):
    latencies, errors, lock = [], [], threading.Lock()

    def client():
        for _ in range(per_client):
            t0 = time.perf_counter()
            try:
                status, out, _ = call(url, "/v1/experiments/descent1d", SPEC)
            except OSError as exc:
                status, out = None, str(exc)
            with lock:
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    errors.append((status, out))
    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return clients * per_client / (time.perf_counter() - t0), latencies, errors


def gpu_speedup(url):
    status, info, _ = call(url, "/v1/info")
    if info["device"] != "cuda":
        return None
    sizes = [64, 256, 1024, 4096]
    rows = {}
    for device in ("cpu", "cuda"):
        status, out, _ = call(url, "/v1/experiments/matmul",
                              {"sizes": sizes, "repeat": 5, "device": device}, timeout=600)
        assert status == 200, out
        rows[device] = {r["size"]: r for r in out["result"]["rows"]}
    return info["gpu"]["name"], [(n, rows["cpu"][n]["seconds"], rows["cuda"][n]["seconds"])
                                 for n in sizes]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=25)
    args = parser.parse_args(argv)
    log = Path(tempfile.mkdtemp()) / "backend.log"
    with backend_server(log, ["--device", "auto", "--queue", str(args.clients + 4),
                              "--rate-limit", "1000000", "--burst", "1000000"]) as url:
        round_trips(url, 10)  # warm-up
        wall, compute = round_trips(url, args.requests)
        local = in_process(args.requests)
        rate, latencies, errors = throughput(url, args.clients, args.per_client)
        gpu = gpu_speedup(url)
    ms = lambda s: f"{1000 * s:.1f} ms"  # noqa: E731
    print(f"\n### Backend over loopback ({args.requests} sequential descent1d requests)\n")
    print("| | p50 | p99 |\n|---|---|---|")
    print(f"| round trip (client) | {ms(percentile(wall, 50))} | {ms(percentile(wall, 99))} |")
    print(f"| compute on the server | {ms(percentile(compute, 50))} | "
          f"{ms(percentile(compute, 99))} |")
    print(f"| compute.run in this process | {ms(percentile(local, 50))} | "
          f"{ms(percentile(local, 99))} |")
    print(f"\nHTTP + JSON + auth + queue add {ms(percentile(wall, 50) - percentile(compute, 50))} "
          f"at p50 (round trip / compute = "
          f"{percentile(wall, 50) / percentile(compute, 50):.1f}x).")
    print(f"\n### {args.clients} concurrent clients x {args.per_client} requests\n")
    print("| requests/s | p50 | p99 | errors |\n|---|---|---|---|")
    print(f"| {rate:.0f} | {ms(percentile(latencies, 50))} | {ms(percentile(latencies, 99))} | "
          f"{len(errors)} |")
    if errors:
        print("errors:", errors[:5])
    print("\n### GPU speed-up (matmul)\n")
    if gpu is None:
        print("No CUDA device here: run this on a GPU machine for the matmul speed-up.")
    else:
        name, rows = gpu
        print(f"GPU: {name}\n\n| n | CPU | GPU | speed-up |\n|---|---|---|---|")
        for n, cpu, cuda in rows:
            print(f"| {n} | {ms(cpu)} | {ms(cuda)} | {cpu / cuda:.1f}x |")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
