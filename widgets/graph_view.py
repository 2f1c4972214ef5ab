"""Autograd graph view: tensors and grad_fn nodes, drawn left to right (or top down) with Bokeh.

    view = GraphView(value={
        "nodes": [
            {"id": "x", "label": "x", "kind": "tensor", "leaf": True, "requires_grad": True,
             "grad": "tensor([2.])", "value": "tensor([1.])"},
            {"id": "acc", "label": "AccumulateGrad", "kind": "accumulate"},
            {"id": "mul", "label": "MulBackward0", "kind": "function", "freed": True},
            {"id": "y", "label": "y", "kind": "tensor", "leaf": False, "requires_grad": True},
        ],
        "edges": [("x", "acc"), ("acc", "mul"), ("mul", "y")],
    })

Constructor arguments / params:
  value   {'nodes': [...], 'edges': [(src_id, dst_id), ...]}; each node a dict with
            id             unique, hashable (required)
            label          the text in the box: a tensor's name or torch's grad_fn name
                           ('MulBackward0', 'AccumulateGrad', ...); default: str(id)
            kind           'tensor' | 'function' | 'accumulate' (default 'tensor')
            leaf           tensors: created by the user (True) or by an op (False)
            requires_grad  tensors: bool
            grad           the .grad after backward() as text, or None (not shown)
            value          the tensor's value as text (hover)
            freed          True once backward() freed the node's saved buffers
          Edges are drawn as given (src -> dst); edges naming unknown nodes are skipped
          and counted in `note`.
  orientation  'horizontal' (inputs left, outputs right; the default) or 'vertical'
            (inputs at the top, outputs at the bottom: deep chains stay narrow)
Read-only params: note (what was skipped), error (why nothing can be drawn, '' if fine).

Drawing: tensors are rounded boxes (leaf: blue, non-leaf: green, requires_grad=False:
dashed grey border), grad_fn nodes ellipses (orange; AccumulateGrad purple), freed nodes
greyed out with a dashed border and "freed" under the name. After backward a tensor's
box shows its grad on a second line. Hover gives the full details. Positions come from
`graph_layout.layered_layout` (a pure, deterministic function); the figure is built once
and updated by replacing its ColumnDataSources' data and its ranges.
"""
from __future__ import annotations

import math

import panel as pn
import param
from bokeh.models import Arrow, ColumnDataSource, HoverTool, Range1d, VeeHead
from bokeh.plotting import figure

from ._messages import message_pane
from .graph_layout import clean_edges, layered_layout

PX_PER_LAYER = 180  # horizontal room per layer; a box is BOX_W of it
PX_PER_SLOT = 78
BOX_W, BOX_H = 0.78, 0.62  # in layer / slot units
GRAD_CHARS = 22  # longer gradient texts are cut in the box (hover shows them whole)

STYLES = {  # (fill, border, text)
    "leaf": ("#d6eaff", "#1f77b4", "#10324f"),
    "nonleaf": ("#dcf3dc", "#2ca02c", "#16401a"),
    "nograd": ("#f3f3f3", "#999999", "#333333"),
    "function": ("#fdebd0", "#e08a00", "#4d3000"),
    "accumulate": ("#eee0f8", "#9467bd", "#3a2350"),
    "freed": ("#f2f2f2", "#c0c0c0", "#a0a0a0"),
}
LEGEND = [("leaf tensor", "leaf"), ("non-leaf tensor", "nonleaf"),
          ("no grad", "nograd"), ("grad_fn", "function"), ("AccumulateGrad", "accumulate"),
          ("freed", "freed")]

_NODE_COLUMNS = ("x", "y", "w", "h", "shape", "label", "label_size", "label_dy", "sub",
                 "kind_text", "requires_grad", "value", "grad", "fill", "border",
                 "text_color", "dash")
_EDGE_COLUMNS = ("x0", "y0", "x1", "y1", "color", "dash")


def _style_key(node: dict) -> str:
    if node.get("freed"):
        return "freed"
    kind = node.get("kind", "tensor")
    if kind in ("function", "accumulate"):
        return kind
    if not node.get("requires_grad", False):
        return "nograd"
    return "leaf" if node.get("leaf", True) else "nonleaf"


def _kind_text(node: dict) -> str:
    kind = node.get("kind", "tensor")
    if kind == "function":
        text = "grad_fn: computes its inputs' gradients"
    elif kind == "accumulate":
        text = "AccumulateGrad: adds the gradient into a leaf's .grad"
    elif node.get("leaf", True):
        text = "leaf tensor (made by you)"
    else:
        text = "non-leaf tensor (made by an op)"
    if node.get("freed"):
        text += "; its saved buffers were freed by backward()"
    return text


