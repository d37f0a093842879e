"""Real processes on one store: SIGKILL mid-write, concurrent writers, a held or dead lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dlreader.errors import EXIT_BUSY, StoreBusy
from dlreader.store import ItemState, ItemUpdate, Store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

WRITER = """
import os, sys, time
from dlreader.store import ItemUpdate, Store
path, n, pause_at, where = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
real_replace = os.replace

def replace(source, target):
    # Tell the parent we are inside the write, then wait for its SIGKILL there.
    if n == pause_at and where == "before-replace":
        print("pause", flush=True); time.sleep(30)
    real_replace(source, target)
    if n == pause_at and where == "after-replace":
        print("pause", flush=True); time.sleep(30)

os.replace = replace
store = Store.open(path)
while True:
    store.apply([ItemUpdate(f"k{n}", None, f"K{n}", status="read", note="x" * 300)])
    print(n, flush=True)  # acknowledged: the change is on disk
    n += 1
"""

MARKER = """
import os, sys, time
from dlreader.store import ItemUpdate, Store
path, prefix, go = sys.argv[1:4]
store = Store.open(path)
store.states()
while not os.path.exists(go):
    time.sleep(0.001)
for n in range(50):
    store.apply([ItemUpdate(f"{prefix}{n}", None, f"{prefix} {n}", status="read")])
"""

HOLDER = """
import sys, time
from pathlib import Path
from dlreader.store.lock import StoreLock
with StoreLock(Path(sys.argv[1]), 5).held():
    print("held", flush=True)
    time.sleep(60)
"""


def python(code: str, *args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-c", code, *args], text=True, **kwargs
    )


def seeded_store(tmp_path: Path, records: int) -> Path:
    path = tmp_path / "data" / "alice.json"
    store = Store.open(path)
    store.import_states(
        [ItemState(f"s{n}", f"https://example.org/{n}", f"Seed {n}", status="reading",
                   updated="2026-01-01T00:00:00Z") for n in range(records)],
        "replace",
    )
    return path


@pytest.mark.parametrize(
    "where",
    [
        "before-replace",  # temp file written and fsynced, not yet renamed
        "after-replace",  # renamed, directory not yet fsynced
        "anywhere",  # a few ms after an acknowledgement, wherever the writer is
    ],
)
def test_sigkill_in_the_middle_of_writes_loses_no_acknowledged_change(
    tmp_path: Path, where: str
) -> None:
    path = seeded_store(tmp_path, 3000)
    acknowledged: set[str] = set()
    start = 0
    for round_number, writes in enumerate((7, 23, 2)):
        pause_at = start + writes if where != "anywhere" else -1
        child = python(
            WRITER, str(path), str(start), str(pause_at), where, stdout=subprocess.PIPE
        )
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == "pause":
                break
            acknowledged.add(f"k{int(line)}")
            if where == "anywhere" and int(line) == start + writes:
                time.sleep(0.003 * round_number)
                break
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = child.communicate()
        acknowledged.update(f"k{int(line)}" for line in rest.split() if line != "pause")
        assert child.returncode == -signal.SIGKILL

        store = Store.open(path)  # loads: never a half-written file
        states = store.states()
        written = {item_id for item_id in states if item_id.startswith("k")}
        assert acknowledged <= written
        # The change in flight is there wholly or not at all.
        in_flight = written - acknowledged
        if where == "before-replace":
            assert in_flight == set()
        elif where == "after-replace":
            assert in_flight == {f"k{pause_at}"}
        else:
            assert len(in_flight) <= 1
        for item_id in written:
            assert states[item_id].status == "read" and states[item_id].note == "x" * 300
        assert sum(1 for item_id in states if item_id.startswith("s")) == 3000
        acknowledged = written
        store.apply([ItemUpdate("tidy", None, "", status="read")])  # clears killed temps
        assert [p for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
        start = max(int(item_id[1:]) for item_id in written) + 1


def test_two_processes_marking_50_items_each_lose_nothing(tmp_path: Path) -> None:
    path = seeded_store(tmp_path, 500)
    go = tmp_path / "go"
    children = [python(MARKER, str(path), prefix, str(go)) for prefix in ("p", "q")]
    time.sleep(1.0)  # both have opened the store and read it before either writes
    go.touch()
    for child in children:
        assert child.wait(timeout=120) == 0
    store = Store.open(path)
    states = store.states()
    for prefix in ("p", "q"):
        assert {f"{prefix}{n}" for n in range(50)} <= set(states)
    assert len(states) == 600
    history = store.history()
    assert len(history) == 101  # the seeding import and the 100 marks
    assert len({step.seq for step in history}) == 101


def test_a_live_holder_makes_writers_give_up_naming_it(tmp_path: Path) -> None:
    path = seeded_store(tmp_path, 10)
    holder = python(HOLDER, str(path), stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        store = Store.open(path, lock_timeout=0.3)  # reading needs no lock
        started = time.monotonic()
        with pytest.raises(StoreBusy) as caught:
            store.apply([ItemUpdate("a", None, "A", status="read")])
        assert 0.25 < time.monotonic() - started < 5
        assert caught.value.exit_code == EXIT_BUSY
        assert f"pid {holder.pid}" in caught.value.message
        assert str(path) in caught.value.message
        assert store.get("a") is None

        # A holder killed with SIGKILL never blocks anyone: flock dies with it.
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        started = time.monotonic()
        store.apply([ItemUpdate("a", None, "A", status="read")])
        assert time.monotonic() - started < 2
        assert Store.open(path).get("a") is not None
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
