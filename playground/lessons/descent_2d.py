"""Lesson 6: gradient descent in 2-D, torch's optimizers side by side on one surface.

On a long narrow bowl one learning rate cannot suit both directions: plain gradient descent
must keep lr below 2 / (largest curvature) and then crawls along the flat direction;
momentum builds up speed along it, the adaptive optimizers (RMSprop, Adagrad, Adam) rescale
each coordinate. Each surface loads a start, learning rate and step count that show its
character; a click on the contour plot moves the start; the player replays the steps.
"""
import html

import panel as pn
import param

from widgets import ContourPlot, LogSlider, LossCurve, Player

from .. import protocol
from ..compute import descent2d as experiment
from ..compute import surfaces
from .base import CONTROL_WIDTH, LessonState, LessonView

FIELDS = protocol.EXPERIMENTS["descent2d"]
GRID = 80  # contour grid resolution: 80 x 80 surface values, computed once per surface
START_LIMIT = 10.0  # protocol's bound on |start|
QUADRATIC = "ill-conditioned quadratic"  # the surface the condition number shapes

# what each surface loads when chosen, with its own start: a learning rate and step count
# that show its character (Rosenbrock's valley needs a small lr and many steps)
PRESETS = {
    QUADRATIC: {"lr": 0.05, "steps": 50},
    "rosenbrock": {"lr": 0.001, "steps": 300},
    "himmelblau": {"lr": 0.01, "steps": 80},
    "saddle": {"lr": 0.05, "steps": 60},
    "seed g(w)": {"lr": 0.05, "steps": 60},
}
WIDTH = CONTROL_WIDTH
WRAP = ".bk-input-group { flex-wrap: wrap; }"  # the optimizer checkboxes wrap onto 2 lines
# one colour per optimizer, the same in every plot whichever are chosen
COLORS = {"sgd": "#d62728", "momentum": "#1f77b4", "nesterov": "#9467bd",
          "rmsprop": "#2ca02c", "adagrad": "#8c564b", "adam": "#ff7f0e"}


class OptimizerNames(param.List):
    """A list of protocol.OPTIMIZERS names; an unknown name says which ones exist."""

    def _validate(self, val):
        super()._validate(val)
        bad = [v for v in val if v not in protocol.OPTIMIZERS]
        if bad:
            raise ValueError(f"{', '.join(map(repr, bad))} is not an optimizer here: choose "
                             f"from {', '.join(protocol.OPTIMIZERS)}")


class Point(param.NumericTuple):
    """An (x, y) start within [-START_LIMIT, START_LIMIT] on both axes."""

    def _validate(self, val):
        super()._validate(val)
        if any(abs(v) > START_LIMIT for v in val):
            raise ValueError(f"each coordinate must lie within [-{START_LIMIT:g}, "
                             f"{START_LIMIT:g}]")


LANDSCAPE_KEYS = ("surface", "minima", "saddles")  # descent2d's keys from its landscape()


