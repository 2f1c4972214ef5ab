#!/usr/bin/env python
"""Server-side time per slider move, lessons 5-7:  python tests/benchmarks/bench_app.py
    [--moves 40] [--engine playground|torch|both] [--no-steps] [--json FILE]

What a `panel serve` user waits for on the server when a slider moves: each lesson
(descent-1d, descent-2d, regression) is built at its default settings
(`module.View(state=module.State())`) and rendered the way Panel serves it, into a Bokeh
Document (`view.__panel__().get_root(doc)`, added as the document's root, with the document
marked as already sent to the browser). The document has no server session, so Panel applies
every model update synchronously, as it does inside a served session's callback. Then the
learning-rate param (the one the lr slider drives) is set to `moves` different values, cycling
through 12 log-spaced values over the param's bounds (snapped to 2 significant digits, as the
LogSlider snaps them), and for each move:

  update ms   from the param assignment until it returns: the state's recompute (compute/ on
              the torch module) and every watcher that follows it (ColumnDataSource.data,
              Panel panes, the lr slider following the state), all synchronous
  compute ms  the part of that spent in the experiment itself (the state's `last_seconds`)
  patch ms    turning the document events of that move into the PATCH-DOC message the
              server would send over the websocket (Bokeh's serializer, JSON)

The same is done for the steps param (cycling around the lesson's default, from half to one
and a half times it). Each control is moved twice untimed first (imports, caches). Torch
runs single-threaded (torch.set_num_threads(1), BLAS limited to one thread before numpy
loads), as in bench_engine.py; `--engine both` (the default) runs the lessons on our engine
and on real torch (`playground.lessons.engine.use("torch")`) and prints the ratio.

Target: update (compute + model updates) <= 30 ms p50 per slider move. Prints a Markdown
table (for the README): p50 / p90 per lesson and control, per engine, and the ratio.
"""
import os

for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(var, "1")  # before numpy (and torch) load their BLAS

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(REPO)]  # playground/ and widgets/

TARGET_MS = 30.0
# lesson module -> (slug, the ColumnDataSource whose data must change when lr moves)
LESSONS = {"descent_1d": ("descent-1d", "descent1d-steps"),
           "descent_2d": ("descent-2d", "descent2d-points"),
           "regression": ("regression", "regression-path")}


def lr_values(param_obj, moves):
    """`moves` values cycling through 12 log-spaced points over the bounds, 2 digits."""
    a, b = (math.log10(x) for x in param_obj.bounds)
    points = [float(f"{10 ** (a + k * (b - a) / 11):.2g}") for k in range(12)]
    return [points[k % len(points)] for k in range(moves)]


