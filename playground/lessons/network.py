"""Lesson 8: a first network, TensorFlow Playground style.

nn.Linear layers with an activation between them (ReLU, Sigmoid or Tanh, whose curves and
autograd derivatives are shown) learn to separate two classes of 2-D points. Training runs
live, a chunk of full-batch steps per clock tick, so the decision map visibly bends into
shape while the train and test losses fall; the test points, never trained on, tell whether
the network learned the pattern or memorised the points.
"""
import html
import re

import numpy as np
import panel as pn
import param
from bokeh.models import ColorBar, ColumnDataSource, Legend, LinearColorMapper, Range1d
from bokeh.plotting import figure

from widgets import LogSlider, LossCurve, Player

from .. import protocol
from ..compute.activations import MODULES, activation_curves
from ..compute.training import MAP_EXTENT, TrainingRun
from .base import CONTROL_WIDTH, ERROR_STYLE, LessonState, LessonView

FIELDS = protocol.EXPERIMENTS["training"]
MAP_GRID = 50          # decision map resolution (cells per side)
WIDGET_WIDTH = CONTROL_WIDTH
TICK_BUDGET_S = 0.25   # most time one clock tick may train, so the page stays responsive
CLASS_COLORS = ("#f59322", "#0877bd")  # class 0, class 1 (TensorFlow Playground's)

# the optimizer as the code that makes it (compute/optimizers.py builds the same ones)
OPTIMIZER_CODE = {  # (class, extra arguments)
    "sgd": ("SGD", ""),
    "momentum": ("SGD", ", momentum=0.9"),
    "nesterov": ("SGD", ", momentum=0.9, nesterov=True"),
    "rmsprop": ("RMSprop", ""),
    "adagrad": ("Adagrad", ""),
    "adam": ("Adam", ""),
}


def parse_widths(text):
    """'8, 8' -> (8, 8); '' -> () (no hidden layer). ValueError naming the problem and fix."""
    items = [t for t in re.split(r"[,\s]+", str(text).strip()) if t]
    widths = []
    for item in items:
        if not re.fullmatch(r"\d+", item):
            raise ValueError(f"hidden layers: '{item}' is not a whole number; write widths "
                             f"separated by commas, e.g. 8, 8")
        width = int(item)
        if not 1 <= width <= protocol.MAX_HIDDEN_WIDTH:
            raise ValueError(f"hidden layers: a layer of {width} units; each needs 1 to "
                             f"{protocol.MAX_HIDDEN_WIDTH}")
        widths.append(width)
    if len(widths) > protocol.MAX_HIDDEN_LAYERS:
        raise ValueError(f"hidden layers: {len(widths)} given, at most "
                         f"{protocol.MAX_HIDDEN_LAYERS} (e.g. 8, 8)")
    return tuple(widths)


def format_widths(widths):
    return ", ".join(str(w) for w in widths)


class LayerWidths(param.String):
    """Hidden layer widths as the student types them ('8, 8'); bad text is refused with
    parse_widths' message (so a bad link is explained and skipped, not applied)."""

    def _validate_value(self, value, allow_None):
        super()._validate_value(value, allow_None)
        parse_widths(value)


