"""The experiments' specs and results: what compute/ accepts and returns, with limits.

Stdlib only: the app (in the browser or under `panel serve`) and the backend server share it.
A spec is a plain dict; `validate(name, spec)` fills defaults, converts types and enforces
limits, raising SpecError with a message that names the field, the problem and the fix.
Results are dicts of numbers, strings and lists; `json_safe` turns non-finite floats into None
so a result survives JSON (JavaScript's JSON.parse rejects NaN and Infinity).
"""
import math
from dataclasses import dataclass

SURFACES_1D = ("quadratic", "steep quadratic", "double well", "wavy bowl")
SURFACES_2D = ("ill-conditioned quadratic", "rosenbrock", "himmelblau", "saddle", "seed g(w)")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adagrad", "adam")
DATASETS = ("circle", "xor", "gauss", "spiral")
ACTIVATIONS = ("relu", "tanh", "sigmoid")
DEVICES = ("cpu", "cuda")
GRADCHECK_FUNCTIONS = ("cost", "l")  # the seeds' cost = aᵀa (a = Wx + b) and l = (exp(wx+b) - y*)²
GRADCHECK_DTYPES = ("float64", "float32")


class SpecError(ValueError):
    """A spec field is missing, of the wrong type, or outside its limits."""


@dataclass(frozen=True)
class Field:
    default: object
    kind: type = float  # float, int, str, bool or tuple (a list)
    low: float = None   # numbers: bounds; tuples: bounds on every entry
    high: float = None
    choices: tuple = None  # strings: the allowed values; tuples: the allowed entries
    length: int = None  # tuples: exact length; strings: maximum length
    doc: str = ""
    item: type = float  # tuples: the type of each entry (float, int or str)
    max_length: int = None  # tuples: at most this many entries
    min_length: int = 1     # tuples: at least this many entries


MAX_HIDDEN_LAYERS = 4
MAX_HIDDEN_WIDTH = 128
MAX_MATMUL_SIZE = 4096
MAX_MATMUL_SIZES = 16

# name -> {field: Field}; the single table the app, the URL state and the backend validate by
EXPERIMENTS = {
    "descent1d": {
        "function": Field("quadratic", str, choices=SURFACES_1D, doc="f(x) to minimise"),
        "lr": Field(0.25, float, 1e-4, 10.0, doc="learning rate"),
        "steps": Field(15, int, 1, 1000, doc="gradient steps"),
        "x0": Field(5.0, float, -10.0, 10.0, doc="starting point"),
    },
    "descent2d": {
        "surface": Field("ill-conditioned quadratic", str, choices=SURFACES_2D),
        "condition": Field(10.0, float, 1.0, 1000.0, doc="condition number (quadratic)"),
        "optimizers": Field(("sgd", "momentum", "adam"), tuple, choices=OPTIMIZERS, item=str,
                            max_length=len(OPTIMIZERS), doc="optimizers to compare"),
        "lr": Field(0.05, float, 1e-4, 10.0),
        "momentum": Field(0.9, float, 0.0, 0.999),
        "steps": Field(100, int, 1, 5000),
        "start": Field((-1.5, 1.5), tuple, -10.0, 10.0, length=2, doc="starting point (x, y)"),
        "grid": Field(80, int, 10, 200, doc="contour grid resolution"),
        "noise": Field(0.0, float, 0.0, 10.0, doc="std of the noise added to each gradient"),
        "seed": Field(0, int, 0, 2 ** 31 - 1, doc="seed of the gradient noise"),
    },
    "regression": {
        "n": Field(50, int, 2, 2000, doc="data points"),
        "noise": Field(0.1, float, 0.0, 10.0),
        "beta": Field((-1.0, 2.0), tuple, -100.0, 100.0, length=2, doc="true coefficients"),
        "seed": Field(0, int, 0, 2 ** 31 - 1),
        "lr": Field(0.1, float, 1e-4, 10.0),
        "steps": Field(20, int, 1, 5000),
        "start": Field((1.0, 0.0), tuple, -100.0, 100.0, length=2, doc="starting beta"),
        "grid": Field(60, int, 10, 200),
    },
    "training": {
        "dataset": Field("circle", str, choices=DATASETS),
        "noise": Field(0.1, float, 0.0, 1.0),
        "points": Field(200, int, 20, 2000),
        "test_fraction": Field(0.3, float, 0.1, 0.9),
        "hidden": Field((8, 8), tuple, 1, MAX_HIDDEN_WIDTH, item=int, min_length=0,
                        max_length=MAX_HIDDEN_LAYERS, doc="hidden layer widths"),
        "activation": Field("tanh", str, choices=ACTIVATIONS),
        "lr": Field(0.1, float, 1e-4, 10.0),
        "optimizer": Field("adam", str, choices=OPTIMIZERS),
        "steps": Field(200, int, 1, 5000),
        "seed": Field(0, int, 0, 2 ** 31 - 1),
        "grid": Field(40, int, 10, 120, doc="decision map resolution"),
    },
    "gradcheck": {
        "seed": Field(0, int, 0, 2 ** 31 - 1),
        "eps_low": Field(1e-10, float, 1e-15, 1e-1),
        "eps_high": Field(1e-1, float, 1e-12, 1.0),
        "points": Field(19, int, 3, 60, doc="eps values on the log-log plot"),
        "eps": Field(1e-7, float, 1e-15, 1.0, doc="the finite-difference step checked"),
        "dtype": Field("float64", str, choices=GRADCHECK_DTYPES, doc="dtype of every method"),
        "function": Field("cost", str, choices=GRADCHECK_FUNCTIONS, doc="the seed's function"),
    },
    "matmul": {
        "sizes": Field((64, 128, 256, 512, 1024), tuple, 1, MAX_MATMUL_SIZE, item=int,
                       max_length=MAX_MATMUL_SIZES, doc="square matrix sizes"),
        "repeat": Field(3, int, 1, 20),
        "device": Field("cpu", str, choices=DEVICES),
        "dtype": Field("float32", str, choices=("float32", "float64")),
    },
}


