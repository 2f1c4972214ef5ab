"""Lesson 7: linear regression, the seed's gradient descent on beta for y = X beta + noise.

The loss ||y - X beta||^2 / n is a quadratic bowl over (beta0, beta1): gradient descent
walks down it towards the closed-form answer (X^T X)^-1 X^T y, and the learning rate must
stay below 2 / (largest curvature of the bowl), as in 1-D. The data plots show each feature
with the other's fitted part removed, so the fitted slopes can be seen turning into place.
"""
import panel as pn
import param
from bokeh.models import ColumnDataSource, Slope
from bokeh.plotting import figure

from widgets import ContourPlot, LogSlider, LossCurve, Player

from .. import protocol
from ..compute.regression import descend, landscape, make_data, verdict
from .base import CONTROL_WIDTH, LessonState, LessonView

FIELDS = protocol.EXPERIMENTS["regression"]
GD_COLOR = "#d62728"
WIDTH = CONTROL_WIDTH
LINES_KEY = (f"<span style='color:{GD_COLOR}'>━</span> gradient descent at the player's step "
             "&nbsp; ┅ closed form &nbsp; <span style='color:#888'>┈</span> true β")


# the regression experiment's keys: those of landscape(), and those of descend() + verdict
LANDSCAPE_KEYS = ("closed_form", "closed_form_loss", "true_beta", "contour", "partial",
                  "curvature")
FIT_KEYS = ("beta", "path_loss", "loss", "grad", "diverged_at", "verdict")


class State(LessonState):
    slug = "regression"
    title = "Linear regression"
    url_params = ("n", "noise", "beta", "seed", "lr", "steps", "start")

    n = param.Integer(default=FIELDS["n"].default, bounds=(FIELDS["n"].low, FIELDS["n"].high),
                      doc="data points")
    noise = param.Number(default=FIELDS["noise"].default,
                         bounds=(FIELDS["noise"].low, FIELDS["noise"].high),
                         doc="std of the noise added to y")
    beta = param.NumericTuple(default=FIELDS["beta"].default, length=2,
                              doc="the true coefficients the data is drawn with")
    seed = param.Integer(default=FIELDS["seed"].default,
                         bounds=(FIELDS["seed"].low, FIELDS["seed"].high))
    lr = param.Number(default=FIELDS["lr"].default,
                      bounds=(FIELDS["lr"].low, FIELDS["lr"].high))
    steps = param.Integer(default=FIELDS["steps"].default,
                          bounds=(FIELDS["steps"].low, FIELDS["steps"].high))
    start = param.NumericTuple(default=FIELDS["start"].default, length=2,
                               doc="the starting beta")

    landscape = param.Dict(default={}, doc="closed form, RSS grid, partial residuals")
    fit = param.Dict(default={}, doc="gradient descent's betas, losses and gradients")

    DATA_INPUTS = ("n", "noise", "beta", "seed")
    LANDSCAPE_INPUTS = DATA_INPUTS + ("start",)  # the grid reaches past the start
    FIT_INPUTS = LANDSCAPE_INPUTS + ("lr", "steps")

    def __init__(self, **params):
        super().__init__(**params)
        self._data = None  # (X, y) tensors, kept while only lr, steps or start change
        self._recompute(set(self.FIT_INPUTS))
        self.param.watch(lambda *events: self._recompute({e.name for e in events}),
                         list(self.FIT_INPUTS))

    def spec(self):
        return protocol.validate("regression", {
            "n": self.n, "noise": self.noise, "beta": tuple(self.beta), "seed": self.seed,
            "lr": self.lr, "steps": self.steps, "start": tuple(self.start)})

    def _recompute(self, changed):
        """Redo only what the changed inputs affect: data, then landscape, then the fit (on a
        server: the whole experiment, which returns both)."""
        def work():
            if self.where.remote:
                everything = self.experiment("regression", self.spec())
                land = {k: everything[k] for k in LANDSCAPE_KEYS}
                return land, {k: everything[k] for k in FIT_KEYS}
            spec = self.spec()
            new_data = self._data is None or bool(changed & set(self.DATA_INPUTS))
            if new_data:
                self._data = make_data(spec, self.torch)
            X, y = self._data
            land = self.landscape
            if new_data or not land or changed & set(self.LANDSCAPE_INPUTS):
                land = landscape(X, y, spec, self.torch)
            fit = descend(X, y, spec, self.torch)
            fit["verdict"] = verdict(spec["lr"], fit, land)
            return land, fit
        done = self.compute(work)
        if done is None:  # failed part-way: start afresh next time
            self._data = None
            return
        land, fit = done
        if land is not self.landscape:
            self.landscape = land
        self.fit = fit

    def refresh(self):
        self._data = None
        self._recompute(set(self.FIT_INPUTS))

    def table(self):
        """The seed's printout: iter, loss, grad, and beta after the step."""
        f = self.fit
        lines = ["iter, \tloss, \tgrad, \tbeta"]
        for i, (loss, grad, beta) in enumerate(zip(f.get("loss", []), f.get("grad", []),
                                                   f.get("beta", [])[1:])):
            lines.append(f"{i},\t{loss:2f}, \t{_row(grad)}, \t{_row(beta)}")
        return "\n".join(lines)


