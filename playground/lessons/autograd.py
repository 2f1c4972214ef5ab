"""Lesson 3: autograd, the seeds' expressions as a live graph you step through.

Forward records the graph (grad_fn nodes with torch's names), Backward fills the leaves'
.grad and frees the tensors the nodes saved, Backward again on the same graph shows torch's
"Trying to backward through the graph a second time" error (or, with retain_graph, that
gradients accumulate), and Zero grads resets them the two ways the seeds do.
Every button runs the notebook code it shows, through compute/autograd_steps.py.
"""
import html

import panel as pn
import param

from widgets import GraphView

from ..compute.autograd_steps import EXPRESSIONS, ZERO_WAYS, AutogradSession
from .base import LessonState, LessonView

SHOWN_STEPS = 30  # the transcript keeps the latest steps only
SECOND_BACKWARD = "RuntimeError: Trying to backward through the graph a second time"
ZERO_LABELS = {"x.grad = None": "none", "x.grad.zero_()": "zero_"}


class State(LessonState):
    slug = "autograd"
    title = "Autograd"
    url_params = ("expression", "seed", "retain_graph", "zero_with")

    expression = param.Selector(default="z", objects=list(EXPRESSIONS),
                                doc="which seed expression to differentiate")
    seed = param.Integer(default=0, bounds=(0, 2 ** 31 - 1),
                         doc="seed of the random W, b (cost) and y* (l)")
    retain_graph = param.Boolean(default=False, doc="Backward keeps the saved tensors")
    zero_with = param.Selector(default="none", objects=list(ZERO_WAYS),
                               doc="how Zero grads resets .grad")

    steps = param.List(default=[], doc="the code run so far and what it printed")
    graph = param.Dict(default={"nodes": [], "edges": []}, doc="the graph, for GraphView")
    note = param.String(default="", doc="what the last step did, in a sentence or two")

    @param.depends("expression", "seed", watch=True, on_init=True)
    def restart(self):
        """New leaves and a first forward pass (the setup and forward cells of the seed)."""
        self._session = None
        session = self.compute(lambda: AutogradSession(self.expression, self.seed, self.torch))
        if session is not None:
            self._session = session
            self._show(session.steps[-1], _START.format(out=session.output_name))

    # -- the buttons ---------------------------------------------------------------------------
    def forward(self):
        self._act(lambda s: s.forward())

    def backward(self):
        self._act(lambda s: s.backward(retain_graph=self.retain_graph))

    def backward_again(self):
        """The seed's second call on the same graph: plain backward(), no retain_graph."""
        self._act(lambda s: s.backward(retain_graph=False))

    def zero_grads(self):
        self._act(lambda s: s.zero_grads(self.zero_with))

    def _act(self, run):
        if self._session is None:  # the setup failed; its message is already shown
            return
        had_grads = any(g != "None" for g in self._session.grads().values())
        step = self.compute(lambda: run(self._session))
        if step is not None:
            self._show(step, self._explain(step, had_grads))

    def _show(self, step, note):
        s = self._session
        graph = self.compute(s.graph)
        if graph is not None:
            self.graph = graph
        self.steps = s.steps[-SHOWN_STEPS:]
        # torch's own message, exactly as Python reports it (or what failed drawing the graph)
        self.error = step["error"] or self.error
        self.note = note

    # -- what just happened ------------------------------------------------------------------
    def _explain(self, step, had_grads):
        s = self._session
        leaves = " and ".join(f"`{n}.grad`" for n in s.grad_leaves())
        out = s.output_name
        code, error = step["code"], step["error"]
        if error.startswith(SECOND_BACKWARD):
            return (f"The last backward() freed the tensors this graph saved, so `{out}` "
                    "cannot be walked again. **Forward** builds a new graph; or tick "
                    "*retain_graph* before the first **Backward**.")
        if error.startswith("AttributeError") and "zero_" in code:
            return (f"{leaves} is None (no backward since it was reset), so there is no "
                    "tensor to `zero_()`: use `= None`, or run **Backward** first.")
        if error:
            return "That step failed; the message above is what torch says."
        if "backward(" in code:
            freed = sorted({n["label"] for n in s.graph()["nodes"] if n.get("freed")})
            text = (f"backward() **added** to {leaves}: gradients accumulate until you zero "
                    "them." if had_grads else f"backward() filled {leaves} with d{out}/d(leaf).")
            if freed:
                return text + (f" It also freed what {', '.join(freed)} saved (grey): this "
                               "graph cannot be walked again.")
            return text + " retain_graph=True kept the saved tensors: backward may run again."
        if ".grad = None" in code:
            return (f"{leaves} is None again: the next backward starts afresh (what "
                    "optimizer.zero_grad() does by default).")
        if "zero_()" in code:
            return ("`zero_()` wrote zeros into the same gradient tensor, as the seed's loop "
                    "does with `x.grad.zero_()`.")
        return ("A new graph with fresh saved tensors. The leaves kept their .grad, so the "
                "next backward adds to it.")


