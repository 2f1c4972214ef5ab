"""Shape input: a tuple of ints typed as "3, 4", with buttons to add and remove a dim.

    shape = ShapeInput(value=(3, 1), max_dims=6, max_numel=10**6, name="Shape of a")
    shape.param.watch(lambda e: ..., "value")

Constructor arguments / params:
  value          the shape (tuple of ints); () is a 0-d tensor. Typing only ever sets a
                 valid shape; a value set from code that breaks the limits is kept but
                 flagged in `error`.
  max_dims       most dims allowed
  max_numel      most elements allowed (keeps the page fast)
  new_dim_size   size of the dim the "+ dim" button appends (1, like unsqueeze)
  field_width    the text field's width in px (the buttons add about 165 px)
  text           what is in the text field; typing updates `value` when it parses
  error          '' when the text is a valid shape, else what is wrong and how to fix it.
                 While there is an error `value` keeps the last valid shape.

`parse_shape(text, max_dims, max_numel)` is the pure parser: (shape, '') or (None, error).
`value` (de)serializes as a JSON list, so `pn.state.location.sync` can put it in the URL.
"""
from __future__ import annotations

import math
import numbers
import re

import panel as pn
import param
from param.parameterized import Undefined

from ._messages import message_pane

_EXAMPLE = "write sizes like 3, 4"


def format_shape(shape: tuple[int, ...]) -> str:
    return ", ".join(str(n) for n in shape)


def parse_shape(text: str, max_dims: int = 6, max_numel: int = 10**6):
    """Read "3, 4" / "(3, 4)" / "[3 4]" / "3," / "" into a tuple of ints.

    Returns (shape, '') or (None, message naming the problem and the fix)."""
    inner = text.strip()
    if inner[:1] in "([" and inner[-1:] in ")]":
        inner = inner[1:-1].strip()
    pieces = inner.split(",") if inner else []
    if len(pieces) > 1 and not pieces[-1].strip():
        pieces.pop()  # a trailing comma, as in (3,)
    tokens = []
    for piece in pieces:
        if not piece.strip():
            return None, f"there is an empty size between two commas: {_EXAMPLE}"
        tokens.extend(piece.split())
    shape = []
    for token in tokens:
        if not re.fullmatch(r"[+-]?\d+", token):
            return None, f"'{token}' is not a whole number: {_EXAMPLE}"
        size = int(token)
        if size < 0:
            return None, f"{size} is negative: a size is 0 or more, {_EXAMPLE}"
        shape.append(size)
    if len(shape) > max_dims:
        return None, (f"{len(shape)} dims is too many: at most {max_dims} here, "
                      f"remove {len(shape) - max_dims}")
    numel = math.prod(shape)
    if numel > max_numel:
        return None, (f"{format_shape(shape)} holds {numel:,} elements, more than the "
                      f"{max_numel:,} allowed here: use smaller sizes")
    return tuple(shape), ""


class Shape(param.Tuple):
    """A tuple of ints of any length (param.Tuple fixes the length to the default's), with
    optional limits: `Shape((2, 3), max_dims=4, max_numel=10_000)`. Being a Tuple, it is
    decoded from a URL's JSON list like any tuple param; a value that breaks the limits is
    refused with a ValueError that says why (the same words as parse_shape)."""

    __slots__ = ["max_dims", "max_numel"]
    _slot_defaults = dict(param.Tuple._slot_defaults, default=(3, 1), max_dims=None,
                          max_numel=None)

    def __init__(self, default=Undefined, *, max_dims=Undefined, max_numel=Undefined,
                 **params):
        object.__setattr__(self, "max_dims", None if max_dims is Undefined else max_dims)
        object.__setattr__(self, "max_numel", None if max_numel is Undefined else max_numel)
        super().__init__(default=default, **params)

    def _validate_value(self, val, allow_None):
        if val is None and allow_None:
            return
        if not isinstance(val, tuple) or not all(
                isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in val):
            raise ValueError(f"{self.name!r} must be a tuple of ints such as (3, 4), not {val!r}")
        if any(n < 0 for n in val):
            raise ValueError(f"{self.name!r}: {min(val)} is negative: a size is 0 or more")
        _, error = parse_shape(format_shape(val), 64 if self.max_dims is None else self.max_dims,
                               2 ** 63 if self.max_numel is None else self.max_numel)
        if error:
            raise ValueError(error)

    def _validate_length(self, val, length):
        pass  # any number of dims

    # For pn.state.location.sync: a shape travels through the URL as a JSON list.
    @classmethod
    def serialize(cls, value):
        return None if value is None else list(value)

    @classmethod
    def deserialize(cls, value):
        if isinstance(value, str):
            value = parse_shape(value, max_dims=64, max_numel=2**63)[0] or ()
        return tuple(int(n) for n in value) if value is not None else None


