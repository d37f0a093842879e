"""The launcher's head start on a cold list: the tree's topics and the preview, made in a
forked child while the app imports Textual, are exactly what the screen would compute;
whenever the child cannot give them, the screen computes them itself.

A fork is only made while the process has one thread, so the tests that need one run in
a fresh interpreter (other tests leave daemon threads in this one).
"""

from __future__ import annotations

import threading
from pathlib import Path

from cli_support import run_fresh
from conftest import SEED, SHARED_LISTS

from dlreader.catalog.forked import ForkedWork, can_fork

LIST = "# Title\n\n- [a](https://a.org/)\n- https://b.org/x\n\n## Sub\n\n- [c](https://c.org/)\n"


def test_the_childs_outline_and_preview_are_the_screens_own_on_every_real_list() -> None:
    lists = [SEED, *sorted(SHARED_LISTS.glob("*.md"))]
    code = f"""
from pathlib import Path
from dlreader.catalog.forked import ForkedWork
from dlreader.catalog.loader import _outline_and_preview, read_list_text
from dlreader.catalog.outline import preview_catalog, scan_outline

def never():
    raise AssertionError("computed here, not in the child")

for path in map(Path, {[str(path) for path in lists]!r}):
    work = ForkedWork.start(lambda: _outline_and_preview(path))
    assert work is not None
    text = read_list_text(path)
    topics = work.get("outline", never)
    preview = work.get("preview", never)
    work.close()
    assert topics == scan_outline(text, str(path)), path
    assert preview == preview_catalog(text, str(path)), path
    print(path.name, len(topics), "topics", "preview" if preview else "no preview")
"""
    out = run_fresh(code).splitlines()
    assert len(out) == len(lists)
    assert sum("topics" in line for line in out) == len(lists)
    assert any(line.endswith(" preview") for line in out)


def test_the_app_s_background_load_takes_all_three_from_its_child(tmp_path: Path) -> None:
    # Whether the screen previews (its thread waits then), the outline, the preview.
    path = tmp_path / "list.md"
    path.write_text(LIST, encoding="utf-8")
    code = f"""
import os
from dlreader.catalog.loader import BackgroundLoad

def never(*args):
    raise AssertionError("computed here, not in the child")

BackgroundLoad._previewed = never
load = BackgroundLoad({str(path)!r})
assert load.waiting.wait(30)
print([t.title for t in load.outline(never)])
preview = load.preview(never)
print([item.title for item in preview.items.values()])
try:
    os.waitpid(-1, os.WNOHANG)
except ChildProcessError:
    print("reaped")
"""
    assert run_fresh(code).splitlines() == ["['Title', 'Sub']", "['a', 'b.org/x']",
                                            "reaped"]


def test_what_the_child_could_not_send_is_computed_here() -> None:
    code = """
from dlreader.catalog.forked import ForkedWork

def work():
    yield "first", 1
    raise ValueError("the child failed")

forked = ForkedWork.start(work)
print(forked.get("first", lambda: "here"), forked.get("second", lambda: "here"),
      forked.get("first", lambda: "here again"))
"""
    assert run_fresh(code).split() == ["1", "here", "here", "again"]


def test_a_killed_child_leaves_the_work_to_this_process() -> None:
    code = """
import os, signal
from dlreader.catalog.forked import ForkedWork

read_fd, write_fd = os.pipe()

def work():
    yield "pid", os.getpid()
    os.read(read_fd, 1)  # never written: the child waits until it is killed
    yield "late", "from the child"

forked = ForkedWork.start(work)
os.kill(forked.get("pid", lambda: None), signal.SIGKILL)
print(forked.get("late", lambda: "here"))
try:
    os.waitpid(-1, os.WNOHANG)
except ChildProcessError:
    print("reaped")
"""
    assert run_fresh(code).split() == ["here", "reaped"]


def test_a_silent_child_is_given_up_on_within_the_limit() -> None:
    # The screen's first paint waits for the child's outline: a child that hangs (stopped,
    # swapped out) must cost it about a second, not the ten seconds it once did.
    code = """
import os, time
from dlreader.catalog.forked import ForkedWork

read_fd, write_fd = os.pipe()

def work():
    os.read(read_fd, 1)  # never written: silent until it is killed
    yield "outline", "from the child"

forked = ForkedWork.start(work)
started = time.monotonic()
print(forked.get("outline", lambda: "here"), time.monotonic() - started < 3)
try:
    os.waitpid(-1, os.WNOHANG)
except ChildProcessError:
    print("reaped")
"""
    assert run_fresh(code).split() == ["here", "True", "reaped"]


def test_no_fork_while_another_thread_runs() -> None:
    # A lock that thread held at the fork would be held for ever in the child.
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        assert ForkedWork.start(lambda: iter([("x", 1)])) is None
    finally:
        stop.set()
        thread.join()



def test_a_head_start_the_screen_never_asks_for_is_reaped(tmp_path: Path) -> None:
    # The screen found the list cached meanwhile: nobody asks for the outline or the
    # preview, and the child (blocked on its full pipe, or done) must not outlive the load.
    big = tmp_path / "big.md"
    big.write_text((SHARED_LISTS / "avelino--awesome-go.md").read_text(encoding="utf-8") * 2,
                   encoding="utf-8")
    code = f"""
import os
from dlreader.catalog.loader import prefetch

load = prefetch({str(big)!r})
pid = load._head_start._pid
load.result()
try:
    os.waitpid(pid, os.WNOHANG)
except ChildProcessError:
    print("reaped")
"""
    assert run_fresh(code).split() == ["reaped"]