def validate(name, spec=None):
    """The spec with defaults filled in and every field checked; raises SpecError."""
    if name not in EXPERIMENTS:
        raise SpecError(f"unknown experiment '{name}': choose one of "
                        f"{', '.join(sorted(EXPERIMENTS))}")
    fields = EXPERIMENTS[name]
    spec = dict(spec or {})
    unknown = sorted(set(spec) - set(fields))
    if unknown:
        raise SpecError(f"{name}: unknown field(s) {', '.join(unknown)}; the fields are "
                        f"{', '.join(fields)}")
    out = {key: _check(name, key, f, spec.get(key, f.default)) for key, f in fields.items()}
    _check_totals(name, out)
    return out


def _check(exp, key, f, value):
    where = f"{exp}.{key}"
    if f.kind is tuple:
        return _check_tuple(where, f, value)
    if f.kind is bool:
        if not isinstance(value, bool):
            raise SpecError(f"{where} must be true or false (got {value!r})")
        return value
    if f.kind is str:
        if not isinstance(value, str):
            raise SpecError(f"{where} must be text (got {value!r})")
        if f.choices and value not in f.choices:
            raise SpecError(f"{where} must be one of {', '.join(f.choices)} (got '{value}')")
        return value
    return _check_number(where, f, value)


def _check_number(where, f, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value) if f.kind is float else int(str(value).strip())
        except (TypeError, ValueError):
            raise SpecError(f"{where} must be a {'number' if f.kind is float else 'whole number'}"
                            f" (got {value!r})") from None
    if f.kind is int:
        if isinstance(value, float) and not value.is_integer():
            raise SpecError(f"{where} must be a whole number (got {value})")
        value = int(value)
    else:
        value = float(value)
        if not math.isfinite(value):
            raise SpecError(f"{where} must be a finite number (got {value}); pick a value "
                            f"between {f.low:g} and {f.high:g}")
    if (f.low is not None and value < f.low) or (f.high is not None and value > f.high):
        raise SpecError(f"{where} must be between {f.low:g} and {f.high:g} (got {value:g})")
    return value


def _check_tuple(where, f, value):
    if not isinstance(value, (list, tuple)):
        raise SpecError(f"{where} must be a list (got {value!r})")
    if f.length is not None and len(value) != f.length:
        raise SpecError(f"{where} must have {f.length} entries (got {len(value)})")
    if len(value) < f.min_length:
        raise SpecError(f"{where} must have at least {f.min_length} "
                        f"entr{'y' if f.min_length == 1 else 'ies'} (got none)")
    if f.max_length is not None and len(value) > f.max_length:
        raise SpecError(f"{where} must have at most {f.max_length} entries (got {len(value)})")
    return tuple(_check_item(where, f, v) for v in value)


def _check_item(where, f, v):
    if f.item is str:
        if not isinstance(v, str) or (f.choices and v not in f.choices):
            raise SpecError(f"{where} entries must be among {', '.join(f.choices)} (got {v!r})")
        return v
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise SpecError(f"{where} entries must be finite numbers (got {v!r})")
    if f.item is int:
        if int(v) != v:
            raise SpecError(f"{where} entries must be whole numbers (got {v!r})")
        v = int(v)
    if (f.low is not None and v < f.low) or (f.high is not None and v > f.high):
        raise SpecError(f"{where} entries must lie within [{f.low:g}, {f.high:g}] (got {v:g})")
    return v


def _check_totals(name, spec):
    """Rules across fields (each field's own limits are in EXPERIMENTS)."""
    if name == "gradcheck" and spec["eps_low"] >= spec["eps_high"]:
        raise SpecError("gradcheck.eps_low must be smaller than gradcheck.eps_high")


def json_safe(value):
    """A result with every non-finite float replaced by None (JSON has no NaN/Infinity)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value
