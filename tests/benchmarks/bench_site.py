#!/usr/bin/env python
"""Load time of the built site in headless Chromium:  python tests/benchmarks/bench_site.py

Builds the self-contained site if needed (build.py), serves it on 127.0.0.1 with the server
`python build.py --serve` uses (gzip, COOP/COEP) plus a byte counter, and measures, for a
cold visit (empty browser profile) and a warm one (the same profile again, with the service
worker's cache):

  first paint     first-contentful-paint of the page
  prerendered     the pre-rendered lesson is on screen (Bokeh drew its first canvas)
  interactive     Python rendered the live app AND a slider move changed a plot
  bytes           bytes the server sent (what crossed the network)
  slider->plot    in the page, from setting the learning-rate slider to the plot's data
                  changing: p50 and p90 over single moves (the page quiet before each), and
                  p50 over moves made back to back (as in a drag)

and where the time to interactive goes: the page records when each start-up step ended
(window.playgroundTimings: the worker started, Python's runtime, the packages, `import panel`,
the lesson built and serialised, the live app rendered).

After the cold visit the benchmark waits until the page saved its Python runtime snapshot
(site/worker.js), which the warm visit, like a student's next visit, starts from.

Prints a Markdown table (for the README) and the targets: first paint <= 1 s, interactive
<= 5 s cold and <= 2 s warm, <= 20 MB cold, slider->plot <= 30 ms p50.
"""
import argparse
import http.server
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]
import browser_support as support  # noqa: E402
import build  # noqa: E402

LESSON = "?lesson=descent-1d&lr=0.25"
SOURCE = "descent1d-steps"

# set the learning-rate slider to `value` (log10 units) and time it until the steps' data
# changes (BokehJS's change signal of the source's `data`, which fires as the patch from
# Python is applied, before the canvas repaints; polling the data with timers would add
# their 1-4 ms granularity to every figure)
MOVE_SLIDER = """async ([log_lr, source]) => {
  const doc = Bokeh.documents[Bokeh.documents.length - 1];
  const models = [...doc.all_models];
  const isSlider = (m) => m.constructor && m.constructor.__name__ === "Slider";
  const slider = models.find((m) => isSlider(m) && (m.title || "").startsWith("learning rate"));
  const cds = models.find((m) => m.name === source);
  let t1 = null, done = null;
  const changed = new Promise((resolve) => { done = resolve; });
  const slot = () => { if (t1 === null) t1 = performance.now(); done(); };
  cds.connect(cds.properties.data.change, slot);
  const t0 = performance.now();
  slider.value = log_lr;
  const timeout = new Promise((resolve) => setTimeout(resolve, 20000));
  await Promise.race([changed, timeout]);
  cds.properties.data.change.disconnect(slot);
  return t1 === null ? null : t1 - t0;
}"""


def counting_server(root):
    """The --serve handler, counting the bytes it sends."""
    sent = {"bytes": 0, "requests": 0}
    base = build.make_handler(root)

    class Counting(base):
        def send_header(self, key, value):
            if key.lower() == "content-length":
                sent["bytes"] += int(value)
                sent["requests"] += 1
            super().send_header(key, value)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, sent


