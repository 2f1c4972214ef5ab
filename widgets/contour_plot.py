"""Contour plot of a loss surface with optimisation trajectories; a click sets the start.

    plot = ContourPlot(
        surface={"x": xs, "y": ys, "z": Z},          # Z[i, j] is the loss at (xs[j], ys[i])
        trajectories=[{"name": "sgd", "x": [...], "y": [...], "loss": [...],
                       "grad": [(gx, gy), ...], "color": "#d62728"}],
        start=(1.5, -1.0))
    plot.param.watch(rerun, "start")                  # the student clicked somewhere

Constructor arguments / params:
  surface       {'x': 1-d increasing (nx), 'y': 1-d increasing (ny), 'z': 2-d (ny, nx)};
                nan/inf in z are left blank
  trajectories  list of {'name', 'x', 'y'} plus optional 'loss', 'grad' (a number or an
                (dx, dy) pair per step) and 'color' (default: the k-th run colour, the same
                as LossCurve's k-th series); points that are not finite (a
                diverged run) are not drawn, and `note` says so
  start         (x, y): shown as a ring; a click (Tap) on the plot sets it, rounded to a
                sensible number of decimals and kept inside the surface
  marks         fixed points to label, e.g. minima: list of {'x', 'y', 'label'} plus an
                optional 'marker' (a Bokeh marker name, default 'star'); hover shows the label
  n_levels      number of filled bands
  log_levels    space the levels logarithmically (for losses spanning decades)
  size_px       length of the plot's longer side; the other follows the data's aspect
Read-only params: note (what was left out), error (why the surface can't be drawn).

Hover on a trajectory point shows its name, step, loss and gradient; hover elsewhere
shows the loss under the pointer. Filled contours are computed with contourpy (shipped
with Bokeh, also in Pyodide) through `bokeh.plotting.contour.contour_data`; everything
updates by replacing ColumnDataSource data, the figure is built once.
"""
from __future__ import annotations

import math

import numpy as np
import panel as pn
import param
from bokeh.events import Tap
from bokeh.models import ColumnDataSource, HoverTool, Range1d
from bokeh.palettes import Viridis256, linear_palette
from bokeh.plotting import figure
from bokeh.plotting.contour import contour_data

from ._messages import message_pane
from ._palette import run_color


_FILL = ("xs", "ys", "color", "lower", "upper")
_LINES = ("xs", "ys")
_PATHS = ("xs", "ys", "color", "name")
_POINTS = ("x", "y", "step", "loss", "grad", "name", "color", "size")
_MARKS = ("x", "y", "label", "marker")


# --------------------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------------------

def check_surface(surface) -> tuple[tuple | None, str]:
    """((x, y, z) as float arrays, '') or (None, what is wrong and how to fix it)."""
    if not isinstance(surface, dict) or not {"x", "y", "z"} <= set(surface):
        return None, "the surface must be a dict with 'x', 'y' and 'z'"
    try:
        x = np.asarray(surface["x"], dtype=float)
        y = np.asarray(surface["y"], dtype=float)
        z = np.asarray(surface["z"], dtype=float)
    except (TypeError, ValueError) as exc:
        return None, f"the surface must hold numbers ({exc})"
    if x.ndim != 1 or y.ndim != 1 or x.size < 2 or y.size < 2:
        return None, "'x' and 'y' must be 1-d with at least 2 values each"
    if z.shape != (y.size, x.size):
        return None, (f"'z' has shape {z.shape} but must be (len(y), len(x)) = "
                      f"({y.size}, {x.size}): z[i, j] is the loss at (x[j], y[i])")
    if np.any(np.diff(x) <= 0) or np.any(np.diff(y) <= 0):
        return None, "'x' and 'y' must be strictly increasing"
    if not np.isfinite(z).any():
        return None, "'z' has no finite values to draw"
    return (x, y, z), ""


def contour_levels(z: np.ndarray, n: int, log: bool = False) -> np.ndarray:
    """n + 1 increasing levels spanning the finite values of z (n bands)."""
    finite = z[np.isfinite(z)]
    low, high = float(finite.min()), float(finite.max())
    if not high > low:
        return np.array([low, low + 1.0])
    if not log:
        return np.linspace(low, high, n + 1)
    if low > 0:
        levels = np.geomspace(low, high, n + 1)
    else:  # log spacing of the height above the minimum
        span = high - low
        levels = np.concatenate([[low], low + np.geomspace(span * 1e-3, span, n)])
    return np.unique(levels)


def format_grad(g) -> str:
    if g is None:
        return ""
    if isinstance(g, (tuple, list)) and all(isinstance(v, (int, float)) for v in g):
        values = g  # the common case, without numpy's per-call cost
    else:
        try:
            values = [float(v) for v in np.ravel(g)]
        except (TypeError, ValueError):
            return str(g)
    if len(values) == 1:
        return f"{values[0]:.4g}"
    return "(" + ", ".join(f"{v:.4g}" for v in values) + ")"


