"""Lesson 2: shapes and broadcasting. Two parts, one switch:

  broadcast  two shapes -> a + b's shape, or torch's exact error; the shapes drawn
             right-aligned, dim by dim, with the dims that get stretched (expanded) marked.
  views      x = torch.arange(n).reshape(shape), optionally transposed, then view / reshape
             (with -1) / transpose / permute / narrow / contiguous: y's printout, strides,
             contiguity, whether it shares x's memory, and the order y reads that memory in.

The answers are torch's: the lesson does the op and shows what comes back.
"""
import panel as pn
import param
from bokeh.models import ColumnDataSource, FixedTicker, Range1d
from bokeh.plotting import figure

from widgets import ShapeInput
from widgets.shape_input import Shape

from ..compute import shapes as experiments
from .base import LessonState, LessonView
from .tensors import cell_html, facts_html, hint, tensor_view

PARTS = {"Broadcasting": "broadcast", "Views and strides": "views"}
ROLE_COLORS = {"same": "#c6dbef", "expand": "#fdd0a2", "missing": "#f7f7f7",
               "clash": "#fcbba1", "result": "#c7e9c0"}
EXAMPLES = {  # label -> (shape of a, shape of b): the seeds' examples and a clash
    "(5,1,4,1) + (3,1,2)": ((5, 1, 4, 1), (3, 1, 2)),
    "(4,1) + (1,5)": ((4, 1), (1, 5)),
    "(2,3) + (3,)": ((2, 3), (3,)),
    "(2,3) + (3,2)": ((2, 3), (3, 2)),
}
VIEW_EXAMPLES = {  # label -> (shape, transpose first, op, args)
    "view(2, -1)": ((3, 4), False, "view", "2, -1"),
    "transpose, then view": ((3, 4), True, "view", "2, -1"),
    "transpose, then reshape": ((3, 4), True, "reshape", "2, -1"),
    "view(4, -1) of 6": ((2, 3), False, "view", "4, -1"),
    "narrow(1, 1, 2)": ((3, 4), False, "narrow", "1, 1, 2"),
    "permute(2, 0, 1)": ((2, 3, 4), False, "permute", "2, 0, 1"),
}


def default_args(op, ndim):
    """Arguments that make sense for `op` on an ndim-d x (the student edits them after)."""
    last = max(ndim - 1, 0)
    return {"view": "2, -1", "reshape": "2, -1", "transpose": "0, 1",
            "permute": ", ".join(str(d) for d in reversed(range(ndim))),
            "narrow": f"{last}, 1, 2", "contiguous": ""}[op]


class State(LessonState):
    slug = "broadcasting"
    title = "Shapes and broadcasting"
    url_params = ("part", "a", "b", "shape", "transpose_first", "op", "args")

    part = param.Selector(default="broadcast", objects=PARTS)
    a = Shape(default=(5, 1, 4, 1), max_dims=experiments.MAX_DIMS,
              max_numel=experiments.MAX_NUMEL, doc="the shape of a")
    b = Shape(default=(3, 1, 2), max_dims=experiments.MAX_DIMS,
              max_numel=experiments.MAX_NUMEL, doc="the shape of b")
    shape = Shape(default=(3, 4), max_dims=experiments.MAX_DIMS,
                  max_numel=experiments.MAX_BASE_NUMEL, doc="the shape of x")
    transpose_first = param.Boolean(default=False, doc="x = x.transpose(0, 1) first")
    op = param.Selector(default="view", objects=list(experiments.OPS))
    args = param.String(default="2, -1", doc="the op's arguments, e.g. 2, -1")

    broadcasted = param.Dict(default={}, doc="the broadcast part's result")
    viewed = param.Dict(default={}, doc="the views part's result")
    part_errors = param.Dict(default={})

    def __init__(self, torch=None, **params):
        if "op" in params and "args" not in params:  # State(op="narrow"): narrow's arguments
            params["args"] = default_args(params["op"], len(params.get("shape", self.shape)))
        super().__init__(torch, **params)

    @param.depends("a", "b", watch=True, on_init=True)
    def run_broadcast(self):
        spec = {"a": list(self.a), "b": list(self.b)}
        self._run("broadcast", lambda: experiments.broadcast(spec, self.torch), "broadcasted")

    @param.depends("shape", "transpose_first", "args", watch=True, on_init=True)
    def run_views(self):
        def work():
            spec = {"shape": list(self.shape), "transpose_first": self.transpose_first,
                    "op": self.op, "args": experiments.parse_ints(self.args)}
            return experiments.view_op(spec, self.torch)
        self._run("views", work, "viewed")

    @param.depends("op", watch=True)
    def _op_changed(self):
        """A new op starts from arguments that suit it (a link's args, applied after the op,
        still win)."""
        args = default_args(self.op, len(self.shape))
        if args == self.args:
            self.run_views()
        else:
            self.args = args  # runs the views part

    def _run(self, part, work, into):
        self.compute(work, into=into)
        self.part_errors = dict(self.part_errors, **{part: self.error})
        self.error = self.part_errors.get(self.part, "")

    @param.depends("part", watch=True)
    def _show_part_error(self):
        self.error = self.part_errors.get(self.part, "")


