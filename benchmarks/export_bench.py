#!/usr/bin/env python3
"""Time exporting 10,000 notes (goal: well under 1 s) and the state JSON round trip.

    .venv/bin/python benchmarks/export_bench.py [--copies 20] [--notes 10000] [--runs 5]

Builds a seed x20 list with ../shared/tools/scale_list.py, parses it with the real parser,
gives the first N items a multi-line markdown note (list items first, then state whose item
is not in the list if the list is too short), and prints the median and best of each step.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "science-of-deep-learning.md"
SCALE = ROOT.parent / "shared" / "tools" / "scale_list.py"

sys.path.insert(0, str(ROOT / "src"))

from dlreader.catalog.parser import parse_catalog  # noqa: E402
from dlreader.export import build_export, write_atomically  # noqa: E402
from dlreader.state_file import dump_state, parse_state  # noqa: E402
from dlreader.store.records import ItemState  # noqa: E402

NOTE = """\
Read on the train. Key idea: *implicit regularisation* of **SGD**; compare with 深度学习.

- claim 1: flat minima generalise 🧠
  - but see the sharpness counter-examples
- claim 2: `lr / batch` sets the noise scale

```python
noise = lr / batch  # the blank line below stays

print(noise)
```
"""


def make_states(item_ids: list[str], count: int) -> dict[str, ItemState]:
    states: dict[str, ItemState] = {}
    for n in range(count):
        item_id = item_ids[n] if n < len(item_ids) else f"gone-{n}"
        states[item_id] = ItemState(
            item_id=item_id,
            url=f"https://example.org/{n}",
            title=f"Saved title {n}",
            status=("unread", "reading", "read", "skipped")[n % 4],
            priority=("none", "low", "medium", "high")[n % 4],
            note=f"Note {n}.\n\n{NOTE}",
            created="2026-01-01T00:00:00Z",
            updated="2026-02-01T00:00:00Z",
            read_at="2026-02-01T00:00:00Z" if n % 4 == 2 else None,
        )
    return states


def timed(step: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    text = subprocess.run(
        [sys.executable, str(SCALE), str(SEED), str(options.copies)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    catalog = parse_catalog(text, f"seed x{options.copies}")
    states = make_states(list(catalog.items), options.notes)
    orphans = sum(1 for item_id in states if item_id not in catalog.items)
    export = build_export(catalog, states, user="bench", date="2026-11-26")
    state_json = dump_state("bench", states)

    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "notes.md"
        rows = [
            (
                "build_export (10k notes -> markdown)",
                timed(
                    lambda: build_export(catalog, states, user="bench", date="2026-11-26"),
                    options.runs,
                ),
            ),
            (
                "write_atomically (temp + fsync + replace)",
                timed(lambda: write_atomically(target, export.text), options.runs),
            ),
            ("dump_state (state JSON)", timed(lambda: dump_state("bench", states), options.runs)),
            ("parse_state (validate + load)", timed(lambda: parse_state(state_json), options.runs)),
        ]

    print(
        f"list: seed x{options.copies}: {len(catalog.topics)} topics, "
        f"{len(catalog.items)} items; notes: {len(states)} ({orphans} no longer in the list)"
    )
    print(
        f"export: {len(export.text.encode()) / 1e6:.1f} MB, {export.items} items; "
        f"state JSON: {len(state_json.encode()) / 1e6:.1f} MB; runs: {options.runs}"
    )
    print()
    print(f"{'step':<44} {'median':>10} {'best':>10}")
    for name, (median, best) in rows:
        print(f"{name:<44} {median * 1000:>8.1f}ms {best * 1000:>8.1f}ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
