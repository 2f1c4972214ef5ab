"""Lesson: devices. The seeds' CUDA cells (`.to(device)`, `.cuda()`, `.cpu()`, `device=`) on the
engine's simulated GPU, then what a real GPU is for: the time of a matrix product against its
size, here and on the backend server's device, on a log-log plot with the crossover marked.

Here the sizes are measured one at a time, smallest first, and stop once one takes longer than
LOCAL_BUDGET_S (n³ work: the next size takes about 8 times longer), so a browser tab is never
stuck for a minute; the server measures every size in one request.
"""
import math

import panel as pn
import param
from bokeh.models import ColumnDataSource, HoverTool, Label, Span
from bokeh.plotting import figure

from .. import compute, protocol
from ..compute.devices import EXAMPLES, run_example
from . import engine
from .base import LessonState, LessonView

FIELDS = protocol.EXPERIMENTS["matmul"]
SIZES = (64, 128, 256, 512, 1024, 2048, 4096)
LOCAL_BUDGET_S = 1.5  # a size that took longer than this here is the last one measured here
COLORS = {"here": "#1f77b4", "server": "#d62728"}


class State(LessonState):
    slug = "devices"
    title = "Devices: CPU and GPU"
    url_params = ("example", "max_size", "dtype")

    example = param.Selector(default="move a tensor", objects=list(EXAMPLES),
                             doc="the seed's cell to run")
    max_size = param.Selector(default=1024, objects=list(SIZES), doc="largest matrix size")
    dtype = param.Selector(default="float32", objects=list(FIELDS["dtype"].choices))

    demo = param.Dict(default={}, doc="the example's code, what it printed, its error")
    here = param.Dict(default={}, doc="matmul rows measured here")
    server = param.Dict(default={}, doc="matmul rows measured on the server")

    @param.depends("example", watch=True, on_init=True)
    def run_demo(self):
        self.compute(lambda: run_example(self.example, self.torch), into="demo")

    def sizes(self):
        return [n for n in SIZES if n <= self.max_size]

    def spec(self, sizes, device):
        return protocol.validate("matmul", {"sizes": list(sizes), "repeat": 3,
                                            "dtype": self.dtype, "device": device})

    def measure(self):
        """Matmul time against size here (within the budget) and, when the app is connected
        to one, on the server's device."""
        def here():
            rows = []
            for n in self.sizes():
                out = compute.run("matmul", self.spec([n], engine.device()), self.torch)
                rows += out["result"]["rows"]
                if rows[-1]["seconds"] > LOCAL_BUDGET_S:
                    break
            return {"rows": rows, "device": engine.device(),
                    "engine": out["ran_on"]["engine"]}
        self.compute(here, into="here")
        if self.where.remote:
            device = self.where.info.get("device", "cpu")
            self.compute(lambda: self.experiment("matmul", self.spec(self.sizes(), device)),
                         into="server")
        elif self.server:
            self.server = {}

    def refresh(self):
        self.server = {}

    def crossover(self):
        """The smallest size from which the server is faster at every larger size measured on
        both, with the speed-up at the largest such size; None when it never is."""
        here = {r["size"]: r["seconds"] for r in self.here.get("rows", [])}
        there = {r["size"]: r["seconds"] for r in self.server.get("rows", [])}
        common = sorted(set(here) & set(there))
        if not common:
            return None
        faster = [n for n in common if there[n] < here[n]]
        first = next((n for i, n in enumerate(common) if all(m in faster for m in common[i:])),
                     None)
        if first is None:
            return None
        top = common[-1]
        return {"size": first, "largest": top, "speedup": here[top] / there[top]}

    def summary(self):
        if not self.here:
            return "Press **Measure** to time `a @ b` for square matrices of growing size."
        rows = self.here["rows"]
        lines = [f"Here ({self.here['engine']}, {self.here['device']}): up to n = "
                 f"{rows[-1]['size']}, {rows[-1]['gflops']:.1f} GFLOP/s at the largest."]
        if rows[-1]["size"] < self.max_size:
            lines.append(f"Stopped at n = {rows[-1]['size']}: it took "
                         f"{rows[-1]['seconds']:.2f} s, and each doubling costs about 8× more.")
        if not self.server:
            lines.append("Connect a server in the sidebar (*Experiments run → Server*) to "
                         "compare with its device.")
            return "\n\n".join(lines)
        srows = self.server["rows"]
        lines.append(f"Server ({self.server['device']}): {srows[-1]['gflops']:.1f} GFLOP/s at "
                     f"n = {srows[-1]['size']}.")
        c = self.crossover()
        if c is None:
            lines.append("The server is not faster than this page at any size measured here: "
                         "small products cost more in launching than in arithmetic.")
        else:
            lines.append(f"**Crossover at n = {c['size']}**: from there on the server is "
                         f"faster; at n = {c['largest']} it is {c['speedup']:.1f}× faster "
                         f"(compute time, not counting the network).")
        return "\n\n".join(lines)


