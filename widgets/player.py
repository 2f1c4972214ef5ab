"""Player: play / pause / step / reset, and a speed control (TensorFlow Playground has no
speed control; here a slow replay lets students watch each step).

    player = Player(max_step=200, speed=10)
    pn.bind(show_step, player.param.step)

Constructor arguments / params:
  step         the current step (int, 0 … max_step); set it to jump
  max_step     the last step; playing stops there (None: no end)
  playing      True while the clock runs (set it to play or pause from code)
  speed        steps per second while playing (one of SPEEDS)
  interval_ms  how often the clock ticks; fast speeds advance several steps per tick
  loop         at max_step, start again from 0 instead of stopping

`follow(max_step)` adapts to a recomputed run: a paused player showing the end jumps to
the new end, one in the middle keeps its step.

`tick()` is one clock tick (what the periodic callback calls): it advances `step` by
speed * interval_ms / 1000 steps, carrying fractions over to the next tick, so the
stepping logic is testable without a browser. The periodic callback runs only while
playing, and is stopped on pause, at max_step, and on reset.
"""
from __future__ import annotations

import panel as pn
import param

from ._periodic import start_periodic, stop_periodic

SPEEDS = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500]


def _speed_label(speed: float) -> str:
    return f"{speed:g} steps/s"


class Player(pn.viewable.Viewer):
    step = param.Integer(default=0, bounds=(0, None))
    max_step = param.Integer(default=100, bounds=(0, None), allow_None=True)
    playing = param.Boolean(default=False)
    speed = param.Selector(default=10, objects=SPEEDS)
    interval_ms = param.Integer(default=100, bounds=(10, 5000))
    loop = param.Boolean(default=False)

    def __init__(self, **params):
        super().__init__(**params)
        self._carry = 0.0  # fraction of a step owed by earlier ticks
        self._callback = None
        self._clamp()
        self._layout = self._build()
        self.param.watch(self._on_playing, "playing")
        self.param.watch(self._on_interval, "interval_ms")
        self.param.watch(lambda *e: self._clamp(), ["step", "max_step"])
        self.param.watch(self._sync_view, ["step", "max_step", "playing"])

    # --- stepping (no browser needed) -------------------------------------------------

    @property
    def at_end(self) -> bool:
        return self.max_step is not None and self.step >= self.max_step

    def tick(self) -> None:
        """One clock tick while playing."""
        if not self.playing:
            return
        self._carry += self.speed * self.interval_ms / 1000
        steps, self._carry = int(self._carry), self._carry - int(self._carry)
        if steps:
            self._advance(steps)

    def _advance(self, steps: int) -> None:
        target = self.step + steps
        if self.max_step is not None and target > self.max_step:
            target = target % (self.max_step + 1) if self.loop else self.max_step
        self.step = target
        if self.at_end and not self.loop:
            self.playing = False

    def step_once(self, event=None) -> None:
        """The Step button: one step forward, and pause."""
        self.playing = False
        if not self.at_end:
            self.step += 1

    def reset(self, event=None) -> None:
        self.playing = False
        self._carry = 0.0
        self.step = 0

    def toggle(self, event=None) -> None:
        """The Play/Pause button. Playing from the end starts again from 0."""
        if not self.playing and self.at_end and not self.loop:
            self.step = 0
        self.playing = not self.playing

    def follow(self, max_step: int) -> None:
        """A new run of max_step steps: a paused player that was showing the end shows the
        new end; otherwise the step stays where it was (clamped to the new end)."""
        if self.at_end and not self.playing:
            self.param.update(max_step=max_step, step=max_step)
        else:
            self.max_step = max_step

    def _clamp(self) -> None:
        if self.max_step is not None and self.step > self.max_step:
            self.step = self.max_step

    # --- the clock ---------------------------------------------------------------------

    def _on_playing(self, event) -> None:
        stop_periodic(self._callback)
        self._callback = None
        if event.new:
            self._carry = 0.0
            self._callback = start_periodic(self.tick, self.interval_ms)

    def _on_interval(self, event) -> None:
        if self.playing:  # restart the clock at the new rate
            stop_periodic(self._callback)
            self._callback = start_periodic(self.tick, self.interval_ms)

    # --- view -------------------------------------------------------------------------

    def _sync_view(self, *events) -> None:
        self._play.name = "▮▮ Pause" if self.playing else "▶ Play"
        self._play.button_type = "warning" if self.playing else "primary"
        self._step_button.disabled = self.at_end
        self._position.object = self._position_text()

    def _position_text(self) -> str:
        end = "" if self.max_step is None else f" / {self.max_step}"
        return f"step {self.step}{end}"

    def _build(self):
        self._play = pn.widgets.Button(name="▶ Play", button_type="primary", width=95)
        self._step_button = pn.widgets.Button(name="Step ▸", width=80)
        self._reset_button = pn.widgets.Button(name="Reset", width=80)
        self._play.on_click(self.toggle)
        self._step_button.on_click(self.step_once)
        self._reset_button.on_click(self.reset)
        speed = pn.widgets.Select.from_param(
            self.param.speed, name="", width=120,
            options={_speed_label(s): s for s in SPEEDS})
        self._position = pn.pane.Str(self._position_text(), margin=(12, 10),
                                     styles={"font-family": "monospace"})
        self._sync_view()
        return pn.Row(self._reset_button, self._play, self._step_button, speed,
                      self._position)

    def __panel__(self):
        return self._layout
