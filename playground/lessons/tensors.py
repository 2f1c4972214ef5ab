"""Lesson 1: tensors. Three parts, one switch:

  create        pick a constructor (torch.tensor, zeros, rand, from_numpy...), a shape and a
                dtype: the code, what print(t) shows, and the tensor's values, strides, dtype.
  numpy bridge  a = np.ones(5) and b made from it (or the other way round); edit one element
                and see whether the other follows: from_numpy and .numpy() share memory,
                torch.tensor copies.
  alias or copy the seed's `y = x` versus `y.copy_(x)`: edit y[0,0] and see whether x changes.

Every printout is what the torch module in use prints; every fact comes from torch itself.
"""
import html

import panel as pn
import param

from widgets import DtypeSelect, ShapeInput, TensorView
from widgets.shape_input import Shape

from ..compute import tensors as experiments
from .base import LessonState, LessonView

PARTS = {"Create": "create", "NumPy bridge": "bridge", "Alias or copy": "alias"}
BRIDGES = {"b = torch.from_numpy(a)": "from_numpy", "b = torch.tensor(a)": "tensor",
           "a = b.numpy()": "numpy"}
EDITS = {"edit a (numpy)": "a", "edit b (tensor)": "b"}


class State(LessonState):
    slug = "tensors"
    title = "Tensors"
    url_params = ("part", "constructor", "data", "shape", "dtype", "fill", "seed",
                  "bridge", "edit", "index", "value", "assign", "new_value")

    part = param.Selector(default="create", objects=PARTS)
    # create
    constructor = param.Selector(default="rand", objects=list(experiments.CONSTRUCTORS))
    data = param.String(default="[[1, 2, 3], [4, 5, 6]]",
                        doc="the list torch.tensor / FloatTensor read (a Python literal)")
    shape = Shape(default=(3, 4), max_dims=experiments.MAX_DIMS,
                  max_numel=experiments.MAX_NUMEL)
    dtype = param.Selector(default=experiments.NOT_GIVEN, objects=list(experiments.DTYPES))
    fill = param.Number(default=7.0, bounds=(-experiments.MAX_FILL, experiments.MAX_FILL))
    seed = param.Integer(default=0, bounds=(0, experiments.MAX_SEED))
    # numpy bridge
    bridge = param.Selector(default="from_numpy", objects=BRIDGES)
    edit = param.Selector(default="a", objects=EDITS)
    index = param.Integer(default=2, bounds=(0, experiments.BRIDGE_LENGTH - 1))
    value = param.Number(default=7.0, bounds=(-experiments.MAX_EDIT, experiments.MAX_EDIT))
    # alias or copy
    assign = param.Selector(default="y = x", objects=list(experiments.ALIASES))
    new_value = param.Number(default=2.0,
                             bounds=(-experiments.MAX_EDIT, experiments.MAX_EDIT))

    made = param.Dict(default={}, doc="the create part's result")
    bridged = param.Dict(default={}, doc="the numpy bridge part's result")
    aliased = param.Dict(default={}, doc="the alias part's result")
    part_errors = param.Dict(default={}, doc="each part's input problem ('' if none)")

    def create_spec(self):
        return {"constructor": self.constructor, "data": self.data, "shape": self.shape,
                "dtype": self.dtype, "fill": self.fill, "seed": self.seed}

    @param.depends("constructor", "data", "shape", "dtype", "fill", "seed", watch=True,
                   on_init=True)
    def run_create(self):
        self._run("create", lambda: experiments.create(self.create_spec(), self.torch), "made")

    @param.depends("bridge", "edit", "index", "value", watch=True, on_init=True)
    def run_bridge(self):
        spec = {"direction": self.bridge, "side": self.edit, "index": self.index,
                "value": self.value}
        self._run("bridge", lambda: experiments.bridge(spec, self.torch), "bridged")

    @param.depends("assign", "new_value", watch=True, on_init=True)
    def run_alias(self):
        spec = {"mode": self.assign, "value": self.new_value}
        self._run("alias", lambda: experiments.alias(spec, self.torch), "aliased")

    def _run(self, part, work, into):
        """compute(), keeping each part's problem apart: the page shows the current part's."""
        self.compute(work, into=into)
        self.part_errors = dict(self.part_errors, **{part: self.error})
        self.error = self.part_errors.get(self.part, "")

    @param.depends("part", watch=True)
    def _show_part_error(self):
        self.error = self.part_errors.get(self.part, "")


# -- shared display helpers (the broadcasting lesson uses them too) ---------------------------

