"""Parse times of the reading list: the seed, and the seed scaled up (x20, x100).

    .venv/bin/python benchmarks/parse_bench.py [--runs N] [--copies 1,20,100]

"outline" is the heading-only scan the app paints its tree from; "parse, 1 process" and
"parse, 2 processes" are the full markdown parse (the loader uses 2 processes above
2 MB); "from cache" is a warm ``load_catalog`` (the content-hash cache). Medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "science-of-deep-learning.md"
SCALE_TOOL = ROOT.parent / "shared" / "tools" / "scale_list.py"


def median_seconds(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", default="1,20,100")
    args = parser.parse_args()
    work_dir = Path(tempfile.mkdtemp(prefix="dlreader-parse-"))
    os.environ["DLREADER_CACHE_DIR"] = str(work_dir / "cache")

    from dlreader.catalog.loader import load_catalog
    from dlreader.catalog.outline import scan_outline
    from dlreader.catalog.parser import parse_catalog

    print(
        f"{'list':<10} {'size':>8} {'items':>7} {'outline':>9} {'parse, 1 process':>17} "
        f"{'parse, 2 processes':>19} {'from cache':>11}"
    )
    for copies in (int(c) for c in args.copies.split(",")):
        path = SEED
        if copies > 1:
            path = work_dir / f"seed-x{copies}.md"
            with open(path, "w", encoding="utf-8") as out:
                subprocess.run(
                    [sys.executable, str(SCALE_TOOL), str(SEED), str(copies)],
                    stdout=out,
                    check=True,
                )
        text = path.read_text(encoding="utf-8")
        runs = args.runs if copies < 100 else max(3, args.runs // 2)
        outline = median_seconds(args.runs, partial(scan_outline, text, str(path)))
        single = median_seconds(runs, partial(parse_catalog, text, str(path), workers=1))
        double = median_seconds(runs, partial(parse_catalog, text, str(path), workers=2))
        catalog = load_catalog(path)  # writes the cache
        cached = median_seconds(args.runs, partial(load_catalog, path))
        print(
            f"{'x' + str(copies):<10} {len(text) / 1e6:>6.1f}MB {len(catalog.items):>7} "
            f"{outline * 1000:>7.0f}ms {single * 1000:>15.0f}ms {double * 1000:>17.0f}ms "
            f"{cached * 1000:>9.0f}ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
