"""The backward engine, torch.autograd.backward / grad, and the legacy Variable.

The engine runs the graph of Function nodes from the roots, latest-created first, so a node
runs once every node that feeds it a gradient has run; gradients arriving at one node are
summed, and AccumulateGrad adds the result into a leaf's .grad. Gradients are reduced to their
input's shape (broadcasting) and cast to its dtype in one place, as the engine passes them on;
each node's `_run_backward` frees saved values unless retain_graph is set.
"""
import heapq

import numpy as np

from .function import AccumulateGrad, conform, edge
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,
                        set_grad_enabled)
from .tensor import Tensor, _make

__all__ = ["backward", "grad", "Variable", "no_grad", "enable_grad", "set_grad_enabled",
           "is_grad_enabled", "inference_mode"]

NO_GRAD_FN = "element {} of tensors does not require grad and does not have a grad_fn"
IMPLICIT_SCALAR = "grad can be implicitly created only for scalar outputs"


def _roots(tensors, grad_tensors):
    """(edge, gradient array) for each output backward starts from, with torch's checks."""
    if isinstance(tensors, Tensor) and (grad_tensors is None or isinstance(grad_tensors, Tensor)):
        tensors, grad_tensors = (tensors,), (grad_tensors,)  # loss.backward(): the common case
    else:
        tensors = (tensors,) if isinstance(tensors, Tensor) else tuple(tensors)
        if grad_tensors is None:
            grad_tensors = (None,) * len(tensors)
        elif isinstance(grad_tensors, Tensor):
            grad_tensors = (grad_tensors,)
        else:
            grad_tensors = tuple(grad_tensors)
        if len(grad_tensors) != len(tensors):
            raise RuntimeError(f"got {len(grad_tensors)} tensors and {len(tensors)} gradients")
    roots = []
    for i, t in enumerate(tensors):
        e = edge(t)
        if e[0] is None:  # neither a grad_fn nor requires_grad
            raise RuntimeError(NO_GRAD_FN.format(i))
        g = grad_tensors[i]
        if g is None:
            if t._data.size != 1:
                raise RuntimeError(IMPLICIT_SCALAR)
            g = np.empty(t._data.shape, t._dtype.np)  # np.ones, without its Python wrapper
            g.fill(1)
        else:
            if not isinstance(g, Tensor):
                g = _make(np.asarray(g, dtype=t._dtype.np))
            if g._data.shape != t._data.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                                   f"{g.shape} and output[{i}] has a shape of {t.shape}.")
            g = g._data.astype(t._dtype.np, copy=False)
        roots.append((e, g))
    return roots


def _execute(roots, retain_graph, capture=None, accumulate=True):
    """Run the graph below `roots`. capture maps edges to slots for autograd.grad.

    torch's order: the latest-created Function first (a heap on -seq, ties in push order).
    Every node is created after the nodes of its inputs, so when a node is the latest one
    reached, every node that feeds it a gradient has run: no dependency count is needed. The
    order gradients are summed in decides the last bits, so it is torch's order. Leaves'
    AccumulateGrad nodes add their summed gradient into .grad once the Functions are done (or,
    if one fails, the leaves it and the nodes still queued do not feed, as torch would have).
    """
    buffers = {}
    ready, leaves = [], []
    tie = 0
    for (node, nr), g in roots:
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * node.n_outputs
            if node.__class__ is AccumulateGrad:
                leaves.append(node)
            else:
                ready.append((-node._seq, tie, node))
                tie += 1
        buf[nr] = g if buf[nr] is None else buf[nr] + g
    heapq.heapify(ready)
    heappush, heappop = heapq.heappush, heapq.heappop
    while ready:
        node = heappop(ready)[2]
        grads = buffers.pop(node)
        if capture is not None:
            _capture(capture, node, grads)
        if node._retained_map:
            _retain(node._retained_map, grads)
        try:
            in_grads = node._run_backward(grads, retain_graph)
        except Exception:
            if accumulate:
                _fill_finished_leaves(leaves, buffers, [node] + [entry[2] for entry in ready])
            raise
        meta = node._meta
        for i, (child, nr) in enumerate(node.next_functions):
            if child is None:
                continue
            g = in_grads[i]
            if g is None:
                continue
            m = meta[i]  # the common case (nothing to conform) checked here, without a call
            if type(g) is not np.ndarray or g.shape != m[0] or g.dtype is not m[1]:
                g = conform(g, m)
            buf = buffers.get(child)
            if buf is None:  # first reached: queue it
                if child.n_outputs == 1:
                    buffers[child] = [g]
                else:
                    buf = buffers[child] = [None] * child.n_outputs
                    buf[nr] = g
                if child.__class__ is AccumulateGrad:
                    leaves.append(child)
                else:
                    heappush(ready, (-child._seq, tie, child))
                    tie += 1
            else:
                buf[nr] = g if buf[nr] is None else buf[nr] + g
        # let go of this node's gradients: the buffers alone hold them now, so accumulate()
        # can take a fresh array as a leaf's .grad instead of copying it
        grads = in_grads = g = None
    for node in leaves:
        grads = buffers.pop(node)
        if capture is not None:
            _capture(capture, node, grads)
        if accumulate and grads[0] is not None:
            node.accumulate(grads[0])
        grads = None