def trajectory_data(trajectories: list) -> tuple[dict, dict, str]:
    """(path columns, point columns, note). Non-finite points are dropped and counted."""
    paths = {k: [] for k in _PATHS}
    points = {k: [] for k in _POINTS}
    notes = []
    for i, traj in enumerate(trajectories or []):
        if not isinstance(traj, dict) or "x" not in traj or "y" not in traj:
            notes.append(f"trajectory #{i} has no 'x' and 'y' and was skipped")
            continue
        name = str(traj.get("name", f"run {i + 1}"))
        color = traj.get("color") or run_color(i)
        x = np.asarray(traj["x"], dtype=float).ravel()
        y = np.asarray(traj["y"], dtype=float).ravel()
        n = min(x.size, y.size)
        loss = list(traj.get("loss", [])) + [None] * n
        grad = list(traj.get("grad", [])) + [None] * n
        ok = np.isfinite(x[:n]) & np.isfinite(y[:n])
        if not ok.all():
            notes.append(f"'{name}' left the finite numbers (diverged?): "
                         f"{int((~ok).sum())} of its {n} points are not drawn")
        steps = np.flatnonzero(ok).tolist()
        xs, ys = x[steps].tolist(), y[steps].tolist()
        paths["xs"].append(xs)
        paths["ys"].append(ys)
        paths["color"].append(color)
        paths["name"].append(name)
        points["x"] += xs
        points["y"] += ys
        points["step"] += steps
        points["loss"] += ["" if loss[s] is None else f"{float(loss[s]):.6g}" for s in steps]
        points["grad"] += [format_grad(grad[s]) for s in steps]
        points["name"] += [name] * len(steps)
        points["color"] += [color] * len(steps)
        points["size"] += [5] * (len(steps) - 1) + [9] * bool(steps)  # the last stands out
    return paths, points, "; ".join(notes)


def marks_data(marks: list) -> tuple[dict, str]:
    """(mark columns, note): marks without finite 'x' and 'y' are skipped and noted."""
    data = {k: [] for k in _MARKS}
    skipped = 0
    for mark in marks or []:
        try:
            x, y = float(mark["x"]), float(mark["y"])
        except (KeyError, TypeError, ValueError):
            skipped += 1
            continue
        if not (math.isfinite(x) and math.isfinite(y)):
            skipped += 1
            continue
        data["x"].append(x)
        data["y"].append(y)
        data["label"].append(str(mark.get("label", "")))
        data["marker"].append(str(mark.get("marker", "star")))
    return data, (f"{skipped} mark(s) without finite 'x' and 'y' were skipped" if skipped
                  else "")