class State(LessonState):
    slug = "descent-2d"
    title = "Gradient descent in 2-D"
    url_params = ("surface", "condition", "optimizers", "optimizer", "lr", "momentum",
                  "steps", "start", "noise", "seed")

    surface = param.Selector(default=FIELDS["surface"].default,
                             objects=list(protocol.SURFACES_2D))
    condition = param.Number(default=FIELDS["condition"].default,
                             bounds=(FIELDS["condition"].low, FIELDS["condition"].high),
                             doc="the quadratic's condition number")
    optimizers = OptimizerNames(default=list(FIELDS["optimizers"].default), item_type=str,
                                doc="the optimizers run side by side")
    optimizer = param.Selector(default="sgd", objects=list(protocol.OPTIMIZERS),
                               doc="the one whose steps are printed (added to the runs)")
    lr = param.Number(default=PRESETS[FIELDS["surface"].default]["lr"],
                      bounds=(FIELDS["lr"].low, FIELDS["lr"].high))
    momentum = param.Number(default=FIELDS["momentum"].default,
                            bounds=(FIELDS["momentum"].low, FIELDS["momentum"].high))
    steps = param.Integer(default=PRESETS[FIELDS["surface"].default]["steps"],
                          bounds=(FIELDS["steps"].low, FIELDS["steps"].high))
    start = Point(default=surfaces.surface2d(FIELDS["surface"].default).start, length=2)
    noise = param.Number(default=0.0, bounds=(0.0, 10.0),
                         doc="std of Gaussian noise added to every gradient")
    seed = param.Integer(default=0, bounds=(0, 2 ** 31 - 1),
                         doc="seeds the gradient noise and the random start")

    grid = param.Dict(default={}, doc="the surface on a grid, with its minima and saddles")
    result = param.Dict(default={}, doc="{'runs': {optimizer: run}, 'curvature': ...}")

    RUN_INPUTS = ("surface", "condition", "optimizers", "lr", "momentum", "steps", "start",
                  "noise", "seed")

    def __init__(self, **params):
        super().__init__(**params)
        self._adjusting = False  # True while one input's change adjusts others
        self._include_focus()
        self._compute_grid()
        self._compute_runs()
        self.param.watch(self._inputs_changed, list(self.RUN_INPUTS) + ["optimizer"])

    # -- reacting to inputs ---------------------------------------------------------------
    def _inputs_changed(self, *events):
        if self._adjusting:
            return
        names = {e.name for e in events}
        self._adjusting = True
        try:
            if "surface" in names:
                self.param.update(**self.preset(self.surface))
            if "optimizer" in names:
                self._include_focus()
            elif "optimizers" in names and self.optimizers \
                    and self.optimizer not in self.optimizers:
                self.optimizer = self.optimizers[0]
        finally:
            self._adjusting = False
        if names & {"surface", "condition"}:
            self._compute_grid()
        if names & set(self.RUN_INPUTS) or self.optimizer not in self.result.get("runs", {}):
            self._compute_runs()

    def _include_focus(self):
        if self.optimizer not in self.optimizers:
            self.optimizers = list(self.optimizers) + [self.optimizer]

    @staticmethod
    def preset(surface):
        """The start, lr and steps a surface loads when it is chosen."""
        return {**PRESETS[surface], "start": surfaces.surface2d(surface).start}

    def random_start(self):
        """Move the start to a random point of the surface, drawn with the next seed."""
        seed = (self.seed + 1) % (2 ** 31)
        start = experiment.random_start(self.surface, seed, self.torch)
        self.param.update(seed=seed, start=start)

    # -- computing --------------------------------------------------------------------------
    def spec(self):
        """The protocol's descent2d spec, validated."""
        return protocol.validate("descent2d", {
            "surface": self.surface, "condition": self.condition,
            "optimizers": tuple(self.optimizers), "lr": self.lr, "momentum": self.momentum,
            "steps": self.steps, "start": tuple(self.start), "grid": GRID,
            "noise": self.noise, "seed": self.seed})

    def _compute_grid(self):
        if self.where.remote:  # the server's descent2d returns the grid with the runs
            return
        self.compute(lambda: experiment.landscape(self.surface, self.condition, GRID,
                                                  self.torch), into="grid")

    def _compute_runs(self):
        def work():
            if not self.optimizers:
                raise ValueError("No optimizer is chosen: tick at least one to run.")
            if not self.where.remote:  # here: the grid only when the surface changes
                return experiment.trajectories(self.spec(), self.torch)
            everything = self.experiment("descent2d", self.spec())
            self.grid = {k: everything[k] for k in LANDSCAPE_KEYS}
            return {k: v for k, v in everything.items() if k not in LANDSCAPE_KEYS}
        self.compute(work, into="result")

    def refresh(self):
        self._compute_grid()
        self._compute_runs()

    # -- reading the results ----------------------------------------------------------------
    def printout(self):
        """The focused optimizer's steps, one line each, like the seed's printouts."""
        run = self.result.get("runs", {}).get(self.optimizer)
        if not run:
            return ""
        lines = [f"{self.optimizer}:", f"{'step':>5} {'x':>10} {'y':>10} {'loss':>11} "
                                        f"{'|grad|':>11}"]
        for t, (x, y, f, g) in enumerate(zip(run["x"], run["y"], run["loss"], run["grad"])):
            lines.append(f"{t:>5} {x:>10.4f} {y:>10.4f} {f:>11.4g} {g:>11.4g}")
        return "\n".join(lines)

    def curvature_note(self):
        """What limits the learning rate on this surface (or why nothing does)."""
        about = surfaces.surface2d(self.surface).about
        c = self.result.get("curvature")
        if not c:
            return f"**{self.surface}**: {about}."
        (low, high), (mx, my) = c["eigenvalues"], c["at"]
        return (f"**{self.surface}**: {about}. At the minimum ({mx:g}, {my:g}) the curvatures "
                f"are {low:.3g} and {high:.3g} (condition number {c['condition']:.3g}): plain "
                f"gradient descent is stable there only for lr < 2/{high:.3g} = "
                f"{c['lr_limit']:.3g}.")


