"""nn.Parameter: a leaf tensor that a Module registers as trainable."""
from ..tensor import Tensor, _make


class Parameter(Tensor):
    __slots__ = ()  # the same layout as Tensor, so a tensor can become a Parameter in place
    __module__ = "torch.nn.parameter"

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from ..creation import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter data must be a Tensor, not {type(data).__name__}")
        # shares memory with `data`, as torch's Parameter does, but starts a new history
        t = _make(data._data, data._device)
        t.__class__ = cls
        t.requires_grad_(requires_grad)
        return t

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self.detach(), self._rg))


def _rebuild_parameter(data, requires_grad):
    return Parameter(data, requires_grad)
