"""Lesson 4: gradient check, autograd against the analytic formula and finite differences.

The seed checks autograd's gradient of cost = aᵀa twice: with the hand-derived formula
(2·a·xᵀ, 2·a) and with a finite-difference loop (eps = 1e-7). The error of that loop depends
on eps in a V: too big an eps measures the function's curvature (truncation), too small a
one drowns in the rounding of the cost (float64 keeps ~16 digits, float32 ~7). The plot
sweeps eps over fifteen decades for forward and central differences and marks the chosen one.
"""
import html
import math

import panel as pn
import param
from bokeh.models import ColumnDataSource, HoverTool, Legend, Span
from bokeh.plotting import figure

from widgets import LogSlider

from .. import protocol
from ..compute.gradcheck import DTYPES, FUNCTIONS, UNIT_ROUNDOFF, error_sweep, gradcheck_at
from .base import LessonState, LessonView

EPS_LOW, EPS_HIGH = 1e-15, 1.0
SWEEP_POINTS = 46  # three per decade: enough to see where the V turns
TITLES = {"cost": "cost = aᵀa, a = Wx + b (seed 1)", "l": "l = (exp(wx+b) − y*)² (seed 4)"}
COLORS = {"forward": "#1f77b4", "central": "#e6550d"}


class State(LessonState):
    slug = "gradcheck"
    title = "Gradient check"
    url_params = ("function", "seed", "eps", "dtype")

    function = param.Selector(default="cost", objects=list(FUNCTIONS),
                              doc="the seed function whose gradient is checked")
    seed = param.Integer(default=0, bounds=(0, 2 ** 31 - 1), doc="seed of W, b (cost), y* (l)")
    eps = param.Number(default=1e-7, bounds=(EPS_LOW, EPS_HIGH),
                       doc="the finite-difference step (the seed uses 1e-7)")
    dtype = param.Selector(default="float64", objects=list(DTYPES),
                           doc="the dtype every method computes in")

    result = param.Dict(default={}, doc="the gradients at eps and their errors")
    sweep = param.Dict(default={}, doc="error against eps, forward and central")

    def spec(self):
        return protocol.validate("gradcheck", {
            "seed": self.seed, "eps_low": EPS_LOW, "eps_high": EPS_HIGH, "points": SWEEP_POINTS,
            "eps": self.eps, "dtype": self.dtype, "function": self.function})

    @param.depends("function", "seed", "dtype", watch=True, on_init=True)
    def run_sweep(self):
        """The whole error curve: only when what it depends on changes, not with eps."""
        if self.where.remote:  # the server's gradcheck returns the sweep with the check
            return self.check()
        self.compute(lambda: error_sweep(self.spec(), self.torch, dtype=self.dtype,
                                         function=self.function), into="sweep")
        self.check()

    @param.depends("eps", watch=True)
    def check(self):
        def work():
            if not self.where.remote:
                return gradcheck_at(self.spec(), self.torch, eps=self.eps, dtype=self.dtype,
                                    function=self.function)
            result = self.experiment("gradcheck", self.spec())
            self.sweep = result.pop("sweep")
            return result
        self.compute(work, into="result")

    def refresh(self):
        self.run_sweep()

    def rows(self):
        """[(entry, {method: value})] for the table: one row per parameter entry."""
        r = self.result
        if not r:
            return []
        out = []
        for name in r["exact"]:
            for index, exact in _entries(r["exact"][name]):
                row = {"exact": exact}
                for method in ("autograd", "analytic", "numeric", "central"):
                    row[method] = dict(_entries(r[method][name]))[index]
                out.append((f"{name}{list(index)}", row))
        return out

    def summary(self):
        """Where each V bottoms out, and how autograd did, in a sentence."""
        r, s = self.result, self.sweep
        if not r or not s:
            return ""
        u = UNIT_ROUNDOFF[self.dtype]
        fwd, cen = s["best"]["forward"], s["best"]["central"]
        auto = r["error_autograd"]
        auto_text = ("exact to the last bit" if auto == 0 else
                     f"{auto:.1e}, at the level of u" if auto < 100 * u else f"{auto:.1e}")
        return (f"Here ({self.dtype}, u = {u:.1e}): forward differences are best at "
                f"eps ≈ {fwd['eps']:.0e} (error {fwd['error']:.0e}; √u = {math.sqrt(u):.0e}), "
                f"central ones at eps ≈ {cen['eps']:.0e} (error {cen['error']:.0e}). "
                f"Autograd's error: {auto_text}.")


