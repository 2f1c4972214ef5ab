"""The lessons, in curriculum order. Each module has a `State` (param.Parameterized, no
widgets, URL-serialisable) and a thin `View` (pn.viewable.Viewer). Modules are imported only
when their lesson is opened, so the first page does not pay for the others."""
import importlib

# slug -> (module, menu title); the order is the curriculum's
LESSONS = {
    "tensors": ("tensors", "1 · Tensors"),
    "broadcasting": ("broadcasting", "2 · Shapes and broadcasting"),
    "autograd": ("autograd", "3 · Autograd"),
    "gradcheck": ("gradcheck", "4 · Gradient check"),
    "descent-1d": ("descent_1d", "5 · Gradient descent in 1-D"),
    "descent-2d": ("descent_2d", "6 · Gradient descent in 2-D"),
    "regression": ("regression", "7 · Linear regression"),
    "network": ("network", "8 · A first network"),
    "devices": ("devices", "9 · Devices: CPU and GPU"),
    "scratchpad": ("scratchpad", "Scratchpad"),
}
DEFAULT = "tensors"


def load(slug):
    """The lesson's module (State and View), imported on first use."""
    if slug not in LESSONS:
        raise KeyError(f"unknown lesson '{slug}': choose one of {', '.join(LESSONS)}")
    return importlib.import_module(f"playground.lessons.{LESSONS[slug][0]}")
