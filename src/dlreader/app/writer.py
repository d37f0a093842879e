"""The app's single store writer: a queue drained by one thread.

The UI applies a change to its view at once and submits it here; the writer thread
coalesces whatever is queued into one ``store.apply_batch`` (each key press stays its own
undo step), and reports back through ``report`` (the app passes a thread-safe
``post_message``). Undo, redo and reloads go through the same queue, so they run after
every write submitted before them.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from msgspec import Struct
from textual.message import Message

from dlreader.errors import DlreaderError
from dlreader.store.records import ItemState, ItemUpdate

if TYPE_CHECKING:
    from dlreader.store.store import Store

# How long a change waits for more before it is written (see StoreWriter._gather).
COALESCE_SECONDS = 0.05


# What the writer reports: Textual messages (posted from its thread with post_message),
# with plain __init__s for the reason in app/messages.py.


class Written(Message):
    """Changes are on disk; ``states`` are the store's records for the items written."""

    def __init__(self, states: dict[str, ItemState | None]) -> None:
        super().__init__()
        self.states = states


class Replaced(Message):
    """The whole state as the store has it now (after undo, redo, a reload or a failure)."""

    def __init__(self, states: dict[str, ItemState],
                 reason: Literal["undo", "redo", "reload", "failed"], label: str = "",
                 done: bool = True, items: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.states = states
        self.reason = reason
        self.label = label  # the undone/redone step's label
        self.done = done  # False when there was nothing to undo/redo
        self.items = items  # the items the undone/redone step changed


class Failed(Message):
    """A store operation failed; the view must be reverted from ``Replaced``."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class _Op(Struct):
    kind: Literal["apply", "undo", "redo", "reload", "call", "stop"]
    updates: Sequence[ItemUpdate] = ()
    label: str = ""
    call: Callable[[], Any] | None = None
    ids: tuple[str, ...] = ()


class StoreWriter:
    """Owns all store access from the app after start-up."""

    def __init__(
        self, store: Store, report: Callable[[Written | Replaced | Failed], object], *,
        list_key: str | None = None
    ) -> None:
        self.store = store
        #: The list the app shows: its changes are tagged with it, and undo/redo take
        #: back only its steps.
        self.list_key = list_key
        self._report = report
        self._queue: queue.Queue[_Op] = queue.Queue()
        self._pending: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._started = False

    # -- called from the UI thread --------------------------------------------------------

    def submit(self, updates: Sequence[ItemUpdate], label: str) -> None:
        ids = tuple(update.item_id for update in updates)
        with self._lock:
            self._pending.update(ids)
        self._queue.put(_Op("apply", updates=list(updates), label=label, ids=ids))

    def undo(self) -> None:
        self._queue.put(_Op("undo"))

    def redo(self) -> None:
        self._queue.put(_Op("redo"))

    def reload(self) -> None:
        """Re-read the store if another process changed it (skipped when busy)."""
        if self._queue.empty():
            self._queue.put(_Op("reload"))

    def call(self, function: Callable[[], Any]) -> None:
        """Run ``function`` on the writer thread, after everything queued before it."""
        self._queue.put(_Op("call", call=function))

    def is_pending(self, item_id: str) -> bool:
        """True while a submitted change to the item has not been written."""
        with self._lock:
            return self._pending[item_id] > 0

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything submitted so far is written. False on timeout."""
        if not self._started or self._stopped.is_set():
            return True
        done = threading.Event()
        self._queue.put(_Op("call", call=done.set))
        return done.wait(timeout)

    def stop(self) -> None:
        """Finish what is queued, then end the thread."""
        self._queue.put(_Op("stop"))

    def wait_stopped(self, timeout: float | None = None) -> bool:
        return not self._started or self._stopped.wait(timeout)

    # -- the writer thread --------------------------------------------------------------

    def run(self) -> None:
        self._started = True
        try:
            while True:
                ops = [self._queue.get()]
                if ops[0].kind == "apply":
                    self._gather(ops)
                while True:
                    try:
                        ops.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                if self._process(ops):
                    return
        finally:
            self._stopped.set()

    def _gather(self, ops: list[_Op]) -> None:
        """Let a change wait up to COALESCE_SECONDS for more before it is written.

        Serialising a big store holds the GIL for a long moment; waiting lets the UI paint
        the change first, and a burst of keys becomes one write. Anything but a change
        (a flush, undo, stop) has someone waiting on it, so it ends the wait at once.
        """
        deadline = time.monotonic() + COALESCE_SECONDS
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                op = self._queue.get(timeout=remaining)
            except queue.Empty:
                return
            ops.append(op)
            if op.kind != "apply":
                return

    def _process(self, ops: list[_Op]) -> bool:
        """Run ops in order, consecutive applies as one batch. True when told to stop."""
        index = 0
        while index < len(ops):
            op = ops[index]
            if op.kind == "apply":
                batch = [op]
                while index + 1 < len(ops) and ops[index + 1].kind == "apply":
                    index += 1
                    batch.append(ops[index])
                self._write(batch)
            elif op.kind == "stop":
                # Anything queued after stop still runs: nothing acknowledged is dropped.
                self._process(ops[index + 1 :])
                return True
            else:
                self._guarded(op)
            index += 1
        return False

    def _release(self, batch: list[_Op]) -> None:
        with self._lock:
            for op in batch:
                self._pending.subtract(op.ids)
                for item_id in op.ids:
                    if self._pending[item_id] <= 0:
                        del self._pending[item_id]

    def _write(self, batch: list[_Op]) -> None:
        try:
            self.store.apply_batch([(op.updates, op.label) for op in batch],
                                   list_key=self.list_key)
            ids = {item_id for op in batch for item_id in op.ids}
            states = {item_id: self.store.get(item_id) for item_id in ids}
        except Exception as error:
            self._release(batch)
            self._fail(error)
            return
        self._release(batch)
        self._report(Written(states))

    def _guarded(self, op: _Op) -> None:
        try:
            if op.kind in ("undo", "redo"):
                key = self.list_key
                step = self.store.undo(key) if op.kind == "undo" else self.store.redo(key)
                label = step.label if step is not None else ""
                items = tuple(step.after) if step is not None else ()
                self._report(Replaced(self.store.states(), op.kind, label, step is not None,
                                      items))
            elif op.kind == "reload":
                if self.store.reload_if_changed():
                    self._report(Replaced(self.store.states(), "reload"))
            elif op.kind == "call" and op.call is not None:
                op.call()
        except Exception as error:
            self._fail(error)

    def _fail(self, error: Exception) -> None:
        if isinstance(error, DlreaderError):
            message = error.message
        else:
            message = f"{type(error).__name__}: {error}"
        self._report(Failed(message))
        # Revert the view to what the store holds; if it cannot even be read, keep the screen.
        with contextlib.suppress(Exception):
            self._report(Replaced(self.store.states(), "failed"))
