"""Run a student's code cell the way Jupyter does. Pure Python: no Panel, no numpy.

    result = run(source, namespace, name="cell 3")
    result.text        # everything the cell printed, exactly as Python would print it
    result.status      # 'ok' | 'error' | 'interrupted'

Semantics (those of IPython):
  * the statements run in `namespace` (a dict used as the module's globals), so cells
    share variables;
  * if the last statement is an expression, its value is shown with `repr` unless it is
    None or the line ends with ';', and it is stored as `_` in the namespace;
  * stdout and stderr are captured in the order they were written (per thread, so other
    threads and sessions keep printing to the real streams; see cell_output.py);
  * an exception is shown as Python's traceback, with the runner's own frames removed and
    (by default) library frames too, so it points at the student's lines. The source is
    registered in `linecache` under a unique file name (two sessions may both run a
    "cell 1"), shown to the student as `<cell 3>`;
  * output is capped (`max_output` characters) with a visible "[output truncated ...]" note,
    so a runaway print loop cannot freeze the page.

`CellRunner` runs cells one at a time and can stop them:
  * threaded (CPython, e.g. `panel serve`): the cell runs in a worker thread; `interrupt()`
    raises KeyboardInterrupt inside it with `PyThreadState_SetAsyncExc`. The caller polls
    `running` / `partial_text()` / `result` from its own thread (the UI thread), so the
    worker never touches the UI.
  * synchronous (Pyodide, sys.platform == 'emscripten': there are no threads): `start()`
    returns when the cell is done. The Stop button's click cannot even reach Python while
    the cell runs, so stopping must come from the page: it gives Pyodide an interrupt buffer
    (`pyodide.setInterruptBuffer(sharedInt32Array)`) and writes 2 (SIGINT) into it, which
    Python raises as KeyboardInterrupt. That is the seam `interrupt_hook`: a callable that
    `interrupt()` calls where threads are not available (e.g. one that posts a message
    asking the page to write the buffer); without it `interrupt()` returns False.
  * `time_limit_s` (optional, any mode): a trace function on the cell's own frames raises
    KeyboardInterrupt once the cell has run that long. A safety net for the browser, where
    a `while True: pass` cannot otherwise be stopped unless the page wired the buffer; it
    costs a little speed, so it is off unless asked for.
"""
from __future__ import annotations

import ast
import io
import itertools
import linecache
import re
import sys
import threading
import time
import tokenize
import traceback
from typing import Callable

from .cell_output import CellResult, OutputCapture, capture_output

DEFAULT_MAX_OUTPUT = 200_000  # characters; a few screens of text is plenty for a lesson

# Python in the browser (Pyodide) cannot start threads.
THREADS_AVAILABLE = sys.platform != "emscripten"

# Internal file names look like "<cell 3@17>": unique per run, shown as "<cell 3>".
_run_ids = itertools.count(1)
_INTERNAL_NAME = re.compile(r"<([^<>@\n]+)@\d+>")


def _is_cell_file(filename: str) -> bool:
    return _INTERNAL_NAME.fullmatch(filename or "") is not None


def _shown_names(text: str) -> str:
    return _INTERNAL_NAME.sub(r"<\1>", text)


# --------------------------------------------------------------------------------------
# Compiling and running one cell
# --------------------------------------------------------------------------------------

def _register_source(source: str, filename: str) -> None:
    # mtime None: linecache.checkcache() keeps entries that have no file on disk.
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    linecache.cache[filename] = (len(source), None, lines, filename)


def _ends_with_semicolon(source: str) -> bool:
    """IPython hides the last value when the cell's last token is ';'."""
    last = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE,
                                tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
                last = tok
    except (tokenize.TokenError, SyntaxError):
        return False
    return last is not None and last.type == tokenize.OP and last.string == ";"


def _trim_frames(tbe: traceback.TracebackException, frames: str, seen: set) -> None:
    """Keep the student's frames (and, with frames='all', library frames below them)."""
    if id(tbe) in seen:
        return
    seen.add(id(tbe))
    stack = list(tbe.stack)
    first = next((i for i, f in enumerate(stack) if _is_cell_file(f.filename)), None)
    if first is not None:  # drop the runner's frames above the cell
        stack = stack[first:]
    if frames == "student":
        stack = [f for f in stack if _is_cell_file(f.filename)]
    tbe.stack = traceback.StackSummary.from_list(stack)
    for chained in (tbe.__cause__, tbe.__context__):
        if chained is not None:
            _trim_frames(chained, frames, seen)
    for sub in tbe.exceptions or ():
        _trim_frames(sub, frames, seen)