_START = ("Forward recorded this graph. Arrows follow the forward pass; `{out}.backward()` "
          "walks them back to the leaves, where each AccumulateGrad adds into `.grad`. "
          "Press **Backward**.")


class View(LessonView):
    intro = (
        "The seeds' expressions as the graph autograd records: tensors (boxes) and the "
        "grad_fn nodes that compute their gradients, with torch's names. *Try*: **Backward**, "
        "then **Backward again**; then tick *retain_graph* and repeat after **Forward**. "
        "*Notice*: backward frees what the nodes saved, and `.grad` accumulates until you "
        "zero it.")

    def controls(self):
        s = self.state
        seed = pn.widgets.IntInput.from_param(s.param.seed, name="seed (random W, b, y*)",
                                              width=280)
        seed.disabled = s.expression == "z"
        s.param.watch(lambda e: setattr(seed, "disabled", e.new == "z"), "expression")
        return {
            "expression": pn.widgets.Select.from_param(
                s.param.expression, name="expression", width=280,
                options={e["title"]: name for name, e in EXPRESSIONS.items()}),
            "seed": seed,
            "retain_graph": pn.widgets.Checkbox.from_param(
                s.param.retain_graph, name="retain_graph=True (Backward keeps the graph)"),
            "zero_with": pn.widgets.RadioButtonGroup.from_param(
                s.param.zero_with, name="zero the grads with", options=ZERO_LABELS,
                button_type="light"),
        }

    def body(self):
        s = self.state
        buttons = {
            "forward": pn.widgets.Button(name="Forward", button_type="primary", width=110,
                                         description="run the forward cell again: a new graph"),
            "backward": pn.widgets.Button(name="Backward", button_type="success", width=110),
            "backward_again": pn.widgets.Button(name="Backward again", button_type="warning",
                                                width=140),
            "zero_grads": pn.widgets.Button(name="Zero grads", button_type="default", width=110),
        }
        for action, button in buttons.items():
            button.on_click(lambda e, a=action: getattr(s, a)())
            button.css_classes = [f"pg-autograd-{action.replace('_', '-')}"]
        self.hint = pn.pane.Markdown("", margin=(0, 10), styles={"font-size": "12px"})
        self.graph_view = GraphView(value=s.graph, orientation="vertical")
        self.graph_view.label_source.name = "autograd-graph"
        self.note = pn.pane.Markdown("", sizing_mode="stretch_width", margin=(0, 10),
                                     css_classes=["pg-autograd-note"])
        self.transcript = pn.pane.HTML("", sizing_mode="stretch_width",
                                       css_classes=["pg-autograd-transcript"])
        s.param.watch(self._update, ["graph", "steps", "note", "retain_graph", "zero_with"])
        self._update()
        return pn.Column(
            pn.Row(*buttons.values()), self.hint,
            pn.FlexBox(self.graph_view, pn.Column(self.note, self.transcript, min_width=300,
                                                  sizing_mode="stretch_width")),
            sizing_mode="stretch_width")

    def _update(self, *events):
        s = self.state
        self.graph_view.value = s.graph
        self.note.object = s.note
        self.transcript.object = transcript_html(s.steps)
        out = EXPRESSIONS[s.expression]["output"]
        retain = "retain_graph=True" if s.retain_graph else ""
        zero = "x.grad = None" if s.zero_with == "none" else "x.grad.zero_()"
        self.hint.object = (f"Backward runs `{out}.backward({retain})`; Backward again runs "
                            f"`{out}.backward()` on the same graph; Zero grads runs `{zero}` "
                            "for every leaf.")


CODE_STYLE = ("margin:0;padding:4px 8px;background:#f3f5f8;border-left:3px solid #9aa9bd;"
              "font:12px/1.35 monospace;white-space:pre-wrap")
OUT_STYLE = "margin:0 0 8px 0;padding:2px 8px;font:12px/1.35 monospace;white-space:pre-wrap"
ERR_STYLE = OUT_STYLE + ";color:#b3261e;background:#fdecea"


def transcript_html(steps):
    """The steps as notebook cells, newest at the bottom and scrolled into view (a
    column-reverse box starts at its end)."""
    cells = []
    for step in steps:
        parts = [f"<div style='color:#888;font-size:11px'>[{step['number']}]</div>",
                 f"<pre style='{CODE_STYLE}'>{html.escape(step['code'])}</pre>"]
        if step["output"]:
            parts.append(f"<pre style='{OUT_STYLE}'>{html.escape(step['output'])}</pre>")
        if step["error"]:
            parts.append(f"<pre class='pg-step-error' style='{ERR_STYLE}'>"
                         f"{html.escape(step['error'])}</pre>")
        cells.append("<div>" + "".join(parts) + "</div>")
    return ("<div style='display:flex;flex-direction:column-reverse;max-height:520px;"
            "overflow-y:auto'><div>" + "".join(cells) + "</div></div>")
