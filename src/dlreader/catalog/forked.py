"""Work done in a forked child process while this one goes on: its results, on request.

The app's start has a core to spare while it imports Textual (~0.3 s of one core on the
machines this runs on, which have two); a child forked just before that import computes
what the screen will ask for first (see ``loader.BackgroundLoad``), and hands it over
pickled, already computed when the screen asks.

Forking is only safe while this process has no other thread (one holding a lock, the
allocator's or the import system's, would leave it held forever in the child), so
``ForkedWork.start`` refuses unless this is the only thread. It is also Linux only: macOS's
system libraries are not fork-safe and Windows has no fork. Whenever there is no child,
or it fails, is killed or falls silent, the caller computes the same thing itself.

The child keeps the parent's priority: niced, it lost the CPU to other processes on a
busy machine and the screen waited for it (a cold R1 start at load 5.6: 1.96 s niced,
1.80 s not, 1.79 s with no child).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")

# A child silent this long is given up on: the caller computes the rest itself. Its
# callers include the screen's first paint, which waits: the child answers within a few
# tenths of a second even on a busy machine, and computing here costs what it would.
SILENCE_TIMEOUT = 1.0

_SIZE_BYTES = 8
_DEFERRED_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def can_fork() -> bool:
    """Is forking this process safe now? (Linux, and no other thread running.)"""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.active_count() == 1)


class ForkedWork:
    """A forked child running ``work``, which yields (name, value) pairs; ``get(name, ...)``
    hands each value over in the parent (to any of its threads)."""

    def __init__(self, pid: int, fd: int) -> None:
        self._lock = threading.Lock()  # one reader of the pipe at a time (any thread)
        self._pid: int | None = pid
        self._fd = fd
        self._buffer = bytearray()
        self._replies: dict[str, Any] = {}

    @classmethod
    def start(cls, work: Callable[[], Iterable[tuple[str, object]]]) -> ForkedWork | None:
        """The child at work, or None where forking is unsafe or fails."""
        if not can_fork():
            return None
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return None
        # Signals wait until the child is inside its try (a Ctrl+C landing before it would
        # unwind the parent's stack in the child) and the parent holds its pid.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS)
        try:
            pid = os.fork()
        except OSError:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child: never returns
            _run_child(work, read_fd, write_fd, blocked)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(write_fd)  # the child's end: its exit is then this end's EOF
        return cls(pid, read_fd)

    def get(self, name: str, otherwise: Callable[[], T]) -> T:
        """The child's value called ``name``, else (no child, or it failed) ``otherwise()``."""
        with self._lock:
            while name not in self._replies and self._pid is not None:
                reply = self._read_reply()
                if reply is None:
                    self._close()
                else:
                    self._replies[reply[0]] = reply[1]
            if name in self._replies:
                value: T = self._replies.pop(name)
                return value
        return otherwise()

    def close(self) -> None:
        """Stop the child (if it is still at work) and reap it; ``get`` computes from now."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):  # a zombie until reaped: still ours
            os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):  # reaped already by a wait for any child
            os.waitpid(self._pid, 0)
        os.close(self._fd)
        self._pid = None

    def _read_reply(self) -> tuple[str, Any] | None:
        """The next (name, value) the child sent; None at its end, or on silence."""
        deadline = time.monotonic() + SILENCE_TIMEOUT
        while True:
            if len(self._buffer) >= _SIZE_BYTES:
                size = int.from_bytes(self._buffer[:_SIZE_BYTES], "big")
                end = _SIZE_BYTES + size
                if len(self._buffer) >= end:
                    try:
                        reply = pickle.loads(self._buffer[_SIZE_BYTES:end])
                    except Exception:
                        return None
                    del self._buffer[:end]
                    return (reply[0], reply[1])
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._fd], [], [], remaining)[0]:
                return None
            data = os.read(self._fd, 1 << 20)
            if not data:
                return None
            self._buffer += data


def _run_child(work: Callable[[], Iterable[tuple[str, object]]], read_fd: int,
               write_fd: int, signal_mask: Iterable[int]) -> NoReturn:
    # Whatever happens (an error, Ctrl+C's KeyboardInterrupt, the parent gone), the child
    # leaves by os._exit: never through the parent's code, its atexit handlers or buffers.
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, signal_mask)
        os.close(read_fd)
        gc.freeze()  # the parent's objects: never collected here, their pages never copied
        for name, value in work():
            data = pickle.dumps((name, value), protocol=pickle.HIGHEST_PROTOCOL)
            message = memoryview(len(data).to_bytes(_SIZE_BYTES, "big") + data)
            while message:
                message = message[os.write(write_fd, message):]
    except BaseException:  # noqa: S110 - the parent computes what is missing
        pass
    finally:
        os._exit(0)