def format_syntax_error(exc: SyntaxError) -> str:
    """Python's text for a syntax error: file, line, the source line and a caret."""
    if exc.text is None and exc.filename and exc.lineno:
        # errors found by the compiler (not the parser) carry no text for a file that
        # isn't on disk: take it from the registered source, as Python does for a script
        exc.text = linecache.getline(exc.filename, exc.lineno) or None
    shown = traceback.TracebackException(type(exc), exc, None)
    if type(exc) is not SyntaxError and sys.version_info < (3, 13):
        # The interpreter's own display (C, before 3.13) marks an IndentationError or
        # TabError with one caret, ignoring its end_offset; the traceback module would draw
        # the whole range (`^^^^^`). Show what `python script.py` shows.
        shown.end_offset = None
    return _shown_names("".join(shown.format_exception_only()))


def format_exception(exc: BaseException, frames: str = "student") -> str:
    """Python's own traceback text for `exc`, trimmed to the student's code."""
    tbe = traceback.TracebackException(type(exc), exc, exc.__traceback__, compact=True)
    _trim_frames(tbe, frames, set())
    return _shown_names("".join(tbe.format()))


class _Deadline:
    """A trace function that raises KeyboardInterrupt in cell code after `seconds`."""

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds

    def __call__(self, frame, event, arg):  # global tracer: only cell frames get traced
        return self._local if _is_cell_file(frame.f_code.co_filename) else None

    def _local(self, frame, event, arg):
        if event == "line" and time.monotonic() > self.deadline:
            raise KeyboardInterrupt(
                f"the cell ran longer than its time limit of {self.seconds:g} s")
        return self._local


def run(source: str, namespace: dict | None = None, *, name: str = "cell",
        max_output: int = DEFAULT_MAX_OUTPUT, frames: str = "student",
        time_limit_s: float | None = None, capture: OutputCapture | None = None) -> CellResult:
    """Run `source` in `namespace` with Jupyter semantics and return what it printed.

    name: shown in tracebacks as File "<name>" (e.g. "cell 3").
    frames: 'student' keeps only frames of cell code; 'all' keeps library frames as well.
    capture: lets CellRunner read the output while the cell is still running.
    Never raises for anything the cell does (KeyboardInterrupt included).
    """
    if frames not in ("student", "all"):
        raise ValueError(f"frames must be 'student' or 'all', not {frames!r}")
    namespace = {} if namespace is None else namespace
    namespace.setdefault("__name__", "__main__")
    capture = capture or OutputCapture(max_output)
    filename = f"<{name}@{next(_run_ids)}>"
    _register_source(source, filename)

    status = "ok"
    started = time.perf_counter()
    previous_trace = sys.gettrace()
    try:
        with capture_output(capture):
            # Compiling the text (not only parsing it) finds every syntax error, e.g.
            # 'return' outside function, and keeps the line for the caret display.
            try:
                compile(source, filename, "exec", dont_inherit=True)
                tree = ast.parse(source, filename, "exec")
            except SyntaxError as exc:  # no traceback header, like `python script.py`
                capture.write_always("error", format_syntax_error(exc))
                status = "error"
            else:
                status = _execute(tree, source, filename, namespace, capture, frames,
                                  time_limit_s)
    except KeyboardInterrupt:  # arrived between the cell's last line and here
        capture.write_always("error", "KeyboardInterrupt\n")
        status = "interrupted"
    finally:
        if time_limit_s is not None:
            sys.settrace(previous_trace)
    if capture.truncated:
        capture.write_always(
            "note", f"\n[output truncated: the cell printed more than {capture.max_output:,} "
                    f"characters; only the first {capture.max_output:,} are shown]\n")
    return CellResult(chunks=capture.snapshot(), status=status,
                      duration_s=time.perf_counter() - started, truncated=capture.truncated)


def _execute(tree: ast.Module, source: str, filename: str, namespace: dict,
             capture: OutputCapture, frames: str, time_limit_s: float | None) -> str:
    last_expr = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last_expr = ast.Expression(tree.body.pop().value)
    try:
        # dont_inherit: this module's own `from __future__` imports must not leak into the cell
        body = compile(tree, filename, "exec", dont_inherit=True)
        shown = (compile(last_expr, filename, "eval", dont_inherit=True)
                 if last_expr is not None else None)
    except SyntaxError as exc:  # cannot happen after the full compile in run(); kept as a net
        capture.write_always("error", format_syntax_error(exc))
        return "error"
    if time_limit_s is not None:
        sys.settrace(_Deadline(time_limit_s))
    try:
        exec(body, namespace)
        if shown is not None:
            value = eval(shown, namespace)
            if value is not None and not _ends_with_semicolon(source):
                namespace["_"] = value
                capture.write("result", repr(value) + "\n")
    except BaseException as exc:  # the student's error, SystemExit and KeyboardInterrupt too
        capture.write_always("error", format_exception(exc, frames))
        return "interrupted" if isinstance(exc, KeyboardInterrupt) else "error"
    return "ok"


# --------------------------------------------------------------------------------------
# One cell at a time, stoppable
# --------------------------------------------------------------------------------------

