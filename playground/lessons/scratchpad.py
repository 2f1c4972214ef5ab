"""Scratchpad: free `import torch` code in notebook-like cells, with starter snippets copied
verbatim from the seed notebooks (scratchpad_snippets.py).

`import torch` in a cell gives the app's engine: ours, registered as `torch` by
`playground.install_as_torch()` when the app computes with it, or real torch when the app
runs with `--engine torch`. The cells share one namespace, as a notebook's do. Under
`panel serve` a cell runs in a worker thread and Stop raises KeyboardInterrupt in it; in the
browser build there are no threads, so a time limit is the safety net for a runaway loop.
"""
import panel as pn
import param

import playground
from widgets import CodeCell
from widgets.cell_output import CellResult
from widgets.cell_runner import THREADS_AVAILABLE, run

from . import engine
from .backend import describe_run
from .base import LessonState, LessonView
from .scratchpad_snippets import SNIPPETS

MAX_OUTPUT = 50_000  # characters a cell may print before "[output truncated ...]"
BROWSER_TIME_LIMIT_S = 30  # without threads, Stop cannot reach a running cell


class State(LessonState):
    slug = "scratchpad"
    title = "Scratchpad"
    # The link carries the snippet's name, not code: links stay short and readable, and a
    # shared link never brings along code of someone else's to run.
    url_params = ("snippet",)

    snippet = param.Selector(default="blank", objects=list(SNIPPETS),
                             doc="the starter snippet the cells came from")
    cells = param.List(default=[], doc="each cell's code: the snippet's, then as edited")

    def __init__(self, **params):
        self.namespace = {"__name__": "__main__"}  # shared by every cell, like a kernel's
        super().__init__(**params)
        if engine.name() == "playground":
            playground.install_as_torch()

    @param.depends("snippet", watch=True, on_init=True)
    def load_snippet(self):
        """The chosen snippet's cells, in a fresh namespace."""
        self.cells = list(SNIPPETS[self.snippet].cells)
        self.restart()

    def restart(self):
        """Forget every variable, like restarting a notebook's kernel. Cleared in place, so
        the cells (which hold this very dict) see the change."""
        self.namespace.clear()
        self.namespace["__name__"] = "__main__"

    def run_cell(self, index):
        """Run cell `index` to the end here and now (no thread): its CellResult."""
        return run(self.cells[index], self.namespace, name=f"cell {index + 1}",
                   max_output=MAX_OUTPUT)

    def run_all(self):
        """Every cell in order, as Run all does; an error ends its own cell only."""
        return [self.run_cell(i) for i in range(len(self.cells))]

    def run_on_server(self, index, code):
        """Cell `index` (with `code`) on the connected server's real torch, as a CellResult.
        The server keeps no state between requests: the cells above it run first, silently,
        so it sees their variables as a notebook would."""
        try:
            out = self.where.run_code(code, setup=self.cells[:index])
        except Exception as exc:  # the server's refusal, shown where the output goes
            return CellResult(chunks=[("error", f"{exc}\n")], status="error")
        chunks = [("stdout" if out["status"] == "ok" else "error", out["output"])]
        if out["status"] == "killed":
            chunks.append(("note", f"\n[stopped by the server: {out['reason']}]\n"))
        self.ran_on = describe_run(out)
        return CellResult(chunks=chunks, truncated=out["truncated"], duration_s=out["seconds"],
                          status="interrupted" if out["status"] == "killed" else out["status"])

    def engine_text(self):
        if engine.name() == "playground":
            return "`import torch` gives **playground.torch**, this app's numpy-based engine"
        return f"`import torch` gives **real PyTorch {self.torch.__version__}**"


