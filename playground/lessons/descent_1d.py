"""Lesson 5: gradient descent in 1-D, the seed's loop on f(x) = (x-2)^2 and a few others.

The learning rate decides everything: below 1/L the steps creep towards the minimum from one
side, between 1/L and 2/L they overshoot and oscillate in, above 2/L they grow (L is the
curvature at the minimum). The band plot shows where the chosen rate falls.
"""
import math

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, HoverTool, Range1d, Span
from bokeh.plotting import figure

from widgets import LogSlider, LossCurve

from .. import protocol
from .base import LessonState, LessonView

FIELDS = protocol.EXPERIMENTS["descent1d"]
BAND_COLORS = {"monotone": "#c7e9c0", "oscillating": "#fdd49e", "diverging": "#fcbba1"}


class State(LessonState):
    slug = "descent-1d"
    title = "Gradient descent in 1-D"
    url_params = ("function", "lr", "steps", "x0")

    function = param.Selector(default=FIELDS["function"].default,
                              objects=list(protocol.SURFACES_1D))
    lr = param.Number(default=FIELDS["lr"].default,
                      bounds=(FIELDS["lr"].low, FIELDS["lr"].high))
    steps = param.Integer(default=FIELDS["steps"].default,
                          bounds=(FIELDS["steps"].low, FIELDS["steps"].high))
    x0 = param.Number(default=FIELDS["x0"].default,
                      bounds=(FIELDS["x0"].low, FIELDS["x0"].high))
    result = param.Dict(default={})

    @param.depends("function", "lr", "steps", "x0", watch=True, on_init=True)
    def run(self):
        spec = {"function": self.function, "lr": self.lr, "steps": self.steps, "x0": self.x0}
        self.compute(lambda: self.experiment("descent1d", spec), into="result")

    def refresh(self):
        self.run()

    def table(self):
        """The seed's printout: iteration, x, f(x), f'(x) to 3 decimals."""
        r = self.result
        lines = ["iter, \tx, \tf(x),  \tf'(x) pytorch"]
        for i, x, f, g in zip(r.get("iterations", []), r.get("x", []), r.get("f", []),
                              r.get("grad", [])):
            lines.append("{}, \t{:.3f}, \t{:.3f}, \t{:.3f}".format(i, x, f, g))
        return "\n".join(lines)


