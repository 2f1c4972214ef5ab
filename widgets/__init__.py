"""Reusable Panel/Bokeh widgets for the lessons. No lesson knowledge: each takes plain data
(numpy arrays, dicts, lists, strings), keeps its state in params, and never imports
`playground`. Each module's docstring documents its constructor arguments and params.

  ShapeInput    a tuple of ints, add/remove dims, explains bad input      shape_input.py
  DtypeSelect   one of torch's dtype names                               dtype_select.py
  LogSlider     log-scale slider (learning rate 1e-4 … 10)               lr_slider.py
  Player        play / pause / step / reset / speed                      player.py
  TensorView    values as heat map or table; shape, dtype, strides       tensor_view.py
  GraphView     autograd graph of tensors and grad_fn nodes              graph_view.py
  ContourPlot   loss surface, trajectories, click sets the start         contour_plot.py
  LossCurve     loss against step, log y                                 loss_curve.py
  CodeCell      editor, Run, Stop, output as Python prints it            code_cell.py
  CodeArea      the code cell's offline textarea editor (Tab, Shift+Enter) code_area.py
  cell_runner   the code cell's engine (pure Python, no Panel)           cell_runner.py
  layered_layout  the graph view's layout (pure)                         graph_layout.py
"""
import importlib

# name -> module. Imported on first use (PEP 562), so `widgets.cell_runner` alone pulls in no
# Panel: the backend's code sandbox runs cells with it on a machine without Panel.
_HOMES = {"CellResult": "cell_runner", "CellRunner": "cell_runner", "CodeArea": "code_area",
          "CodeCell": "code_cell", "ContourPlot": "contour_plot", "DtypeSelect": "dtype_select",
          "layered_layout": "graph_layout", "GraphView": "graph_view", "LossCurve": "loss_curve",
          "LogSlider": "lr_slider", "Player": "player", "ShapeInput": "shape_input",
          "parse_shape": "shape_input", "TensorView": "tensor_view"}
__all__ = sorted(_HOMES)


def __getattr__(name):
    if name not in _HOMES:
        raise AttributeError(f"module 'widgets' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value  # next time without this hook
    return value


def __dir__():
    return sorted(set(globals()) | set(_HOMES))