class View(LessonView):
    intro = (
        "Torch's optimizers side by side on one surface, each with `loss.backward()` and "
        "`opt.step()`. *Try*: on the narrow bowl raise the learning rate towards 2/condition "
        "and past it, then raise the condition number; pick Rosenbrock and compare sgd with "
        "momentum; click the plot to start elsewhere; press ▶ to replay the steps; add "
        "gradient noise to see what a stochastic gradient does. *Notice*: "
        "plain gradient descent zig-zags across the steep direction and crawls along the "
        "flat one, momentum gathers speed along it, Adam's steps are about lr long whatever "
        "the gradient.")

    def controls(self):
        s = self.state
        condition = LogSlider(value=s.condition, start=FIELDS["condition"].low,
                              end=FIELDS["condition"].high, name="condition number")
        _link_log_slider(condition, s, "condition")
        condition_box = pn.Column(condition, margin=0, visible=s.surface == QUADRATIC)
        s.param.watch(lambda e: setattr(condition_box, "visible", e.new == QUADRATIC),
                      "surface")  # the condition number only shapes the quadratic
        lr = LogSlider(value=s.lr, start=FIELDS["lr"].low, end=FIELDS["lr"].high,
                       name="learning rate")
        _link_log_slider(lr, s, "lr")
        random_start = pn.widgets.Button(name="Random start", width=120)
        random_start.on_click(lambda e: s.random_start())
        self._start_text = pn.pane.Markdown(_start_text(s.start), margin=(0, 10))
        s.param.watch(lambda e: setattr(self._start_text, "object", _start_text(e.new)),
                      "start")
        return {
            "surface": pn.widgets.Select.from_param(s.param.surface, name="surface",
                                                    width=WIDTH),
            "condition": condition_box,
            "optimizers": pn.widgets.CheckBoxGroup.from_param(
                s.param.optimizers, options=list(protocol.OPTIMIZERS), inline=True,
                name="optimizers", width=WIDTH, stylesheets=[WRAP]),
            "optimizer": pn.widgets.Select.from_param(s.param.optimizer, width=WIDTH,
                                                      name="print the steps of"),
            "lr": lr,
            "momentum": pn.widgets.FloatSlider.from_param(
                s.param.momentum, start=0.0, end=0.99, step=0.01, throttled=True,
                width=WIDTH, name="momentum (momentum, nesterov)"),
            "steps": pn.widgets.IntSlider.from_param(s.param.steps, start=1, end=500,
                                                     throttled=True, width=WIDTH,
                                                     name="steps"),
            "noise": pn.widgets.FloatSlider.from_param(s.param.noise, start=0.0, end=5.0,
                                                       step=0.1, throttled=True, width=WIDTH,
                                                       name="gradient noise (std)"),
            "seed": pn.widgets.IntInput.from_param(s.param.seed, width=WIDTH,
                                                   name="seed (noise, random start)"),
            "start": pn.Column(self._start_text, random_start, margin=0),
        }

    def body(self):
        s = self.state
        self.contour = ContourPlot(size_px=400, start=s.start)
        self.contour.point_source.name = "descent2d-points"
        self.contour.path_source.name = "descent2d-paths"
        self.contour.start_source.name = "descent2d-start"
        self.contour.figure.name = "descent2d-contour"
        self.contour.param.watch(lambda e: setattr(s, "start", e.new), "start")  # a click
        s.param.watch(lambda e: setattr(self.contour, "start", e.new), "start")
        self.losses = LossCurve(series={}, width=340, height=250, title="loss",
                                show_legend=False)  # the table below is its key
        self.losses.point_source.name = "descent2d-loss"
        self.player = Player(max_step=s.steps, step=s.steps, speed=20)
        self.player.param.watch(lambda e: self._show_step(), "step")
        self.summary = pn.pane.HTML("", width=340)
        self.notes = pn.pane.Markdown("", sizing_mode="stretch_width")
        self.printout = pn.pane.Str("", styles={"font-size": "12px", "overflow-y": "auto"},
                                    max_height=220, sizing_mode="stretch_width")
        s.param.watch(lambda e: self._show_grid(), "grid")
        s.param.watch(lambda e: self._show_runs(), "result")
        s.param.watch(lambda e: self._show_focus(), "optimizer")
        self._show_grid()
        self._show_runs()
        return pn.Column(
            self.player,
            pn.FlexBox(self.contour, pn.Column(self.losses, self.summary)),
            self.notes, self.printout, sizing_mode="stretch_width")

    # -- following the state ----------------------------------------------------------------
    def _show_grid(self):
        grid = self.state.grid
        if not grid:
            return
        surface = surfaces.surface2d(self.state.surface)
        self.contour.param.update(
            surface=grid["surface"], log_levels=surface.bounded_below,
            marks=[{"x": m[0], "y": m[1], "label": "minimum"} for m in grid["minima"]]
            + [{"x": p[0], "y": p[1], "label": "saddle point", "marker": "x"}
               for p in grid["saddles"]])
        self.losses.log_y = surface.bounded_below

    def _show_runs(self):
        runs = self.state.result.get("runs", {})
        last = max((len(r["x"]) - 1 for r in runs.values()), default=0)
        step = self.player.step
        self.player.follow(last)
        if self.player.step == step:  # else the player's step watcher has redrawn
            self._show_step()
        self.printout.object = self.state.printout()
        self.notes.object = self._notes(runs)

    def _show_step(self):
        """Every run up to the player's step."""
        runs = self.state.result.get("runs", {})
        k = self.player.step + 1
        self.contour.trajectories = [
            {"name": name, "x": r["x"][:k], "y": r["y"][:k], "loss": r["loss"][:k],
             "grad": list(zip(r["gx"][:k], r["gy"][:k])), "color": COLORS[name]}
            for name, r in runs.items()]
        self.losses.param.update(colors={name: COLORS[name] for name in runs},
                                 series={name: r["loss"][:k] for name, r in runs.items()})
        self.summary.object = _summary_html(runs, self.player.step, self.state.optimizer)

    def _show_focus(self):
        """The focused optimizer's printout, and its row in bold."""
        self.printout.object = self.state.printout()
        self.summary.object = _summary_html(self.state.result.get("runs", {}),
                                            self.player.step, self.state.optimizer)

    def _notes(self, runs):
        lines = [self.state.curvature_note()]
        lines += [f"- <span style='color:{COLORS[name]}'>■</span> **{name}** {r['verdict']}"
                  for name, r in runs.items()]
        return "\n".join(lines)


