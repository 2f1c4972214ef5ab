"""The autograd lesson's session: the seeds' expressions, run one notebook step at a time.

    session = AutogradSession("z", seed=0, torch=torch)   # runs the setup and the forward
    session.backward(retain_graph=False)   # {'code': 't.backward()\\nprint(x.grad)',
                                           #  'output': 'tensor([[12., 12.], ...])\\n', ...}
    session.backward()                     # {..., 'error': 'RuntimeError: Trying to
                                           #   backward through the graph a second time ...'}
    session.graph()                        # describe_graph of the named tensors

Each step is a few lines of code, the code the seed notebooks write, run in the session's
namespace with the given torch: what the page shows is exactly what ran, and what it printed
is exactly what that torch prints. An exception ends its step the way Python reports it
('RuntimeError: ...'), and the session goes on.
"""
import io

from .graph import describe_graph

# name -> the seed's setup (leaves), forward pass, the output backward() starts from, and
# the named tensors the graph shows, in the order they appear in the code
EXPRESSIONS = {
    "z": {
        "title": "z = (x+5)² + 1, summed",
        "setup": "x = torch.ones(3, 2, requires_grad=True)",
        "forward": "y = x + 5\nz = y * y + 1\nt = torch.sum(z)\nprint(t)",
        "output": "t",
        "tensors": ("x", "y", "z", "t"),
    },
    "cost": {
        "title": "cost = aᵀa with a = Wx + b",
        "setup": ("g = torch.Generator().manual_seed({seed})\n"
                  "x = torch.tensor([[1, 2, 3]], dtype=torch.double).T\n"
                  "W = torch.randn(2, 3, generator=g, dtype=torch.double, requires_grad=True)\n"
                  "b = torch.randn(2, 1, generator=g, dtype=torch.double, requires_grad=True)"),
        "forward": "a = W @ x + b\ncost = a.T @ a\nprint(cost)",
        "output": "cost",
        "tensors": ("W", "x", "b", "a", "cost"),
    },
    "l": {
        "title": "l = (exp(wx+b) − y*)²",
        "setup": ("g = torch.Generator().manual_seed({seed})\n"
                  "w = torch.tensor([0.5], dtype=torch.float64, requires_grad=True)\n"
                  "b = torch.tensor([2.], dtype=torch.float64, requires_grad=True)\n"
                  "x = torch.tensor([0.5], dtype=torch.float64)\n"
                  "ystar = torch.randn(1, generator=g, dtype=torch.float64)"),
        "forward": "y = torch.exp(w * x + b)\nl = torch.sum((y - ystar) ** 2)\nprint(l)",
        "output": "l",
        "tensors": ("w", "x", "b", "ystar", "y", "l"),
    },
}
ZERO_WAYS = {"none": "{leaf}.grad = None", "zero_": "{leaf}.grad.zero_()"}


class AutogradSession:
    """One expression's tensors and the steps run on them (newest last)."""

    def __init__(self, expression, seed, torch):
        if expression not in EXPRESSIONS:
            raise ValueError(f"unknown expression '{expression}': choose one of "
                             f"{', '.join(EXPRESSIONS)}")
        self.expression = EXPRESSIONS[expression]
        self.torch = torch
        self.steps = []
        self._printed = io.StringIO()
        # print() inside a step writes to the step's output (not to the server's stdout)
        self.namespace = {"torch": torch, "print": self._print}
        self.run(self.expression["setup"].format(seed=int(seed)))
        self.forward()

    # -- the buttons ----------------------------------------------------------------------------
    def forward(self):
        """Build a new graph from the leaves (their .grad is kept)."""
        return self.run(self.expression["forward"])

    def backward(self, retain_graph=False):
        """output.backward(), then print the leaves' .grad."""
        call = "retain_graph=True" if retain_graph else ""
        return self.run(f"{self.output_name}.backward({call})\n" + self._print_grads())

    def zero_grads(self, way="none"):
        """Reset the leaves' .grad: `x.grad = None` ('none') or `x.grad.zero_()` ('zero_')."""
        if way not in ZERO_WAYS:
            raise ValueError(f"unknown way to zero the grads '{way}': use one of "
                             f"{', '.join(ZERO_WAYS)}")
        lines = [ZERO_WAYS[way].format(leaf=leaf) for leaf in self.grad_leaves()]
        return self.run("\n".join(lines) + "\n" + self._print_grads())

    # -- what the page shows ----------------------------------------------------------------
    @property
    def output_name(self):
        return self.expression["output"]

    def tensors(self):
        """The expression's named tensors that exist so far, in the code's order."""
        names = [n for n in self.expression["tensors"] if n in self.namespace]
        return {n: self.namespace[n] for n in names
                if isinstance(self.namespace[n], self.torch.Tensor)}

    def grad_leaves(self):
        """Names of the leaves that require grad (those backward() fills)."""
        return [n for n, t in self.tensors().items() if t.is_leaf and t.requires_grad]

    def grads(self):
        """{leaf: its .grad as torch prints it ('None' before any backward)}."""
        return {n: str(self.namespace[n].grad) for n in self.grad_leaves()}

    def graph(self):
        return describe_graph(self.tensors(), self.torch)

    # -- running one step ----------------------------------------------------------------------
    def run(self, code):
        """Run `code` in the session; the step {'number', 'code', 'output', 'error'} (error ''
        if none; number counts the session's steps from 1, like a notebook's In [n])."""
        self._printed = io.StringIO()
        error = ""
        try:
            exec(compile(code, "<step>", "exec"), self.namespace)  # our own snippets only
        except Exception as exc:  # reported the way Python ends a traceback
            error = f"{type(exc).__name__}: {exc}"
        step = {"number": len(self.steps) + 1, "code": code,
                "output": self._printed.getvalue(), "error": error}
        self.steps.append(step)
        return step

    def _print(self, *args, **kwargs):
        kwargs["file"] = self._printed
        print(*args, **kwargs)

    def _print_grads(self):
        return "\n".join(f"print({leaf}.grad)" for leaf in self.grad_leaves())
