"""Dtype select: pick one of torch's dtype names; a line below says what it holds.

    dtype = DtypeSelect(value="float32", options=["float32", "float64", "int64", "bool"])

Constructor arguments / params:
  value     the chosen name, without the "torch." prefix (str), e.g. 'float32'
  options   the names offered (list of str); labels show them as torch.<name>. The name
            'default' (NOT_GIVEN) may be offered too: "no dtype= argument, torch picks",
            for constructors whose dtype torch infers from the data
  error     '' or why a value set from code was not accepted (the value is then left as it
            was), e.g. a name that is not a torch dtype

DTYPES maps each name torch knows to a one-line description; `describe(name)` reads it.
"""
from __future__ import annotations

import panel as pn
import param

from ._messages import message_pane

# The dtypes a first course meets, in the order torch's docs list them.
DTYPES = {
    "float32": "32-bit float, torch's default for tensors made from Python floats",
    "float64": "64-bit float (double): more precise, twice the memory",
    "float16": "16-bit float (half): 3 significant digits, used on GPUs",
    "bfloat16": "16-bit brain float: float32's range with only 2-3 significant digits",
    "complex64": "complex numbers made of two float32s",
    "int64": "64-bit integer (long): torch's default for Python ints",
    "int32": "32-bit integer (int)",
    "int16": "16-bit integer (short)",
    "int8": "8-bit signed integer: -128 … 127",
    "uint8": "8-bit unsigned integer: 0 … 255, e.g. image pixels",
    "bool": "True / False, e.g. the result of a comparison",
}
NOT_GIVEN = "default"
NOT_GIVEN_LABEL = "not given (torch picks)"
NOT_GIVEN_ABOUT = ("no dtype= argument: torch picks float32 for floats, int64 for ints, "
                   "bool for True/False")
DEFAULT_OPTIONS = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16",
                   "int8", "uint8", "bool"]


def describe(name: str) -> str:
    return NOT_GIVEN_ABOUT if name == NOT_GIVEN else DTYPES.get(name, "")


def label(name: str) -> str:
    """How an option reads in the list: torch.float32, or 'not given (torch picks)'."""
    return NOT_GIVEN_LABEL if name == NOT_GIVEN else f"torch.{name}"


class DtypeSelect(pn.viewable.Viewer):
    value = param.String(default="float32")
    options = param.List(default=list(DEFAULT_OPTIONS), item_type=str)
    error = param.String(default="", constant=True)

    def __init__(self, **params):
        super().__init__(**params)
        self._last_good = self.value if self._check(self.value) else self.options[0]
        if self.value != self._last_good:
            self._reject(self.value)
        self._select = pn.widgets.Select(
            name=self.name if not self.name.startswith("DtypeSelect") else "dtype",
            options=self._labels(), value=self.value, width=180)
        self._select.param.watch(lambda e: setattr(self, "value", e.new), "value")
        self.param.watch(self._on_value, "value")
        self.param.watch(self._on_options, "options")
        # a wrapping line, so a long description never widens the sidebar it sits in
        self._about = pn.pane.Str(describe(self.value), margin=(0, 10), width=270,
                                  stylesheets=[":host pre {white-space: pre-wrap}"],
                                  styles={"color": "#666", "font-size": "0.85em"})
        self._layout = pn.Column(self._select, self._about, message_pane(self, "error"))

    def _labels(self) -> dict[str, str]:
        return {label(name): name for name in self.options}

    def _check(self, name: str) -> bool:
        return name in self.options

    def _reject(self, name: str) -> None:
        if name in DTYPES:
            why = f"torch.{name} is not offered here: pick one of {', '.join(self.options)}"
        else:
            why = f"'{name}' is not a torch dtype: pick one of {', '.join(self.options)}"
        with param.edit_constant(self):
            self.error = why
        self.value = self._last_good

    def _on_value(self, event) -> None:
        if not self._check(event.new):
            self._reject(event.new)
            return
        if event.new != self._last_good:
            with param.edit_constant(self):
                self.error = ""
        self._last_good = event.new
        self._select.value = event.new
        self._about.object = describe(event.new)

    def _on_options(self, event) -> None:
        self._select.options = self._labels()
        if self.value not in self.options and self.options:
            self._last_good = self.options[0]
            self.value = self.options[0]

    def __panel__(self):
        return self._layout