CODE_STYLE = ("background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px 4px 0 0;"
              "padding:8px 10px;margin:0;font-size:13px;line-height:1.4;white-space:pre;"
              "overflow-x:auto")
OUTPUT_STYLE = ("background:#fff;border:1px solid #e1e4e8;border-top:0;border-radius:0 0 4px 4px;"
                "padding:8px 10px;margin:0;font-size:13px;line-height:1.4;white-space:pre;"
                "overflow-x:auto")
ERROR_OUTPUT_STYLE = OUTPUT_STYLE + ";color:#b00020;background:#fdecee;white-space:pre-wrap"


def cell_html(code, output="", error=""):
    """A notebook cell: the code, then what it printed, or the error Python would show."""
    parts = [f"<pre class='pg-code' style='{CODE_STYLE}'>{html.escape(code)}</pre>"]
    if error:
        parts.append(f"<pre class='pg-output pg-torch-error' style='{ERROR_OUTPUT_STYLE}'>"
                     f"{html.escape(error)}</pre>")
    else:
        parts.append(f"<pre class='pg-output' style='{OUTPUT_STYLE}'>{html.escape(output)}</pre>")
    return "".join(parts)


def facts_html(rows, caption=""):
    """Expression / what torch prints for it, as a small two-column table."""
    cells = "".join(f"<tr><td style='padding:1px 12px 1px 0;color:#555'><code>{html.escape(e)}"
                    f"</code></td><td><code>{html.escape(v)}</code></td></tr>" for e, v in rows)
    head = f"<div style='font-weight:600;margin-bottom:2px'>{html.escape(caption)}</div>" \
        if caption else ""
    return f"{head}<table style='font-size:13px;border-collapse:collapse'>{cells}</table>"


def hint(text):
    """The one line under a part's title: what to try."""
    return pn.pane.Markdown(text, sizing_mode="stretch_width", margin=(0, 10),
                            styles={"color": "#444"})


def tensor_view(source_name, **params):
    """A TensorView whose cells' data source has a name the browser tests can find."""
    view = TensorView(**params)
    view.source.name = source_name
    return view


# -- the view ---------------------------------------------------------------------------------