def visit(browser_type, profile, url, sent, moves):
    """One visit; returns the figures."""
    # Other hosts are unreachable by name resolution, not by Playwright's request routing:
    # routing turns the browser's HTTP cache off, which would count files twice (a site
    # caches what it loaded for the next visit) and is not what a student's browser does.
    context = browser_type.launch_persistent_context(
        profile, executable_path=support.CHROMIUM, headless=True,
        args=[*support.CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        viewport={"width": 1400, "height": 1000}, service_workers="allow")
    blocked = []
    context.on("request", lambda r: None if r.url.startswith(
        ("http://127.0.0.1", "data:", "blob:")) else blocked.append(r.url))
    page = context.pages[0] if context.pages else context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sent["bytes"] = sent["requests"] = 0
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector("canvas", state="attached", timeout=60_000)
    prerendered = time.perf_counter() - t0
    page.wait_for_function("() => !document.body.classList.contains('pn-loading')",
                           timeout=600_000, polling=50)
    first_move = page.evaluate(MOVE_SLIDER, [-0.3, SOURCE])  # lr 0.5: the plot must change
    interactive = time.perf_counter() - t0
    paint = page.evaluate("() => Object.fromEntries(performance.getEntriesByType('paint')"
                          ".map((e) => [e.name, e.startTime]))")
    # one move at a time (the page quiet before each, as when a student sets a value), then
    # moves back to back (each as soon as the last one's plot changed, as in a drag, so a move
    # can wait behind the rest of the previous one's updates)
    latencies, back_to_back = [], []
    for k in range(moves):
        page.wait_for_timeout(400)
        ms = page.evaluate(MOVE_SLIDER, [-1.0 + 0.05 * (k % 12), SOURCE])
        if ms is not None:
            latencies.append(ms)
    for k in range(moves):
        ms = page.evaluate(MOVE_SLIDER, [-0.95 + 0.05 * (k % 12), SOURCE])
        if ms is not None:
            back_to_back.append(ms)
    page.wait_for_timeout(3000)  # let the service worker finish caching for the warm visit
    steps = page.evaluate("() => window.playgroundTimings")
    from_snapshot = page.evaluate("() => window.playgroundStartedFromSnapshot")
    if from_snapshot is False:  # the page saves a runtime snapshot for the next visit
        page.wait_for_function("() => window.playgroundSnapshot", timeout=120_000, polling=200)
    result = {"first_paint_s": (paint.get("first-contentful-paint") or 0) / 1000,
              "prerendered_s": prerendered, "interactive_s": interactive,
              "bytes_mb": sent["bytes"] / 1e6, "requests": sent["requests"],
              "first_move_ms": first_move,
              "slider_p50_ms": statistics.median(latencies) if latencies else None,
              "slider_p90_ms": _p90(latencies),
              "back_to_back_p50_ms": statistics.median(back_to_back) if back_to_back else None,
              "from_snapshot": bool(from_snapshot), "steps_s": _step_durations(steps),
              "blocked": blocked, "console_errors": errors}
    context.close()
    return result


# the start-up steps the page records (site/worker.js, site/handler.js), in order: each one's
# time is from the end of the one before (the first: from navigation)
STEPS = (("worker", "worker started"), ("runtime", "Python runtime"), ("packages", "packages"),
         ("panel", "import panel"), ("app", "lesson built"), ("rendered", "rendered"))


def _step_durations(marks):
    out, before = {}, 0.0
    for key, _ in STEPS:
        at = (marks or {}).get(key)
        out[key] = None if at is None else (at - before) / 1000
        before = at if at is not None else before
    return out


def _p90(values):
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else None


def _ms(value):
    return f"{value:.0f} ms" if value is not None else "–"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, help="an already built site (default: build _site)")
    ap.add_argument("--moves", type=int, default=15)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    site = a.site or build.build_site(build.SITE_OUT, build.DEFAULT_CACHE)
    server, sent = counting_server(site)
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html{LESSON}"
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; site {site}")
    from playwright.sync_api import sync_playwright
    rows = {}
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        for name in ("cold", "warm"):
            rows[name] = visit(p.chromium, profile, url, sent, a.moves)
            r = rows[name]
            print(f"{name}: first paint {r['first_paint_s']:.2f} s, pre-rendered "
                  f"{r['prerendered_s']:.2f} s, interactive {r['interactive_s']:.1f} s, "
                  f"{r['bytes_mb']:.1f} MB in {r['requests']} responses, slider->plot p50 "
                  f"{_ms(r['slider_p50_ms'])} (p90 {_ms(r['slider_p90_ms'])}, back to back "
                  f"{_ms(r['back_to_back_p50_ms'])}); blocked {len(r['blocked'])}, "
                  f"console errors {len(r['console_errors'])}; Python started from a "
                  f"snapshot: {'yes' if r['from_snapshot'] else 'no'}", flush=True)
    server.shutdown()
    targets = {"first_paint_s": 1.0, "interactive_s": {"cold": 5.0, "warm": 2.0},
               "bytes_mb": 20.0, "slider_p50_ms": 30.0}
    print("\n| visit | first paint | pre-rendered | interactive | bytes | slider→plot p50 / p90 "
          "| back to back p50 |")
    print("|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        print(f"| {name} | {r['first_paint_s']:.2f} s | {r['prerendered_s']:.2f} s | "
              f"{r['interactive_s']:.1f} s | {r['bytes_mb']:.1f} MB | "
              f"{_ms(r['slider_p50_ms'])} / {_ms(r['slider_p90_ms'])} | "
              f"{_ms(r['back_to_back_p50_ms'])} |")
    print("| target | <= 1 s | | <= 5 s cold, <= 2 s warm | <= 20 MB cold | <= 30 ms p50 | |")
    print("\nWhere the time to interactive goes (each step from the end of the one before):\n")
    print("| visit | " + " | ".join(label for _, label in STEPS) + " | first move |")
    print("|---" * (len(STEPS) + 2) + "|")
    for name, r in rows.items():
        cells = [f"{r['steps_s'][key]:.2f} s" if r["steps_s"][key] is not None else "–"
                 for key, _ in STEPS]
        print(f"| {name} | " + " | ".join(cells) + f" | {_ms(r['first_move_ms'])} |")
    if a.json:
        a.json.write_text(json.dumps({"rows": rows, "targets": targets}, indent=1))


if __name__ == "__main__":
    main()
