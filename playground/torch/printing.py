"""Tensor printing, ported from PyTorch's ``torch/_tensor_str.py`` (torch 2.13).

Our tensors hold their values in numpy arrays; this module turns such an array
into exactly the text ``repr(torch_tensor)`` would produce for the same values,
dtype, device and autograd state.  The structure mirrors torch's file function
by function so that the two can be compared side by side:

    torch                          here
    -----                          ----
    __PrinterOptions / PRINT_OPTS  PrintOptions / PRINT_OPTS
    set_printoptions               set_printoptions
    get_printoptions               get_printoptions
    printoptions                   printoptions
    _Formatter                     _Formatter
    _vector_str                    _vector_str
    _tensor_str_with_formatter     _tensor_str_with_formatter
    _tensor_str                    _tensor_str
    get_summarized_data            _summarized_data
    _add_suffixes                  _add_suffixes
    _str_intern                    tensor_repr

Only dense (strided) real tensors are handled: no complex, sparse, quantized,
nested or meta tensors.  Only numpy and the standard library are used, and no
numpy API newer than 2.0 (the module also runs under Pyodide).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from typing import Any

import numpy as np


@dataclasses.dataclass
class PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = PrintOptions()


def set_printoptions(
    precision=None,
    threshold=None,
    edgeitems=None,
    linewidth=None,
    profile=None,
    sci_mode=None,
):
    """Set options for printing, like ``torch.set_printoptions``.

    A profile ("default", "short" or "full") is applied first and the other
    arguments then override it.  As in torch, ``sci_mode`` is always assigned,
    so any call that leaves it out switches back to automatic choice.
    """
    if profile is not None:
        if profile == "default":
            PRINT_OPTS.precision = 4
            PRINT_OPTS.threshold = 1000
            PRINT_OPTS.edgeitems = 3
            PRINT_OPTS.linewidth = 80
        elif profile == "short":
            PRINT_OPTS.precision = 2
            PRINT_OPTS.threshold = 1000
            PRINT_OPTS.edgeitems = 2
            PRINT_OPTS.linewidth = 80
        elif profile == "full":
            PRINT_OPTS.precision = 4
            PRINT_OPTS.threshold = math.inf
            PRINT_OPTS.edgeitems = 3
            PRINT_OPTS.linewidth = 80

    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current options, as a dict that can be passed to set_printoptions()."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    """Temporarily change the print options (same arguments as set_printoptions)."""
    old_kwargs = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old_kwargs)


class _Formatter:
    """Decides one common format (int/fixed/scientific, width) for all elements.

    ``data`` is the (possibly summarised) array whose elements will be shown.
    Torch formats every element through Python's ``format`` on ``item()``, so
    float16/float32 values are widened to Python floats (float64) first; numpy's
    ``tolist()`` does the same widening.
    """

    def __init__(self, data: np.ndarray):
        self.floating_dtype = np.issubdtype(data.dtype, np.floating)
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1

        values = data.reshape(-1)
        if not self.floating_dtype:
            for value in values.tolist():
                self.max_width = max(self.max_width, len(f"{value}"))
            return

        # Only finite nonzero values take part in the decisions below (and in the
        # width), so nan/inf/0 never force scientific notation.
        nonzero_finite = values[np.isfinite(values) & (values != 0)]
        if nonzero_finite.size == 0:
            return

        # Torch does this arithmetic in double: float16 would overflow at 1e8.
        nonzero_finite_abs = np.abs(nonzero_finite).astype(np.float64)
        nonzero_finite_min = nonzero_finite_abs.min()
        nonzero_finite_max = nonzero_finite_abs.max()

        self.int_mode = bool(np.all(nonzero_finite == np.ceil(nonzero_finite)))

        if PRINT_OPTS.sci_mode is None:
            # a ratio past the float64 range is inf, as in torch
            with np.errstate(over="ignore"):
                ratio = nonzero_finite_max / nonzero_finite_min
            self.sci_mode = bool(
                ratio > 1000.0 or nonzero_finite_max > 1.0e8 or nonzero_finite_min < 1.0e-4
            )
        else:
            self.sci_mode = PRINT_OPTS.sci_mode

        precision = PRINT_OPTS.precision
        for value in nonzero_finite.tolist():
            if self.sci_mode:
                width = len(f"{value:.{precision}e}")
            elif self.int_mode:
                # integral floats get a trailing "." to show they are floats
                width = len(f"{value:.0f}") + 1
            else:
                width = len(f"{value:.{precision}f}")
            self.max_width = max(self.max_width, width)

    def width(self) -> int:
        return self.max_width

    def format(self, value) -> str:
        """Format one Python number (bool, int or float), right-aligned."""
        if self.floating_dtype:
            if self.sci_mode:
                ret = f"{value:{self.max_width}.{PRINT_OPTS.precision}e}"
            elif self.int_mode:
                ret = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    ret += "."
            else:
                ret = f"{value:.{PRINT_OPTS.precision}f}"
        else:
            ret = f"{value}"
        return (self.max_width - len(ret)) * " " + ret


def _vector_str(data: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    """A 1-D array as ``[a, b, ...]``, wrapped to the line width."""
    # length includes the ", " between elements
    element_length = formatter.width() + 2
    elements_per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))

    edgeitems = PRINT_OPTS.edgeitems
    if summarize and not edgeitems:
        elements = ["..."]
    elif summarize and data.shape[0] > 2 * edgeitems:
        elements = (
            [formatter.format(value) for value in data[:edgeitems].tolist()]
            + [" ..."]
            + [formatter.format(value) for value in data[-edgeitems:].tolist()]
        )
    else:
        elements = [formatter.format(value) for value in data.tolist()]

    lines = [
        ", ".join(elements[i : i + elements_per_line])
        for i in range(0, len(elements), elements_per_line)
    ]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with_formatter(
    data: np.ndarray, indent: int, summarize: bool, formatter: _Formatter
) -> str:
    """Nested brackets; each level is indented one more column than its parent."""
    dim = data.ndim
    if dim == 0:
        return formatter.format(data.item())
    if dim == 1:
        return _vector_str(data, indent, summarize, formatter)

    edgeitems = PRINT_OPTS.edgeitems
    length = data.shape[0]
    if summarize and length > 2 * edgeitems:
        slices = (
            [
                _tensor_str_with_formatter(data[i], indent + 1, summarize, formatter)
                for i in range(edgeitems)
            ]
            + ["..."]
            + [
                _tensor_str_with_formatter(data[i], indent + 1, summarize, formatter)
                for i in range(length - edgeitems, length)
            ]
        )
    else:
        slices = [
            _tensor_str_with_formatter(data[i], indent + 1, summarize, formatter)
            for i in range(length)
        ]

    # blocks of a 3-D+ tensor are separated by dim - 2 blank lines
    return "[" + ("," + "\n" * (dim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized_data(data: np.ndarray) -> np.ndarray:
    """The elements a summarised print shows: the edge items of every dimension.

    The formatter is built from these only, so hidden values do not affect the
    width or the choice of notation.
    """
    edgeitems = PRINT_OPTS.edgeitems
    if data.ndim == 0:
        return data
    if data.ndim == 1:
        if data.shape[0] > 2 * edgeitems:
            # with edgeitems == 0, data[-0:] is the whole array, as in torch
            return np.concatenate((data[:edgeitems], data[-edgeitems:]))
        return data
    if not edgeitems:
        return np.empty([0] * data.ndim, dtype=data.dtype)
    if data.shape[0] > 2 * edgeitems:
        rows = list(data[:edgeitems]) + list(data[len(data) - edgeitems :])
    else:
        rows = list(data)
    return np.stack([_summarized_data(row) for row in rows])


def _tensor_str(data: np.ndarray, indent: int) -> str:
    if data.size == 0:
        return "[]"
    summarize = data.size > PRINT_OPTS.threshold
    formatter = _Formatter(_summarized_data(data) if summarize else data)
    return _tensor_str_with_formatter(data, indent, summarize, formatter)


def _add_suffixes(tensor_str: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` items, moving one to a new line when it would not fit."""
    tensor_strs = [tensor_str]
    # Torch's arithmetic, kept as is: without a newline, rfind gives -1 and this
    # counts two columns more than the line really has.
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        suffix_len = len(suffix)
        if last_line_len + suffix_len + 2 > PRINT_OPTS.linewidth:
            tensor_strs.append(",\n" + " " * indent + suffix)
            last_line_len = indent + suffix_len
        else:
            tensor_strs.append(", " + suffix)
            last_line_len += suffix_len + 2
    tensor_strs.append(")")
    return "".join(tensor_strs)


