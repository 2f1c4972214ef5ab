"""Loss curve: one line per run, loss against step, on a log or linear y axis.

    curve = LossCurve(series={"sgd": [2.3, 1.1, 0.7], "adam": [2.3, 0.4, 0.1]}, log_y=True)
    curve.series = {**curve.series, "sgd": losses}   # replace to update

Constructor arguments / params:
  series   {name: list of losses}; step k is the k-th value. Values that are nan or inf
           (a diverged run) are left out, as are values <= 0 on the log axis; `note` says
           how many and why, so the axis never breaks.
  colors   optional {name: color}; the k-th series gets the k-th run colour otherwise
           (the same as ContourPlot's k-th trajectory)
  log_y    log-scaled y axis (the default: losses shrink by decades)
  show_legend  the legend in the top right corner (off where a key is shown nearby)
Read-only params: note (what was left out).

A log axis can't be switched on an existing Bokeh figure, so the widget holds two
figures (linear and log) fed from one ColumnDataSource and shows one of them. Each run is
one line of a multi_line (gaps where values were left out); an invisible scatter of every
point gives exact hover values (run, step, loss).
"""
from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, HoverTool
from bokeh.plotting import figure

from ._messages import message_pane
from ._palette import run_color

_LINES = ("xs", "ys", "ys_log", "name", "color")
_POINTS = ("step", "loss", "loss_log", "name", "color")


def series_data(series: dict, colors: dict | None = None) -> tuple[dict, dict, dict]:
    """(line columns, point columns, counts of left-out values per reason)."""
    colors = colors or {}
    lines = {k: [] for k in _LINES}
    points = {k: [] for k in _POINTS}
    left_out = {"not finite": 0, "not positive": 0}
    for i, (name, values) in enumerate((series or {}).items()):
        y = np.asarray(list(values), dtype=float).ravel()
        finite = np.isfinite(y)
        positive = finite & (y > 0)
        left_out["not finite"] += int((~finite).sum())
        left_out["not positive"] += int((finite & ~positive).sum())
        y_lin = np.where(finite, y, np.nan)  # nan: a gap in the line
        y_log = np.where(positive, y, np.nan)
        color = colors.get(name) or run_color(i)
        steps = np.arange(y.size, dtype=float)
        lines["xs"].append(steps)
        lines["ys"].append(y_lin)
        lines["ys_log"].append(y_log)
        lines["name"].append(str(name))
        lines["color"].append(color)
        points["step"].append(steps)
        points["loss"].append(y_lin)
        points["loss_log"].append(y_log)
        points["name"].extend([str(name)] * y.size)
        points["color"].extend([color] * y.size)
    # numbers as one float array per column: Bokeh sends an array in one piece (a list item by
    # item), which keeps a slider move's update short in the browser
    for k in ("step", "loss", "loss_log"):
        points[k] = np.concatenate(points[k]) if points[k] else np.zeros(0)
    return lines, points, left_out


def left_out_note(left_out: dict, log_y: bool) -> str:
    notes = []
    if left_out["not finite"]:
        notes.append(f"{left_out['not finite']} value(s) are nan or inf (a diverged run?) "
                     f"and are not drawn")
    if log_y and left_out["not positive"]:
        notes.append(f"{left_out['not positive']} value(s) are 0 or negative, which a log "
                     f"axis cannot show: they are not drawn (switch to a linear axis to see them)")
    return "; ".join(notes)


class LossCurve(pn.viewable.Viewer):
    series = param.Dict(default={})
    colors = param.Dict(default={})
    log_y = param.Boolean(default=True)
    width = param.Integer(default=480, bounds=(150, None))
    height = param.Integer(default=260, bounds=(100, None))
    title = param.String(default="loss")
    show_legend = param.Boolean(default=True)
    note = param.String(default="", constant=True)

    def __init__(self, **params):
        super().__init__(**params)
        self.line_source = ColumnDataSource({k: [] for k in _LINES})
        self.point_source = ColumnDataSource({k: [] for k in _POINTS})
        self.linear_figure = self._figure("linear", "ys", "loss")
        self.log_figure = self._figure("log", "ys_log", "loss_log")
        # Visibility is toggled on wrapping columns: a Bokeh pane syncs its own `visible`
        # with its figure's, which undoes a toggle made on the pane.
        self._linear_pane = pn.Column(pn.pane.Bokeh(self.linear_figure), margin=0)
        self._log_pane = pn.Column(pn.pane.Bokeh(self.log_figure), margin=0)
        self._left_out = {"not finite": 0, "not positive": 0}
        self._update()
        self._show_axis()
        self.param.watch(lambda *e: self._update(), ["series", "colors"])
        self.param.watch(lambda *e: self._show_axis(), "log_y")
        self.param.watch(self._toggle_legend, "show_legend")
        self._layout = pn.Column(self._linear_pane, self._log_pane,
                                 message_pane(self, "note", "note", width=self.width))

    def _figure(self, scale: str, y_column: str, point_column: str):
        fig = figure(width=self.width, height=self.height, y_axis_type=scale,
                     tools="pan,wheel_zoom,box_zoom,reset", toolbar_location="right",
                     title=self.title, x_axis_label="step",
                     y_axis_label="loss (log scale)" if scale == "log" else "loss")
        fig.multi_line(xs="xs", ys=y_column, source=self.line_source, line_color="color",
                       line_width=2, legend_field="name")
        points = fig.scatter(x="step", y=point_column, source=self.point_source, size=7,
                             fill_alpha=0, line_alpha=0, hover_fill_color="color",
                             hover_fill_alpha=1, hover_line_alpha=1)
        fig.add_tools(HoverTool(renderers=[points], mode="vline", tooltips=[
            ("", "@name"), ("step", "@step{0}"), ("loss", f"@{point_column}{{%.5g}}")],
            formatters={f"@{point_column}": "printf"}))
        fig.legend.location = "top_right"
        fig.legend.visible = self.show_legend
        fig.legend.label_text_font_size = "11px"
        fig.legend.background_fill_alpha = 0.7
        fig.title.text_font_style = "normal"
        return fig

    def _update(self) -> None:
        lines, points, self._left_out = series_data(self.series, self.colors)
        self.line_source.data = lines
        self.point_source.data = points
        self._set_note()

    def _toggle_legend(self, event) -> None:
        for fig in (self.linear_figure, self.log_figure):
            fig.legend.visible = event.new

    def _show_axis(self) -> None:
        self._linear_pane.visible = not self.log_y
        self._log_pane.visible = self.log_y
        self._set_note()

    def _set_note(self) -> None:
        with param.edit_constant(self):
            self.note = left_out_note(self._left_out, self.log_y)

    def __panel__(self):
        return self._layout
