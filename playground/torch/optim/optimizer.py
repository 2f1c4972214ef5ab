"""The Optimizer base: parameter groups, per-parameter state, zero_grad, torch's repr."""
import collections

import numpy as np

from ..tensor import Tensor, _make


class Optimizer:
    __module__ = "torch.optim.optimizer"

    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state = collections.defaultdict(dict)  # per parameter, created when first needed
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {params.type()}")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for g in groups:
            self.add_param_group(g)

    def add_param_group(self, group):
        params = group["params"]
        group = dict(group)
        group["params"] = [params] if isinstance(params, Tensor) else list(params)
        for p in group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + type(p).__name__)
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for k, v in self.defaults.items():
            group.setdefault(k, v)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    p._grad._grad_fn = None
                    p._grad._rg = False
                    p._grad.zero_()

    def step(self, closure=None):
        loss = None
        if closure is not None:
            from ..grad_mode import enable_grad
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            maximize = group.get("maximize")
            pairs = [(p, -p._grad._data if maximize else p._grad._data)
                     for p in group["params"] if p._grad is not None]
            self._step_group(group, pairs)
            for p, _ in pairs:
                p._vc[0] += 1  # an in-place change, as torch's p.add_(...)
        return loss

    def _step_group(self, group, pairs):
        """One step for each (parameter, gradient array) of a group (an algorithm may read the
        group's settings once here instead of once per parameter)."""
        update = self._update
        for p, g in pairs:
            update(p, g, group)

    def _update(self, p, g, group):
        """One step for parameter p with gradient g; self.state[p] holds what it keeps."""
        raise NotImplementedError

    @staticmethod
    def _buffer(p, value=None):
        """A state tensor shaped like p (kept as a tensor so lessons can show it)."""
        arr = np.zeros_like(p._data) if value is None else np.array(value, dtype=p._dtype.np)
        return _make(arr, p._device)

    def state_dict(self):
        index = {}
        groups = []
        for group in self.param_groups:
            g = {k: v for k, v in group.items() if k != "params"}
            g["params"] = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                g["params"].append(index[id(p)])
            groups.append(g)
        state = {index[id(p)]: dict(s) for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        params = [p for g in self.param_groups for p in g["params"]]
        for group, saved in zip(self.param_groups, state_dict["param_groups"]):
            group.update({k: v for k, v in saved.items() if k != "params"})
        self.state = collections.defaultdict(dict)
        self.state.update({params[i]: dict(s) for i, s in state_dict["state"].items()})

    def __repr__(self):
        lines = [type(self).__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            if i:
                lines.append("")  # torch separates groups with a blank line
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)

    def __getstate__(self):
        return self.__dict__