def _raise_in_thread(thread_id: int, exc_type) -> bool:
    """Ask the interpreter to raise exc_type in that thread at its next check (a Python
    call or a loop's jump back); a long C call (a big matmul) finishes first.
    Never pass None to "cancel": CPython then leaves its async-exception signal set for the
    whole interpreter, which, among other things, stops trace functions from firing."""
    import ctypes  # here, not at import: only threaded (CPython) runs need it

    done = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                                      ctypes.py_object(exc_type))
    return done == 1


def _python_call() -> None:
    """An empty Python call: entering it is a point where a pending async exception fires."""


class CellRunner:
    """Runs a code cell's runs one at a time in a shared namespace, and stops them.

    runner = CellRunner(namespace={'torch': torch})
    runner.start("for i in range(3): print(i)")   # threaded: returns at once
    runner.running / runner.partial_text() / runner.wait(5) / runner.result
    runner.interrupt()                             # KeyboardInterrupt in the cell

    Runs are named "cell 1", "cell 2", ... like Jupyter's In [n]; with numbered=False every
    run is named `name` itself (a notebook of cells names each after its place: "cell 3").
    """

    def __init__(self, namespace: dict | None = None, *, threaded: bool | None = None,
                 max_output: int = DEFAULT_MAX_OUTPUT, frames: str = "student",
                 time_limit_s: float | None = None,
                 interrupt_hook: Callable[[], bool] | None = None, name: str = "cell",
                 numbered: bool = True):
        self.namespace = {} if namespace is None else namespace
        self.threaded = THREADS_AVAILABLE if threaded is None else (threaded and THREADS_AVAILABLE)
        self.max_output = max_output
        self.frames = frames
        self.time_limit_s = time_limit_s
        self.interrupt_hook = interrupt_hook
        self.name = name
        self.numbered = numbered
        self.count = 0
        self.result: CellResult | None = None
        self._capture: OutputCapture | None = None
        self._thread: threading.Thread | None = None
        self._thread_id: int | None = None
        self._executing = False  # True only while the cell's code may run
        self._interrupt_requested = False
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._done.set()

    @property
    def running(self) -> bool:
        return not self._done.is_set()

    def partial_text(self) -> str:
        """What the running (or last) cell has printed so far."""
        capture = self._capture
        return "".join(t for _, t in capture.snapshot()) if capture else ""

    def partial_chunks(self) -> list[tuple[str, str]]:
        capture = self._capture
        return capture.snapshot() if capture else []

    def start(self, source: str, on_done: Callable[[CellResult], None] | None = None) -> bool:
        """Start a run; False (and nothing done) if one is still running.
        on_done is called with the result, in the worker thread when threaded."""
        with self._lock:
            if self.running:
                return False
            self._done.clear()
            self.count += 1
            self.result = None
            self._capture = OutputCapture(self.max_output)
        name = f"{self.name} {self.count}" if self.numbered else self.name
        if self.threaded:
            self._thread = threading.Thread(target=self._work, args=(source, name, on_done),
                                            name=f"playground {name}", daemon=True)
            self._thread.start()
        else:
            self._work(source, name, on_done)
        return True

    def wait(self, timeout: float | None = None) -> CellResult | None:
        self._done.wait(timeout)
        return self.result

    def interrupt(self) -> bool:
        """Raise KeyboardInterrupt in the running cell. True if a request was made."""
        if not self.threaded:
            return bool(self.interrupt_hook()) if self.interrupt_hook else False
        with self._lock:
            if not self._executing or self._thread_id is None:
                return False
            self._interrupt_requested = _raise_in_thread(self._thread_id, KeyboardInterrupt)
            return self._interrupt_requested

    def _work(self, source: str, name: str, on_done) -> None:
        result = None
        try:
            with self._lock:
                self._thread_id = threading.get_ident()
                self._interrupt_requested = False
                self._executing = True
            result = run(source, self.namespace, name=name, max_output=self.max_output,
                         frames=self.frames, time_limit_s=self.time_limit_s,
                         capture=self._capture)
        except KeyboardInterrupt:  # landed in the runner, just before or after the cell
            result = CellResult(
                chunks=self._capture.snapshot() + [("error", "KeyboardInterrupt\n")],
                status="interrupted")
        finally:
            self._finish_executing()
        self.result = result
        self._done.set()
        if on_done is not None:
            on_done(result)

    def _finish_executing(self) -> None:
        # After this no interrupt can be requested. One requested just before may still be
        # pending for this thread (the cell ended first): let it fire here, where it is
        # harmless, rather than in the caller's on_done.
        while True:
            try:
                with self._lock:
                    self._executing = False
                    requested = self._interrupt_requested
                if requested:
                    for _ in range(3):
                        _python_call()
                return
            except KeyboardInterrupt:
                continue