class View(LessonView):
    intro = (
        "A tensor is a grid of numbers of one **dtype**, with a **shape** and a layout in "
        "memory (its **strides**). *Try*: pick another constructor, shape or dtype on the "
        "left, then the other two parts. *Notice*: `print(t)` is exactly what torch prints, "
        "and some ways of making a tensor copy memory while others share it.")

    def controls(self):
        s = self.state
        shape = ShapeInput(value=s.shape, max_dims=experiments.MAX_DIMS,
                           max_numel=experiments.MAX_NUMEL, name="shape", field_width=120)
        shape.param.watch(lambda e: setattr(s, "shape", e.new), "value")
        s.param.watch(lambda e: setattr(shape, "value", e.new), "shape")
        dtype = DtypeSelect(value=s.dtype, options=list(experiments.DTYPES), name="dtype")
        dtype.param.watch(lambda e: setattr(s, "dtype", e.new), "value")
        s.param.watch(lambda e: setattr(dtype, "value", e.new), "dtype")
        self._controls = {
            "part": pn.widgets.RadioButtonGroup.from_param(s.param.part, name="part",
                                                           button_type="primary",
                                                           button_style="outline",
                                                           sizing_mode="stretch_width"),
            "constructor": pn.widgets.Select.from_param(s.param.constructor,
                                                        name="constructor: torch.…"),
            "data": pn.widgets.TextAreaInput.from_param(
                s.param.data, name="data (a Python list)", height=80,
                placeholder="[[1, 2, 3], [4, 5, 6]]"),
            "shape": pn.Column(shape, margin=0),
            "dtype": pn.Column(dtype, margin=0),
            "fill": pn.widgets.FloatInput.from_param(s.param.fill, name="fill value"),
            "seed": pn.widgets.IntInput.from_param(s.param.seed, name="seed"),
            "bridge": pn.widgets.RadioBoxGroup.from_param(s.param.bridge, name="bridge"),
            "edit": pn.widgets.RadioButtonGroup.from_param(s.param.edit, name="edit",
                                                           button_type="default"),
            "index": pn.widgets.IntSlider.from_param(s.param.index, name="index i"),
            "value": pn.widgets.FloatInput.from_param(s.param.value, name="new value v",
                                                      step=1.0),
            "assign": pn.widgets.RadioBoxGroup.from_param(s.param.assign,
                                                          name="make y from x"),
            "new_value": pn.widgets.FloatInput.from_param(s.param.new_value,
                                                          name="new value for y[0,0]",
                                                          step=1.0),
        }
        s.param.watch(self._show_controls, ["part", "constructor"])
        self._show_controls()
        for name in ("constructor", "data", "fill", "seed", "index", "value", "new_value"):
            self._controls[name].sizing_mode = "stretch_width"  # fit the 300px sidebar
        return self._controls

    def _show_controls(self, *events):
        """Only the current part's controls, and of those only what the constructor reads."""
        s = self.state
        reads = experiments.CONSTRUCTORS[s.constructor]
        visible = {
            "create": {"constructor", *reads},
            "bridge": {"bridge", "edit", "index", "value"},
            "alias": {"assign", "new_value"},
        }[s.part] | {"part"}
        for name, widget in self._controls.items():
            widget.visible = name in visible

    def body(self):
        return self.parts_body({"create": self._create_part, "bridge": self._bridge_part,
                                "alias": self._alias_part})

    # -- create -------------------------------------------------------------------------------
    def _create_part(self):
        self.create_cell = pn.pane.HTML("", sizing_mode="stretch_width", margin=(0, 10))
        self.create_facts = pn.pane.HTML("", margin=(5, 10))
        self.create_note = pn.pane.Markdown("", sizing_mode="stretch_width", margin=(0, 10),
                                            styles={"color": "#555", "font-size": "0.9em"})
        self.t_view = tensor_view("tensors-t", max_width_px=440, max_height_px=360)
        self.t_box = pn.Column(self.t_view, margin=0)  # hidden while torch refuses the code
        self.state.param.watch(self._update_create, "made")
        self._update_create()
        return pn.Column(
            hint("**Make a tensor.** Change the constructor, shape or dtype: the code, the "
                 "printout and the picture follow. Try `rand` with an integer dtype, or "
                 "ragged data for `tensor`, to read torch's own error."),
            self.create_cell,
            pn.FlexBox(self.t_box, self.create_facts),
            self.create_note, sizing_mode="stretch_width")

    def _update_create(self, *events):
        r = self.state.made
        if not r:
            return
        self.create_cell.object = cell_html(r["code"], r["output"], r["error"])
        self.create_facts.object = facts_html(r["facts"], "and what torch says about t:") \
            if r["facts"] else ""
        self.create_note.object = r["note"]
        self.t_box.visible = r["view"] is not None
        if r["view"] is not None:
            self.t_view.value = r["view"]

    # -- numpy bridge -------------------------------------------------------------------------
    def _bridge_part(self):
        self.bridge_cell = pn.pane.HTML("", sizing_mode="stretch_width", margin=(0, 10))
        self.bridge_verdict = pn.pane.Markdown("", sizing_mode="stretch_width", margin=(0, 10))
        self.a_view = tensor_view("tensors-bridge-a", max_width_px=300)
        self.b_view = tensor_view("tensors-bridge-b", max_width_px=300)
        self.state.param.watch(self._update_bridge, "bridged")
        self._update_bridge()
        return pn.Column(
            hint("**NumPy bridge.** Write a value into one element of a or of b, then "
                 "switch how b is made from a. Does the other one follow?"),
            self.bridge_cell, self.bridge_verdict, pn.FlexBox(self.a_view, self.b_view),
            sizing_mode="stretch_width")

    def _update_bridge(self, *events):
        r = self.state.bridged
        if not r:
            return
        self.bridge_cell.object = cell_html(r["code"], r["output"])
        self.bridge_verdict.object = r["verdict"]
        self.a_view.value = r["a"]
        self.b_view.value = r["b"]

    # -- alias or copy ------------------------------------------------------------------------
    def _alias_part(self):
        self.alias_cell = pn.pane.HTML("", sizing_mode="stretch_width", margin=(0, 10))
        self.alias_verdict = pn.pane.Markdown("", sizing_mode="stretch_width", margin=(0, 10))
        self.x_view = tensor_view("tensors-alias-x", max_width_px=200)
        self.y_view = tensor_view("tensors-alias-y", max_width_px=200)
        self.state.param.watch(self._update_alias, "aliased")
        self._update_alias()
        return pn.Column(
            hint("**Alias or copy.** As in the seed notebook: make y from x, write into "
                 "y[0,0], and look at x. Only a real copy keeps x as it was."),
            self.alias_cell, self.alias_verdict, pn.FlexBox(self.x_view, self.y_view),
            sizing_mode="stretch_width")

    def _update_alias(self, *events):
        r = self.state.aliased
        if not r:
            return
        self.alias_cell.object = cell_html(r["code"], r["output"])
        self.alias_verdict.object = r["verdict"]
        self.x_view.value = r["x"]
        self.y_view.value = r["y"]