def tensor_repr(
    data: np.ndarray,
    dtype_name: str,
    *,
    device: str = "cpu",
    requires_grad: bool = False,
    grad_fn_name: str | None = None,
    default_float: str = "float32",
    prefix: str = "tensor(",
) -> str:
    """The text torch's ``repr`` gives a dense tensor with these values and attributes.

    data: the tensor's values (bool, uint8, int8, int16, int32, int64, float16,
        float32 or float64); its numpy dtype decides integer vs float formatting.
    dtype_name: the torch dtype name without "torch.", e.g. "float64"; it is
        used only for the ``dtype=`` suffix.
    device: "cpu", or e.g. "cuda:0", which adds ``device='cuda:0'``.
    requires_grad / grad_fn_name: ``grad_fn=<Name>`` is shown when grad_fn_name
        is given, otherwise ``requires_grad=True`` when requires_grad.
    default_float: torch.get_default_dtype() without "torch."; tensors of this
        dtype, int64 and bool print without a dtype suffix.
    prefix: the text before the values; continuation lines are indented by its
        length.
    """
    data = np.asarray(data)
    indent = len(prefix)
    suffixes = []

    if device != "cpu":
        suffixes.append(f"device='{device}'")

    dtype_suffix = f"dtype=torch.{dtype_name}"
    if data.size == 0:
        # match numpy: the shape is shown unless it is (0,)
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        # no elements to tell an integer dtype from, so only the default float
        # dtype goes without saying
        if dtype_name != default_float:
            suffixes.append(dtype_suffix)
        tensor_str = "[]"
    else:
        # with no edge items the values print as "[...]", so give the shape
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(data.shape)}")
        if dtype_name not in (default_float, "int64", "bool"):
            suffixes.append(dtype_suffix)
        tensor_str = _tensor_str(data, indent)

    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")

    return _add_suffixes(prefix + tensor_str, suffixes, indent)