def _entries(nested, prefix=()):
    """[(index tuple, number)] of a nested list, in row-major order."""
    if not isinstance(nested, list):
        return [(prefix, nested)]
    return [e for i, item in enumerate(nested) for e in _entries(item, prefix + (i,))]


WHY_V = """
**Why a V?** Right of the dip, eps is too big: forward differences are off by about
eps·f″/2 (slope 1), central ones by eps²·f‴/6 (slope 2; zero for the quadratic *cost*,
so only rounding is left). Left of the dip, rounding wins: f is stored with relative error
u, so f(p + eps) − f(p) carries an error of about u·|f|, which dividing by eps blows up
(slope −1). Below about u·|p| the nudge is lost altogether (p + eps == p): the difference is 0
and the error 100 %. float32 has a bigger u, so its V sits higher and further right.
"""


class View(LessonView):
    intro = (
        "Three ways to the gradient of the seed's cost: **autograd**, the **analytic** formula "
        "(2·a·xᵀ, 2·a) and the seed's **finite-difference** loop with step eps. *Try*: slide "
        "eps from 1e-7 down to 1e-12, then up to 1e-2; switch to float32. *Notice*: "
        "autograd and the formula agree to the last digits; finite differences are best "
        "in the middle of the V.")

    def controls(self):
        s = self.state
        eps = LogSlider(value=s.eps, start=EPS_LOW, end=EPS_HIGH, steps_per_decade=10,
                        name="eps (finite-difference step)")
        eps.param.watch(lambda e: setattr(s, "eps", e.new), "value")
        s.param.watch(lambda e: setattr(eps, "value", e.new), "eps")
        return {
            "function": pn.widgets.Select.from_param(
                s.param.function, name="function", width=280,
                options={TITLES[f]: f for f in FUNCTIONS}),
            "seed": pn.widgets.IntInput.from_param(s.param.seed, name="seed", width=280),
            "eps": eps,
            "dtype": pn.widgets.RadioButtonGroup.from_param(
                s.param.dtype, name="dtype", button_type="light"),
        }

    def body(self):
        self.sweep_src = ColumnDataSource({"eps": [], "forward": [], "central": []},
                                          name="gradcheck-sweep")
        self.chosen_src = ColumnDataSource({"eps": [], "error": [], "color": [], "kind": []},
                                           name="gradcheck-chosen")
        self.u_src = ColumnDataSource({"eps": [EPS_LOW, EPS_HIGH], "u": [1.0, 1.0]},
                                      name="gradcheck-u")
        fig = figure(height=360, width=520, x_axis_type="log", y_axis_type="log",
                     title="relative error of the finite-difference gradient",
                     x_axis_label="eps", y_axis_label="max |g − exact| / max |exact|",
                     tools="pan,wheel_zoom,reset")
        items, dots = [], []
        for kind, color in COLORS.items():
            line = fig.line("eps", kind, source=self.sweep_src, color=color, line_width=2)
            dots.append(fig.scatter("eps", kind, source=self.sweep_src, color=color, size=4))
            items.append((f"{kind} differences", [line, dots[-1]]))
        fig.add_tools(HoverTool(renderers=dots, tooltips=[
            ("eps", "@eps{0.0e}"), ("forward", "@forward{0.0e}"), ("central", "@central{0.0e}")]))
        fig.scatter("eps", "error", source=self.chosen_src, color="color", size=12,
                    line_color="black")
        self.eps_mark = Span(location=self.state.eps, dimension="height", line_color="#333",
                             line_dash="dashed", line_width=1.5)
        fig.add_layout(self.eps_mark)
        u_line = fig.line("eps", "u", source=self.u_src, color="#2ca02c", line_dash="dotted",
                          line_width=2)
        items.append(("unit roundoff u of the dtype", [u_line]))
        fig.add_layout(Legend(items=items, location="bottom_left", background_fill_alpha=0.8))
        self.figure = fig

        self.summary = pn.pane.Markdown("", sizing_mode="stretch_width", margin=(0, 10))
        self.table = pn.pane.HTML("", sizing_mode="stretch_width", margin=(0, 10))
        self.state.param.watch(self._update_sweep, ["sweep"])
        self.state.param.watch(self._update_result, ["result"])
        self._update_sweep()
        self._update_result()
        return pn.Column(
            pn.FlexBox(fig, pn.pane.Markdown(WHY_V, width=290, styles={"font-size": "13px"})),
            self.summary, self.table, sizing_mode="stretch_width")

    def _update_sweep(self, *events):
        s = self.state.sweep
        if not s:
            return
        # a zero error (exact to the last bit) has no place on a log axis: leave a gap
        self.sweep_src.data = {"eps": s["eps"], "forward": _loggable(s["forward"]),
                               "central": _loggable(s["central"])}
        u = UNIT_ROUNDOFF[self.state.dtype]
        self.u_src.data = {"eps": [EPS_LOW, EPS_HIGH], "u": [u, u]}

    def _update_result(self, *events):
        r = self.state.result
        if not r:
            return
        self.eps_mark.location = r["eps"]
        errors = _loggable([r["error_numeric"], r["error_central"]])
        self.chosen_src.data = {"eps": [r["eps"]] * 2, "error": errors,
                                "color": [COLORS["forward"], COLORS["central"]],
                                "kind": ["forward", "central"]}
        self.summary.object = self.state.summary()
        self.table.object = table_html(self.state.rows(), r)