class View(LessonView):
    intro = (
        "Two tensors of different shapes can still be added: torch lines their shapes up "
        "**from the right** and stretches every dim of size 1 to match. *Try*: the examples, "
        "then your own shapes; then the views part. *Notice*: a view never copies, it reads "
        "the same memory with other strides, which is why `view` can fail where `reshape` "
        "copies.")

    def controls(self):
        s = self.state
        self._controls = {
            "part": pn.widgets.RadioButtonGroup.from_param(s.param.part, name="part",
                                                           button_type="primary",
                                                           button_style="outline",
                                                           sizing_mode="stretch_width"),
            "a": self._shape_input("a", "shape of a", experiments.MAX_NUMEL),
            "b": self._shape_input("b", "shape of b", experiments.MAX_NUMEL),
            "shape": self._shape_input("shape", "shape of x", experiments.MAX_BASE_NUMEL),
            "transpose_first": pn.widgets.Checkbox.from_param(
                s.param.transpose_first, name="transpose x first: x.transpose(0, 1)"),
            "op": pn.widgets.Select.from_param(s.param.op, name="op: y = x.…",
                                               sizing_mode="stretch_width"),
            "args": pn.widgets.TextInput.from_param(s.param.args, name="arguments",
                                                    placeholder="e.g. 2, -1",
                                                    sizing_mode="stretch_width"),
        }
        s.param.watch(self._show_controls, ["part", "op"])
        self._show_controls()
        return self._controls

    def _shape_input(self, name, label, max_numel):
        s = self.state
        widget = ShapeInput(value=getattr(s, name), max_dims=experiments.MAX_DIMS,
                            max_numel=max_numel, name=label, field_width=120)
        widget.param.watch(lambda e: setattr(s, name, e.new), "value")
        s.param.watch(lambda e: setattr(widget, "value", e.new), name)
        return pn.Column(widget, margin=0)

    def _show_controls(self, *events):
        s = self.state
        visible = {"broadcast": {"a", "b"},
                   "views": {"shape", "transpose_first", "op"} |
                   ({"args"} if s.op != "contiguous" else set())}[s.part] | {"part"}
        for name, widget in self._controls.items():
            widget.visible = name in visible

    def body(self):
        return self.parts_body({"broadcast": self._broadcast_part, "views": self._views_part})

    def _examples(self, examples, apply):
        buttons = []
        for label, example in examples.items():
            button = pn.widgets.Button(name=label, button_type="primary",
                                       button_style="outline", margin=(2, 4))
            button.on_click(lambda e, ex=example: apply(*ex))
            buttons.append(button)
        return pn.Row(pn.pane.HTML("<span style='color:#555'>Examples:</span>",
                                   margin=(8, 4, 0, 10)), *buttons)

    # -- broadcasting -------------------------------------------------------------------------
    def _broadcast_part(self):
        self.cells_src = ColumnDataSource(
            {k: [] for k in ("x", "y", "text", "color", "line_color", "line_width")},
            name="broadcast-cells")
        fig = figure(height=190, width=560, tools="", toolbar_location=None,
                     x_range=Range1d(-0.5, 3.5), y_range=Range1d(2.6, -0.6),
                     x_axis_location="above", min_border_left=60)
        fig.rect("x", "y", width=0.9, height=0.8, source=self.cells_src, fill_color="color",
                 line_color="line_color", line_width="line_width")
        fig.text("x", "y", text="text", source=self.cells_src, text_align="center",
                 text_baseline="middle", text_font_size="13px")
        fig.yaxis.ticker = FixedTicker(ticks=[0, 1, 2])
        fig.yaxis.major_label_overrides = {0: "a", 1: "b", 2: "a + b"}
        self.dim_ticks = FixedTicker(ticks=[])
        fig.xaxis.ticker = self.dim_ticks
        fig.xaxis.axis_label = "dims, lined up from the right"
        fig.grid.visible = False
        fig.outline_line_color = None
        fig.axis.major_label_text_font_size = "13px"
        self.cells_fig = fig
        self.broadcast_cell = pn.pane.HTML("", sizing_mode="stretch_width", margin=(0, 10))
        self.broadcast_verdict = pn.pane.Markdown("", sizing_mode="stretch_width",
                                                  margin=(0, 10))
        self.value_views = [tensor_view(f"broadcast-{name}", max_width_px=240,
                                        max_height_px=240, cell_px=30)
                            for name in ("a", "b", "sum")]
        self.values_row = pn.Row(*self.value_views)
        self.state.param.watch(self._update_broadcast, "broadcasted")
        self._update_broadcast()

        def apply(a, b):
            # one at a time: the app's URL watcher takes one event per call
            self.state.a = a
            self.state.b = b
        legend = " &nbsp; ".join(
            f"<span style='background:{ROLE_COLORS[r]};border:1px solid #bbb;padding:0 6px'>"
            f"&nbsp;</span> {text}" for r, text in (
                ("same", "same size"), ("expand", "size 1, stretched"),
                ("missing", "missing: a 1 is put in front"), ("clash", "clash")))
        return pn.Column(
            hint("**Broadcasting.** Line the shapes up from the right; each pair of sizes "
                 "must be equal, or one of them 1 (or missing). Type shapes on the left or "
                 "pick an example."),
            self._examples(EXAMPLES, apply),
            pn.FlexBox(fig, pn.Column(self.broadcast_verdict, width=330)),
            pn.pane.HTML(f"<div style='font-size:12px;color:#444'>{legend}</div>",
                         margin=(0, 10)),
            self.broadcast_cell, self.values_row, sizing_mode="stretch_width")

    def _update_broadcast(self, *events):
        r = self.state.broadcasted
        if not r:
            return
        columns = r["columns"]
        self.cells_src.data = alignment_cells(columns, r["reported_dim"])
        self.cells_fig.x_range.update(start=-0.5, end=len(columns) - 0.5)
        self.cells_fig.width = max(300, 70 + 80 * len(columns))
        self.dim_ticks.ticks = list(range(len(columns)))
        self.cells_fig.xaxis.major_label_overrides = {d: f"dim {d}" for d in range(len(columns))}
        self.broadcast_cell.object = cell_html(r["code"], r["output"], r["error"])
        self.broadcast_verdict.object = broadcast_verdict(r)
        self.values_row.visible = bool(r["views"])
        for view, value in zip(self.value_views, r["views"]):
            view.value = value

    # -- views --------------------------------------------------------------------------------
    def _views_part(self):
        self.views_cell = pn.pane.HTML("", sizing_mode="stretch_width", margin=(0, 10))
        self.x_view = tensor_view("views-x", max_width_px=300, max_height_px=220, cell_px=32)
        self.y_view = tensor_view("views-y", max_width_px=300, max_height_px=220, cell_px=32)
        self.x_facts = pn.pane.HTML("", margin=(0, 10))
        self.y_facts = pn.pane.HTML("", margin=(0, 10))
        self.y_box = pn.Column(self.y_view, self.y_facts, margin=0)
        self.memory_src = ColumnDataSource({k: [] for k in ("x", "value", "order", "color")},
                                           name="views-memory")
        self.jumps_src = ColumnDataSource({k: [] for k in ("x0", "x1", "cx", "cy", "color")},
                                          name="views-jumps")
        mem = figure(height=150, width=500, tools="", toolbar_location=None,
                     x_range=Range1d(-0.5, 11.5), y_range=Range1d(2.2, -2.2),
                     title="x's memory, cell by cell: y reads the coloured cells in the "
                           "order of the numbers below")
        mem.rect("x", 0, width=0.94, height=1, source=self.memory_src, fill_color="color",
                 line_color="#888")
        mem.text("x", 0, text="value", source=self.memory_src, text_align="center",
                 text_baseline="middle", text_font_size="12px")
        mem.text("x", 0.95, text="order", source=self.memory_src, text_align="center",
                 text_baseline="top", text_font_size="10px", text_color="#b35806")
        mem.bezier(x0="x0", y0=-0.55, x1="x1", y1=-0.55, cx0="cx", cy0="cy", cx1="cx",
                   cy1="cy", source=self.jumps_src, line_color="color", line_width=1.5)
        mem.axis.visible = False
        mem.grid.visible = False
        mem.outline_line_color = None
        mem.title.text_font_size = "12px"
        mem.title.text_font_style = "normal"
        self.memory_fig = mem
        self.memory_note = pn.pane.Markdown("", sizing_mode="stretch_width", margin=(0, 10),
                                            styles={"color": "#555"})
        self.state.param.watch(self._update_views, "viewed")
        self._update_views()

        def apply(shape, transpose_first, op, args):
            # one at a time (the app's URL watcher takes one event per call); op before args:
            # a new op resets args to its default, which the example then replaces
            self.state.shape = shape
            self.state.transpose_first = transpose_first
            self.state.op = op
            self.state.args = args
        return pn.Column(
            hint("**Views and strides.** x holds 0, 1, 2, ... in memory, so every value "
                 "you see is the memory cell it lives in. Pick an op: does y share x's "
                 "memory, and in which order does it read it?"),
            self._examples(VIEW_EXAMPLES, apply),
            self.views_cell,
            pn.FlexBox(pn.Column(self.x_view, self.x_facts, margin=0), self.y_box),
            mem, self.memory_note, sizing_mode="stretch_width")

    def _update_views(self, *events):
        r = self.state.viewed
        if not r:
            return
        self.views_cell.object = cell_html(r["code"], r["output"], r["error"])
        if r["x"] is not None:
            self.x_view.value = r["x"]
            self.x_facts.object = facts_html([["x." + e, v] for e, v in r["x_facts"]])
        self.y_box.visible = r["y"] is not None
        if r["y"] is not None:
            self.y_view.value = r["y"]
            self.y_facts.object = facts_html(
                [["y." + e, v] for e, v in r["y_facts"]] +
                [["shares x's memory", str(r["shares"])]])
        memory, jumps = memory_strip(r["numel"], r["positions"])
        self.memory_src.data = memory
        self.jumps_src.data = jumps
        self.memory_fig.x_range.update(start=-0.5, end=max(r["numel"], 1) - 0.5)
        self.memory_fig.width = 40 + int(min(36, 860 / max(r["numel"], 1)) * r["numel"])
        self.memory_note.object = memory_note(r)