class View(LessonView):
    intro = (
        "Free PyTorch: each cell runs like a notebook cell, all in one namespace. *Try*: pick a "
        "starter from the seed notebooks, press **Run all**, then change a line and run its "
        "cell again (Shift+Enter in the editor). *Notice*: the output is printed exactly as "
        "Python prints it, errors point at your line, and **■ Stop** interrupts a runaway "
        "loop (try `while True: pass`).")

    def controls(self):
        s = self.state
        select = pn.widgets.Select.from_param(
            s.param.snippet, name="starter snippet", width=270,
            options={snippet.title: key for key, snippet in SNIPPETS.items()})
        self.note = pn.pane.Markdown("", width=270, styles={"font-size": "0.9em"})
        s.param.watch(self._show_note, "snippet")
        self._show_note()
        return {"snippet": pn.Column(select, self.note, margin=0)}

    def _show_note(self, *events):
        snippet = SNIPPETS[self.state.snippet]
        source = f"\n\n*From seed notebook {snippet.source}.*" if snippet.source else ""
        self.note.object = snippet.note + source

    # -- the cells ------------------------------------------------------------------------
    def body(self):
        self.code_cells = []
        self._queue = []  # cells Run all has still to run
        run_all = pn.widgets.Button(name="▶▶ Run all", button_type="primary", width=110)
        add = pn.widgets.Button(name="+ Cell", width=80)
        restart = pn.widgets.Button(name="Restart", width=90,
                                    description="Forget all variables (the cells stay)")
        run_all.on_click(self.run_all)
        add.on_click(lambda e: self.add_cell(""))
        restart.on_click(self.restart)
        self.status = pn.pane.Markdown(self.state.engine_text(), margin=(8, 10))
        self.on_server = pn.widgets.Checkbox(name="Run cells on the server (real torch)",
                                             css_classes=["pg-scratch-server"], margin=(12, 10))
        self.on_server.param.watch(lambda e: self._route_cells(), "value")
        self.state.where.param.watch(lambda *e: self._offer_server(), ["mode", "info"])
        self._offer_server()
        self.cells_column = pn.Column(sizing_mode="stretch_width")
        self.state.param.watch(lambda e: self._load(), "snippet")
        self._load()
        return pn.Column(pn.FlexBox(run_all, add, restart, self.status, self.on_server),
                         self.cells_column, sizing_mode="stretch_width", min_width=600)

    def _offer_server(self):
        """The server option shows when the app is connected to a server that runs code."""
        self.on_server.visible = self.state.where.allows_code
        if not self.on_server.visible:
            self.on_server.value = False
        self._route_cells()

    def _route_cells(self):
        remote = self.on_server.value and self.state.where.allows_code
        info = self.state.where.info
        self.status.object = (
            f"`import torch` gives **real PyTorch {info.get('torch', '')} on the server** "
            f"({info.get('device', '')}); each cell runs there after the cells above it"
            if remote else self.state.engine_text())
        for index, cell in enumerate(self.code_cells):
            cell.run_elsewhere = (lambda code, i=index: self.state.run_on_server(i, code)) \
                if remote else None

    def _load(self):
        """New cells for the state's code (a new snippet), all idle."""
        for cell in self.code_cells:
            cell.stop()
        self._queue = []
        self.code_cells = []
        self.cells_column.objects = []
        for code in self.state.cells:
            self._add(code)

    def add_cell(self, code=""):
        self.state.cells.append(code)
        self._add(code)

    def _add(self, code):
        index = len(self.code_cells)
        cell = CodeCell(code=code, namespace=self.state.namespace, label=f"cell {index + 1}",
                        max_output=MAX_OUTPUT,
                        time_limit_s=None if THREADS_AVAILABLE else BROWSER_TIME_LIMIT_S)
        cell.param.watch(lambda e: self.state.cells.__setitem__(index, e.new), "code")
        cell.param.watch(self._cell_finished, "status")
        self.code_cells.append(cell)
        self._route_cells()
        self.cells_column.append(pn.Row(
            pn.pane.HTML(f"<span style='color:#888;font-family:monospace'>[{index + 1}]</span>",
                         width=34, margin=(12, 0, 0, 5)),
            cell, sizing_mode="stretch_width", css_classes=["pg-scratch-cell"]))

    def run_all(self, event=None):
        self._queue = list(self.code_cells)
        self._run_next()

    def _run_next(self):
        # One cell at a time: the next starts when the last one's status says it ended.
        if self._queue and not self._queue.pop(0).run_cell():
            self._queue = []  # that cell was still running: leave the rest alone

    def _cell_finished(self, event):
        if event.old != "running" or event.new == "running":
            return
        if event.new == "interrupted":  # Stop ends Run all too
            self._queue = []
        self._run_next()

    def restart(self, event=None):
        for cell in self.code_cells:
            cell.stop()
        self._queue = []
        self.state.restart()
        self.status.object = (self.state.engine_text() + " · variables cleared: run the cells "
                              "again, the import first")
