"""Nodes of the backward graph: Function (one subclass per primitive op) and AccumulateGrad.

A primitive is written as

    class MulBackward0(Function):
        def forward(self, a, b):
            self.saved = (a, b)
            return a * b

        def backward(self, g):
            a, b = self.saved
            return g * b, g * a

`forward` and `backward` see numpy arrays only. `apply` does everything else once, for every op:
unwrapping tensors, casting to the op's compute dtype, recording the edges to the inputs'
nodes (`next_functions`), noting the versions of saved tensors, and wrapping the result.
The backward engine (autograd.py) reduces broadcast gradients and casts them to each input's
dtype, so no backward formula has to.
"""
import itertools
import sys
import weakref

import numpy as np

from .device import CPU
from .grad_mode import GradMode
# tensor.py defines Tensor before it imports the ops (which import this module), so these names
# exist by the time this line runs
from .tensor import Tensor, _make, type_name

_new = object.__new__

SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward.")


class Node:
    """What every graph node shares: its edges and torch's way of showing itself."""

    __slots__ = ("next_functions", "__weakref__")
    n_outputs = 1

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.__module__ = "builtins"  # torch's nodes are C types: type(fn) is <class 'MulBackward0'>

    def name(self):
        return type(self).__name__

    def type_name(self):
        """The name torch shows in `grad_fn=<...>` (the class name, not name())."""
        return type(self).__name__

    def __repr__(self):
        return f"<{self.type_name()} object at {id(self):#x}>"

    @property
    def metadata(self):
        return {}

    def register_hook(self, fn):
        raise NotImplementedError("playground.torch does not implement grad_fn.register_hook yet")


class Function(Node):
    """A recorded op. Subclasses define forward(*arrays, **params) and backward(grad)."""

    # no __slots__ here: subclasses keep what their backward needs as plain attributes
    multi_output = False  # True: backward takes a list with one gradient (or None) per output
    _seq = 0  # creation order: the engine runs later nodes first, as torch's does
    _retained_map = None  # output number -> weakref of a tensor that called retain_grad()
    saved = ()
    _versions = ()
    _freed = False
    _meta = ()

    @classmethod
    def apply(cls, *inputs, _cast=None, **params):
        """Run the op on tensors (and Python scalars); record it if any input requires grad.

        _cast: the dtype all tensor inputs are converted to before computing (the op's
        promoted dtype); params: non-differentiable arguments passed to forward as they are.
        Before forward runs, `node._meta` says which inputs need a gradient, so forward can
        save only what those gradients need (`self.needs(i)`).
        """
        arrays = []
        edges = meta = None  # lists once an input needs a gradient; None keeps no_grad cheap
        dev = CPU
        grad_mode = GradMode.enabled
        for i, x in enumerate(inputs):  # one pass: unwrap, cast, and note each input's edge
            if isinstance(x, Tensor):
                a = x._data
                if _cast is not None and x._dtype is not _cast:
                    a = a.astype(_cast.np)
                arrays.append(a)
                if x._device is not CPU:
                    dev = x._device
                if grad_mode:
                    fn = x._grad_fn if x._base is None else x._current_grad_fn()
                    if fn is not None or x._rg:
                        if edges is None:
                            edges = [_NO_EDGE] * len(inputs)
                            meta = [None] * len(inputs)
                        edges[i] = (fn, x._nr) if fn is not None else (accumulator(x), 0)
                        meta[i] = (a.shape, x._dtype.np)
            else:
                arrays.append(x)
        node = _new(cls)
        if edges is not None:
            node._meta = tuple(meta)
        out = node.forward(*arrays, **params) if params else node.forward(*arrays)
        if type(out) is not tuple:
            result = _make(out, dev)
            if edges is not None:
                node.next_functions = tuple(edges)
                node._seq = next(_sequence)
                if node.saved:
                    node._versions = _saved_versions(node.saved, inputs, arrays, (result,))
                result._grad_fn = node
                result._nr = 0
            return result
        # a multi-output op (unbind, split): node.n_outputs says how many
        outs = tuple([_make(o, dev) for o in out])
        if edges is not None:
            node.next_functions = tuple(edges)
            node._seq = next(_sequence)
            if node.saved:
                node._versions = _saved_versions(node.saved, inputs, arrays, outs)
            for i, o in enumerate(outs):
                o._grad_fn = node
                o._nr = i
        return outs

    # -- run by the backward engine --------------------------------------------------------
    def _run_backward(self, grads, retain_graph):
        """The backward formula's result: a tuple with one gradient (or None) per input, as
        the formula gave it. `grads` holds one array (or None) per output. The engine reduces
        broadcast gradients and casts them to each input's dtype (`conform`) as it passes them
        on, so one loop over the edges does both."""
        if self._freed:
            raise RuntimeError(SECOND_BACKWARD)
        for tensor, counter, expected, info in self._versions:
            if counter[0] != expected:
                _version_error(self, tensor, counter, expected, info)
        result = self.backward(grads) if self.multi_output else self.backward(grads[0])
        if not retain_graph and self.saved:
            self.saved = ()
            self._freed = True
        return result if type(result) is tuple else (result,)

    def needs(self, i):
        """Whether input i needs a gradient (lets a formula skip work for constants)."""
        meta = self._meta
        return bool(meta) and meta[i] is not None

    def forward(self, *args, **params):
        raise NotImplementedError

    def backward(self, grad):
        raise NotImplementedError