# -- pure helpers: results -> what is drawn ---------------------------------------------------

def alignment_cells(columns, reported_dim):
    """The boxes of the alignment figure: rows a, b and a + b; one column per dim."""
    data = {k: [] for k in ("x", "y", "text", "color", "line_color", "line_width")}

    def box(x, y, text, role, flagged):
        data["x"].append(x)
        data["y"].append(y)
        data["text"].append(text)
        data["color"].append(ROLE_COLORS[role])
        data["line_color"].append("#d62728" if flagged else "#999999")
        data["line_width"].append(3 if flagged else 1)

    for c in columns:
        flagged = c["dim"] == reported_dim
        for row, key in ((0, "a"), (1, "b")):
            size, role = c[key], c[f"{key}_role"]
            if role == "missing":
                text = f"(1) → {c['out']}" if c["out"] != 1 else "(1)"
            elif role == "expand":
                text = f"1 → {c['out']}"
            else:
                text = str(size)
            box(c["dim"], row, text, role, flagged)
        box(c["dim"], 2, "✗" if c["out"] is None else str(c["out"]),
            "clash" if c["out"] is None else "result", flagged)
    return data


def broadcast_verdict(r):
    if r["error"]:
        dim = r["reported_dim"]
        return (f"**torch refuses**: in dim {dim} the sizes differ and neither is 1 (the "
                f"red boxes). Make one of them 1, or equal." if dim is not None else
                "**torch refuses** these shapes.")
    stretched = [c["dim"] for c in r["columns"] if "expand" in (c["a_role"], c["b_role"])
                 or (c["out"] != 1 and "missing" in (c["a_role"], c["b_role"]))]
    shape = ", ".join(map(str, r["shape"]))
    text = f"**a + b has shape ({shape})**."
    if stretched:
        text += (f" Dims {', '.join(map(str, stretched))} are stretched: the size-1 side is "
                 f"repeated, without copying, to match the other.")
    if r["note"]:
        text += f" {r['note']}."
    return text