class View(LessonView):
    intro = (
        "Minimise f(x) with the update **x ← x − lr · f′(x)**, the gradient coming from "
        "`y.backward()` as in the seed notebook. *Try*: raise the learning rate from 0.25 to "
        "0.75, then past 1.0. *Notice*: where the rate sits in the bands below decides "
        "whether the steps creep in, zig-zag in, or fly apart.")

    def controls(self):
        s = self.state
        lr = LogSlider(value=s.lr, start=FIELDS["lr"].low, end=FIELDS["lr"].high,
                       name="learning rate")
        lr.param.watch(lambda e: setattr(s, "lr", e.new), "value")
        s.param.watch(lambda e: setattr(lr, "value", e.new), "lr")
        return {
            "function": pn.widgets.Select.from_param(s.param.function, name="f(x)"),
            "lr": lr,
            "steps": pn.widgets.IntSlider.from_param(s.param.steps, start=1, end=60,
                                                     name="steps"),
            "x0": pn.widgets.FloatSlider.from_param(s.param.x0, step=0.1, name="start x0"),
        }

    def body(self):
        self.curve_src = ColumnDataSource({"x": [], "f": []}, name="descent1d-curve")
        self.steps_src = ColumnDataSource({"x": [], "f": [], "step": [], "grad": []},
                                          name="descent1d-steps")
        fig = figure(height=330, width=520, title="f(x) and the steps", x_axis_label="x",
                     y_axis_label="f(x)", tools="pan,wheel_zoom,reset")
        fig.line("x", "f", source=self.curve_src, line_width=2, color="#444")
        # the dashed path joins the steps: one source for both, so they move together
        fig.line("x", "f", source=self.steps_src, line_dash="dashed", color="#d62728")
        pts = fig.scatter("x", "f", source=self.steps_src, size=8, color="#d62728")
        fig.add_tools(HoverTool(renderers=[pts], tooltips=[
            ("step", "@step"), ("x", "@x{0.000}"), ("f(x)", "@f{0.000}"),
            ("f'(x)", "@grad{0.000}")]))
        self.curve_fig = fig

        self.band_src = ColumnDataSource({"left": [], "right": [], "color": [], "name": []},
                                         name="descent1d-bands")
        bands = figure(height=120, width=520, x_axis_type="log", title="learning-rate bands",
                       tools="", toolbar_location=None, y_range=Range1d(0, 1),
                       x_range=Range1d(FIELDS["lr"].low, FIELDS["lr"].high))
        bands.quad(left="left", right="right", bottom=0, top=1, color="color",
                   source=self.band_src, legend_field="name")
        bands.yaxis.visible = False
        bands.legend.orientation = "horizontal"
        bands.legend.location = "top_left"
        self.lr_mark = Span(location=self.state.lr, dimension="height", line_color="#000",
                            line_width=2)
        bands.add_layout(self.lr_mark)

        self.losses = LossCurve(series={}, log_y=True)
        self.losses.point_source.name = "descent1d-loss"
        self.verdict = pn.pane.Markdown("", sizing_mode="stretch_width")
        # the table takes the width beside the plot and scrolls inside it: a diverging run's
        # numbers grow wide enough to run off the page otherwise
        self.table = pn.pane.Str("", styles={"font-size": "12px", "overflow": "auto"},
                                 sizing_mode="stretch_width",
                                 max_height=330)
        self._drawn = {}  # what the curve and the bands show now (so unchanged ones are not resent)
        self.state.param.watch(self._update, ["result"])
        self._update()
        return pn.Column(
            pn.Row(fig, pn.Column(self.table, sizing_mode="stretch_width"),
                   sizing_mode="stretch_width"),
            bands, self.verdict, self.losses, sizing_mode="stretch_width")

    def _update(self, *events):
        r = self.state.result
        if not r:
            return
        # The steps first: in the browser each change reaches the page as it is made, so the
        # plot the student is watching moves before the table and the text below it. Columns
        # are float arrays: Bokeh checks and sends an array in one piece, a list item by item.
        xs, fs = _drawable(r["x"], r["f"], r["curve"])
        self.steps_src.data = {"x": xs, "f": fs, "step": np.arange(len(xs)),
                               "grad": _floats(r["grad"][:len(xs)])}
        self.lr_mark.location = self.state.lr
        # the curve changes only with f and the range the steps need, the bands only with f:
        # a new learning rate mostly leaves both alone, and then nothing is sent for them
        curve = r["curve"]
        curve_key = (curve["x"][0], curve["x"][-1], len(curve["x"])) if curve["x"] else ()
        if curve_key != self._drawn.get("curve"):
            self._drawn["curve"] = curve_key
            self.curve_src.data = {"x": _floats(curve["x"]), "f": _floats(curve["f"])}
        if r["bands"] != self._drawn.get("bands"):
            self._drawn["bands"] = bands = r["bands"]
            hi = FIELDS["lr"].high
            self.band_src.data = {  # an open band's edge is null (JSON has no infinity)
                "left": [max(b["low"] or 0.0, FIELDS["lr"].low) for b in bands],
                "right": [hi if b["high"] is None else min(b["high"], hi) for b in bands],
                "color": [BAND_COLORS[b["name"]] for b in bands],
                "name": [b["name"] for b in bands]}
        self.verdict.object = r["verdict"]
        self.losses.series = {"f(x)": r["f"]}
        self.table.object = self.state.table()


def _floats(values):
    """A column as a float array (JSON nulls, from values that overflowed, become nan)."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _drawable(xs, fs, curve):
    """The steps that fit in the plotted range (a diverging run leaves it quickly)."""
    lo, hi = curve["x"][0], curve["x"][-1]
    keep = [i for i, (x, f) in enumerate(zip(xs, fs))
            if x is not None and f is not None and math.isfinite(x) and math.isfinite(f)
            and lo <= x <= hi]
    if not keep:
        return np.zeros(0), np.zeros(0)
    last = keep[-1] + 1
    return _floats(xs[:last]), _floats(fs[:last])
