"""Helpers of the Python module's tests (tests/python/): the eligo program, a ticking thread that
shows whether a long call released the GIL, and a progress callback that sends Ctrl-C."""
import os
import signal
import subprocess
import threading
import time

ELIGO = os.environ.get("ELIGO_BINARY", "eligo")


def run_cli(*args, timeout=120):
    """The eligo program with an argv list (no shell); its completed process."""
    return subprocess.run([ELIGO, *args], capture_output=True, text=True, timeout=timeout)


class Ticker:
    """A thread that records the time every millisecond while the `with` block runs; a call that
    holds the GIL lets it tick at most at the call's start."""

    def __enter__(self):
        self.ticks = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)
        self._thread.start()
        time.sleep(0.01)
        return self

    def _run(self):
        while not self._stop.is_set():
            self.ticks.append(time.monotonic())
            time.sleep(0.001)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def between(self, t0, t1):
        """How many times it ticked strictly between t0 and t1 (time.monotonic())."""
        return sum(1 for t in list(self.ticks) if t0 < t < t1)


def sigint_at(key, value, seen):
    """A progress callback that appends e[key] to `seen` and sends SIGINT to this process when it is
    `value`: Python's handler only sets a flag, which the call's signal check turns into
    KeyboardInterrupt (deterministic)."""
    def progress(e):
        seen.append(e[key])
        if e[key] == value:
            os.kill(os.getpid(), signal.SIGINT)
    return progress
