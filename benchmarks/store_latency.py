"""Mark latency and time-to-disk of the reading-state store at 1k, 10k and 60k records.

    .venv/bin/python benchmarks/store_latency.py [--repeat N] [--sizes 1000,10000,60000]

"mark" is one ``Store.apply`` of one item: lock, check the file, change, journal, write
atomically (fsync, rename, fsync dir) -- the call returns once the change is on disk, so
it is also the time-to-disk. "write" is the atomic write alone (serialise + fsync +
rename), "tinydb" is one ``update`` through TinyDB's default JSONStorage on the same data
for comparison. "cli" is a whole ``dlreader mark ITEM --status S`` process against the
bundled list and a store of that size (start-up, list from cache, load, write).
Medians in milliseconds, on real files in a temp dir.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from dlreader.store import ItemState, ItemUpdate, Store
from dlreader.store.storage import serialize, write_file_atomically


def _records(count: int) -> list[ItemState]:
    return [
        ItemState(
            item_id=f"{index:012x}",
            url=f"https://arxiv.org/abs/{2000 + index % 400}.{index:05d}",
            title=f"A paper title of moderate length, number {index}",
            status=("unread", "reading", "read", "skipped")[index % 4],
            priority=("none", "low", "medium", "high")[index % 4],
            note="" if index % 5 else f"a short note on paper {index}",
            created="2026-11-01T10:00:00Z",
            updated="2026-11-01T10:00:00Z",
            read_at="2026-11-01T10:00:00Z" if index % 4 == 2 else None,
        )
        for index in range(count)
    ]


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def measure_cli(path: Path, repeat: int) -> float:
    """A whole ``dlreader mark`` process on the store at ``path`` (user = its stem)."""
    from dlreader import locations
    from dlreader.catalog.loader import load_catalog

    item = next(iter(load_catalog(locations.default_list_path()).items))
    command = [
        sys.executable,
        "-m",
        "dlreader",
        "--data-dir",
        str(path.parent),
        "--user",
        path.stem,
        "mark",
        item,
        "--status",
    ]
    samples = []
    for index in range(repeat):
        started = time.perf_counter()
        subprocess.run([*command, ("read", "reading")[index % 2]], check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return _median_ms(samples)


def measure(size: int, repeat: int, directory: Path) -> tuple[float, float, float, float, int]:
    path = directory / f"bench{size}.json"
    store = Store.open(path)
    store.import_states(_records(size), "replace")
    # Keep the journal small so we measure an ordinary step, not the 60k-record import.
    for _ in range(3):
        store.apply([ItemUpdate("warm", None, "warm", status="read")])
        store.apply([ItemUpdate("warm", None, "warm", status="unread")])

    mark: list[float] = []
    for index in range(repeat):
        item_id = f"{(index * 7919) % size:012x}"
        status = ("read", "reading")[index % 2]
        started = time.perf_counter()
        store.apply([ItemUpdate(item_id, None, "", status=status)], "bench")
        mark.append(time.perf_counter() - started)

    data = store._storage.read()  # the store's own tables, as the next write would write them
    assert data is not None
    write: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        fd = write_file_atomically(directory / "raw.json", serialize(data))
        write.append(time.perf_counter() - started)
        os.close(fd)

    cli = measure_cli(path, max(3, repeat // 3))

    db = TinyDB(directory / f"tinydb{size}.json", storage=JSONStorage)
    db.table("items").insert_multiple(record.to_dict() for record in _records(size))
    tinydb: list[float] = []
    for index in range(repeat):
        started = time.perf_counter()
        db.table("items").update({"status": ("read", "reading")[index % 2]}, doc_ids=[index + 1])
        tinydb.append(time.perf_counter() - started)
    db.close()
    return _median_ms(mark), _median_ms(write), _median_ms(tinydb), cli, path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--sizes", default="1000,10000,60000")
    parser.add_argument("--dir", help="where to put the files (default: a temp dir)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        f"{'records':>8}  {'file MB':>8}  {'mark ms':>8}  {'write ms':>8}  {'tinydb ms':>9}"
        f"  {'cli ms':>7}"
    )
    with tempfile.TemporaryDirectory(dir=args.dir) as temp:
        for size in sizes:
            mark, write, tinydb, cli, file_size = measure(size, args.repeat, Path(temp))
            print(
                f"{size:>8}  {file_size / 1e6:>8.1f}  {mark:>8.1f}  {write:>8.1f}  {tinydb:>9.1f}"
                f"  {cli:>7.0f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
