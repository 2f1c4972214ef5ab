"""Tensor view: a tensor's values as a heat map or a table, and a caption with its shape,
dtype, strides, contiguity and which tensors share its storage.

    view = TensorView(value={
        "name": "b", "values": np.arange(6.).reshape(2, 3), "dtype": "float32",
        "shape": (2, 3), "strides": (3, 1), "storage": 140230, "offset": 0,
        "shared_with": ["a"]})

Constructor arguments / params:
  value       a dict; only "values" (array-like) is required:
                name         shown first in the caption
                values       the numbers (ndarray, nested lists, a number)
                dtype        torch's name, e.g. 'float32' (default: from the array)
                shape        (default: the array's); a mismatch is reported, not drawn
                strides      in elements, like tensor.stride() (default: C-contiguous)
                offset       storage offset, shown when not 0
                storage      any hashable id of the storage (not shown; for the page)
                shared_with  names of other tensors viewing the same storage
                kind         'tensor' (default) or 'ndarray': a numpy array is captioned
                             the way numpy prints its attributes (shape (5,), float64)
  mode        'heatmap' | 'table'
  max_cells   most cells drawn; bigger tensors show their top-left corner and say so
  cell_px, max_width_px, max_height_px
              the largest cell, and the most width/height the cells may take (cells
              shrink, down to 4 px, to fit a wide or tall tensor)
Read-only params: caption (the line under the view), note (what was simplified for display:
flattened dims, a cut-off corner), error (why the value can't be shown, '' if fine).

An empty tensor (a size is 0) draws nothing and says so; its 'values' may come from
tolist(), which loses the shape ([] for a 0 x 3 tensor): 'shape' is then trusted.
0-d and 1-d tensors show as one row; 2-d as rows x columns; higher dims are flattened
into rows (the last dim stays the columns) and hover gives each cell's full index.
Updates mutate the figure's ColumnDataSource, colour mapper and ranges; the figure is
built once.
"""
from __future__ import annotations

import html
import math

import numpy as np
import panel as pn
import param
from bokeh.models import (ColorBar, ColumnDataSource, FixedTicker, HoverTool,
                          LinearColorMapper, Range1d)
from bokeh.palettes import RdBu11, Viridis256
from bokeh.plotting import figure

from ._messages import message_pane

DIVERGING = list(RdBu11)  # blue for negative, red for positive, white at 0
SEQUENTIAL = list(Viridis256)
BOOLEAN = ["#dddddd", "#1f77b4"]
TEXT_CELLS_MAX = 256  # print the numbers inside the cells up to this many cells


# --------------------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------------------

def contiguous_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


def is_contiguous(shape, strides) -> bool:
    """torch's rule: dims of size 1 may have any stride."""
    expected = 1
    for size, stride in zip(reversed(tuple(shape)), reversed(tuple(strides))):
        if size == 0:
            return True
        if size != 1 and stride != expected:
            return False
        expected *= size
    return True


def format_number(x, dtype_kind: str) -> str:
    if dtype_kind == "b":
        return "True" if x else "False"
    if dtype_kind in "iu":
        return str(int(x))
    if dtype_kind == "c":
        return f"{complex(x).real:.3g}{complex(x).imag:+.3g}j"
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.4g}"


def short_label(value: float, text: str, kind: str, max_chars: int) -> str:
    """The number drawn inside a cell: its text, or for a float that does not fit, fewer
    significant digits (the hover keeps the full text)."""
    if kind != "f" or len(text) <= max_chars or not math.isfinite(value):
        return text
    for digits in (3, 2, 1):
        short = f"{value:.{digits}g}"
        if len(short) <= max_chars:
            return short
    return short


def as_rows(values: np.ndarray):
    """(2-d array, note) for drawing: 0-d/1-d as one row, >2-d with leading dims flattened."""
    if values.ndim == 0:
        return values.reshape(1, 1), ""
    if values.ndim == 1:
        return values.reshape(1, -1), ""
    if values.ndim == 2:
        return values, ""
    lead = values.shape[:-1]
    rows = math.prod(lead)
    note = (f"{values.ndim}-d tensor: its first {values.ndim - 1} dims "
            f"({' x '.join(map(str, lead))}) are flattened into {rows} rows; "
            f"hover shows each cell's full index")
    return values.reshape(rows, values.shape[-1]), note


