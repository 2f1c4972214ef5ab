"""A gallery of every widget, wired together a little, for the browser smoke test.

    panel serve tests/widgets/gallery_app.py

The shape input drives the tensor view; the player replays gradient descent on a bowl
(the learning rate slider and a click on the contour plot change the run). The small
amount of maths here is test scaffolding: lessons get theirs from compute/.
The data sources the test reads are given names (name="gallery-...").
"""
import numpy as np
import panel as pn

from widgets import (CodeCell, ContourPlot, DtypeSelect, GraphView, LogSlider, LossCurve,
                     Player, ShapeInput, TensorView)

pn.extension()

STEPS = 40
xs = np.linspace(-3, 3, 80)
ys = np.linspace(-2, 2, 60)
X, Y = np.meshgrid(xs, ys)
SCALE = np.array([1.0, 6.0])  # an elongated bowl: loss = (x^2 + 6 y^2) / 2
Z = (X**2 * SCALE[0] + Y**2 * SCALE[1]) / 2


def descent(start, lr, steps=STEPS):
    p = np.array(start, dtype=float)
    path, losses, grads = [p.copy()], [], []
    for _ in range(steps):
        g = SCALE * p
        losses.append(float((SCALE * p * p).sum() / 2))
        grads.append(tuple(g))
        p = p - lr * g
        path.append(p.copy())
    losses.append(float((SCALE * p * p).sum() / 2))
    grads.append(tuple(SCALE * p))
    return np.array(path), losses, grads


shape = ShapeInput(value=(2, 3), name="Shape")
dtype = DtypeSelect(value="float32")
tensor = TensorView(value={"name": "a", "values": np.arange(6.0).reshape(2, 3)})
tensor.source.name = "gallery-tensor-cells"

lr = LogSlider(value=0.1, start=1e-4, end=10, name="learning rate")
player = Player(max_step=STEPS, speed=20, interval_ms=100)
contour = ContourPlot(surface={"x": xs, "y": ys, "z": Z}, start=(-2.5, 1.5), log_levels=True)
contour.point_source.name = "gallery-trajectory-points"
contour.start_source.name = "gallery-start"
contour.figure.name = "gallery-contour"
curve = LossCurve(series={}, log_y=True)
curve.line_source.name = "gallery-loss-lines"


def show_tensor(*_):
    if shape.error:
        return
    n = int(np.prod(shape.value))
    values = np.arange(n, dtype=float).reshape(shape.value) - n / 2
    if dtype.value == "bool":
        values = values > 0
    elif dtype.value.startswith(("int", "uint")):
        values = values.astype(int)
    tensor.value = {"name": "a", "values": values, "dtype": dtype.value,
                    "shape": shape.value, "shared_with": ["a.T"] if len(shape.value) == 2 else []}


def show_run(*_):
    path, losses, grads = descent(contour.start, lr.value_throttled)
    k = player.step + 1
    contour.trajectories = [
        {"name": f"lr={lr.value_throttled:g}", "x": path[:k, 0], "y": path[:k, 1],
         "loss": losses[:k], "grad": grads[:k]},
        {"name": "lr=0.05", "x": descent(contour.start, 0.05)[0][:k, 0],
         "y": descent(contour.start, 0.05)[0][:k, 1]},
    ]
    curve.series = {f"lr={lr.value_throttled:g}": losses[:k],
                    "lr=0.05": descent(contour.start, 0.05)[1][:k]}


shape.param.watch(show_tensor, "value")
dtype.param.watch(show_tensor, "value")
player.param.watch(show_run, "step")
lr.param.watch(show_run, "value_throttled")
contour.param.watch(show_run, "start")
show_tensor()
show_run()

graph = GraphView(value={
    "nodes": [
        {"id": "x", "label": "x", "kind": "tensor", "leaf": True, "requires_grad": True,
         "grad": "tensor([6., 8.])", "value": "tensor([3., 4.])"},
        {"id": "w", "label": "w", "kind": "tensor", "leaf": True, "requires_grad": False,
         "value": "tensor([2., 2.])"},
        {"id": "acc", "label": "AccumulateGrad", "kind": "accumulate"},
        {"id": "mul", "label": "MulBackward0", "kind": "function", "freed": True},
        {"id": "y", "label": "y", "kind": "tensor", "leaf": False, "requires_grad": True,
         "value": "tensor([6., 8.])"},
        {"id": "sum", "label": "SumBackward0", "kind": "function"},
        {"id": "loss", "label": "loss", "kind": "tensor", "leaf": False,
         "requires_grad": True, "value": "tensor(14.)"},
    ],
    "edges": [("x", "acc"), ("acc", "mul"), ("w", "mul"), ("mul", "y"), ("y", "sum"),
              ("sum", "loss")],
})
graph.tensor_source.name = "gallery-graph-tensors"

cell = CodeCell(code="xs = [i * i for i in range(5)]\nprint(xs)\nsum(xs)",
                namespace={"np": np})

pn.Column(
    "## widgets gallery",
    pn.Row(pn.Column(shape, dtype, tensor), pn.Column(lr, player, curve)),
    pn.Row(contour, graph),
    cell,
).servable(title="widgets gallery")