class AccumulateGrad(Node):
    """The node that adds a gradient into a leaf tensor's .grad."""

    __slots__ = ("variable",)
    next_functions = ()
    _seq = float("inf")  # as in torch: accumulate as soon as a leaf's gradient is complete

    def name(self):
        return "torch::autograd::AccumulateGrad"

    def accumulate(self, g):
        v = self.variable
        if g.shape != v._data.shape:
            g = sum_to(g, v._data.shape)
        if v._grad is None:
            if g.base is None and g.dtype == v._dtype.np and g.strides == v._data.strides and \
                    sys.getrefcount(g) <= _ONLY_HERE:
                grad = g  # a fresh array nobody else holds: take it, as torch steals buffers
            else:
                # a copy laid out like the leaf (torch's layout contract for .grad), which is
                # also what keeps a gradient shared with other leaves from being aliased
                grad = np.empty_like(v._data)
                grad[...] = g
            v._grad = _make(grad, v._device)
        else:
            acc = v._grad
            np.add(acc._data, g, out=acc._data, casting="unsafe")
            acc._vc[0] += 1


# references to a gradient array that only the engine holds when accumulate() looks at it:
# the caller's buffer list, the argument, and getrefcount's own argument
_ONLY_HERE = 3


class NotDifferentiable(Function):
    """Stand-in node for ops torch records but cannot differentiate (floor_divide...)."""

    op = "this operation"

    def name(self):
        return "torch::autograd::NotImplemented"

    def type_name(self):
        return "NotImplemented"

    def backward(self, g):
        raise RuntimeError(f"the derivative for '{self.op}' is not implemented.")


def link_inputs(node, inputs):
    """Set the node's edges and input metadata; whether any input needs a gradient."""
    edges = tuple(map(edge, inputs))
    node.next_functions = edges
    node._meta = tuple(None if e[0] is None else (x._data.shape, x._dtype.np)
                       for x, e in zip(inputs, edges))
    node._seq = next(_sequence)
    return any(m is not None for m in node._meta)


def record_versions(node, inputs, arrays, outs):
    if node.saved:
        node._versions = _saved_versions(node.saved, inputs, arrays, outs)


_sequence = itertools.count(1)
next_seq = _sequence.__next__  # a node's creation number (for ops that build nodes directly)
_NO_EDGE = NO_EDGE = (None, 0)


def conform(g, meta):
    """A gradient as its input needs it: an array of the input's shape (broadcast reduced) and
    dtype. meta: the input's (shape, numpy dtype), as apply noted it."""
    if type(g) is not np.ndarray:
        g = np.asarray(g)
    shape, np_dtype = meta
    if g.shape != shape:
        g = sum_to(g, shape)
    if g.dtype != np_dtype:
        g = g.astype(np_dtype)
    return g