class State(LessonState):
    slug = "network"
    title = "A first network"
    url_params = ("dataset", "noise", "points", "test_fraction", "hidden", "activation", "lr",
                  "optimizer", "steps", "seed")

    dataset = param.Selector(default=FIELDS["dataset"].default, objects=list(protocol.DATASETS))
    noise = param.Number(default=FIELDS["noise"].default,
                         bounds=(FIELDS["noise"].low, FIELDS["noise"].high))
    points = param.Integer(default=FIELDS["points"].default,
                           bounds=(FIELDS["points"].low, FIELDS["points"].high))
    test_fraction = param.Number(default=FIELDS["test_fraction"].default,
                                 bounds=(FIELDS["test_fraction"].low,
                                         FIELDS["test_fraction"].high))
    hidden = LayerWidths(default=format_widths(FIELDS["hidden"].default))
    activation = param.Selector(default=FIELDS["activation"].default,
                                objects=list(protocol.ACTIVATIONS))
    lr = param.Number(default=0.03, bounds=(FIELDS["lr"].low, FIELDS["lr"].high))
    optimizer = param.Selector(default=FIELDS["optimizer"].default,
                               objects=list(protocol.OPTIMIZERS))
    steps = param.Integer(default=FIELDS["steps"].default,
                          bounds=(FIELDS["steps"].low, FIELDS["steps"].high))
    seed = param.Integer(default=FIELDS["seed"].default,
                         bounds=(FIELDS["seed"].low, FIELDS["seed"].high))

    # results
    step = param.Integer(default=0, doc="updates made so far")
    data = param.Dict(default={}, doc="the train and test points (set on reset)")
    result = param.Dict(default={}, doc="the run's progress (set after every chunk)")
    activations = param.Dict(default={}, doc="activation curves and derivatives")

    def __init__(self, **params):
        self._run = None
        super().__init__(**params)
        problem = self.error  # what the first reset found must not be cleared by this
        self.compute(lambda: activation_curves(self.torch), into="activations")
        self.error = problem or self.error

    def spec(self):
        return protocol.validate("training", {
            "dataset": self.dataset, "noise": self.noise, "points": self.points,
            "test_fraction": self.test_fraction, "hidden": parse_widths(self.hidden),
            "activation": self.activation, "lr": self.lr, "optimizer": self.optimizer,
            "steps": self.steps, "seed": self.seed, "grid": MAP_GRID})

    @param.depends("dataset", "noise", "points", "test_fraction", "hidden", "activation", "lr",
                   "optimizer", "seed", watch=True, on_init=True)
    def reset(self):
        """A fresh, untrained network on the current data (step 0)."""
        self._run = None

        def work():
            self._run = TrainingRun(self.spec(), self.torch)
            return self._run.points()
        if self.compute(work, into="data") is not None:
            self._publish()

    @param.depends("steps", watch=True)
    def _steps_changed(self):
        if self._run is None:
            self.reset()
        elif self._run.step > self.steps:  # trained past the new end: redo up to it
            self.train_to(self.steps)
        else:
            self._run.spec = self.spec()
            self._publish()

    def train_to(self, target, budget_s=None):
        """Train until `target` updates (back to 0 and up again if it is behind), stopping
        early at the end, at divergence or after `budget_s` seconds. Returns self.step."""
        target = max(0, min(int(target), self.steps))
        if self.where.remote and target > self.step:
            return self._train_on_server()
        if self._run is None or target < self._run.step:
            self.reset()
            if self._run is None:
                return self.step
        if target > self._run.step:
            run = self._run
            if self.compute(lambda: run.advance(target - run.step, budget_s)) is not None:
                self._publish()
        return self.step

    def _train_on_server(self):
        """On a server the whole run happens in one request: the player jumps to its end.
        (The untrained network at step 0 is made here: the server's would be the same, since
        both draw torch's random numbers from the same seed.)"""
        if self.finished:
            return self.step
        done = self.compute(lambda: self.experiment("training", self.spec()))
        if done is not None:
            self.data = {"train": done.pop("train"), "test": done.pop("test")}
            self.result = done
            self.step = done["step"]
        return self.step

    def refresh(self):
        self.reset()

    def _publish(self):
        self.compute(lambda: self._run.progress(MAP_GRID), into="result")
        self.step = self._run.step

    @property
    def finished(self):
        r = self.result
        return bool(r) and (r["step"] >= r["steps"] or r["diverged_at"] is not None)

    def summary(self):
        """What the run shows, in a few lines: the numbers, then what to make of them."""
        r = self.result
        if not r:
            return ""
        if "diverged" in r["diagnosis"]:
            return (f"**Training diverged at step {r['diverged_at']}**: the loss became nan or "
                    f"inf. Lower the learning rate (now {self.lr:g}); changing it starts over.")
        train, test = r["train_loss"], r["test_loss"]
        lines = [f"**Step {r['step']} of {r['steps']}** · loss: train {train[-1]:.4f}, test "
                 f"{test[-1]:.4f} · accuracy: train {r['train_accuracy']:.0%}, "
                 f"test {r['test_accuracy']:.0%} · {r['parameters']} parameters"]
        if r["step"] == 0:
            lines.append("An untrained network: the map is its random first guess. Press "
                         "▶ Play to train it.")
            return "\n\n".join(lines)
        if "overshooting" in r["diagnosis"]:
            lines.append("The loss is **jumping above where it started**: the steps overshoot. "
                         "Lower the learning rate.")
        if "overfitting" in r["diagnosis"]:
            best = r["best_test"]
            lines.append(f"**Overfitting**: the test loss was lowest ({best['loss']:.4f}) at "
                         f"step {best['step']} and has risen since while the train loss kept "
                         f"falling: the network fits the training points, noise included, "
                         f"ever more confidently, and new points pay for it. Try more points, "
                         f"less noise or fewer units.")
        if not parse_widths(self.hidden) and self.dataset in ("circle", "xor", "spiral") \
                and r["train_accuracy"] < 0.8:
            lines.append("With **no hidden layer** the model is logistic regression: its "
                         "boundary is a straight line, which cannot separate these classes. "
                         "Add a hidden layer, e.g. 4.")
        return "\n\n".join(lines)

    def code(self):
        """The training loop this lesson runs, as PyTorch code with the current settings."""
        lines = ["import torch", "from torch import nn", "",
                 "model = " + _sequential_code(parse_widths(self.hidden), self.activation),
                 "loss_fn = nn.BCEWithLogitsLoss()  # sigmoid + cross-entropy",
                 _optimizer_code(self.optimizer, self.lr),
                 f"for step in range({self.steps}):",
                 "    optimizer.zero_grad()",
                 "    loss = loss_fn(model(X_train), y_train)",
                 "    loss.backward()",
                 "    optimizer.step()"]
        return "\n".join(lines)


