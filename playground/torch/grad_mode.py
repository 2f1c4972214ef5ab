"""Grad mode: one flag, saved, set and restored (torch.autograd.grad_mode)."""
import functools
import threading


class _GradMode(threading.local):
    """Per thread, as in torch: a scratchpad cell's `with torch.no_grad():` running in a worker
    thread of `panel serve` must not switch gradients off for other sessions."""

    enabled = True  # every thread starts with gradients on


GradMode = _GradMode()


def is_grad_enabled():
    return GradMode.enabled


class _Switch:
    """Base for the context managers; each is also a decorator, like torch's."""

    mode = None

    def __enter__(self):
        self.prev = GradMode.enabled
        GradMode.enabled = self.mode

    def __exit__(self, *exc):
        GradMode.enabled = self.prev
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return func(*args, **kwargs)
        return wrapper

    def clone(self):
        return self.__class__()


class no_grad(_Switch):
    """Disable gradient recording inside a `with` block or a decorated function."""

    mode = False

    def __new__(cls, orig_func=None):
        # torch also allows the bare decorator form `@torch.no_grad` (no call)
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class enable_grad(_Switch):
    mode = True


class set_grad_enabled(_Switch):
    """set_grad_enabled(False) switches at once (function form) and restores on `with` exit."""

    def __init__(self, mode):
        self.prev = GradMode.enabled
        self.mode = bool(mode)
        GradMode.enabled = self.mode

    def __enter__(self):
        pass

    def __call__(self, func):
        GradMode.enabled = self.prev  # as a decorator it must not stay switched
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return func(*args, **kwargs)
        return wrapper

    def clone(self):
        return set_grad_enabled(self.mode)

    def __repr__(self):
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self.mode})"


class inference_mode(_Switch):
    """Treated as no_grad: the engine has no separate inference tensors."""

    def __init__(self, mode=True):
        self.mode = not mode

    def clone(self):
        return inference_mode(not self.mode)