def _shorten(text: str, most: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= most else text[:most - 1] + "…"


def boundary_point(centre, towards, half_w: float, half_h: float, ellipse: bool):
    """Where the segment from `centre` to `towards` leaves a box or an ellipse."""
    (cx, cy), (tx, ty) = centre, towards
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    if ellipse:
        t = 1 / math.sqrt((dx / half_w) ** 2 + (dy / half_h) ** 2)
    else:
        t = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return cx + dx * t, cy + dy * t


def graph_data(value: dict, orientation: str = "horizontal"):
    """(node columns, edge columns, (n_layers, n_slots), note, error) for a graph value.
    Coordinates: one x unit is a layer (horizontal) or a slot (vertical), drawn
    PX_PER_LAYER wide; one y unit is the other, drawn PX_PER_SLOT high."""
    empty = ({k: [] for k in _NODE_COLUMNS}, {k: [] for k in _EDGE_COLUMNS})
    if not isinstance(value, dict) or not isinstance(value.get("nodes", []), list):
        return (*empty, (1, 1), "", "the graph must be a dict {'nodes': [...], 'edges': [...]}")
    nodes = value.get("nodes", [])
    for i, node in enumerate(nodes):
        if not isinstance(node, dict) or "id" not in node:
            return (*empty, (1, 1), "", f"node #{i} has no 'id': give every node a unique id")
    ids = [node["id"] for node in nodes]
    if len(set(ids)) != len(ids):
        twice = sorted({str(i) for i in ids if ids.count(i) > 1})
        return (*empty, (1, 1), "", f"node ids must be unique; repeated: {', '.join(twice)}")
    edges_in = [tuple(e) for e in value.get("edges", []) if len(e) == 2]
    edges, dropped = clean_edges(ids, edges_in)
    note = f"{dropped} edge(s) naming unknown nodes (or repeated) were skipped" if dropped else ""
    if not nodes:
        return (*empty, (1, 1), "no graph yet: run some code that needs gradients", "")

    positions = layered_layout(ids, edges)
    n_layers = int(max(x for x, _ in positions.values())) + 1
    n_slots = int(round(max(y for _, y in positions.values()) * 2)) + 1
    if orientation == "vertical":  # layers go down the page, slots across (top slot left)
        positions = {n: (-slot, -layer) for n, (layer, slot) in positions.items()}
    by_id = {node["id"]: node for node in nodes}
    cols = {k: [] for k in _NODE_COLUMNS}
    for node in nodes:
        x, y = positions[node["id"]]
        fill, border, text = STYLES[_style_key(node)]
        label = str(node.get("label", node["id"]))
        grad = node.get("grad")
        cols["x"].append(x)
        cols["y"].append(y)
        cols["w"].append(BOX_W)
        cols["h"].append(BOX_H)
        cols["shape"].append("box" if node.get("kind", "tensor") == "tensor" else "ellipse")
        sub = "grad " + _shorten(grad, GRAD_CHARS) if grad is not None else ""
        if node.get("freed"):
            sub = "freed" + (" · " + sub if sub else "")
        cols["label"].append(label)
        # long grad_fn names (ConvolutionBackward0) get a smaller font to stay inside
        cols["label_size"].append("12px" if len(label) <= 13 else
                                  "11px" if len(label) <= 17 else "10px")
        # with a second line under it, the label moves up so both fit in the box (pixels)
        cols["label_dy"].append(-8 if sub else 0)
        cols["sub"].append(sub)
        cols["kind_text"].append(_kind_text(node))
        cols["requires_grad"].append(str(bool(node.get("requires_grad", False)))
                                     if node.get("kind", "tensor") == "tensor" else "")
        cols["value"].append("" if node.get("value") is None else str(node["value"]))
        cols["grad"].append("None" if grad is None else str(grad))
        cols["fill"].append(fill)
        cols["border"].append(border)
        cols["text_color"].append(text)
        cols["dash"].append("dashed" if _style_key(node) in ("freed", "nograd") else "solid")

    ecols = {k: [] for k in _EDGE_COLUMNS}
    for src, dst in edges:
        a, b = positions[src], positions[dst]
        a_ellipse = by_id[src].get("kind", "tensor") != "tensor"
        b_ellipse = by_id[dst].get("kind", "tensor") != "tensor"
        x0, y0 = boundary_point(a, b, BOX_W / 2, BOX_H / 2, a_ellipse)
        x1, y1 = boundary_point(b, a, BOX_W / 2, BOX_H / 2, b_ellipse)
        freed = by_id[src].get("freed") or by_id[dst].get("freed")
        ecols["x0"].append(x0)
        ecols["y0"].append(y0)
        ecols["x1"].append(x1)
        ecols["y1"].append(y1)
        ecols["color"].append("#c0c0c0" if freed else "#555555")
        ecols["dash"].append("dashed" if freed else "solid")
    return cols, ecols, (n_layers, n_slots), note, ""


def _rows(cols: dict, shape: str) -> dict:
    """The rows of `cols` drawn as `shape` ('box' or 'ellipse')."""
    keep = [i for i, s in enumerate(cols["shape"]) if s == shape]
    return {name: [values[i] for i in keep] for name, values in cols.items()}


class GraphView(pn.viewable.Viewer):
    value = param.Dict(default={"nodes": [], "edges": []})
    orientation = param.Selector(default="horizontal", objects=["horizontal", "vertical"])
    note = param.String(default="", constant=True)
    error = param.String(default="", constant=True)

    def __init__(self, **params):
        super().__init__(**params)
        self._build()
        self._update()
        self.param.watch(lambda e: self._update(), ["value", "orientation"])
        self._layout = pn.Column(self._pane, self._legend(), message_pane(self, "note", "note"),
                                 message_pane(self, "error"))

    def _build(self) -> None:
        empty = {k: [] for k in _NODE_COLUMNS}
        self.tensor_source = ColumnDataSource(dict(empty))
        self.function_source = ColumnDataSource(dict(empty))
        self.label_source = ColumnDataSource(dict(empty))
        self.edge_source = ColumnDataSource({k: [] for k in _EDGE_COLUMNS})
        fig = figure(x_range=Range1d(-0.5, 0.5), y_range=Range1d(-0.5, 0.5),
                     frame_width=PX_PER_LAYER, frame_height=PX_PER_SLOT, tools="",
                     toolbar_location=None, min_border=6)
        fig.axis.visible = False
        fig.grid.visible = False
        fig.outline_line_color = None
        arrows = Arrow(end=VeeHead(size=8, fill_color="color", line_color="color"),
                       source=self.edge_source, x_start="x0", y_start="y0", x_end="x1",
                       y_end="y1", line_color="color", line_dash="dash", line_width=1.5,
                       level="underlay")
        fig.add_layout(arrows)
        boxes = fig.rect(x="x", y="y", width="w", height="h", source=self.tensor_source,
                         fill_color="fill", line_color="border", line_dash="dash",
                         line_width=2, border_radius=8)
        ellipses = fig.ellipse(x="x", y="y", width="w", height="h", source=self.function_source,
                               fill_color="fill", line_color="border", line_dash="dash",
                               line_width=2)
        fig.text(x="x", y="y", text="label", source=self.label_source, text_color="text_color",
                 text_align="center", text_baseline="middle", text_font_size="label_size",
                 text_font_style="bold", y_offset="label_dy")
        fig.text(x="x", y="y", text="sub", source=self.label_source, text_color="text_color",
                 text_align="center", text_baseline="middle", text_font_size="10px",
                 y_offset=9)
        fig.add_tools(HoverTool(renderers=[boxes, ellipses], tooltips=[
            ("", "@label"), ("", "@kind_text"), ("requires_grad", "@requires_grad"),
            ("value", "@value"), ("grad", "@grad")]))
        self.figure = fig
        self._pane = pn.pane.Bokeh(fig)

    def _update(self) -> None:
        cols, ecols, (n_layers, n_slots), note, error = graph_data(self.value,
                                                                    self.orientation)
        with param.edit_constant(self):
            self.param.update(note=note, error=error)
        self.tensor_source.data = _rows(cols, "box")
        self.function_source.data = _rows(cols, "ellipse")
        self.label_source.data = cols
        self.edge_source.data = ecols
        fig = self.figure
        half = n_slots / 2
        if self.orientation == "vertical":
            fig.x_range.update(start=-half, end=half)
            fig.y_range.update(start=-(n_layers - 0.5), end=0.5)
            fig.update(frame_width=PX_PER_LAYER * n_slots, frame_height=PX_PER_SLOT * n_layers)
        else:
            fig.x_range.update(start=-0.5, end=n_layers - 0.5)
            fig.y_range.update(start=-half, end=half)
            fig.update(frame_width=PX_PER_LAYER * n_layers, frame_height=PX_PER_SLOT * n_slots)

    def _legend(self) -> pn.pane.HTML:
        items = []
        for text, key in LEGEND:
            fill, border, _ = STYLES[key]
            dash = "dashed" if key in ("freed", "nograd") else "solid"
            radius = "50%" if key in ("function", "accumulate") else "4px"
            items.append(f'<span style="display:inline-block;width:18px;height:11px;'
                         f'background:{fill};border:2px {dash} {border};border-radius:{radius};'
                         f'vertical-align:middle;margin:0 4px 0 10px"></span>{text}')
        return pn.pane.HTML(f'<div style="font-size:11px;color:#444">{"".join(items)}</div>',
                            margin=(0, 5))

    def __panel__(self):
        return self._layout
