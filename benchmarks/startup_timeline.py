#!/usr/bin/env python3
"""Where a warm start on the seed spends its time, inside the process: the moments from
the interpreter's start to the tree's frame and to the first links' frame.

    python benchmarks/startup_timeline.py [--runs 9]

Each run starts dlreader through tmux (as run.py's S1 does) under a wrapper that notes the
time of a few calls: Textual's driver imported, the reading screen composed and mounted,
the cached catalog read, the outline shown, the frames written to the terminal (the tree's
and the first links'), the panes mounted, the reading state built. The table gives each
moment's median, in ms since the wrapper started, and the step from the moment before.
run.py says whether a target is met; this says which step to work on.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import (  # noqa: E402
    ITEMS_MARKER,
    SEED,
    SIZE,
    TREE_MARKER,
    Bench,
    app_env,
    warm_cache,
)
from terminal import TerminalSession  # noqa: E402

# The wrapper: run inside the app's process, it writes "<ms> <moment>" lines to argv[1].
WRAPPER = '''\
import functools, inspect, sys, time
START = time.perf_counter()
OUT, SOURCE, TREE, ITEMS = sys.argv[1:5]
seen = []
def note(what):
    if what not in (w for _, w in seen):
        seen.append(((time.perf_counter() - START) * 1000, what))
        with open(OUT, "w") as f:
            f.writelines(f"{{t:.2f}} {{w}}\\n" for t, w in seen)

import textual.drivers.linux_driver as driver
note("Textual's driver imported")
write = driver.LinuxDriver.write
def noting_write(self, data):
    if TREE in data:
        note("the tree's frame written")
    if ITEMS in data:
        note("the first links' frame written")
    return write(self, data)
driver.LinuxDriver.write = noting_write

def around(owner, name, before, after=None):
    function = getattr(owner, name)
    if inspect.iscoroutinefunction(function):
        async def wrapped(*args, **kwargs):
            note(before)
            result = await function(*args, **kwargs)
            if after: note(after)
            return result
    else:
        def wrapped(*args, **kwargs):
            note(before)
            result = function(*args, **kwargs)
            if after: note(after)
            return result
    setattr(owner, name, functools.wraps(function)(wrapped))

import dlreader.app.loading as loading
from dlreader.app.screens.reading import ReadingScreen
note("dlreader's app modules imported")
around(ReadingScreen, "on_mount", "reading screen composed, on_mount")
around(loading, "cached_catalog", "cached catalog: read begins", "cached catalog: read")
around(ReadingScreen, "_show_outline", "outline: shown begins", "outline: shown")
around(ReadingScreen, "_mount_panes", "panes: mount begins")
around(loading, "reading_state", "panes mounted; reading state begins", "reading state built")
around(ReadingScreen, "_catalog_ready", "catalog ready: links asked for",
       "catalog ready: links set")
from dlreader.cli import main
sys.argv = ["dlreader", "--source", SOURCE, "--user", "bench"]
main()
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dlreader-timeline-") as work_dir:
        work = Path(work_dir)
        wrapper = work / "timeline.py"
        wrapper.write_text(WRAPPER.format(), encoding="utf-8")
        env = app_env(work / "data", warm_cache(Bench(args.runs, work), 1))
        runs: list[dict[str, float]] = []
        for run in range(args.runs + 1):  # the first run warms the disk cache
            out = work / f"run{run}.txt"
            command = [sys.executable, str(wrapper), str(out), str(SEED), TREE_MARKER,
                       ITEMS_MARKER]
            with TerminalSession(command, size=SIZE, env=env) as term:
                term.wait_for_text(TREE_MARKER)
                term.wait_for_text(ITEMS_MARKER)
            if run:
                moments = (line.split(" ", 1) for line in out.read_text().splitlines())
                runs.append({what: float(ms) for ms, what in moments})
        order = list(runs[0])
        print(f"median of {args.runs} warm starts on the seed, ms since the wrapper started")
        print(f"{'moment':<44} {'at':>8} {'step':>8}")
        previous = 0.0
        for what in order:
            values = [run[what] for run in runs if what in run]
            at = statistics.median(values)
            print(f"{what:<44} {at:8.1f} {at - previous:8.1f}")
            previous = at
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