def _link_log_slider(slider, state, name):
    """State param `name` follows the slider's released value; the slider follows the state."""
    slider.param.watch(lambda e: setattr(state, name, e.new), "value_throttled")
    state.param.watch(lambda e: setattr(slider, "value", e.new), name)


def _start_text(start):
    return f"start ({start[0]:g}, {start[1]:g}): click the plot to move it"


def _summary_html(runs, step, focus):
    """Each run at the player's step: where it is, its loss and gradient."""
    rows = []
    for name, r in runs.items():
        t = min(step, len(r["x"]) - 1)
        weight = "font-weight:600;" if name == focus else ""
        rows.append(
            f"<tr style='{weight}'><td><span style='color:{COLORS[name]}'>■</span> "
            f"{html.escape(name)}</td><td>{t}</td><td>({r['x'][t]:.3g}, {r['y'][t]:.3g})</td>"
            f"<td>{r['loss'][t]:.3g}</td><td>{r['grad'][t]:.3g}</td></tr>")
    head = ("<tr><th>optimizer</th><th>step</th><th>(x, y)</th><th>loss</th>"
            "<th>|grad|</th></tr>")
    return (f"<table class='pg-descent2d-summary' style='font-size:12px;white-space:nowrap;"
            f"border-spacing:8px 2px'>"
            f"{head}{''.join(rows)}</table>")
