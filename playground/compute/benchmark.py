"""Matrix multiplication time against size: the devices lesson's measurement."""
import time


def matmul(spec, torch, device=None):
    dev = device or spec["device"]
    dtype = getattr(torch, spec["dtype"])
    g = torch.Generator().manual_seed(0)
    rows = []
    for n in spec["sizes"]:
        a = torch.randn(n, n, generator=g, dtype=dtype).to(dev)
        b = torch.randn(n, n, generator=g, dtype=dtype).to(dev)
        _sync(torch, dev)
        (a @ b).sum().item()  # warm-up (and CUDA context / kernel selection)
        times = []
        for _ in range(spec["repeat"]):
            _sync(torch, dev)
            t0 = time.perf_counter()
            c = a @ b
            _sync(torch, dev)
            times.append(time.perf_counter() - t0)
            del c
        best = min(times)
        rows.append({"size": n, "seconds": best, "gflops": 2 * n ** 3 / best / 1e9})
    return {"device": str(dev), "dtype": spec["dtype"], "rows": rows}


def _sync(torch, dev):
    if str(dev).startswith("cuda") and torch.cuda.is_available():
        torch.cuda.synchronize()
