"""The devices lesson's examples: the seeds' CUDA cells, run on the torch they are given.

On our engine they run with its simulated GPU switched on for the example only (reprs show
device='cuda:0', mixing devices and .numpy() on a cuda tensor fail with torch's errors); on
real torch they run on its real GPU, or fail as a CPU-only torch fails. Each example starts
with torch.manual_seed(0), so its random numbers are torch's own for that seed.
"""
import contextlib
import io
import traceback

PRELUDE = "torch.manual_seed(0)\ncpu = torch.device('cpu')\ngpu = torch.device('cuda')\n"

# name -> code, from the seeds (001: copy tensors between GPU and CPU; 003: the Cuda section)
EXAMPLES = {
    "move a tensor": "x = torch.rand(10)\nprint(x)  # in cpu by default\n\nx = x.to(gpu)\n"
                     "print(x)",
    "create on the device": "x = torch.randn(5, 3)\ndevice = torch.device('cuda')\n"
                            "y = torch.ones_like(x, device=device)  # directly on the GPU\n"
                            "x = x.to(device)                       # or .to('cuda')\n"
                            "z = x + y\nprint(z, z.type())\n"
                            "print(z.to('cpu', torch.double))       # device and dtype at once",
    "where a tensor lives": "x = torch.randn(1)\nprint(x.device)\nx = x.to(gpu)\n"
                            "print(x.device)\nprint(x.is_cuda, x.cuda().device, "
                            "x.cpu().device)",
    "back to numpy": "x = torch.randn(1).to(gpu)\nx = x.data\nprint(x)\nprint(x.item())\n"
                     "print(x.cpu().numpy())\nprint(x.numpy())  # fails: numpy lives in CPU "
                     "memory",
    "mixing devices": "a = torch.ones(2, device='cuda')\nb = torch.ones(2)\n"
                      "print(a + b)  # fails: both must be on one device",
}


def run_example(name, torch):
    """{'code', 'output', 'error'}: the example's code, what it printed, and the last line of
    the error it stopped at ('' if none)."""
    if name not in EXAMPLES:
        raise ValueError(f"unknown example '{name}': choose one of {', '.join(EXAMPLES)}")
    code = EXAMPLES[name]
    out, error = io.StringIO(), ""
    with _simulated_gpu(torch), contextlib.redirect_stdout(out):
        try:
            exec(compile(PRELUDE + code, f"<{name}>", "exec"), {"torch": torch})
        except Exception as exc:  # the lesson shows torch's error as the example's ending
            error = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return {"code": code, "output": out.getvalue(), "error": error}


@contextlib.contextmanager
def _simulated_gpu(torch):
    simulate = getattr(torch.cuda, "simulate", None)  # our engine's; real torch has none
    previous = simulate(True) if simulate else None
    try:
        yield
    finally:
        if simulate:
            simulate(previous)