class ShapeInput(pn.viewable.Viewer):
    value = Shape(default=(3, 1), doc="The shape (tuple of ints).")
    max_dims = param.Integer(default=6, bounds=(0, 32))
    max_numel = param.Integer(default=10**6, bounds=(1, None))
    new_dim_size = param.Integer(default=1, bounds=(0, None))
    field_width = param.Integer(default=180, bounds=(60, None))
    text = param.String(default="", doc="What is typed in the field.")
    error = param.String(default="", constant=True)

    def __init__(self, **params):
        super().__init__(**params)
        self._syncing = False
        if self.text:
            self._on_text()
        else:
            self._syncing = True
            self.text = format_shape(self.value)
            self._syncing = False
            self._set_error(parse_shape(self.text, self.max_dims, self.max_numel)[1])
        self._layout = self._build()
        self.param.watch(self._on_text, "text")
        self.param.watch(self._on_value, "value")
        self.param.watch(self._sync_buttons, ["value", "max_dims", "error"])

    # --- state ------------------------------------------------------------------------

    def _set_error(self, error: str) -> None:
        with param.edit_constant(self):
            self.error = error

    def _on_text(self, *events) -> None:
        if self._syncing:
            return
        shape, error = parse_shape(self.text, self.max_dims, self.max_numel)
        self._set_error(error)
        if shape is not None and shape != self.value:
            self._syncing = True
            try:
                self.value = shape
            finally:
                self._syncing = False

    def _on_value(self, event) -> None:
        if self._syncing:
            return
        # A lesson (or the URL) set the value: show it, and say if it breaks the limits.
        shape, error = parse_shape(format_shape(event.new), self.max_dims, self.max_numel)
        self._syncing = True
        try:
            self.text = format_shape(event.new)
        finally:
            self._syncing = False
        self._set_error(error)

    def add_dim(self, event=None) -> None:
        shape = tuple(self.value) + (self.new_dim_size,)
        _, error = parse_shape(format_shape(shape), self.max_dims, self.max_numel)
        if error:
            self._set_error(f"can't add a dim: {error}")
            return
        self.value = shape

    def remove_dim(self, event=None) -> None:
        if not self.value:
            self._set_error("can't remove a dim: the shape () has none left")
            return
        self.value = tuple(self.value)[:-1]

    # --- view -------------------------------------------------------------------------

    def _sync_buttons(self, *events) -> None:
        self._add.disabled = len(self.value) >= self.max_dims
        self._remove.disabled = len(self.value) == 0

    def _build(self):
        field = pn.widgets.TextInput.from_param(
            self.param.text, name=self.name if not self.name.startswith("ShapeInput") else "Shape",
            placeholder="e.g. 3, 4   (empty: a 0-d tensor)", width=self.field_width)
        self._add = pn.widgets.Button(name="+ dim", width=70, margin=(27, 2, 5, 5),
                                      description=f"append a dim of size {self.new_dim_size}")
        self._remove = pn.widgets.Button(name="− dim", width=70, margin=(27, 5, 5, 2),
                                         description="drop the last dim")
        self._add.on_click(self.add_dim)
        self._remove.on_click(self.remove_dim)
        self._sync_buttons()
        return pn.Column(pn.Row(field, self._add, self._remove),
                         message_pane(self, "error", width=self.field_width + 160))

    def __panel__(self):
        return self._layout