def memory_strip(numel, positions):
    """(cells, jumps): x's memory cells 0..numel-1, coloured where y reads them, numbered by
    the order y reads them; and an arc over the strip per step from one read to the next:
    green to the very next cell, orange for a jump forward, purple for a jump back."""
    order = {}
    for k, p in enumerate(positions or []):
        order.setdefault(p, []).append(str(k))
    cells = {"x": list(range(numel)), "value": [str(p) for p in range(numel)],
             "order": [",".join(order.get(p, [])) for p in range(numel)],
             "color": ["#fdae6b" if p in order else "#f0f0f0" for p in range(numel)]}
    jumps = {k: [] for k in ("x0", "x1", "cx", "cy", "color")}
    reads = positions or []
    for p, q in zip(reads, reads[1:]):
        step = q - p
        jumps["x0"].append(p)
        jumps["x1"].append(q)
        jumps["cx"].append((p + q) / 2)
        # y grows downwards in this figure: a smaller y is higher; longer jumps arc higher
        jumps["cy"].append(-0.55 - (0.6 + 0.12 * min(abs(step), 12)))
        jumps["color"].append("#31a354" if step == 1 else "#e6550d" if step > 1
                              else "#756bb1")
    return cells, jumps


def memory_note(r):
    if r["error"] or r["y"] is None:
        return "y was not made, so it reads nothing."
    if not r["shares"]:
        return ("**y is a copy**: it has memory of its own, with the values laid out in "
                "y's order, so it reads none of x's cells.")
    if r["positions"] == list(range(r["numel"])):
        return ("y reads x's memory **in order, one cell after the next**: that is what "
                "*contiguous* means (green arcs).")
    return ("y reads x's memory **with jumps** (orange arcs forward, purple back): its "
            "strides skip cells or go back. `view` needs a layout it can describe with strides alone; `reshape` "
            "copies when there is none.")