def _row(values):
    """A pair as numpy prints a row: [ 4.251404 -4.610432]."""
    return "[" + " ".join(f"{v: .6f}" for v in values) + "]"


class View(LessonView):
    intro = (
        "The seed's loop: `loss = norm(y - X @ beta)**2 / n`, `loss.backward()`, "
        "`beta.data -= lr * beta.grad`. Left: the loss over (β₀, β₁) with the path of "
        "gradient descent and the closed-form answer ★; click it to start elsewhere. "
        "*Try*: raise the learning rate until the path zig-zags, then past 2/L; add noise "
        "or drop n and watch the closed form move away from the true β. *Notice*: gradient "
        "descent heads for the closed form, not for the true β: with noise, they differ.")

    def controls(self):
        s = self.state
        lr = LogSlider(value=s.lr, start=FIELDS["lr"].low, end=FIELDS["lr"].high,
                       name="learning rate")
        lr.param.watch(lambda e: setattr(s, "lr", e.new), "value")
        s.param.watch(lambda e: setattr(lr, "value", e.new), "lr")
        new_data = pn.widgets.Button(name="New data (next seed)", width=170)
        new_data.on_click(lambda e: setattr(s, "seed", (s.seed + 1) % 2 ** 31))
        return {
            "n": pn.widgets.IntSlider.from_param(s.param.n, start=2, end=500, throttled=True,
                                                 width=WIDTH, name="data points n"),
            "noise": pn.widgets.FloatSlider.from_param(s.param.noise, start=0.0, end=3.0,
                                                       step=0.05, throttled=True,
                                                       width=WIDTH, name="noise"),
            "beta": pn.Column(*self._beta_sliders(), margin=0),
            "seed": pn.Row(pn.widgets.IntInput.from_param(s.param.seed, name="seed",
                                                          width=110), new_data),
            "lr": lr,
            "steps": pn.widgets.IntSlider.from_param(s.param.steps, start=1, end=200,
                                                     width=WIDTH, name="steps"),
        }

    def _beta_sliders(self):
        """One slider per true coefficient, both feeding the state's beta pair."""
        s = self.state
        sliders = [pn.widgets.FloatSlider(name=f"true β{'₀₁'[j]}", start=-5.0, end=5.0,
                                          step=0.1, value=s.beta[j], width=WIDTH)
                   for j in (0, 1)]

        def to_state(event):
            s.beta = tuple(slider.value for slider in sliders)

        def from_state(event):
            for slider, v in zip(sliders, event.new):
                slider.value = v
        for slider in sliders:
            slider.param.watch(to_state, "value_throttled")
        s.param.watch(from_state, "beta")
        return sliders

    def body(self):
        s = self.state
        self.contour = ContourPlot(size_px=360, start=s.start, log_levels=True)
        self.contour.point_source.name = "regression-path"
        self.contour.start_source.name = "regression-start"
        self.contour.figure.name = "regression-contour"
        self.contour.figure.xaxis.axis_label = "β₀"
        self.contour.figure.yaxis.axis_label = "β₁"
        self.contour.param.watch(lambda e: setattr(s, "start", e.new), "start")
        s.param.watch(lambda e: setattr(self.contour, "start", e.new), "start")
        self.losses = LossCurve(series={}, width=400, height=220, title="loss (RSS / n)")
        self.losses.point_source.name = "regression-loss"
        self.player = Player(max_step=s.steps, step=s.steps, speed=10)
        self.player.param.watch(lambda e: self._show_step(), "step")
        self.views = [self._feature_plot(j) for j in (0, 1)]
        self.verdict = pn.pane.Markdown("", sizing_mode="stretch_width")
        self.printout = pn.pane.Str("", styles={"font-size": "12px", "overflow-y": "auto"},
                                    max_height=260, sizing_mode="stretch_width")
        s.param.watch(lambda e: self._show_landscape(), "landscape")
        s.param.watch(lambda e: self._show_fit(), "fit")
        self._show_landscape()
        self._show_fit()
        key = pn.pane.HTML(LINES_KEY, margin=(0, 10), styles={"font-size": "12px"})
        return pn.Column(
            self.player,
            pn.FlexBox(self.contour, pn.Column(self.losses,
                                               pn.Row(*(v["figure"] for v in self.views)), key)),
            self.verdict, self.printout, sizing_mode="stretch_width")

    def _feature_plot(self, j):
        """Feature j against y with the other feature's fitted part removed, and the lines
        y = beta_j x_j of gradient descent (at the player's step), the closed form, truth."""
        other = "₁₀"[j]
        source = ColumnDataSource({"x": [], "y": []}, name=f"regression-data-{j}")
        fig = figure(width=200, height=210, tools="pan,wheel_zoom,reset",
                     title=f"feature {j}: y − β̂{other}·x{other}", x_axis_label=f"x{'₀₁'[j]}",
                     toolbar_location=None)
        fig.title.text_font_style = "normal"
        fig.scatter("x", "y", source=source, size=5, color="#555", alpha=0.6)
        lines = {"gd": Slope(gradient=0, y_intercept=0, line_color=GD_COLOR, line_width=2.5),
                 "closed": Slope(gradient=0, y_intercept=0, line_color="#000",
                                 line_dash="dashed", line_width=1.5),
                 "true": Slope(gradient=0, y_intercept=0, line_color="#888",
                               line_dash="dotted", line_width=1.5)}
        for line in lines.values():
            fig.add_layout(line)
        return {"figure": fig, "source": source, "lines": lines}

    # -- following the state ----------------------------------------------------------------
    def _show_landscape(self):
        land = self.state.landscape
        if not land:
            return
        best, true = land["closed_form"], land["true_beta"]
        self.contour.param.update(surface=land["contour"], marks=[
            {"x": best[0], "y": best[1], "label": "closed form β̂"},
            {"x": true[0], "y": true[1], "label": "true β", "marker": "x"}])
        for j, view in enumerate(self.views):
            view["source"].data = dict(land["partial"][j])
            view["lines"]["closed"].gradient = best[j]
            view["lines"]["true"].gradient = true[j]

    def _show_fit(self):
        fit = self.state.fit
        if not fit:
            return
        last = len(fit["loss"])
        step = self.player.step
        self.player.follow(last)
        if self.player.step == step:  # else the player's step watcher has redrawn
            self._show_step()
        self.verdict.object = fit["verdict"]
        self.printout.object = self.state.table()

    def _show_step(self):
        """The path, the loss and the fitted lines up to the player's step."""
        fit, land = self.state.fit, self.state.landscape
        if not fit or not land:
            return
        k = min(self.player.step, len(fit["beta"]) - 1)
        path = fit["beta"][:k + 1]
        self.contour.trajectories = [{
            "name": "gradient descent", "x": [b[0] for b in path], "y": [b[1] for b in path],
            "loss": fit["path_loss"][:k + 1], "grad": fit["grad"][:k + 1],
            "color": GD_COLOR}]
        self.losses.param.update(
            colors={"gradient descent": GD_COLOR, "closed form": "#000000"},
            series={"gradient descent": fit["path_loss"][:k + 1],
                    "closed form": [land["closed_form_loss"]] * (len(fit["loss"]) + 1)})
        for j, view in enumerate(self.views):
            view["lines"]["gd"].gradient = path[-1][j]