def sum_to(g, shape):
    """Sum a broadcast gradient back to `shape` (PyTorch's sum_to, MyGrad's reduce_broadcast)."""
    nd = len(shape)
    if g.ndim < nd:  # leading size-1 dims the op dropped (copy_ of a [1, 1] into [])
        g = g.reshape((1,) * (nd - g.ndim) + g.shape)
    lead = g.ndim - nd
    if lead == 1 and nd == 1 and g.shape[1] >= 8 and g.dtype in _DOT_SUM:
        # a layer's bias gradient, summed over the batch: a vector-matrix product is several
        # times faster than numpy's column-wise reduction (both add each column in row order),
        # with BLAS and in Pyodide's numpy without it alike (measured: 1.3/6.9, 15/31 µs)
        return np.dot(_ones(g.shape[0], g.dtype), g)
    if lead:  # np.add.reduce is what ndarray.sum runs, without its Python-level wrapper
        g = np.add.reduce(g, axis=0 if lead == 1 else tuple(range(lead)))
    if g.shape != shape:
        axes = tuple([i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1])
        if axes:
            g = np.add.reduce(g, axis=axes, keepdims=True)
        if g.shape != shape:  # only an empty/odd case gets here: make it explicit
            g = np.broadcast_to(g, shape)
    return np.asarray(g)


_DOT_SUM = (np.dtype(np.float32), np.dtype(np.float64))
_ONES = {}


def _ones(n, dtype):
    """A read-only vector of n ones, kept: the same batch size comes back every step."""
    ones = _ONES.get((n, dtype))
    if ones is None:
        if len(_ONES) > 32:
            _ONES.clear()
        ones = _ONES[n, dtype] = np.ones(n, dtype)
        ones.flags.writeable = False
    return ones


def edge(x):
    """The (node, output_nr) pair that gradients for `x` flow into."""
    if isinstance(x, Tensor):
        fn = x._grad_fn if x._base is None else x._current_grad_fn()
        if fn is not None:
            return (fn, x._nr)
        if x._rg:
            return (accumulator(x), 0)
    return _NO_EDGE


def accumulator(leaf):
    """A leaf's AccumulateGrad node, shared by every op that uses the leaf. The tensor holds it
    weakly and the graph strongly, as in torch, so there is no reference cycle."""
    ref = getattr(leaf, "_acc", None)
    acc = ref() if ref is not None else None
    if acc is None:
        acc = _new(AccumulateGrad)
        acc.variable = leaf
        leaf._acc = weakref.ref(acc)
    return acc


def _saved_versions(saved, inputs, arrays, outs):
    """(tensor, counter, version) for each saved array that is a tensor's storage, so backward
    can refuse values an in-place op changed since."""
    found = []
    for s in saved:
        if type(s) is not np.ndarray:
            continue
        for x, a in zip(inputs, arrays):
            if a is s and isinstance(x, Tensor):
                found.append((x, x._vc, x._vc[0], None))
                break
        else:
            for o in outs:
                if o._data is s:  # what the error would name, kept unformatted until then
                    found.append((None, o._vc, o._vc[0], (o._data.shape, o._dtype, o._device)))
                    break
    return tuple(found)


def _version_error(node, tensor, counter, expected, output_info):
    """torch's error for a saved tensor whose version moved on since forward."""
    if tensor is None:  # a saved output of this node: torch names this node
        shape, dtype, device = output_info
        shape, kind, producer = list(shape), type_name(dtype, device), node
    else:  # a saved input: torch names whatever produced it now
        shape, kind, producer = list(tensor._data.shape), tensor.type(), tensor._grad_fn
    name = producer is not None and _short(producer)
    if name and tensor is not None and tensor._base is not None:
        name = "AsStrided"  # a view whose storage changed: torch regenerates its node as that
    which = f", which is output 0 of {name}," if name else ""
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{kind} {shape}]{which} is at version {counter[0]}; expected version "
        f"{expected} instead. Hint: enable anomaly detection to find the operation that failed "
        "to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")


def _short(fn):
    """torch names the producing node without its 'Backward<N>' suffix in this message."""
    name = fn.name()
    i = name.find("Backward")
    return name[:i] if i > 0 else name


