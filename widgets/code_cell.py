"""A code cell: editor, Run and Stop, output printed exactly as Python would.

    cell = CodeCell(code="x = torch.ones(2)\\nx", namespace={"torch": torch})

Constructor arguments (all are params):
  code           the source in the editor (str)
  namespace      the dict the code runs in; cells given the same dict share variables,
                 and a lesson can pre-import things or read results back from it
  editor         'textarea' (default: `code_area.CodeArea`, a textarea where Tab indents
                 and Shift+Enter runs; no external files, works offline and in Pyodide) or
                 'ace' (pn.widgets.CodeEditor: needs the network with Panel 1.7.5, which
                 loads Ace from cdn.jsdelivr.net, see code_area.py; the app should then
                 call pn.extension('codeeditor'))
  max_output     characters of output kept before "[output truncated ...]"
  time_limit_s   stop a run after this many seconds (None: never); useful in Pyodide
  threaded       None: a worker thread where threads exist (not in Pyodide)
  label          the name tracebacks show (File "<cell 3>"); '' (default): "cell N", N
                 counting this cell's runs. A notebook of cells labels each by its place.
Read-only params, for lessons to watch:
  output         everything the last run printed (str)
  status         'idle' | 'running' | 'ok' | 'error' | 'interrupted'
  duration_s     how long the last run took
  run_count      number of runs so far (unlabelled runs are named "cell 1", "cell 2"...)

Running is done by `cell_runner.CellRunner` (see there for how Stop works in each mode).
While a threaded run goes, a periodic callback on the page's own thread polls the runner
and streams its output, so the worker thread never touches the page; `poll()` and
`wait()` do the same by hand (tests, notebooks).
"""
from __future__ import annotations

import asyncio
import html
import sys

import panel as pn
import param

from ._periodic import start_periodic, stop_periodic
from .cell_runner import DEFAULT_MAX_OUTPUT, CellResult, CellRunner
from .code_area import CodeArea

_STREAM_CSS = {
    "stdout": "",
    "result": "",
    "stderr": "color:#b00020; background:#fdecee;",
    "error": "color:#b00020;",
    "note": "color:#777; font-style:italic;",
}

_OUTPUT_STYLESHEET = """
pre.pg-cell-output { margin: 0; padding: 6px 8px; font-family: monospace; font-size: 13px;
  line-height: 1.35; white-space: pre-wrap; word-break: break-word; max-height: 420px;
  overflow: auto; background: #fafafa; border: 1px solid #e3e3e3; border-radius: 4px; }
"""


def output_html(chunks: list[tuple[str, str]]) -> str:
    """Preformatted, escaped output; stderr and tracebacks coloured."""
    if not chunks:
        return ""
    parts = []
    for stream, text in chunks:
        style = _STREAM_CSS.get(stream, "")
        escaped = html.escape(text)
        parts.append(f'<span class="pg-{stream}" style="{style}">{escaped}</span>' if style
                     else escaped)
    return f'<pre class="pg-cell-output">{"".join(parts)}</pre>'


def status_text(status: str, duration_s: float | None) -> str:
    if duration_s is None:
        took = ""
    elif duration_s < 1:
        took = f" in {duration_s * 1000:.0f} ms"
    else:
        took = f" in {duration_s:.2f} s"
    return {
        "idle": "",
        "running": "⏳ running… (Stop raises KeyboardInterrupt)",
        "ok": f"✓ finished{took}",
        "error": f"✗ error{took}",
        "interrupted": f"■ interrupted{took}",
    }[status]


