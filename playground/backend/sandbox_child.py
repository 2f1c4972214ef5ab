"""The child process of POST /v1/run: runs one cell with real torch and writes the result.

    python -I -m playground.backend.sandbox_child RESULT_FD CONFIG_JSON  < {"code", "setup"}

It starts with a clean environment, in an empty temporary directory, under the limits the
parent set (sandbox.py). The cell runs with the scratchpad's own runner (widgets.cell_runner:
Jupyter semantics, tracebacks that point at the student's lines, output capped), so a cell
prints here what it prints in the browser. The `setup` cells (the notebook's earlier cells)
run first in the same namespace, their output discarded, so the cell sees their variables
while each request stays self-contained. Past its time or CPU budget the cell is stopped
with KeyboardInterrupt from a signal (SIGALRM, SIGXCPU), which also ends `while True: pass`
and `time.sleep`, and keeps what it printed; the parent kills the process if the cell
ignores that. On RESULT_FD the child writes START once the cell begins (the parent's
wall-clock limit counts from there), then the result as one JSON object. What the cell
writes to the raw file descriptors 1 and 2 is discarded by the parent.
"""
import json
import os
import resource
import signal
import sys

START = b"S"


def _stop(message):
    def handler(signum, frame):
        raise KeyboardInterrupt(message)
    return handler


def main(argv):
    fd, config = int(argv[1]), json.loads(argv[2])
    request = json.loads(sys.stdin.read())
    sys.stdin.close()
    import torch  # noqa: F401  (imported before the clock starts: not the student's time)
    from widgets.cell_runner import run

    wall_s, cpu_s = config["wall_s"], config["cpu_s"]
    signal.signal(signal.SIGALRM, _stop(f"the cell ran longer than its time limit of "
                                        f"{wall_s:g} s"))
    signal.signal(signal.SIGXCPU, _stop(f"the cell used more than its CPU time limit of "
                                        f"{cpu_s:g} s"))
    used = resource.getrusage(resource.RUSAGE_SELF)  # the CPU limit counts from here on
    soft = int(used.ru_utime + used.ru_stime) + 1 + cpu_s
    resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 2))
    os.write(fd, START)
    signal.setitimer(signal.ITIMER_REAL, wall_s)
    namespace = {"__name__": "__main__"}
    for i, earlier in enumerate(request["setup"], 1):  # what they print is not this cell's
        run(earlier, namespace, name=f"earlier cell {i}", max_output=0)
    result = run(request["code"], namespace, name="cell", max_output=config["max_output"])
    # The cell is over: its limits must not cut the report short. Past the soft CPU limit the
    # kernel repeats SIGXCPU every CPU second, and Python's shutdown (torch's teardown
    # included) puts the default action, death, back: a cell stopped at its CPU limit then
    # lost its output on a busy machine.
    signal.setitimer(signal.ITIMER_REAL, 0)
    for late in (signal.SIGALRM, signal.SIGXCPU):
        signal.signal(late, signal.SIG_IGN)
    payload = {"status": result.status, "output": result.text, "truncated": result.truncated,
               "seconds": result.duration_s}
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(payload, out)
    # No interpreter shutdown: nothing of the cell's (atexit handlers, __del__, threads)
    # runs after its result, and tearing torch down is time nobody waits for.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
