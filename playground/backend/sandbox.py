"""POST /v1/run: a student's cell on real torch, in a separate process with hard limits.

The child (sandbox_child.py) gets: a clean environment (PATH, HOME and TMPDIR pointing at an
empty temporary directory, nothing of the server's, so no token or other secret), that
directory as its working directory, a new session (so the whole process group can be
killed), RLIMIT_CPU (CPU seconds), RLIMIT_AS (memory, where the device is the CPU: CUDA
reserves huge address ranges, so on a GPU the parent watches the resident size instead),
RLIMIT_FSIZE and no core files. The parent enforces the wall-clock time, the memory (resident size, polled)
and the size of what comes back, and kills the process group past any of them.
"""
import json
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from .sandbox_child import START
from .settings import CodeLimits

POLL_S = 0.05
START_GRACE_S = 20  # starting Python and importing torch, before the cell's own limits count
PAGE = os.sysconf("SC_PAGE_SIZE")
FILE_LIMIT = 16 * 2 ** 20  # bytes a cell may write to a file in its temporary directory


def run_cell(code: str, setup: list, limits: CodeLimits, device: str) -> dict:
    """{'status', 'output', 'truncated', 'seconds', 'reason'}; never raises for the cell.
    `setup`: cells run first, silently, in the same namespace (the notebook's earlier ones)."""
    workdir = tempfile.mkdtemp(prefix="playground-cell-")
    read_fd, write_fd = os.pipe()
    config = {"max_output": limits.output_chars, "cpu_s": limits.cpu_s, "wall_s": limits.wall_s}
    started = time.perf_counter()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-m", "playground.backend.sandbox_child", str(write_fd),
             json.dumps(config)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd=workdir, env=_child_env(workdir), pass_fds=(write_fd,),
            start_new_session=True, preexec_fn=lambda: _limit_child(limits, device))
    finally:
        os.close(write_fd)
    try:
        try:
            proc.stdin.write(json.dumps({"code": code, "setup": list(setup)}).encode("utf-8"))
            proc.stdin.close()
        except BrokenPipeError:
            pass  # the child died at once; its exit status tells why
        data, reason = _collect(proc, read_fd, limits)
    finally:
        os.close(read_fd)
        _kill(proc)
        shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.perf_counter() - started
    if reason is None:
        # A whole result is the cell's, whatever ended the process after writing it; the
        # exit status only explains a missing or cut-off one.
        try:
            return {**json.loads(data.decode("utf-8")), "reason": None}
        except ValueError:
            reason = (_exit_reason(proc.returncode, limits)
                      or "the cell's process ended without a result")
    return {"status": "killed", "output": "", "truncated": False, "seconds": seconds,
            "reason": reason}


def _collect(proc, fd, limits):
    """Read the child's result while watching the clock, its memory and the result's size.
    The child stops the cell itself at its limits; these are the backstops."""
    cap = limits.output_chars * 8 + 65536  # JSON escapes a character in at most 6 bytes
    deadline = time.monotonic() + START_GRACE_S  # until the cell starts
    chunks, size, started = [], 0, False
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while True:
            if time.monotonic() > deadline:
                return b"", f"it ran longer than the {limits.wall_s:g} s limit"
            if _resident_mb(proc.pid) > limits.memory_mb:
                return b"", f"it used more than the {limits.memory_mb} MB memory limit"
            if sel.select(POLL_S):
                chunk = os.read(fd, 65536)
                if not chunk:
                    proc.wait(timeout=5)
                    return b"".join(chunks), None
                if not started:
                    started, chunk = True, chunk[len(START):]
                    deadline = time.monotonic() + limits.wall_s + 2
                chunks.append(chunk)
                size += len(chunk)
                if size > cap:
                    return b"", f"it printed more than the {limits.output_chars} character limit"
            elif proc.poll() is not None and not chunks:
                return b"", None  # exited without writing: the exit status says why


def _exit_reason(code, limits):
    if code == 0:
        return None
    if code == -signal.SIGXCPU or code == -signal.SIGKILL:
        return f"it used more than the {limits.cpu_s} s CPU time limit"
    if code < 0:
        return f"it was ended by signal {signal.Signals(-code).name}"
    return f"its process exited with status {code}"


def _resident_mb(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE / 2 ** 20
    except (OSError, ValueError, IndexError):
        return 0.0


def _kill(proc):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def _child_env(workdir):
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": workdir, "TMPDIR": workdir,
           "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}
    for name in ("CUDA_VISIBLE_DEVICES",):  # which GPU, not a secret
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _limit_child(limits, device):
    """Runs in the child between fork and exec."""
    # a backstop: the child lowers it to its own usage + cpu_s once torch is imported
    cpu = START_GRACE_S + limits.cpu_s
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    if device == "cpu":
        memory = limits.memory_mb * 2 ** 20
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
