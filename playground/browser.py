"""What the app needs only in the browser (Pyodide). The site's worker calls `prepare()` before
Panel is imported, and hands the page's messages to `link_page`, `apply_patch` and
`set_location` (defined once here rather than sent as code with every message).

Stand-ins for pandas and narwhals: Bokeh and Panel depend on both, but with the plain dicts of
arrays the lessons use they only import them to ask "is this a DataFrame?". Shipping them would
add 7 MB (pandas, dateutil, pytz, narwhals) to every first visit and seconds of import time, so
the site ships these stand-ins instead: modules whose DataFrame-like types nothing is an
instance of, whose "is it a dataframe?" questions answer no, and whose other names raise an
ImportError saying the browser playground does not ship the library.
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
    library = name.split(".")[0]

    def missing(attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise ImportError(f"{name}.{attr} is not available in the browser playground (the site "
                          f"does not ship {library})")
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


def make_narwhals_stub():
    """narwhals.stable.v1.dependencies: Bokeh's only use of narwhals is asking whether a value
    is a dataframe or series (never, here)."""
    never = {name: (lambda obj: False) for name in
             ("is_into_dataframe", "is_into_series", "is_pandas_like_dataframe",
              "is_pandas_dataframe", "is_pandas_like_series")}
    dependencies = _module("narwhals.stable.v1.dependencies", never)
    v1 = _module("narwhals.stable.v1", {"dependencies": dependencies})
    stable = _module("narwhals.stable", {"v1": v1})
    top = _module("narwhals", {"stable": stable, "dependencies": dependencies,
                               "__version__": "0+playground-stub"})
    return {"narwhals": top, "narwhals.stable": stable, "narwhals.stable.v1": v1,
            "narwhals.stable.v1.dependencies": dependencies}


STUBS = {"pandas": make_pandas_stub, "narwhals": make_narwhals_stub}


def prepare():
    """Install the stand-ins for libraries the site does not ship (a real one wins)."""
    if sys.platform != "emscripten":
        return
    import importlib.util
    for name, make in STUBS.items():
        if importlib.util.find_spec(name) is None:
            sys.modules.update(make())


# -- the page's messages (site/worker.js calls these) ----------------------------------------
def link_page(send_patch):
    """Send every change of the app's document to the page (the page rendered it)."""
    from panel.io.pyodide import _link_docs_worker
    from panel.io.state import state
    _link_docs_worker(state.curdoc, send_patch, setter="js")


def apply_patch(patch):
    """A change the page made (a BokehJS JSON patch) applied to the app's document; the
    setter keeps it from being echoed back."""
    from panel.io.pyodide import _convert_json_patch
    from panel.io.state import state
    state.curdoc.apply_json_patch(_convert_json_patch(patch), setter="js")


def set_location(location_json):
    """The page's address (window.location as JSON) into Panel's location."""
    import json

    from panel.io.state import state
    from panel.util import edit_readonly
    if state.location is None:
        return
    values = json.loads(location_json)
    with edit_readonly(state.location):
        state.location.param.update({k: v for k, v in values.items()
                                     if k in state.location.param})