def _fill_finished_leaves(leaves, buffers, pending):
    """When a node fails mid-backward (a version error, say), torch has already added the
    gradients of the leaves that no pending node still feeds: its AccumulateGrad runs as soon
    as a leaf's gradient is complete. Do the same before the error propagates."""
    fed, stack = set(), list(pending)
    while stack:
        for child, _ in stack.pop().next_functions:
            if child is not None and child not in fed:
                fed.add(child)
                stack.append(child)
    for leaf in leaves:
        if leaf not in fed and buffers[leaf][0] is not None:
            leaf.accumulate(buffers[leaf][0])


def _retain(retained, grads):
    """Fill .grad of non-leaf tensors that asked for it with retain_grad()."""
    for nr, ref in retained.items():
        t = ref()
        g = grads[nr] if nr < len(grads) else None
        if t is None or g is None:
            continue
        if t._grad is None:
            t._grad = _make(np.array(g, dtype=t._dtype.np), t._device)
        else:
            t._grad = _make(t._grad._data + g, t._device)


def _capture(capture, node, grads):
    for nr, g in enumerate(grads):
        slots = capture.get((node, nr))
        if slots is not None and g is not None:
            for slot in slots:
                slot[0] = g if slot[0] is None else slot[0] + g


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """Compute gradients of `tensors` and add them into the leaves' .grad."""
    if create_graph:
        raise NotImplementedError("playground.torch does not implement create_graph=True "
                                  "(higher-order gradients) yet")
    if inputs is not None:
        raise NotImplementedError("playground.torch does not implement backward(inputs=...) "
                                  "yet; use torch.autograd.grad for selected inputs")
    roots = _roots(tensors, grad_tensors if grad_tensors is not None else grad_variables)
    _execute(roots, bool(retain_graph))


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Gradients of outputs with respect to inputs, returned (not added into .grad)."""
    if create_graph:
        raise NotImplementedError("playground.torch does not implement create_graph=True "
                                  "(higher-order gradients) yet")
    single = isinstance(inputs, Tensor)
    inputs = (inputs,) if single else tuple(inputs)
    roots = _roots(outputs, grad_outputs)
    capture = {}
    slots = []
    for i, x in enumerate(inputs):
        if not x.requires_grad:
            raise RuntimeError(f"One of the differentiated Tensors does not require grad")
        slot = [None]
        slots.append(slot)
        capture.setdefault(edge(x), []).append(slot)
    _execute(roots, bool(retain_graph), capture=capture, accumulate=False)
    result = []
    for i, (x, (g,)) in enumerate(zip(inputs, slots)):
        if g is None:
            if materialize_grads:
                g = np.zeros(x._data.shape, x._dtype.np)
            elif not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have "
                                   "been used in the graph. Set allow_unused=True if this is the "
                                   "desired behavior.")
            else:
                result.append(None)
                continue
        result.append(_make(np.array(g, dtype=x._dtype.np), x._device))
    return tuple(result)


def _tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    backward(self, gradient, retain_graph, create_graph, inputs=inputs)


Tensor.backward = _tensor_backward


def Variable(data, requires_grad=False, volatile=False):
    """The pre-0.4 wrapper: today a Variable is a Tensor (a detached alias of `data`)."""
    if not isinstance(data, Tensor):
        raise TypeError("Variable data has to be a tensor, but got " + type(data).__name__)
    t = data.detach()
    return t.requires_grad_(True) if requires_grad else t


def set_detect_anomaly(mode, check_nan=True):
    """Accepted for compatibility; the engine already names the failing node in its errors."""
    return None


class detect_anomaly:
    def __init__(self, check_nan=True):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class Function:
    """torch.autograd.Function (custom ops with ctx) is not part of the first lessons."""

    def __init_subclass__(cls, **kwargs):
        raise NotImplementedError("playground.torch does not implement custom "
                                  "torch.autograd.Function subclasses yet")