def normalize(value: dict):
    """(fields, error): the value dict checked and completed, or why it can't be shown."""
    if not isinstance(value, dict):
        return None, f"expected a dict with 'values', got {type(value).__name__}"
    if "values" not in value:
        return None, "the value has no 'values': pass the numbers, e.g. {'values': t.numpy()}"
    try:
        values = np.asarray(value["values"])
    except Exception as exc:  # ragged lists and the like
        return None, f"'values' is not an array of numbers ({exc})"
    if values.dtype.kind not in "biufc":
        return None, (f"'values' holds {values.dtype} items, not numbers: "
                      f"pass numbers (e.g. t.detach().numpy())")
    shape = tuple(int(n) for n in value.get("shape", values.shape))
    if values.size == 0 and math.prod(shape) == 0:
        values = values.reshape(shape)  # tolist() of a 0 x 3 tensor is [], shape lost
    if shape != values.shape:
        return None, (f"'shape' says {shape} but 'values' has shape {values.shape}: "
                      f"pass the same shape for both")
    strides = tuple(int(n) for n in value.get("strides", contiguous_strides(shape)))
    if len(strides) != len(shape):
        return None, f"'strides' {strides} has {len(strides)} entries for {len(shape)} dims"
    fields = {
        "name": str(value.get("name", "")),
        "values": values,
        "dtype": str(value.get("dtype", values.dtype.name)).replace("torch.", ""),
        "shape": shape,
        "strides": strides,
        "offset": int(value.get("offset", 0)),
        "shared_with": [str(n) for n in value.get("shared_with", []) or []],
        "kind": "ndarray" if value.get("kind") == "ndarray" else "tensor",
    }
    return fields, ""


def caption_parts(fields: dict) -> list[str]:
    """The caption's pieces: name, shape, dtype, strides, contiguity, offset, sharing."""
    parts = [fields["name"]] if fields["name"] else []
    if fields.get("kind") == "ndarray":
        return parts + _array_caption(fields)
    # as torch prints them: t.shape is torch.Size([2, 3]), t.stride() is (3, 1)
    parts.append(f"shape [{', '.join(map(str, fields['shape']))}]")
    parts.append(f"torch.{fields['dtype']}")
    parts.append(f"stride {tuple(fields['strides'])}")
    parts.append("contiguous" if is_contiguous(fields["shape"], fields["strides"])
                 else "not contiguous")
    if fields["offset"]:
        parts.append(f"storage offset {fields['offset']}")
    if fields["shared_with"]:
        parts.append("shares storage with: " + ", ".join(fields["shared_with"]))
    else:
        parts.append("owns its storage alone")
    return parts


def caption_text(fields: dict) -> str:
    return " · ".join(caption_parts(fields))


def caption_html(fields: dict) -> str:
    """The caption for the page: it wraps between pieces, never inside one, and sharing
    stands out (it is what a reader most often looks for)."""
    spans = []
    for part in caption_parts(fields):
        style = "white-space:nowrap"
        if part.startswith("shares "):
            style += ";color:#b35806;font-weight:600"
        spans.append(f"<span style='{style}'>{html.escape(part)}</span>")
    return ("<div class='pg-tensor-caption' style='font-family:monospace;font-size:12px;"
            "color:#333;line-height:1.5'>" + " · ".join(spans) + "</div>")


def _array_caption(fields: dict) -> list[str]:
    """A numpy array's caption: as numpy prints a.shape and a.dtype."""
    shape = fields["shape"]
    parts = ["numpy.ndarray", f"shape {shape!r}", fields["dtype"]]
    if fields["shared_with"]:
        parts.append("shares memory with: " + ", ".join(fields["shared_with"]))
    else:
        parts.append("owns its memory alone")
    return parts


