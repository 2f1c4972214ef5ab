"""The functions the descent lessons minimise, written with torch ops so autograd (ours or
real torch's) differentiates them. 1-D: f(x); 2-D: f(x, y) on tensors of any shape."""
import math
from dataclasses import dataclass

# name -> (f, a reasonable x range for plots)
FUNCTIONS_1D = {
    "quadratic": (lambda x, torch: (x - 2) ** 2, (-4.0, 8.0)),  # the seed's f(x) = (x-2)^2
    "steep quadratic": (lambda x, torch: 4 * (x - 2) ** 2, (-4.0, 8.0)),
    "double well": (lambda x, torch: x ** 4 - 3 * x ** 2 + x, (-2.5, 2.5)),
    "wavy bowl": (lambda x, torch: 0.5 * x ** 2 + 2 * torch.sin(2 * x), (-6.0, 6.0)),
}


def f1d(name, x, torch):
    return FUNCTIONS_1D[name][0](x, torch)


def range1d(name):
    return FUNCTIONS_1D[name][1]


def _quadratic(x, y, torch, condition):
    # Hessian diag(1, condition): gradient descent needs lr < 2 / condition
    return 0.5 * (x ** 2 + condition * y ** 2)


def _rosenbrock(x, y, torch, condition):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def _himmelblau(x, y, torch, condition):
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def _saddle(x, y, torch, condition):
    return x ** 2 - y ** 2


def _seed_g(x, y, torch, condition):
    # the seed notebook's g(w) = 2 w1 w2 + w2 cos(w1), whose gradient at (pi, 1) is (2, pi - 1)
    return 2 * x * y + y * torch.cos(x)


@dataclass(frozen=True)
class Surface2D:
    f: object                    # f(x, y, torch, condition) on tensors of any shape
    box: tuple                   # (xmin, xmax, ymin, ymax): the plotted region
    start: tuple                 # a start that shows the surface's character
    minima: tuple = ()           # known minima (the plot marks them)
    saddles: tuple = ()          # known saddle points
    bounded_below: bool = True   # False: runs can go downhill forever
    about: str = ""              # one line: what to look for


FUNCTIONS_2D = {
    "ill-conditioned quadratic": Surface2D(
        _quadratic, (-2.0, 2.0, -2.0, 2.0), (-1.8, 1.2), minima=((0.0, 0.0),),
        about="a long narrow bowl: one direction is `condition` times steeper than the "
              "other, so one learning rate cannot suit both"),
    "rosenbrock": Surface2D(
        _rosenbrock, (-2.0, 2.0, -1.0, 3.0), (-1.5, 2.0), minima=((1.0, 1.0),),
        about="a curved, nearly flat valley: finding it is easy, following it to (1, 1) "
              "is slow"),
    "himmelblau": Surface2D(
        _himmelblau, (-5.0, 5.0, -5.0, 5.0), (0.0, 0.0),
        minima=((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186),
                (3.584428, -1.848126)),
        about="four minima of equal depth: which one a run reaches depends on the start "
              "and on the optimizer"),
    "saddle": Surface2D(
        _saddle, (-2.0, 2.0, -2.0, 2.0), (-1.8, 0.05), saddles=((0.0, 0.0),),
        bounded_below=False,
        about="x² − y²: downhill along y forever; a run started on y = 0 stalls at the "
              "saddle, where the gradient is zero without a minimum"),
    "seed g(w)": Surface2D(
        _seed_g, (-math.pi, 2 * math.pi, -3.0, 3.0), (math.pi, 1.0),
        saddles=((-0.450184, 0.0),), bounded_below=False,
        about="the seed notebook's g(w) = 2·w₁·w₂ + w₂·cos(w₁), started at (π, 1) where "
              "its gradient is (2, π − 1); it has a saddle but no minimum"),
}


def f2d(name, x, y, torch, condition=10.0):
    return FUNCTIONS_2D[name].f(x, y, torch, condition)


def surface2d(name):
    """The surface's description (box, default start, minima, saddles)."""
    return FUNCTIONS_2D[name]


def box2d(name):
    return FUNCTIONS_2D[name].box


def minima2d(name):
    return list(FUNCTIONS_2D[name].minima)
