"""Run every experiment once, tiny, when the server starts, before any job.

torch imports parts of itself the first time they are used (an optimizer's first step imports
torch._dynamo, which takes seconds; a profiler hook imports another module). Inside a job, a
job time limit's JobTimeout (an exception raised into the worker thread, jobs.py) can land in
the middle of such an import and leave that module half-imported for the rest of the process:
every later request that needs it fails ("partially initialized module"). Taking each path a
request can take once at start-up makes those imports happen where no time limit runs.

The specs come from protocol.EXPERIMENTS: every choice of every field (one spec per choice, the
rest at their defaults) with every size at its smallest, so a new choice is covered without
touching this file.
"""
from .. import compute, protocol

# the fields that set how much work a run does: at their lower limit
_SIZES = ("steps", "grid", "points", "n", "repeat")


def warm_up_specs(device: str):
    """(name, spec) pairs that together take every choice the protocol offers."""
    for name, fields in protocol.EXPERIMENTS.items():
        small = {key: f.low for key, f in fields.items() if key in _SIZES}
        if name == "matmul":
            small.update(sizes=(8,), device=device)  # the backend's device, never another one
        yield name, dict(small)
        for key, f in fields.items():
            if not f.choices or key == "device":
                continue
            if f.kind is tuple:  # a list of choices (the optimizers to compare): all at once
                yield name, {**small, key: tuple(f.choices)}
            else:
                for choice in f.choices:
                    if choice != f.default:
                        yield name, {**small, key: choice}


def warm_up(torch, device: str) -> int:
    """Run the warm-up specs on `torch` and `device`; how many ran."""
    count = 0
    for name, spec in warm_up_specs(device):
        compute.run(name, spec, torch, device)
        count += 1
    return count