def frame_size(x_span: float, y_span: float, longest_px: int) -> tuple[int, int]:
    """Frame (width, height) in pixels with one data unit the same length on both axes;
    the longer side gets longest_px, the shorter at least a quarter of it."""
    ratio = y_span / x_span
    if ratio <= 1:
        return longest_px, max(longest_px // 4, round(longest_px * ratio))
    return max(longest_px // 4, round(longest_px / ratio)), longest_px


def snap_point(x: float, y: float, xs: np.ndarray, ys: np.ndarray) -> tuple[float, float]:
    """A clicked point kept inside the surface and rounded to ~1/1000 of its size."""
    def one(v, axis):
        v = min(max(v, float(axis[0])), float(axis[-1]))
        span = float(axis[-1] - axis[0])
        decimals = max(0, -math.floor(math.log10(span / 1000))) if span > 0 else 3
        return round(v, decimals)
    return one(x, xs), one(y, ys)


# --------------------------------------------------------------------------------------
# The widget
# --------------------------------------------------------------------------------------

class ContourPlot(pn.viewable.Viewer):
    surface = param.Dict(default=None, allow_None=True)
    trajectories = param.List(default=[])
    start = param.NumericTuple(default=(0.0, 0.0), length=2)
    marks = param.List(default=[])
    n_levels = param.Integer(default=12, bounds=(2, 64))
    log_levels = param.Boolean(default=False)
    size_px = param.Integer(default=420, bounds=(150, 1200))
    note = param.String(default="", constant=True)
    error = param.String(default="", constant=True)

    def __init__(self, **params):
        super().__init__(**params)
        self._axes = (np.array([-1.0, 1.0]), np.array([-1.0, 1.0]))
        self._trajectory_note = self._marks_note = ""  # the two parts of `note`
        self._build()
        self._update_surface()
        self._update_trajectories()
        self._update_start()
        self._update_marks()
        self.param.watch(lambda *e: self._update_surface(), ["surface", "n_levels", "log_levels"])
        self.param.watch(lambda *e: self._update_trajectories(), "trajectories")
        self.param.watch(lambda *e: self._update_marks(), "marks")
        self.param.watch(lambda *e: self._update_start(), "start")
        self._layout = pn.Column(self._pane, message_pane(self, "note", "note"),
                                 message_pane(self, "error"))

    def _build(self) -> None:
        self.fill_source = ColumnDataSource({k: [] for k in _FILL})
        self.line_source = ColumnDataSource({k: [] for k in _LINES})
        self.surface_source = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []})
        self.path_source = ColumnDataSource({k: [] for k in _PATHS})
        self.point_source = ColumnDataSource({k: [] for k in _POINTS})
        self.start_source = ColumnDataSource({"x": [], "y": []})
        self.mark_source = ColumnDataSource({k: [] for k in _MARKS})
        fig = figure(x_range=Range1d(-1, 1), y_range=Range1d(-1, 1), frame_width=self.size_px,
                     frame_height=self.size_px, tools="pan,wheel_zoom,reset",
                     toolbar_location="right", min_border=8)
        # invisible, only for hover: the loss under the pointer
        surface = fig.image(image="image", x="x", y="y", dw="dw", dh="dh",
                            source=self.surface_source, global_alpha=0, palette=["#000000"])
        fig.multi_polygons(xs="xs", ys="ys", source=self.fill_source, fill_color="color",
                           fill_alpha=0.55, line_width=0)
        fig.multi_line(xs="xs", ys="ys", source=self.line_source, line_color="#ffffff",
                       line_alpha=0.8, line_width=1)
        fig.multi_line(xs="xs", ys="ys", source=self.path_source, line_color="color",
                       line_width=2.5, legend_field="name")
        points = fig.scatter(x="x", y="y", size="size", source=self.point_source,
                             fill_color="color", line_color="#222222", line_width=0.8)
        fig.scatter(x="x", y="y", source=self.start_source, marker="circle", size=16,
                    fill_alpha=0, line_color="#000000", line_width=2.5)
        fig.scatter(x="x", y="y", source=self.start_source, marker="cross", size=10,
                    line_color="#000000", line_width=2)
        marks = fig.scatter(x="x", y="y", marker="marker", source=self.mark_source, size=15,
                            fill_color="#ffffff", line_color="#000000", line_width=1.5)
        fig.add_tools(HoverTool(renderers=[marks], tooltips=[
            ("", "@label"), ("(x, y)", "(@x{0.000}, @y{0.000})")]))
        fig.add_tools(HoverTool(renderers=[points], tooltips=[
            ("", "@name"), ("step", "@step"), ("loss", "@loss"), ("gradient", "@grad"),
            ("(x, y)", "(@x{0.000}, @y{0.000})")]))
        fig.add_tools(HoverTool(renderers=[surface], tooltips=[
            ("(x, y)", "($x{0.00}, $y{0.00})"), ("loss", "@image{0.000}")]))
        # below the plot, where it can't hide the start point or a trajectory
        legend = fig.legend[0]
        fig.add_layout(legend, "below")
        legend.orientation = "horizontal"
        legend.label_text_font_size = "11px"
        legend.border_line_alpha = 0
        fig.title.text = "click to set the start point"
        fig.title.text_font_style = "normal"
        fig.title.text_color = "#666"
        fig.on_event(Tap, self._on_tap)
        self.figure = fig
        self._pane = pn.pane.Bokeh(fig)

    def _set(self, **values) -> None:
        with param.edit_constant(self):
            self.param.update(**values)

    def _update_surface(self) -> None:
        if self.surface is None:
            self._set(error="")
            return
        checked, error = check_surface(self.surface)
        self._set(error=error)
        if error:
            return
        x, y, z = checked
        self._axes = (x, y)
        levels = contour_levels(z, self.n_levels, self.log_levels)
        data = contour_data(x, y, z, levels, want_fill=len(levels) > 1, want_line=True)
        colors = list(linear_palette(Viridis256, max(len(levels) - 1, 1)))
        if data.fill_data is not None:
            fill = data.fill_data
            self.fill_source.data = {"xs": fill.xs, "ys": fill.ys, "color": colors[:len(fill.xs)],
                                     "lower": list(fill.lower_levels),
                                     "upper": list(fill.upper_levels)}
        self.line_source.data = {"xs": data.line_data.xs, "ys": data.line_data.ys}
        self.surface_source.data = {"image": [z], "x": [x[0]], "y": [y[0]],
                                    "dw": [x[-1] - x[0]], "dh": [y[-1] - y[0]]}
        self.figure.x_range.update(start=float(x[0]), end=float(x[-1]))
        self.figure.y_range.update(start=float(y[0]), end=float(y[-1]))
        # equal scales on both axes, so gradients look perpendicular to the contours
        width, height = frame_size(x[-1] - x[0], y[-1] - y[0], self.size_px)
        self.figure.update(frame_width=width, frame_height=height)

    def _update_trajectories(self) -> None:
        paths, points, self._trajectory_note = trajectory_data(self.trajectories)
        self.path_source.data = paths
        self.point_source.data = points
        self._set_note()

    def _update_marks(self) -> None:
        self.mark_source.data, self._marks_note = marks_data(self.marks)
        self._set_note()

    def _set_note(self) -> None:
        notes = (self._trajectory_note, self._marks_note)
        self._set(note="; ".join(n for n in notes if n))

    def _update_start(self) -> None:
        sx, sy = self.start
        self.start_source.data = {"x": [float(sx)], "y": [float(sy)]}

    def _on_tap(self, event) -> None:
        if event.x is None or event.y is None:
            return
        self.start = snap_point(event.x, event.y, *self._axes)

    def __panel__(self):
        return self._layout
