"""One job at a time on the device, a short queue behind it, and a time limit per job.

The device (a GPU, or the CPU's cores) runs one experiment at a time: jobs run on a single
worker thread, in arrival order. A request that finds `queue` jobs already waiting is turned
away at once (Busy -> 409) instead of piling up behind them. A job that runs past its time
limit is stopped: JobTimeout is raised inside the worker thread (CPython's
PyThreadState_SetAsyncExc; the experiments are Python loops over steps, so it lands within one
step) and the request gets 504. The worker loop catches a JobTimeout that lands late; should
one land where no handler is, or the gate be closed (an app's lifespan ending), the next job
starts a new worker thread.
"""
import ctypes
import queue
import threading
import time


class Busy(Exception):
    """The queue is full."""


class JobTimeout(Exception):
    """The job ran past its time limit and was stopped."""


class _Job:
    __slots__ = ("fn", "args", "result", "error", "started", "done", "finished")

    def __init__(self, fn, args):
        self.fn, self.args = fn, args
        self.result = self.error = None
        self.started = threading.Event()
        self.done = threading.Event()
        self.finished = False  # set under the gate's lock: no interrupt is sent after it


class JobGate:
    def __init__(self, queue_size: int, timeout_s: float):
        self.queue_size = queue_size
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._jobs = queue.SimpleQueue()
        self._pending = 0          # running + waiting
        self._current = None
        self._worker = None

    def run(self, fn, *args):
        """fn(*args) on the device thread; raises Busy, JobTimeout or what fn raised."""
        with self._lock:
            if self._pending > self.queue_size:  # one running plus `queue_size` waiting
                raise Busy(f"the server is busy: {self._pending} jobs are running or waiting "
                           f"(the queue holds {self.queue_size}); try again in a few seconds")
            self._pending += 1
        try:
            job = _Job(fn, args)
            self._jobs.put(job)
            # the limit counts from the start, not while the job waits its turn
            while not job.started.wait(0.5):
                self._ensure_worker()
            if not job.done.wait(self.timeout_s):
                # again until it lands: one raised inside a garbage-collector callback is
                # lost, and a C call (a big matmul) finishes before it can land
                deadline = time.monotonic() + self.timeout_s
                while not job.done.is_set() and time.monotonic() < deadline:
                    self._interrupt(job)
                    job.done.wait(0.2)
                raise JobTimeout(f"the experiment ran longer than {self.timeout_s:g} s and was "
                                 f"stopped: ask for fewer steps or smaller sizes")
            if job.error is not None:
                raise job.error
            return job.result
        finally:
            with self._lock:
                self._pending -= 1

    def _ensure_worker(self):
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._loop, args=(self._jobs,),
                                                name="device-job", daemon=True)
                self._worker.start()

    def _loop(self, jobs):
        while True:
            job = None
            try:
                job = jobs.get()
                if job is None:
                    return
                self._current = job
                job.started.set()
                try:
                    job.result = job.fn(*job.args)
                except BaseException as exc:  # JobTimeout included: handed to the caller
                    job.error = exc
                finally:
                    with self._lock:
                        job.finished = True
                        self._current = None
                job.done.set()
            except JobTimeout:  # landed after the job had finished: nothing to stop
                if job is not None and not job.done.is_set():
                    job.done.set()

    def _interrupt(self, job):
        with self._lock:
            if not job.finished and self._current is job and self._worker is not None:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(self._worker.ident), ctypes.py_object(JobTimeout))

    def close(self):
        """Stop the worker once the queued jobs are done (a later job starts a new one)."""
        with self._lock:
            if self._worker is not None:
                self._jobs.put(None)
                self._jobs, self._worker = queue.SimpleQueue(), None