def _sequential_code(widths, activation):
    act = f"nn.{MODULES[activation]}()"
    parts, width = [], 2
    for h in widths:
        parts += [f"nn.Linear({width}, {h})", act]
        width = h
    parts.append(f"nn.Linear({width}, 1)")
    return "nn.Sequential(\n    " + ",\n    ".join(parts) + ")"


def _optimizer_code(name, lr):
    cls, extra = OPTIMIZER_CODE[name]
    return f"optimizer = torch.optim.{cls}(\n    model.parameters(), lr={lr:g}{extra})"


def _palette(n=256):
    """Class 0's orange through a light grey to class 1's blue, for p(class 1) from 0 to 1."""
    stops = [_rgb(CLASS_COLORS[0]), (232, 234, 235), _rgb(CLASS_COLORS[1])]
    colors = []
    for i in range(n):
        t = 2 * i / (n - 1)
        a, b = (stops[0], stops[1]) if t <= 1 else (stops[1], stops[2])
        f = t if t <= 1 else t - 1
        colors.append("#%02x%02x%02x" % tuple(round(x + (y - x) * f) for x, y in zip(a, b)))
    return colors


def _rgb(color):
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


class View(LessonView):
    intro = (
        "A network of `nn.Linear` layers with an activation between them learns to tell the "
        "orange points (class 0) from the blue ones (class 1); the background is its "
        "p(class 1) at each spot. *Try*: press **▶ Play** on *circle*; then empty the hidden "
        "layers box (no hidden layer) and play again; then *spiral* with `16, 16` units and "
        "ReLU. *Notice*: without a hidden layer the boundary stays a straight line; points "
        "with a black ring are test points, never trained on: when the test loss climbs while "
        "the train loss falls, the network is memorising (try noise 0.5 with `64, 64`).")

    def controls(self):
        s = self.state
        lr = LogSlider(value=s.lr, start=FIELDS["lr"].low, end=FIELDS["lr"].high,
                       name="learning rate")
        lr.param.watch(lambda e: setattr(s, "lr", e.new), "value_throttled")
        s.param.watch(lambda e: setattr(lr, "value", e.new), "lr")
        return {
            "dataset": pn.widgets.Select.from_param(s.param.dataset, name="dataset",
                                                    width=WIDGET_WIDTH),
            "noise": pn.widgets.FloatSlider.from_param(s.param.noise, step=0.05, name="noise",
                                                       width=WIDGET_WIDTH),
            "points": pn.widgets.IntSlider.from_param(s.param.points, step=20, name="points",
                                                      width=WIDGET_WIDTH),
            "test_fraction": pn.widgets.FloatSlider.from_param(
                s.param.test_fraction, step=0.05, name="test fraction (held out)",
                width=WIDGET_WIDTH),
            "hidden": self._widths_input(),
            "activation": pn.widgets.Select.from_param(s.param.activation, name="activation",
                                                       width=WIDGET_WIDTH),
            "lr": lr,
            "optimizer": pn.widgets.Select.from_param(s.param.optimizer, name="optimizer",
                                                      width=WIDGET_WIDTH),
            "steps": pn.widgets.IntInput.from_param(s.param.steps, step=50, name="steps",
                                                    width=WIDGET_WIDTH),
            "seed": pn.widgets.IntInput.from_param(s.param.seed, name="seed",
                                                   width=WIDGET_WIDTH),
        }

    def _widths_input(self):
        """A text box for the widths; bad text is explained under it and not applied."""
        s = self.state
        box = pn.widgets.TextInput(value=s.hidden, name="hidden layers (units, e.g. 8, 8)",
                                   placeholder="empty: no hidden layer", width=WIDGET_WIDTH)
        message = pn.pane.HTML("", margin=(0, 10), visible=False, width=WIDGET_WIDTH)

        def apply(event):
            try:
                widths = parse_widths(event.new)
            except ValueError as exc:
                message.object = (f"<div class='pg-error' style='{ERROR_STYLE}'>"
                                  f"{html.escape(str(exc))}</div>")  # it quotes the text
                message.visible = True
                return
            message.visible = False
            s.hidden = format_widths(widths)
            if box.value != s.hidden:
                box.value = s.hidden
        box.param.watch(apply, "value")
        s.param.watch(lambda e: setattr(box, "value", e.new), "hidden")
        return pn.Column(box, message, margin=0)

    # -- the outputs -----------------------------------------------------------------------
    def body(self):
        s = self.state
        self.player = Player(max_step=s.steps, speed=100, interval_ms=100)
        self._syncing = False
        self.player.param.watch(self._player_moved, "step")
        s.param.watch(self._state_stepped, "step")
        s.param.watch(lambda e: setattr(self.player, "max_step", e.new), "steps")

        self.map_src = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []},
                                        name="network-map")
        self.train_src = ColumnDataSource({"x": [], "y": [], "label": [], "color": []},
                                          name="network-train")
        self.test_src = ColumnDataSource({"x": [], "y": [], "label": [], "color": []},
                                         name="network-test")
        self.map_fig = self._map_figure()
        self.losses = LossCurve(series={}, log_y=True, width=400, height=250,
                                title="loss (binary cross-entropy)",
                                colors={"train": "#1f77b4", "test": "#d62728"})
        self.losses.point_source.name = "network-loss"
        self.stats = pn.pane.Markdown("", width=400, margin=(0, 10))
        self.act_src = {}
        self.act_figs = {name: self._activation_figure(name) for name in protocol.ACTIVATIONS}
        self.model_text = pn.pane.HTML("", sizing_mode="stretch_width")
        self.code_text = pn.pane.HTML("", sizing_mode="stretch_width")

        s.param.watch(self._show_data, "data")
        s.param.watch(self._show_progress, "result")
        s.param.watch(self._show_activation, ["activation", "hidden"])
        s.param.watch(self._show_code, ["hidden", "activation", "lr", "optimizer", "steps"])
        self._show_data()
        self._show_progress()
        self._show_activation()
        self._show_code()
        return pn.Column(
            self.player,
            pn.FlexBox(self.map_fig, pn.Column(self.stats, self.losses)),
            pn.pane.Markdown("**Activations** f(x) — and f′(x) dashed, from `y.sum()."
                             "backward()`: the factor each layer passes back", margin=(0, 10)),
            pn.FlexBox(*self.act_figs.values()),
            pn.Row(self.model_text, self.code_text, sizing_mode="stretch_width"),
            sizing_mode="stretch_width")

    def _map_figure(self):
        mapper = LinearColorMapper(palette=_palette(), low=0, high=1, nan_color="#dddddd")
        span = Range1d(-MAP_EXTENT, MAP_EXTENT)
        fig = figure(width=420, height=400, title="data and p(class 1)", x_range=span,
                     y_range=Range1d(-MAP_EXTENT, MAP_EXTENT), tools="pan,wheel_zoom,reset",
                     match_aspect=True)
        fig.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.map_src,
                  color_mapper=mapper)
        train = dict(size=6, line_color="white", line_width=0.7)
        test = dict(size=7, line_color="black", line_width=1.4)
        fig.scatter("x", "y", source=self.train_src, fill_color="color", **train)
        fig.scatter("x", "y", source=self.test_src, fill_color="color", **test)
        # legend swatches of their own, grey: the points' colours say the class, not the
        # split (a legend draws its first point, so each gets one, far off the plot)
        far = [1e9]
        fig.scatter(far, far, fill_color="#999", legend_label="train", **train)
        fig.scatter(far, far, fill_color="#999", legend_label="test", **test)
        fig.add_layout(ColorBar(color_mapper=mapper, width=10), "right")
        fig.legend.location = "top_left"
        fig.legend.background_fill_alpha = 0.6
        return fig

    def _activation_figure(self, name):
        src = ColumnDataSource({"x": [], "y": [], "dy": []}, name=f"network-act-{name}")
        self.act_src[name] = src
        fig = figure(width=265, height=190, tools="", toolbar_location=None,
                     title=MODULES[name] + "()")
        f = fig.line("x", "y", source=src, line_width=2, color="#333")
        df = fig.line("x", "dy", source=src, line_width=2, line_dash="dashed", color="#d62728")
        if name == protocol.ACTIVATIONS[0]:  # one legend for the row, where ReLU leaves room
            fig.add_layout(Legend(items=[("f", [f]), ("f′ (autograd)", [df])],
                                  location="top_left", label_text_font_size="10px",
                                  background_fill_alpha=0.6))
        return fig

    # -- keeping the player and the state in step --------------------------------------------
    def _player_moved(self, event):
        """A tick (or Step, Reset): train up to the player's step, within the time budget."""
        if self._syncing:
            return
        reached = self.state.train_to(event.new, budget_s=TICK_BUDGET_S)
        if reached != self.player.step:  # the budget ran out first: the clock follows
            self._sync_player(reached)
        if self.state.finished and self.player.playing:
            self.player.playing = False

    def _state_stepped(self, event):
        if event.new != self.player.step:  # a reset (new inputs) takes the clock back
            self._sync_player(event.new)

    def _sync_player(self, step):
        self._syncing = True
        try:
            self.player.step = step
        finally:
            self._syncing = False

    # -- drawing ------------------------------------------------------------------------------
    def _show_data(self, *events):
        d = self.state.data
        if not d:
            return
        for src, part in ((self.train_src, d["train"]), (self.test_src, d["test"])):
            src.data = {"x": part["x"], "y": part["y"], "label": part["label"],
                        "color": [CLASS_COLORS[int(v)] for v in part["label"]]}

    def _show_progress(self, *events):
        r = self.state.result
        if not r:
            return
        grid = r["map"]
        n = len(grid["x"])
        step = (grid["x"][-1] - grid["x"][0]) / (n - 1)
        # each value colours a cell centred on its grid point
        self.map_src.data = {"image": [np.asarray(grid["p"], dtype=float)],
                             "x": [grid["x"][0] - step / 2], "y": [grid["y"][0] - step / 2],
                             "dw": [n * step], "dh": [n * step]}
        self.losses.series = {"train": r["train_loss"], "test": r["test_loss"]}
        self.stats.object = self.state.summary()
        self.model_text.object = _pre(f">>> print(model)\n{r['model']}\n>>> sum(p.numel() for "
                                      f"p in model.parameters())\n{r['parameters']}")
        if r["diverged_at"] is not None and self.player.playing:
            self.player.playing = False

    def _show_activation(self, *events):
        acts = self.state.activations
        # with no hidden layer the network has no activation in it
        in_use = self.state.activation if parse_widths(self.state.hidden) else None
        for name, fig in self.act_figs.items():
            curve = acts.get(name)
            if curve:
                self.act_src[name].data = {"x": curve["x"], "y": curve["y"], "dy": curve["dy"]}
            chosen = name == in_use
            fig.title.text = (curve["module"] if curve else name) + ("  ← in use" if chosen
                                                                     else "")
            fig.title.text_font_style = "bold" if chosen else "normal"
            fig.outline_line_color = "#0877bd" if chosen else "#e5e5e5"
            fig.outline_line_width = 3 if chosen else 1

    def _show_code(self, *events):
        self.code_text.object = _pre(self.state.code())


PRE_STYLE = ("margin:0;padding:6px 8px;font-size:11px;line-height:1.35;background:#f7f7f9;"
             "border:1px solid #e3e3e3;border-radius:4px;white-space:pre;overflow-x:auto")


def _pre(text):
    return f"<pre style='{PRE_STYLE}'>{html.escape(text)}</pre>"
