"""The autograd graph behind some named tensors, as plain data for the graph view.

    describe_graph({"x": x, "y": y, "t": t}, torch)
    # {'nodes': [{'id': 'x', 'label': 'x', 'kind': 'tensor', 'leaf': True, ...},
    #            {'id': 'fn0', 'label': 'AddBackward0', 'kind': 'function', 'freed': False},
    #            {'id': 'fn1', 'label': 'AccumulateGrad', 'kind': 'accumulate', ...}, ...],
    #  'edges': [('x', 'fn1'), ('fn1', 'fn0'), ('fn0', 'y'), ...]}

Everything comes from the tensors themselves, through the API torch documents: `t.grad_fn`,
`fn.name()`, `fn.next_functions`, an AccumulateGrad's `.variable`, `t.is_leaf`, `t.grad`.
So the same function describes our engine's graph and real torch's.

Edges point the way the forward pass went (inputs to outputs); backward() walks them the
other way. A non-leaf tensor hangs off the grad_fn that made it (`y.grad_fn`), as in torch,
where the graph holds grad_fn nodes and not the tensors between them. Tensors that do not
require grad are described too, with no edges: autograd records nothing for them.
"""


def describe_graph(named_tensors, torch):
    """{'nodes': [...], 'edges': [(src, dst), ...]} in the GraphView's format."""
    tensors = {name: t for name, t in named_tensors.items() if isinstance(t, torch.Tensor)}
    nodes = [_tensor_node(name, t) for name, t in tensors.items()]
    leaf_names = {}  # id(leaf) -> its name (the first name given wins)
    for name, t in tensors.items():
        if t.is_leaf:
            leaf_names.setdefault(id(t), name)

    found = _walk([t.grad_fn for t in tensors.values()])
    ids = {id(fn): f"fn{k}" for k, fn in enumerate(found)}
    edges = []
    for fn in found:
        node_id = ids[id(fn)]
        nodes.append(_function_node(node_id, fn))
        variable = getattr(fn, "variable", None)  # AccumulateGrad: the leaf it fills
        if variable is not None:
            if id(variable) not in leaf_names:  # a leaf nobody named still gets a .grad
                leaf_names[id(variable)] = f"leaf{len(leaf_names)}"
                nodes.append(_tensor_node(leaf_names[id(variable)], variable,
                                          label="(unnamed leaf)"))
            edges.append((leaf_names[id(variable)], node_id))
        edges += [(ids[id(child)], node_id) for child, _ in fn.next_functions
                  if child is not None]
    edges += [(ids[id(t.grad_fn)], name) for name, t in tensors.items()
              if t.grad_fn is not None]
    return {"nodes": nodes, "edges": list(dict.fromkeys(edges))}


def _walk(roots):
    """Every grad_fn node reachable from `roots`, breadth first, each once."""
    found, seen = [], set()
    pending = [fn for fn in roots if fn is not None]
    while pending:
        fn = pending.pop(0)
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        found.append(fn)
        pending += [child for child, _ in fn.next_functions if child is not None]
    return found


def _tensor_node(node_id, t, label=None):
    grad = t.grad if t.is_leaf else None  # reading a non-leaf's .grad makes torch warn
    return {"id": node_id, "label": label or node_id, "kind": "tensor", "leaf": t.is_leaf,
            "requires_grad": t.requires_grad, "shape": list(t.shape), "value": str(t),
            "grad": None if grad is None else str(grad)}


def _function_node(node_id, fn):
    accumulate = hasattr(fn, "variable")
    return {"id": node_id, "label": node_name(fn), "kind": "accumulate" if accumulate
            else "function", "freed": saved_tensors_freed(fn)}


def node_name(fn):
    """torch's name for a graph node: 'MulBackward0', 'AccumulateGrad' (without the
    'torch::autograd::' namespace name() gives AccumulateGrad)."""
    return fn.name().rsplit("::", 1)[-1]


def saved_tensors_freed(fn):
    """Whether backward() already freed the tensors this node saved for its gradient.

    Our engine marks such a node (`_freed`); real torch raises RuntimeError when one of its
    `_saved_*` tensors is read after it was freed (values saved as numbers never are)."""
    marked = getattr(fn, "_freed", None)
    if marked is not None:
        return bool(marked)
    for attr in dir(fn):
        if attr.startswith("_saved_"):
            try:
                getattr(fn, attr)
            except RuntimeError:
                return True
    return False
