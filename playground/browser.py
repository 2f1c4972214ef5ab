"""What the app needs only in the browser (Pyodide). The site's worker calls `prepare()` before
Panel is imported.

pandas: Bokeh and Panel list it as a dependency, but with plain dicts of arrays (all the
lessons use) they only import it to ask `isinstance(x, pd.DataFrame)` and the like. Shipping it
would add 5.7 MB (plus dateutil and pytz) to every first visit, so the site ships this
stand-in instead: a `pandas` module whose types nothing is an instance of. Any code that really
needs pandas gets a clear ImportError-like message from `__getattr__`.
"""
import sys
import types

STUB_NAME = "pandas"


class _NoInstances:
    """A type only for isinstance checks: no value in the app is one."""

    def __init__(self, *args, **kwargs):
        raise ImportError("pandas is not available in the browser playground (the site does not "
                          "ship it); the lessons work with tensors and numpy arrays")


def _types(*names):
    return {name: type(name, (_NoInstances,), {"__module__": STUB_NAME}) for name in names}


def _module(name, attrs):
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    mod.__playground_stub__ = True

    def missing(attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise ImportError(f"pandas.{attr} is not available in the browser playground (the site "
                          "does not ship pandas)")
    mod.__getattr__ = missing
    return mod


def make_pandas_stub():
    top = _types("DataFrame", "Series", "Index", "PeriodIndex", "DatetimeIndex", "MultiIndex",
                 "Timestamp", "Timedelta", "Period", "Categorical", "CategoricalDtype")
    groupby = _module("pandas.core.groupby", _types("GroupBy"))
    core = _module("pandas.core", {"groupby": groupby})
    extensions = _module("pandas.api.extensions", _types("ExtensionArray", "ExtensionDtype"))
    api = _module("pandas.api", {"extensions": extensions})
    pandas = _module(STUB_NAME, {**top, "core": core, "api": api, "NaT": object(),
                                 "NA": object(), "__version__": "0+playground-stub"})
    return {STUB_NAME: pandas, "pandas.core": core, "pandas.core.groupby": groupby,
            "pandas.api": api, "pandas.api.extensions": extensions}


def prepare():
    """Install the pandas stand-in unless a real pandas is importable."""
    if sys.platform != "emscripten":
        return
    try:
        import pandas  # noqa: F401  (a site built with pandas keeps it)
        return
    except ImportError:
        sys.modules.update(make_pandas_stub())