def steps_values(default, low, high, moves):
    """`moves` integers cycling from default/2 to 3*default/2 (within the bounds)."""
    lo, hi = max(low, default // 2), min(high, default + default // 2)
    points = sorted({round(lo + k * (hi - lo) / 9) for k in range(10)})
    return [points[k % len(points)] for k in range(moves)]


def percentile(values, q):
    """The q-th percentile (0-100), linear between the order statistics."""
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    i = int(pos)
    return xs[i] if i + 1 >= len(xs) else xs[i] + (xs[i + 1] - xs[i]) * (pos - i)


def render(view):
    """The view as Panel serves it: its root model in a Bokeh Document, already 'sent'."""
    from bokeh.document import Document
    from panel.io.state import set_curdoc
    doc = Document()
    with set_curdoc(doc):
        root = view.__panel__().get_root(doc)
        doc.add_root(root)
    doc.models.flush_synced()  # the browser has the document: only patches follow
    return doc


def measure(module, name, values):
    """Time `state.<name> = v` for each value (after two untimed moves)."""
    from bokeh.protocol import Protocol
    from panel.io.state import set_curdoc
    state = module.State()
    view = module.View(state=state)
    doc = render(view)
    events = []
    doc.on_change(lambda event: events.append(event))
    protocol = Protocol()
    source = doc.select_one({"name": LESSONS[module.__name__.rsplit(".", 1)[1]][1]})
    update, compute, patch, changed, errors = [], [], [], 0, 0

    def move(value):
        events.clear()
        before = {k: list(v) for k, v in source.data.items()}
        t0 = time.perf_counter()
        with set_curdoc(doc):
            setattr(state, name, value)
        t1 = time.perf_counter()
        if events:
            msg = protocol.create("PATCH-DOC", events)
            _ = msg.header_json, msg.metadata_json, msg.content_json
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1, before != {k: list(v) for k, v in source.data.items()}

    for value in (values[1], values[0]):  # warm-up, and start from the cycle's first value
        move(value)
    for value in values[1:] + values[:1]:
        t_update, t_patch, did_change = move(value)
        update.append(t_update * 1e3)
        patch.append(t_patch * 1e3)
        compute.append(state.last_seconds * 1e3)
        changed += did_change
        errors += bool(state.error)
    return {"update_ms": update, "compute_ms": compute, "patch_ms": patch,
            "moves": len(update), "plot_changed": changed, "error_moves": errors}


def run_engine(engine_name, moves, with_steps):
    from playground.lessons import engine
    engine.use(engine_name)
    if engine_name == "torch":
        import torch
        torch.set_num_threads(1)
    rows = {}
    for mod_name, (slug, _) in LESSONS.items():
        module = importlib.import_module(f"playground.lessons.{mod_name}")
        controls = {"lr": lr_values(module.State.param.lr, moves)}
        if with_steps:
            p = module.State.param.steps
            controls["steps"] = steps_values(p.default, p.bounds[0], p.bounds[1], moves)
        for control, values in controls.items():
            r = measure(module, control, values)
            rows[(slug, control)] = r
            print(f"{engine_name:10s} {slug:11s} {control:5s}: update p50 "
                  f"{statistics.median(r['update_ms']):6.1f} ms, p90 "
                  f"{percentile(r['update_ms'], 90):6.1f} ms (compute p50 "
                  f"{statistics.median(r['compute_ms']):6.1f} ms); patch p50 "
                  f"{statistics.median(r['patch_ms']):5.1f} ms; plot changed on "
                  f"{r['plot_changed']}/{r['moves']} moves, error shown on "
                  f"{r['error_moves']}", flush=True)
    return rows


def table(results):
    engines = list(results)
    head = "| lesson | control |"
    rule = "|---|---|"
    for e in engines:
        head += f" {e}: update p50 / p90 | {e}: compute p50 | {e}: patch p50 |"
        rule += "---|---|---|"
    if len(engines) == 2:
        head += f" ratio p50 {engines[0]} / {engines[1]} |"
        rule += "---|"
    head += f" target <= {TARGET_MS:.0f} ms p50 |"
    rule += "---|"
    lines = [head, rule]
    for key in results[engines[0]]:
        line = f"| {key[0]} | {key[1]} |"
        for e in engines:
            r = results[e][key]
            line += (f" {statistics.median(r['update_ms']):.1f} / "
                     f"{percentile(r['update_ms'], 90):.1f} ms |"
                     f" {statistics.median(r['compute_ms']):.1f} ms |"
                     f" {statistics.median(r['patch_ms']):.1f} ms |")
        if len(engines) == 2:
            a, b = (statistics.median(results[e][key]["update_ms"]) for e in engines)
            line += f" {a / b:.2f} |"
        verdicts = ["met" if statistics.median(results[e][key]["update_ms"]) <= TARGET_MS
                    else "missed" for e in engines]
        line += " " + ", ".join(f"{e} {v}" for e, v in zip(engines, verdicts)) + " |"
        lines.append(line)
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=40)
    ap.add_argument("--engine", choices=("playground", "torch", "both"), default="both")
    ap.add_argument("--no-steps", action="store_true", help="time the lr slider only")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    import panel
    import bokeh
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}; panel {panel.__version__}, "
          f"bokeh {bokeh.__version__}; {a.moves} moves per control", flush=True)
    engines = ("playground", "torch") if a.engine == "both" else (a.engine,)
    t0 = time.perf_counter()
    results = {e: run_engine(e, a.moves, not a.no_steps) for e in engines}
    print(f"({time.perf_counter() - t0:.1f} s)\n")
    print(table(results))
    if a.json:
        a.json.write_text(json.dumps(
            {e: {f"{k[0]}/{k[1]}": v for k, v in rows.items()} for e, rows in results.items()},
            indent=1))


if __name__ == "__main__":
    main()
