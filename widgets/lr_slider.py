"""Log-scale slider, e.g. for a learning rate from 1e-4 to 10.

    lr = LogSlider(value=0.1, start=1e-4, end=10, name="learning rate")
    pn.bind(train, lr.param.value_throttled)   # expensive work: only on release

Constructor arguments / params:
  value            the number (float), start <= value <= end
  value_throttled  the same, updated only when the handle is released
  start, end       the range (both > 0)
  digits           significant digits values snap to (2: 0.1, 0.12, 0.15 ... not 0.1187)
  error            '' or what was wrong with a value set from code (out of range, not a
                   positive number); such a value is clipped into the range, not refused

The slider moves over log10(value) in steps of 1/steps_per_decade, so each decade gets the
same room; the label shows the value in readable form (`format_value`: 0.003, 3e-5, 10).
"""
from __future__ import annotations

import math

import panel as pn
import param
from bokeh.models import CustomJSTickFormatter

from ._messages import message_pane


def format_value(x: float) -> str:
    """0.1 -> '0.1', 0.0003 -> '3e-4', 2.5 -> '2.5', 10 -> '10'."""
    if x == 0 or not math.isfinite(x):
        return str(x)
    if 1e-3 <= abs(x) < 1e4:
        return f"{x:.4g}"
    mantissa, exponent = f"{x:.2e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def snap(x: float, digits: int) -> float:
    """Round to `digits` significant digits, so values read well and survive a URL."""
    return float(f"{x:.{digits}g}")


# The same formatting in the browser, for the slider's own label (no server round trip).
_JS_FORMAT = """
const x = Math.pow(10, tick);
if (x >= 1e-3 && x < 1e4) return String(Number(x.toPrecision(DIGITS)));
const [m, e] = x.toExponential(DIGITS - 1).split('e');
return String(Number(m)) + 'e' + Number(e);
"""


class LogSlider(pn.viewable.Viewer):
    value = param.Number(default=0.1)
    value_throttled = param.Number(default=None, allow_None=True, constant=True)
    start = param.Number(default=1e-4)
    end = param.Number(default=10.0)
    digits = param.Integer(default=2, bounds=(1, 6))
    steps_per_decade = param.Integer(default=20, bounds=(1, 1000))
    error = param.String(default="", constant=True)

    def __init__(self, **params):
        super().__init__(**params)
        if not (0 < self.start < self.end):
            raise ValueError(f"LogSlider needs 0 < start < end, got start={self.start}, "
                             f"end={self.end}")
        self._syncing = False
        self.value = self._clip(self.value)
        with param.edit_constant(self):
            self.value_throttled = self.value
        self._slider = pn.widgets.FloatSlider(
            name=self.name if not self.name.startswith("LogSlider") else "",
            start=math.log10(self.start), end=math.log10(self.end),
            step=1 / self.steps_per_decade, value=math.log10(self.value),
            format=CustomJSTickFormatter(code=_JS_FORMAT.replace("DIGITS", str(self.digits))),
            width=260)
        self._slider.param.watch(self._from_slider, ["value", "value_throttled"])
        self.param.watch(self._from_value, "value")
        self._layout = pn.Column(self._slider, message_pane(self, "error", width=260))

    def _clip(self, x) -> float:
        """A usable value for any input; says what was changed in `error`."""
        error = ""
        if not isinstance(x, (int, float)) or isinstance(x, bool) or not math.isfinite(x):
            fallback = getattr(self, "_last_good", self.start)
            error, x = f"{x!r} is not a number: keeping {format_value(fallback)}", fallback
        elif x < self.start:
            error = (f"{format_value(x)} is below the smallest value here, "
                     f"{format_value(self.start)}: using that")
            x = self.start
        elif x > self.end:
            error = (f"{format_value(x)} is above the largest value here, "
                     f"{format_value(self.end)}: using that")
            x = self.end
        with param.edit_constant(self):
            self.error = error
        self._last_good = float(x)
        return float(x)

    def _from_slider(self, *events) -> None:
        # the page may send value and value_throttled together: param then passes both
        for event in events:
            self._from_slider_event(event)

    def _from_slider_event(self, event) -> None:
        if self._syncing:
            return
        x = snap(10 ** event.new, self.digits)
        x = min(max(x, self.start), self.end)
        self._syncing = True
        try:
            if event.name == "value":
                self.value = self._last_good = x
                with param.edit_constant(self):
                    self.error = ""
            else:
                with param.edit_constant(self):
                    self.value_throttled = x
        finally:
            self._syncing = False

    def _from_value(self, event) -> None:
        if self._syncing:
            return
        x = self._clip(event.new)
        self._syncing = True
        try:
            if x != event.new:
                self.value = x
            self._slider.value = math.log10(x)
            # Set from code, there is no drag to wait for: the throttled value follows now.
            with param.edit_constant(self):
                self.value_throttled = x
        finally:
            self._syncing = False

    def __panel__(self):
        return self._layout