def heatmap_data(values: np.ndarray, max_cells: int):
    """(CDS columns, (low, high) colour range, palette, note, (rows, cols) drawn) for the
    heat map of `values`."""
    rows2d, note = as_rows(values)
    full_shape = values.shape
    n_rows, n_cols = rows2d.shape
    if n_rows * n_cols > max_cells:  # keep the top-left corner, as square as possible
        keep_cols = min(n_cols, max(1, int(math.sqrt(max_cells * n_cols / max(n_rows, 1)))))
        keep_rows = min(n_rows, max(1, max_cells // keep_cols))
        rows2d = rows2d[:keep_rows, :keep_cols]
        cut = (f"showing the first {keep_rows} of {n_rows} rows and "
               f"{keep_cols} of {n_cols} columns")
        note = f"{note}; {cut}" if note else cut
    kind = values.dtype.kind
    r, c = np.indices(rows2d.shape)
    flat = rows2d.ravel()
    numeric = np.abs(flat).astype(float) if kind == "c" else flat.astype(float)
    if kind == "c":
        note = (note + "; " if note else "") + "complex values: colours show the magnitude"
    finite = numeric[np.isfinite(numeric)]
    if kind == "b":
        palette, low, high = BOOLEAN, 0.0, 1.0
    elif finite.size and finite.min() < 0 < finite.max():
        bound = float(np.abs(finite).max())
        palette, low, high = DIVERGING, -bound, bound
    else:
        low = float(finite.min()) if finite.size else 0.0
        high = float(finite.max()) if finite.size else 1.0
        palette = SEQUENTIAL
    if high <= low:
        high = low + 1.0
    # full index of each drawn cell in the original tensor
    n_cols_full = full_shape[-1] if values.ndim >= 1 else 1
    flat_positions = r.ravel() * n_cols_full + c.ravel()
    # written the way you would index the tensor: t[1, 2]; a 0-d tensor is t[()]
    if values.ndim == 0:
        index = ["[()]"]
    else:
        unravelled = np.unravel_index(flat_positions, full_shape)
        index = ["[" + ", ".join(str(int(d[k])) for d in unravelled) + "]"
                 for k in range(flat.size)]
    # white text on dark cells: the ends of the diverging map and the dark end of viridis
    t = np.clip((numeric - low) / (high - low), 0, 1)
    dark = (np.abs(t - 0.5) > 0.32) if palette is DIVERGING else (t < 0.55)
    if palette is BOOLEAN:
        dark = flat.astype(bool)
    columns = {
        "col": c.ravel().astype(float),
        "row": r.ravel().astype(float),
        "value": numeric,
        "text": [format_number(x, kind) for x in flat],
        "index": index,
        "text_color": np.where(dark, "white", "black").tolist(),
    }
    return columns, (low, high), palette, note, rows2d.shape


def table_html(values: np.ndarray, max_rows: int = 60, max_cols: int = 16) -> tuple[str, str]:
    """(escaped HTML table, note) with row and column indices."""
    rows2d, note = as_rows(values)
    n_rows, n_cols = rows2d.shape
    shown = rows2d[:max_rows, :max_cols]
    if shown.shape != rows2d.shape:
        cut = (f"showing the first {shown.shape[0]} of {n_rows} rows and "
               f"{shown.shape[1]} of {n_cols} columns")
        note = f"{note}; {cut}" if note else cut
    kind = values.dtype.kind
    head = "".join(f"<th>{j}</th>" for j in range(shown.shape[1]))
    body = []
    for i, row in enumerate(shown):
        cells = "".join(f"<td>{html.escape(format_number(x, kind))}</td>" for x in row)
        body.append(f"<tr><th>{i}</th>{cells}</tr>")
    style = ("<style>table.pg-tensor{border-collapse:collapse;font-family:monospace;"
             "font-size:12px} .pg-tensor td,.pg-tensor th{border:1px solid #ddd;"
             "padding:2px 6px;text-align:right} .pg-tensor th{background:#f3f3f3;"
             "color:#666;font-weight:normal}</style>")
    return (f'{style}<table class="pg-tensor"><tr><th></th>{head}</tr>{"".join(body)}</table>',
            note)


# --------------------------------------------------------------------------------------
# The widget
# --------------------------------------------------------------------------------------

class TensorView(pn.viewable.Viewer):
    value = param.Dict(default={"values": np.zeros((2, 3), dtype=np.float32)})
    mode = param.Selector(default="heatmap", objects=["heatmap", "table"])
    max_cells = param.Integer(default=4096, bounds=(1, 100_000))
    cell_px = param.Integer(default=40, bounds=(4, 100), doc="Largest cell size in pixels.")
    max_width_px = param.Integer(default=520, bounds=(100, None))
    max_height_px = param.Integer(default=480, bounds=(40, None))

    caption = param.String(default="", constant=True)
    note = param.String(default="", constant=True)
    error = param.String(default="", constant=True)

    def __init__(self, **params):
        super().__init__(**params)
        self._build()
        # the caption wraps within the widest the cells may be, so it never widens the page
        width = max(self.max_width_px, 200)
        self._caption_pane = pn.pane.HTML("", width=width, margin=(2, 5))
        self._messages = [message_pane(self, "note", kind="note", width=width),
                          message_pane(self, "error", width=width)]
        self._layout = pn.Column(self._caption_pane, self._plot_pane, self._table_pane,
                                 *self._messages)
        self._update()
        self.param.watch(lambda e: self._update(), ["value", "mode", "max_cells", "cell_px",
                                                       "max_width_px", "max_height_px"])

    def _set(self, **values) -> None:
        with param.edit_constant(self):
            self.param.update(**values)

    def _build(self) -> None:
        self.source = ColumnDataSource({k: [] for k in ("col", "row", "value", "text", "label",
                                                        "index", "text_color")})
        self.mapper = LinearColorMapper(palette=SEQUENTIAL, low=0, high=1, nan_color="#bbbbbb")
        self._xticks, self._yticks = FixedTicker(ticks=[]), FixedTicker(ticks=[])
        fig = figure(x_range=Range1d(-0.5, 0.5), y_range=Range1d(0.5, -0.5),
                     frame_width=40, frame_height=40, toolbar_location=None, tools="",
                     x_axis_location="above", min_border=4)
        cells = fig.rect(x="col", y="row", width=1, height=1, source=self.source,
                         fill_color={"field": "value", "transform": self.mapper},
                         line_color="white", line_width=1)
        self._labels = fig.text(x="col", y="row", text="label", source=self.source,
                                text_color="text_color", text_align="center",
                                text_baseline="middle", text_font_size="11px")
        fig.add_tools(HoverTool(renderers=[cells], tooltips=[("index", "@index"),
                                                              ("value", "@text")]))
        fig.xaxis.ticker, fig.yaxis.ticker = self._xticks, self._yticks
        fig.grid.visible = False
        fig.axis.major_label_text_font_size = "10px"
        fig.axis.axis_label_text_font_size = "11px"
        fig.axis.axis_label_text_font_style = "normal"
        fig.add_layout(ColorBar(color_mapper=self.mapper, width=10, padding=4,
                                major_label_text_font_size="10px"), "right")
        self.figure = fig
        # shown/hidden through a wrapping column: a Bokeh pane syncs its own `visible` with
        # its figure's, which undoes a toggle made on the pane
        self._plot_pane = pn.Column(pn.pane.Bokeh(fig), margin=0)
        self._table_pane = pn.pane.HTML("", visible=False)

    def _update(self) -> None:
        fields, error = normalize(self.value)
        if error:
            self._set(error=error, caption="", note="")
            self._caption_pane.object = ""
            return
        self._set(error="", caption=caption_text(fields))
        self._caption_pane.object = caption_html(fields)
        for pane in (self._caption_pane, *self._messages):
            pane.width = max(self.max_width_px, 200)
        values = fields["values"]
        if values.size == 0:
            self._set(note="empty tensor: a size is 0, so there are no values to draw")
            self._plot_pane.visible = self._table_pane.visible = False
            return
        if self.mode == "table":
            table, note = table_html(values)
            self._table_pane.object = table
            self._set(note=note)
            self._plot_pane.visible, self._table_pane.visible = False, True
            return
        self._plot_pane.visible, self._table_pane.visible = True, False
        columns, (low, high), palette, note, (n_rows, n_cols) = heatmap_data(
            values, self.max_cells)
        self._set(note=note)
        cell = int(max(4, min(self.cell_px, self.max_width_px / max(n_cols, 1),
                              self.max_height_px / max(n_rows, 1))))
        chars = max(1, int((cell - 6) / 6.6))  # 11px digits are about 6.6px wide
        columns["label"] = [short_label(v, t, values.dtype.kind, chars)
                            for v, t in zip(columns["value"], columns["text"])]
        self.source.data = columns
        self.mapper.update(palette=palette, low=low, high=high)
        # numbers inside the cells only where every one of them fits its cell
        widest = max((len(label) for label in columns["label"]), default=0)
        self._labels.visible = (n_rows * n_cols <= TEXT_CELLS_MAX and cell >= 20
                                and widest <= chars + 1)
        fig = self.figure
        fig.x_range.update(start=-0.5, end=n_cols - 0.5)
        fig.y_range.update(start=n_rows - 0.5, end=-0.5)
        self._xticks.ticks = _ticks(n_cols)
        self._yticks.ticks = _ticks(n_rows)
        ndim = values.ndim
        fig.xaxis.axis_label = {0: "", 1: "dim 0"}.get(ndim, f"dim {ndim - 1}")
        fig.yaxis.axis_label = ("" if ndim <= 1 else "dim 0" if ndim == 2
                                else f"dims 0-{ndim - 2} (flattened)")
        fig.xaxis.major_label_text_alpha = 0 if ndim == 0 else 1
        fig.yaxis.major_label_text_alpha = 0 if ndim <= 1 else 1
        # last, as it lays the plot out again (with the ticks above): BokehJS does that when
        # width or height changes, not the frame size, so width/height (which frame_* take
        # precedence over) move with the frame and every new shape is laid out and painted
        fig.update(frame_width=cell * n_cols, frame_height=cell * n_rows,
                   width=cell * n_cols + 100, height=cell * n_rows + 70)

    def __panel__(self):
        return self._layout


def _ticks(n: int, most: int = 12) -> list[int]:
    step = max(1, math.ceil(n / most))
    return list(range(0, n, step))
