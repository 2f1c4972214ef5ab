"""What every lesson shares: a State with no widgets and a thin View over it.

A lesson module defines

    class State(LessonState):          # param.Parameterized: the lesson's inputs and results
        slug = "descent-1d"            # its URL slug (?lesson=descent-1d)
        title = "Gradient descent in 1-D"
        url_params = ("function", "lr", "steps", "x0")   # shareable inputs, seed included
        lr = param.Number(0.25, bounds=(1e-4, 10))
        ...
        result = param.Dict(default={})

        @param.depends("lr", "steps", watch=True, on_init=True)
        def _run(self):
            self.compute(lambda: compute.descent_1d(...), into="result")

    class View(LessonView):            # pn.viewable.Viewer: widgets from the state's params
        intro = "What to try ... what to notice ..."
        def controls(self): return {"lr": LogSlider.from_param(...), ...}
        def body(self): return pn.Column(...)

States run their experiments through compute/ (never numpy math of their own) on the torch
module they were given (`self.torch`: our engine in the browser, real torch with
`--engine torch`). `experiment(name, spec)` runs one of protocol's experiments where the
session's backend choice says (`self.where`: here, or a real-torch server) and notes where it
ran and how long it took in `ran_on`. `compute()` turns any exception into the inline `error`
message, so no exception reaches the page. `refresh()` redoes a lesson's experiments (the app
calls it when the student moves them to a server or back).
"""
import html
import math
import time

import panel as pn
import param

from . import engine
from .backend import Where, describe_run

SIDE_WIDTH = 300  # the lesson's column of controls
BODY_MIN_WIDTH = 560  # a 400 px plot with its axes and margins
CONTROL_WIDTH = 280  # a control with its margins fits the column


class LessonState(param.Parameterized):
    slug = ""
    title = ""
    url_params = ()  # the params that round-trip through the URL

    error = param.String(default="", doc="what went wrong with the inputs, shown inline")
    busy = param.Boolean(default=False, doc="True while an experiment runs")
    last_seconds = param.Number(default=0.0, doc="how long the last experiment took")
    ran_on = param.String(default="", doc="where the last experiment ran, and how long it took")

    def __init__(self, torch=None, where=None, **params):
        self.torch = torch if torch is not None else engine.torch_module()
        self.where = where if where is not None else Where()  # the session's backend choice
        super().__init__(**params)

    def experiment(self, name, spec):
        """protocol experiment `name`'s result, computed here or on the session's server."""
        envelope = self.where.run(name, spec, self.torch)
        # shown once the result is: in the browser each change reaches the page as it is
        # made, and the plots the student is watching should move first
        self._ran_on = describe_run(envelope)
        return envelope["result"]

    def refresh(self):
        """Redo this lesson's experiments (where they run has changed)."""

    def compute(self, work, into=None):
        """Run `work()`; store its result in param `into`. Errors become `self.error`."""
        self.busy = True
        t0 = time.perf_counter()
        try:
            result = work()
        except Exception as exc:  # shown on the page instead of a traceback
            self.error = friendly_error(exc)
            self._show_ran_on()
            return None
        finally:
            self.last_seconds = time.perf_counter() - t0
            self.busy = False
        self.error = ""
        if into is not None:
            setattr(self, into, result)
        self._show_ran_on()
        return result

    def _show_ran_on(self):
        ran_on = self.__dict__.pop("_ran_on", None)
        if ran_on is not None:
            self.ran_on = ran_on

    def url_state(self):
        """The shareable state as {param: value}."""
        return {name: getattr(self, name) for name in self.url_params}


def friendly_error(exc):
    """One line for the page: the message, prefixed by its type where that helps."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, (ValueError, RuntimeError)) and not isinstance(exc, KeyError):
        return text
    return f"{type(exc).__name__}: {text}"


class LessonView(pn.viewable.Viewer):
    """Title, a short intro (what to try, what to notice), the controls, the body, and an
    inline error line. `hidden` names controls a classroom link hides (?hide=lr,steps)."""

    state = param.ClassSelector(class_=LessonState)
    hidden = param.List(default=[])
    intro = ""

    def controls(self):
        """{param name: widget}, in display order."""
        return {}

    def body(self):
        """The lesson's outputs (plots, tables)."""
        return pn.Column()

    def parts_body(self, builders):
        """A body of parts shown one at a time (the state's `part`), each built the first time
        it is shown: opening a lesson builds the part the student sees, not all of them."""
        self._part_builders = builders
        self.parts = {name: pn.Column(sizing_mode="stretch_width", margin=0) for name in builders}
        self.state.param.watch(self._show_part, "part")
        self._show_part()
        return pn.Column(*self.parts.values(), sizing_mode="stretch_width")

    def _show_part(self, *events):
        current = self.state.part
        if not self.parts[current].objects:
            self.parts[current].objects = [self._part_builders[current]()]
        for name, column in self.parts.items():
            column.visible = name == current

    def __panel__(self):
        if not hasattr(self, "_layout"):
            self._layout = self._build()
        return self._layout

    def _build(self):
        controls = [w for name, w in self.controls().items() if name not in self.hidden]
        error = pn.pane.HTML(_error_html(self.state.error), sizing_mode="stretch_width",
                             margin=(0, 10))
        self.state.param.watch(lambda e: setattr(error, "object", _error_html(e.new)),
                               "error")
        intro = pn.pane.Markdown(self.intro, sizing_mode="stretch_width", margin=(0, 10),
                                 css_classes=["pg-intro"])
        ran_on = pn.pane.HTML(_ran_on_html(self.state.ran_on), margin=(0, 10),
                              sizing_mode="stretch_width", css_classes=["pg-ran-on"])
        self.state.param.watch(lambda e: setattr(ran_on, "object", _ran_on_html(e.new)),
                               "ran_on")
        for w in controls:  # Panel's widgets default to 300 px, which with margins overflows
            if isinstance(w, pn.widgets.Widget) and (w.width or SIDE_WIDTH) > CONTROL_WIDTH:
                w.width = CONTROL_WIDTH
        side = pn.Column(*controls, width=SIDE_WIDTH, css_classes=["pg-controls"])
        body = self.body()
        # beside the controls while it gets BODY_MIN_WIDTH, else under them at full width (a
        # Row would squeeze it and its plots would run past the window)
        body.styles = {**body.styles, "flex": f"1 1 {BODY_MIN_WIDTH}px"}
        return pn.Column(
            pn.pane.HTML(f"<h2 class='pg-title' style='margin:4px 0 0 0'>"
                         f"{html.escape(self.state.title)}</h2>", margin=(0, 10)),
            intro, ran_on, error,
            pn.FlexBox(side, body, flex_wrap="wrap"),
            sizing_mode="stretch_width", css_classes=["pg-lesson", f"pg-{self.state.slug}"])


ERROR_STYLE = ("background:#fdecea;color:#8a1c12;border-left:4px solid #d93025;"
               "padding:6px 10px;margin:4px 0;font-size:0.95em")


def _ran_on_html(text):
    return f"<div style='color:#666;font-size:0.85em'>{html.escape(text)}</div>" if text else ""


def _error_html(message):
    """The inline error line (styled inline: Panel panes live in their own shadow DOM)."""
    if not message:
        return ""
    return f"<div class='pg-error' role='alert' style='{ERROR_STYLE}'>{html.escape(message)}</div>"


def finite(values):
    """Only the finite numbers of a list (for stats on a run that may have diverged)."""
    return [v for v in values if v is not None and math.isfinite(v)]