class View(LessonView):
    intro = (
        "Tensors live on a device: `x.to('cuda')`, `x.cuda()`, `x.cpu()`, or `device=` when "
        "creating one. Here the engine simulates one GPU, so the seeds' CUDA cells print what "
        "they print on a real one. *Try*: each example; note which two fail and why. Then "
        "**Measure**: a matrix product's time grows like n³. *Notice*: on a server's GPU "
        "small products are no faster (launching costs more than the arithmetic), large ones "
        "are many times faster — the crossover.")

    def controls(self):
        s = self.state
        measure = pn.widgets.Button(name="Measure", button_type="primary", width=120,
                                    css_classes=["pg-devices-measure"])
        measure.on_click(lambda event: self._measure(measure))
        return {
            "example": pn.widgets.Select.from_param(s.param.example, name="seed cell"),
            "max_size": pn.widgets.Select.from_param(s.param.max_size, name="largest n"),
            "dtype": pn.widgets.Select.from_param(s.param.dtype, name="dtype"),
            "measure": measure,
        }

    def _measure(self, button):
        button.loading = True
        try:
            self.state.measure()
        finally:
            button.loading = False

    def body(self):
        self.code = pn.pane.Str("", styles={"font-size": "12px"}, css_classes=["pg-devices-code"])
        self.output = pn.pane.Str("", styles={"font-size": "12px"},
                                  css_classes=["pg-devices-output"])
        self.sources = {key: ColumnDataSource({"size": [], "seconds": [], "gflops": []},
                                              name=f"devices-{key}") for key in COLORS}
        fig = figure(height=340, width=560, x_axis_type="log", y_axis_type="log",
                     title="time of a @ b (n × n)", x_axis_label="n",
                     y_axis_label="seconds", tools="pan,wheel_zoom,reset")
        for key, label in (("here", "here"), ("server", "server")):
            fig.line("size", "seconds", source=self.sources[key], color=COLORS[key],
                     line_width=2, legend_label=label)
            dots = fig.scatter("size", "seconds", source=self.sources[key], color=COLORS[key],
                               size=7)
            fig.add_tools(HoverTool(renderers=[dots], tooltips=[
                ("n", "@size"), ("seconds", "@seconds{0.0000}"), ("GFLOP/s", "@gflops{0.0}")]))
        fig.legend.location = "top_left"
        self.cross = Span(location=1, dimension="height", line_dash="dashed", line_color="#555",
                          visible=False)
        self.cross_label = Label(x=1, y=0, y_units="screen", text="", text_font_size="11px",
                                 visible=False)
        fig.add_layout(self.cross)
        fig.add_layout(self.cross_label)
        self.fig = fig
        self.summary = pn.pane.Markdown("", sizing_mode="stretch_width",
                                        css_classes=["pg-devices-summary"])
        s = self.state
        s.param.watch(lambda e: self._show_demo(), "demo")
        s.param.watch(lambda *e: self._show_times(), ["here", "server"])
        self._show_demo()
        self._show_times()
        return pn.Column(pn.FlexBox(pn.Column("**The seed's cell**", self.code, width=430),
                                    pn.Column("**What it prints**", self.output)),
                         pn.FlexBox(fig, self.summary), sizing_mode="stretch_width")

    def _show_demo(self):
        d = self.state.demo
        self.code.object = d.get("code", "")
        self.output.object = d.get("output", "") + (d["error"] + "\n" if d.get("error") else "")

    def _show_times(self):
        s = self.state
        for key in COLORS:
            rows = getattr(s, key).get("rows", [])
            self.sources[key].data = {"size": [r["size"] for r in rows],
                                      "seconds": [r["seconds"] for r in rows],
                                      "gflops": [r["gflops"] for r in rows]}
        c = s.crossover()
        self.cross.visible = self.cross_label.visible = c is not None
        if c is not None:
            self.cross.location = c["size"]
            self.cross_label.x, self.cross_label.y = c["size"], 10
            self.cross_label.text = f" crossover n = {c['size']}"
        self.summary.object = s.summary()