def _loggable(values):
    return [v if v is not None and v > 0 and math.isfinite(v) else float("nan") for v in values]


METHODS = (("exact", "exact|float64 formula"), ("autograd", "autograd|.grad"),
           ("analytic", "formula|2·a·xᵀ, 2·a"), ("numeric", "forward|differences"),
           ("central", "central|differences"))
ERROR_KEYS = {"autograd": "error_autograd", "analytic": "error_analytic",
              "numeric": "error_numeric", "central": "error_central"}
CELL = "padding:2px 8px;text-align:right;font:12px monospace;white-space:nowrap"
HEAD = "padding:2px 8px;text-align:right;font-size:12px;vertical-align:bottom"


def table_html(rows, result):
    """Each method's gradient, entry by entry; the digits that differ from the exact value in
    red, so you can count how many each method gets right."""
    methods = METHODS if result["function"] == "cost" else tuple(
        (k, "formula|2(y−y*)·y·x, 2(y−y*)·y" if k == "analytic" else t) for k, t in METHODS)
    head = "".join(f"<th style='{HEAD}'>{'<br>'.join(map(html.escape, t.split('|')))}</th>"
                   for _, t in methods)
    body = []
    for entry, row in rows:
        cells = [f"<td style='{CELL};color:#555'>{html.escape(entry)}</td>"]
        for key, _ in methods:
            cells.append(f"<td style='{CELL}'>{_digits(row[key], row['exact'])}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    errors = "".join(f"<td style='{CELL};font-weight:600'>"
                     f"{_error_text(result[ERROR_KEYS[k]]) if k in ERROR_KEYS else ''}</td>"
                     for k, _ in methods)
    body.append(f"<tr style='border-top:1px solid #ccc'><td style='{CELL};color:#555'>"
                f"rel. error</td>{errors}</tr>")
    return ("<table style='border-collapse:collapse'><tr><th></th>" + head + "</tr>"
            + "".join(body) + "</table>")


def _digits(value, exact):
    """`value` to 12 significant digits, its tail from the first wrong digit in red."""
    shown, truth = f"{value:.12g}", f"{exact:.12g}"
    same = 0
    while same < min(len(shown), len(truth)) and shown[same] == truth[same]:
        same += 1
    if same == len(shown):
        return html.escape(shown)
    return (html.escape(shown[:same]) + "<span style='color:#c62828'>"
            + html.escape(shown[same:]) + "</span>")


def _error_text(error):
    return "0" if error == 0 else f"{error:.1e}"
