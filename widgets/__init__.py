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
from .cell_runner import CellResult, CellRunner
from .code_area import CodeArea
from .code_cell import CodeCell
from .contour_plot import ContourPlot
from .dtype_select import DtypeSelect
from .graph_layout import layered_layout
from .graph_view import GraphView
from .loss_curve import LossCurve
from .lr_slider import LogSlider
from .player import Player
from .shape_input import ShapeInput, parse_shape
from .tensor_view import TensorView

__all__ = ["CellResult", "CellRunner", "CodeArea", "CodeCell", "ContourPlot", "DtypeSelect",
           "GraphView", "LogSlider", "LossCurve", "Player", "ShapeInput", "TensorView",
           "layered_layout", "parse_shape"]