class CodeCell(pn.viewable.Viewer):
    code = param.String(default="", doc="The source in the editor.")
    namespace = param.Dict(default=None, doc="Where the code runs (shared across runs).")
    editor = param.Selector(default="textarea", objects=["textarea", "ace"], constant=True)
    max_output = param.Integer(default=DEFAULT_MAX_OUTPUT, bounds=(100, None))
    time_limit_s = param.Number(default=None, allow_None=True, bounds=(0, None))
    threaded = param.Boolean(default=None, allow_None=True, constant=True)
    poll_ms = param.Integer(default=150, bounds=(20, None), doc="Output refresh while running.")
    label = param.String(default="", doc="Name in tracebacks; '' numbers the runs.")
    run_elsewhere = param.Callable(default=None, doc=(
        "run(code) -> CellResult, called instead of running the code here (e.g. on a server "
        "that enforces its own limits); synchronous, so Stop does not apply to it."))

    output = param.String(default="", constant=True)
    status = param.Selector(default="idle", constant=True,
                            objects=["idle", "running", "ok", "error", "interrupted"])
    duration_s = param.Number(default=None, allow_None=True, constant=True)
    run_count = param.Integer(default=0, constant=True)

    def __init__(self, **params):
        super().__init__(**params)
        if self.namespace is None:
            self.namespace = {}
        self._runner = CellRunner(self.namespace, threaded=self.threaded,
                                  max_output=self.max_output, time_limit_s=self.time_limit_s,
                                  name=self.label or "cell", numbered=not self.label)
        self._poller = None
        self._watching_session = False
        self._shown_chunks: list = []
        self._layout = self._build()

    # --- actions ----------------------------------------------------------------------

    def run_cell(self, event=None) -> bool:
        """Run the code; False if a run is still going."""
        if self._runner.running:
            return False
        self._runner.namespace = self.namespace
        self._runner.max_output = self.max_output
        self._runner.time_limit_s = self.time_limit_s
        self._runner.name, self._runner.numbered = self.label or "cell", not self.label
        self._set(status="running", duration_s=None, output="")
        self._shown_chunks = []
        self._output_pane.object = ""
        self._sync_buttons(running=True)
        self._stop_when_session_ends()
        if sys.platform == "emscripten":
            # no threads in the browser: the run blocks Python, so first let the page show
            # "running" and enable Stop (its click interrupts through the page, see _build)
            asyncio.get_event_loop().call_later(0.05, self._run_now)
        else:
            self._run_now()
        return True

    def _run_now(self) -> None:
        if self.run_elsewhere is not None:
            result = self.run_elsewhere(self.code)
            self._set(run_count=self.run_count + 1)
            self._show_result(result)
            return
        self._runner.start(self.code)
        self._set(run_count=self._runner.count)
        if self._runner.running:  # threaded: watch it from the page's thread
            self._poller = start_periodic(self.poll, self.poll_ms)
        else:
            self._show_result(self._runner.result)

    def stop(self, event=None) -> bool:
        """Ask the running code to raise KeyboardInterrupt."""
        return self._runner.interrupt()

    def _stop_when_session_ends(self) -> None:
        # A student who closes the tab during `while True: pass` must not leave the loop
        # running in the server for ever.
        doc = pn.state.curdoc
        if self._watching_session or doc is None or doc.session_context is None:
            return
        doc.on_session_destroyed(lambda context: self._runner.interrupt())
        self._watching_session = True

    def poll(self) -> None:
        """Show new output of a running cell, or its result once it is done."""
        if self._runner.running:
            chunks = self._runner.partial_chunks()
            if chunks != self._shown_chunks:
                self._shown_chunks = chunks
                self._output_pane.object = output_html(chunks)
            return
        stop_periodic(self._poller)
        self._poller = None
        if self.status == "running" and self._runner.result is not None:
            self._show_result(self._runner.result)

    def wait(self, timeout: float | None = None) -> CellResult | None:
        """Block until the run ends (or timeout), then show it. For tests and scripts."""
        result = self._runner.wait(timeout)
        self.poll()
        return result

    # --- view -------------------------------------------------------------------------

    def _set(self, **values) -> None:
        with param.edit_constant(self):
            self.param.update(**values)

    def _show_result(self, result: CellResult) -> None:
        self._shown_chunks = result.chunks
        self._output_pane.object = output_html(result.chunks)
        self._set(output=result.text, status=result.status, duration_s=result.duration_s)
        self._sync_buttons(running=False)

    def _sync_buttons(self, running: bool) -> None:
        self._run_button.disabled = running
        self._stop_button.disabled = not running

    def _editor_lines(self) -> int:
        return min(max(self.code.count("\n") + 2, 4), 24)

    def _build(self):
        if self.editor == "ace":
            self._editor = pn.widgets.CodeEditor.from_param(
                self.param.code, language="python", theme="github_light_default",
                sizing_mode="stretch_width", height=20 * self._editor_lines() + 10, name="")
        else:
            self._editor = CodeArea(value=self.code, rows=self._editor_lines())
            self._editor.param.watch(lambda e: setattr(self, "code", e.new), "value")
            self.param.watch(lambda e: setattr(self._editor, "value", e.new), "code")
            self._editor.param.watch(lambda e: self.run_cell(), "run_requests")
        self._run_button = pn.widgets.Button(name="▶ Run", button_type="primary", width=90,
                                             description="Run (Shift+Enter in the editor)")
        self._stop_button = pn.widgets.Button(name="■ Stop", button_type="default", width=90,
                                              disabled=True)
        self._run_button.on_click(self.run_cell)
        self._stop_button.on_click(self.stop)
        # In the browser Python is busy running the cell and cannot take the click: the page
        # itself interrupts it (the site's handler.js defines playgroundStop).
        self._stop_button.js_on_click(code="if (window.playgroundStop) window.playgroundStop();")
        status = pn.pane.Str(pn.bind(status_text, self.param.status, self.param.duration_s),
                             margin=(12, 10), styles={"color": "#555"})
        self._output_pane = pn.pane.HTML("", sizing_mode="stretch_width",
                                         stylesheets=[_OUTPUT_STYLESHEET], margin=(0, 5))
        return pn.Column(self._editor, pn.Row(self._run_button, self._stop_button, status),
                         self._output_pane, sizing_mode="stretch_width")

    def __panel__(self):
        return self._layout
