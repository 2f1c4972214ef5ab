"""The functions the descent lessons minimise, written with torch ops so autograd (ours or
real torch's) differentiates them. 1-D: f(x); 2-D: f(x, y) on tensors of any shape."""
import math

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
    # eigenvalues 1 and `condition`: gradient descent needs lr < 2 / condition
    return 0.5 * (x ** 2 + condition * y ** 2)


def _rosenbrock(x, y, torch, condition):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def _himmelblau(x, y, torch, condition):
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def _saddle(x, y, torch, condition):
    return x ** 2 - y ** 2


def _seed_g(x, y, torch, condition):
    # the seed notebook's g(w) = 2 w1 w2 + w2 cos(w1)
    return 2 * x * y + y * torch.cos(x)


# name -> (f, (xmin, xmax, ymin, ymax), known minima for the plot)
FUNCTIONS_2D = {
    "ill-conditioned quadratic": (_quadratic, (-2.0, 2.0, -2.0, 2.0), [(0.0, 0.0)]),
    "rosenbrock": (_rosenbrock, (-2.0, 2.0, -1.0, 3.0), [(1.0, 1.0)]),
    "himmelblau": (_himmelblau, (-5.0, 5.0, -5.0, 5.0),
                   [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186),
                    (3.584428, -1.848126)]),
    "saddle": (_saddle, (-2.0, 2.0, -2.0, 2.0), []),
    "seed g(w)": (_seed_g, (-math.pi, 2 * math.pi, -3.0, 3.0), []),
}


def f2d(name, x, y, torch, condition=10.0):
    return FUNCTIONS_2D[name][0](x, y, torch, condition)


def box2d(name):
    return FUNCTIONS_2D[name][1]


def minima2d(name):
    return FUNCTIONS_2D[name][2]
