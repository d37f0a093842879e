#!/usr/bin/env python3
"""dlreader's benchmarks: what a person sees, measured through a real terminal (tmux).

    python benchmarks/run.py            # the full run (several minutes), writes BENCHMARKS.md
    python benchmarks/run.py --quick    # 3 runs each, no x100, prints only
    python benchmarks/run.py --only S1,K1

Every figure is a median over --runs runs; each start-up is also given as a ratio to a bare
Textual app measured in the same run, because absolute times drift on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from terminal import TerminalSession, have_tmux, peak_rss_mb  # noqa: E402

SEED = ROOT / "data" / "science-of-deep-learning.md"
SCALE_TOOL = ROOT.parent / "shared" / "tools" / "scale_list.py"
TREE_MARKER = "Interpretability of Neural"  # a level-2 topic: on screen only in the tree
ITEMS_MARKER = "nthu-datalab"  # the first topic's first item: the full catalog is loaded
SIZE = (160, 50)


@dataclass
class Row:
    key: str
    what: str
    median: float
    unit: str
    runs: int
    ratio: str = ""
    target: str = ""
    met: str = ""


@dataclass
class Bench:
    runs: int
    work: Path
    rows: list[Row] = field(default_factory=list)
    bare_s: float | None = None

    def add(self, row: Row) -> None:
        self.rows.append(row)
        value = fmt(row.median, row.unit)
        print(f"  {row.key:<5} {row.what:<60} {value:>10}  {row.ratio}", flush=True)


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value * 1000:.1f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}"


def dlreader_command() -> list[str]:
    script = Path(sys.executable).parent / "dlreader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "dlreader"]


def make_list(work: Path, copies: int) -> Path:
    if copies == 1:
        return SEED
    path = work / f"seed-x{copies}.md"
    if not path.exists():
        text = subprocess.run(
            [sys.executable, str(SCALE_TOOL), str(SEED), str(copies)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        path.write_text(text, encoding="utf-8")
    return path


def median_of(runs: int, measure: Callable[[], float], warmup: bool = True) -> float:
    if warmup:
        measure()
    return statistics.median(measure() for _ in range(runs))


def app_env(data_dir: Path, cache_dir: Path) -> dict[str, str]:
    return {
        "DLREADER_DATA_DIR": str(data_dir),
        "DLREADER_CACHE_DIR": str(cache_dir),
        "DLREADER_CONFIG_DIR": str(data_dir / "config"),
        "TERM": "xterm-256color",
    }


def warm_cache(bench: Bench, copies: int) -> Path:
    """A cache dir holding the parse of the seed x``copies`` (parsed once, here)."""
    cache = bench.work / f"cache-warm-x{copies}"
    if not cache.exists():
        source = make_list(bench.work, copies)
        dump = [*dlreader_command(), "--source", str(source), "dump", "--format", "json"]
        env = {**os.environ, **app_env(bench.work / "prime-data", cache)}
        subprocess.run(dump, env=env, check=True, stdout=subprocess.DEVNULL)
    return cache


def startup_once(source: Path, data_dir: Path, cache_dir: Path) -> tuple[float, float]:
    """Seconds from launch until the tree shows, and until the first topic's links show."""
    command = [*dlreader_command(), "--source", str(source), "--user", "bench"]
    with TerminalSession(command, size=SIZE, env=app_env(data_dir, cache_dir)) as term:
        tree = term.since_start_until_text(TREE_MARKER)
        return tree, term.since_start_until_text(ITEMS_MARKER, timeout=120)


def bench_bare(bench: Bench) -> None:
    bench.bare_s = median_of(bench.runs, bare_once)
    bench.add(Row("base", "bare Textual app (one label), start-up", bench.bare_s, "s", bench.runs))


def bare_once() -> float:
    with TerminalSession([sys.executable, str(HERE / "bare_app.py")], size=SIZE) as term:
        return term.since_start_until_text("bare app ready")


def bench_startup_alternating(bench: Bench) -> None:
    """S1 warm against a bare Textual app, one of each in turn (a busy machine drifts: a
    ratio of two medians measured minutes apart says little). Targets: the tree at most
    1.2x the bare app, the first topic's links at most 1.3x. At least 21 pairs whatever
    --runs says: the ratios sit within 0.05x of their targets, closer than 7 pairs on a
    noisy machine resolve."""
    runs = max(bench.runs, 21)
    source = make_list(bench.work, 1)
    data_dir = bench.work / "startup-data"
    warm = warm_cache(bench, 1)
    bare_once()
    startup_once(source, data_dir, warm)  # warm-up
    bare: list[float] = []
    tree: list[float] = []
    links: list[float] = []
    for _ in range(runs):
        bare.append(bare_once())
        shown, listed = startup_once(source, data_dir, warm)
        tree.append(shown)
        links.append(listed)
    base = statistics.median(bare)
    for what, values, factor in (("tree", tree, 1.2), ("first topic's links", links, 1.3)):
        ratio = statistics.median(v / b for v, b in zip(values, bare, strict=True))
        bench.add(Row("S1A", f"start-up, seed, warm, until the {what} shows (bare "
                      f"{base:.3f} s, in turn)", statistics.median(values), "s", runs,
                      f"{ratio:.2f}x bare", f"<= {factor}x bare",
                      "yes" if ratio <= factor else "NO"))


def bench_startup(
    bench: Bench, key: str, copies: int, cold: bool, target: tuple[str, float] | None
) -> float:
    source = make_list(bench.work, copies)
    data_dir = bench.work / "startup-data"
    warm = warm_cache(bench, copies) if not cold else None

    def once() -> tuple[float, float]:
        if cold:
            cache = Path(tempfile.mkdtemp(dir=bench.work, prefix="cold-cache-"))
            try:
                return startup_once(source, data_dir, cache)
            finally:
                shutil.rmtree(cache, ignore_errors=True)
        assert warm is not None
        return startup_once(source, data_dir, warm)

    once()  # warm-up
    samples = [once() for _ in range(bench.runs)]
    value = statistics.median(tree for tree, _ in samples)
    rows = statistics.median(links for _, links in samples)
    ratio = f"{value / bench.bare_s:.2f}x bare" if bench.bare_s else ""
    label = f"start-up, seed x{copies}" if copies > 1 else "start-up, seed"
    row = Row(
        key,
        f"{label}, {'cold' if cold else 'warm'} (until the tree shows)",
        value,
        "s",
        bench.runs,
        ratio,
    )
    if target:
        name, limit = target
        row.target, row.met = name, "yes" if value <= limit else "NO"
    bench.add(row)
    what = f"{label}, {'cold' if cold else 'warm'} (until the first topic's links show)"
    bench.add(
        Row(
            key,
            what,
            rows,
            "s",
            bench.runs,
            f"{rows / bench.bare_s:.2f}x bare" if bench.bare_s else "",
        )
    )
    return value


class _SlowListServer:
    """The seed on 127.0.0.1 (started here), answering each request after ``delay`` s:
    if the app's refresh of a stale copy held up the first paint, S3 would show it."""

    def __init__(self, delay: float) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        body = SEED.read_bytes()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                time.sleep(delay)
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/README.md"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def bench_remote_startup(bench: Bench) -> None:
    """S3: the seed opened by URL, its kept copy a day old (so the app refreshes it in the
    background from a server that takes 2 s to answer), warm parse cache."""
    import json

    from dlreader.sources.kept import copy_path, facts_path

    server = _SlowListServer(delay=2.0)
    data_dir = bench.work / "remote-data"
    cache = bench.work / "remote-cache"
    env = {**os.environ, **app_env(data_dir, cache)}
    try:
        # The first download, and the parse cached, as after a first use.
        subprocess.run([*dlreader_command(), "--source", server.url, "dump", "--format", "json"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        facts = facts_path(copy_path(data_dir, server.url))

        def once() -> tuple[float, float]:
            kept = json.loads(facts.read_text())
            kept["checked"] = time.time() - 2 * 86400  # stale: the app will refresh it
            facts.write_text(json.dumps(kept))
            command = [*dlreader_command(), "--source", server.url, "--user", "bench"]
            with TerminalSession(command, size=SIZE, env=app_env(data_dir, cache)) as term:
                tree = term.since_start_until_text(TREE_MARKER)
                return tree, term.since_start_until_text(ITEMS_MARKER, timeout=120)

        once()
        samples = [once() for _ in range(bench.runs)]
    finally:
        server.close()
    tree = statistics.median(sample[0] for sample in samples)
    links = statistics.median(sample[1] for sample in samples)
    ratio = f"{tree / bench.bare_s:.2f}x bare" if bench.bare_s else ""
    row = Row("S3", "start-up, seed by URL, stale copy refreshed (until the tree shows)",
              tree, "s", bench.runs, ratio)
    if bench.bare_s:
        row.target = "P1 <= 1.3x bare"
        row.met = "yes" if tree <= 1.3 * bench.bare_s else "NO"
    bench.add(row)
    bench.add(Row("S3", "start-up, seed by URL, stale copy (until the first topic's links show)",
                  links, "s", bench.runs,
                  f"{links / bench.bare_s:.2f}x bare" if bench.bare_s else ""))


def open_loaded(source: Path, data_dir: Path, cache_dir: Path) -> TerminalSession:
    command = [*dlreader_command(), "--source", str(source), "--user", "bench"]
    term = TerminalSession(command, size=SIZE, env=app_env(data_dir, cache_dir))
    term.wait_for_text(TREE_MARKER, timeout=120)
    term.wait_for_text(ITEMS_MARKER, timeout=120)
    term.settle()
    return term


def bench_keys(bench: Bench) -> None:
    source = make_list(bench.work, 100)
    data_dir = bench.work / "keys-data"
    cache = warm_cache(bench, 100)
    shutil.rmtree(data_dir, ignore_errors=True)
    # Per key: (seconds to the first change on screen, seconds to the text that follows).
    samples: dict[str, list[tuple[float, float]]] = {
        "list-down": [],
        "toggle": [],
        "next-topic": [],
    }
    with open_loaded(source, data_dir, cache) as term:
        for _ in range(bench.runs):
            term.press("Tab")  # the link list
            term.settle(0.2)
            samples["list-down"].append(term.key_to_change("Down"))
            term.settle(0.2)
            samples["toggle"].append(term.key_to_change("Space"))
            term.settle(0.2)
            term.press("BTab")  # back to the tree
            term.settle(0.2)
            samples["next-topic"].append(term.key_to_change("Down"))
            term.settle(0.2)
    for name, what, follows in (
        ("list-down", "cursor down in the link list", "the item's details"),
        ("toggle", "toggle read on an item", "the row's read mark"),
        ("next-topic", "move to the next topic", "the topic's rows"),
    ):
        first = statistics.median(sample[0] for sample in samples[name])
        text = statistics.median(sample[1] for sample in samples[name])
        met = "yes" if first <= 0.050 else "NO"
        bench.add(
            Row(
                "K1",
                f"x100 key to changed screen: {what}",
                first,
                "ms",
                bench.runs,
                target="K1 <= 50 ms",
                met=met,
            )
        )
        bench.add(Row("K1", f"x100 key to {follows} on screen", text, "ms", bench.runs))


def make_store(path: Path, records: int, catalog_source: Path, *, notes: bool = False) -> None:
    """A store of ``records`` records: the list's items first, then orphans up to the count."""
    from dlreader.catalog.loader import load_catalog
    from dlreader.store.records import ItemState
    from dlreader.store.store import Store

    catalog = load_catalog(catalog_source)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    states = []
    item_ids = list(catalog.items)
    for index in range(records):
        if index < len(item_ids):
            item = catalog.items[item_ids[index]]
            item_id, url, title = item.id, item.url, item.title
        else:
            item_id, url = f"i-orphan{index:07d}", f"https://example.org/{index}"
            title = f"Gone {index}"
        states.append(
            ItemState(
                item_id=item_id,
                url=url,
                title=title,
                status=("read", "reading", "unread", "skipped")[index % 4],
                priority=("none", "low", "medium", "high")[index % 4],
                note=f"Note {index}: *why* this matters.\n\n- point one\n- point two"
                if notes
                else "",
                created=now,
                updated=now,
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    Store.open(path).import_states(states, "replace")


def bench_write(bench: Bench) -> None:
    source = SEED
    for records in (1_000, 10_000, 60_000):
        data_dir = bench.work / f"write-{records}"
        shutil.rmtree(data_dir, ignore_errors=True)
        store_path = data_dir / "bench.json"
        make_store(store_path, records, make_list(bench.work, 100))
        to_screen: list[float] = []
        to_disk: list[float] = []
        with open_loaded(source, data_dir, warm_cache(bench, 1)) as term:
            term.press("Tab")
            term.settle(0.2)
            for _ in range(bench.runs):
                before = store_path.stat().st_mtime_ns
                start = time.perf_counter()
                seconds, _ = term.key_to_change("Space")
                to_screen.append(seconds)
                while store_path.stat().st_mtime_ns == before:
                    if time.perf_counter() - start > 10:
                        raise TimeoutError("the change never reached the disk")
                    time.sleep(0.001)
                to_disk.append(time.perf_counter() - start)
                term.settle(0.2)
                term.press("Down")
                term.settle(0.2)
        screen, disk = statistics.median(to_screen), statistics.median(to_disk)
        bench.add(
            Row(
                "W1",
                f"mark in the app, {records:,} records: key to screen",
                screen,
                "ms",
                bench.runs,
                target="P4 <= 50 ms" if records == 60_000 else "",
                met=("yes" if screen <= 0.050 else "NO") if records == 60_000 else "",
            )
        )
        bench.add(
            Row(
                "W1",
                f"mark in the app, {records:,} records: key to disk",
                disk,
                "ms",
                bench.runs,
                target="P4 <= 1 s",
                met="yes" if disk <= 1 else "NO",
            )
        )


def timed_command(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    # stderr is kept for a failure's message: export's "exported N items" line goes too.
    done = subprocess.run(args, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(args)} exited {done.returncode}: {done.stderr}")
    return elapsed


def bench_cli(bench: Bench) -> None:
    x20, x100 = make_list(bench.work, 20), make_list(bench.work, 100)
    data_dir = bench.work / "export-data"
    shutil.rmtree(data_dir, ignore_errors=True)
    make_store(data_dir / "bench.json", 10_000, x20, notes=True)
    env = app_env(data_dir, warm_cache(bench, 20))
    out = bench.work / "notes.md"
    common = [*dlreader_command(), "--user", "bench"]
    export = [*common, "--source", str(x20), "export", "-o", str(out)]
    value = median_of(bench.runs, lambda: timed_command(export, env))
    bench.add(
        Row(
            "X1",
            "dlreader export of 10,000 notes (whole command)",
            value,
            "s",
            bench.runs,
            target="P5 <= 1 s",
            met="yes" if value <= 1 else "NO",
        )
    )
    env = app_env(data_dir, warm_cache(bench, 100))
    listing = [*common, "--source", str(x100), "list", "--format", "json"]
    value = median_of(bench.runs, lambda: timed_command(listing, env))
    bench.add(
        Row("X1", "dlreader list --format json on x100 (whole command)", value, "s", bench.runs)
    )
    # Issue #12: a ranked search of the whole x100 list (every title, description, URL,
    # topic, passage and note), the whole command.
    search = [*common, "--source", str(x100), "search", "lottery ticket", "--format", "json"]
    value = median_of(bench.runs, lambda: timed_command(search, env))
    bench.add(
        Row("X1", "dlreader search 'lottery ticket' on x100, warm (whole command)", value, "s",
            bench.runs, target="<= 0.5 s", met="yes" if value <= 0.5 else "NO")
    )

    def cold_search() -> float:  # no parse cache: the list is parsed first
        cache = Path(tempfile.mkdtemp(dir=bench.work, prefix="cold-cache-"))
        try:
            return timed_command(search, app_env(data_dir, cache))
        finally:
            shutil.rmtree(cache, ignore_errors=True)

    value = median_of(bench.runs, cold_search, warmup=False)
    bench.add(Row("X1", "dlreader search 'lottery ticket' on x100, cold (whole command)",
                  value, "s", bench.runs))


def bench_memory(bench: Bench) -> None:
    source = make_list(bench.work, 100)
    peaks = []
    for _ in range(max(3, bench.runs // 2)):
        with open_loaded(source, bench.work / "memory-data", warm_cache(bench, 100)) as term:
            peaks.append(peak_rss_mb(term.pid()))
    value = statistics.median(peaks)
    bench.add(
        Row(
            "M1",
            "peak RSS of the app on x100 (catalog loaded)",
            value,
            "MB",
            len(peaks),
            target="M1 <= 400 MB",
            met="yes" if value <= 400 else "NO",
        )
    )


def compile_bytecode() -> None:
    """dlreader's modules compiled, as an installed copy has them (pip compiles a wheel
    on install; an editable install writes __pycache__ on first import). Under
    PYTHONDONTWRITEBYTECODE (set in some sandboxes and CI images) every start would
    otherwise compile all of dlreader's modules from source (~40-70 ms) while Textual's
    arrive compiled by pip: a cost no user's warm start pays."""
    import compileall

    compileall.compile_dir(ROOT / "src" / "dlreader", quiet=1)


def machine() -> str:
    import textual

    return (
        f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"Textual {textual.__version__}, tmux, {SIZE[0]}x{SIZE[1]}"
    )


def write_report(bench: Bench, command: str, path: Path) -> None:
    lines = [
        "# dlreader benchmarks",
        "",
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {machine()}",
        f"- Command: `{command}`",
        f"- Each figure is the median of {bench.runs} runs (after one warm-up run); start-up is "
        "the time from launch until the topic tree's text is on the terminal, through tmux "
        "(dlreader's modules byte-compiled first, as an installed copy has them).",
        "",
        "| key | what | median | ratio | target | met |",
        "|---|---|---:|---|---|---|",
    ]
    for row in bench.rows:
        lines.append(
            f"| {row.key} | {row.what} | {fmt(row.median, row.unit)} | {row.ratio} | "
            f"{row.target} | {row.met} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


REAL_LIST = ROOT.parent / "shared" / "lists" / "avelino--awesome-go.md"


def real_list_1mb(work: Path) -> Path:
    """A real list of about 1 MB: awesome-go (0.4 MB) three times, made distinct."""
    path = work / "awesome-go-x3.md"
    if not path.exists():
        text = subprocess.run([sys.executable, str(SCALE_TOOL), str(REAL_LIST), "3"],
                              capture_output=True, text=True, check=True).stdout
        path.write_text(text, encoding="utf-8")
    return path


def first_links_marker(source: Path) -> str:
    """Text of the first item of the first topic the app shows (its first topic with items)."""
    from dlreader.catalog.parser import parse_catalog

    catalog = parse_catalog(source.read_text(encoding="utf-8"), str(source))
    topic = next(t for t in catalog.topics if t.items)
    return catalog.items[topic.items[0]].title[:20]


def cold_cache(work: Path, measure: Callable[[Path], float]) -> float:
    """``measure`` given a new, empty cache dir (removed after)."""
    cache = Path(tempfile.mkdtemp(dir=work, prefix="cold-cache-"))
    try:
        return measure(cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def dump_once(path: Path, data_dir: Path) -> Callable[[Path], float]:
    """Seconds of `dlreader dump` of ``path`` with the cache dir it is given."""
    command = [*dlreader_command(), "--source", str(path), "dump", "--format", "json"]
    return lambda cache: timed_command(command, app_env(data_dir, cache))


def bench_real_list(bench: Bench) -> None:
    """R1: a real 1 MB list, cold (no cache): the app until its first topic's links show,
    against a bare Textual app and against `dlreader dump` of the same file (the app was
    2-4x slower than dump: its parse thread shared the interpreter lock with the screen).
    """
    if not REAL_LIST.exists():
        print(f"  R1 skipped: {REAL_LIST} not found")
        return
    source = real_list_1mb(bench.work)
    marker = first_links_marker(source)
    data_dir = bench.work / "real-data"

    def app_once(cache: Path) -> float:
        command = [*dlreader_command(), "--source", str(source), "--user", "bench"]
        with TerminalSession(command, size=SIZE, env=app_env(data_dir, cache)) as term:
            return term.since_start_until_text(marker, timeout=120)

    size_mb = source.stat().st_size / 1e6
    app = median_of(bench.runs, lambda: cold_cache(bench.work, app_once))
    dump = median_of(bench.runs, lambda: cold_cache(bench.work, dump_once(source, data_dir)))
    ratio = f"{app / bench.bare_s:.2f}x bare" if bench.bare_s else ""
    row = Row("R1", f"start-up, real list {size_mb:.1f} MB, cold (until its first links show)",
              app, "s", bench.runs, ratio)
    if bench.bare_s:
        row.target, row.met = "<= 4x bare", "yes" if app <= 4 * bench.bare_s else "NO"
    bench.add(row)
    bench.add(Row("R1", f"dlreader dump of the same {size_mb:.1f} MB list, cold", dump, "s",
                  bench.runs, f"app {app / dump:.2f}x dump"))


def bench_dump(bench: Bench) -> None:
    """D1: `dlreader dump` of the seed x20, cold."""
    x20 = median_of(bench.runs, lambda: cold_cache(
        bench.work, dump_once(make_list(bench.work, 20), bench.work / "dump-data")))
    bench.add(Row("D1", "dlreader dump of the seed x20, cold (whole command)", x20, "s",
                  bench.runs, target="<= 1.0 s", met="yes" if x20 <= 1.0 else "NO"))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 runs, no x100 figures, no report")
    parser.add_argument("--only", default="",
                        help="comma-separated: S1,S2,S3,R1,D1,K1,W1,X1,M1 (S1 has S1A: "
                             "in turn)")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    if not have_tmux():
        print("benchmarks need tmux (apt-get install tmux)", file=sys.stderr)
        return 2
    if not SCALE_TOOL.exists():
        print(f"benchmarks need {SCALE_TOOL} (shared/ beside the repo)", file=sys.stderr)
        return 2
    runs = 3 if args.quick else args.runs
    only = {name.strip().upper() for name in args.only.split(",") if name.strip()}
    wanted = lambda name: not only or name in only  # noqa: E731
    work = Path(tempfile.mkdtemp(prefix="dlreader-bench-"))
    bench = Bench(runs=runs, work=work)
    print(f"dlreader benchmarks ({machine()}), work dir {work}")
    compile_bytecode()
    try:
        bench_bare(bench)
        assert bench.bare_s is not None  # the ratios below divide by it
        s1_warm = None
        if wanted("S1"):
            bench_startup(bench, "S1", 1, cold=True, target=None)
            s1_warm = bench_startup(
                bench, "S1", 1, cold=False, target=("P1 <= 1.3x bare", 1.3 * bench.bare_s)
            )
            bench_startup_alternating(bench)
        if wanted("S2"):
            s1_cold = next(
                (r.median for r in bench.rows if r.key == "S1" and "cold" in r.what), None
            )
            for copies, factor, name in ((20, 2, "P2"), (100, 3, "P3")):
                if copies == 100 and args.quick:
                    continue
                for cold, s1 in ((True, s1_cold), (False, s1_warm)):
                    target = (
                        (f"{name} <= {factor}x S1 {'cold' if cold else 'warm'}", factor * s1)
                        if s1
                        else None
                    )
                    bench_startup(bench, "S2", copies, cold=cold, target=target)
        if wanted("S3"):
            bench_remote_startup(bench)
        if wanted("R1"):
            bench_real_list(bench)
        if wanted("D1"):
            bench_dump(bench)
        if wanted("K1") and not args.quick:
            bench_keys(bench)
        if wanted("W1"):
            bench_write(bench)
        if wanted("X1"):
            bench_cli(bench)
        if wanted("M1") and not args.quick:
            bench_memory(bench)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not args.quick and not only:
        command = "python benchmarks/run.py" + (f" --runs {runs}" if runs != 5 else "")
        write_report(bench, command, Path(args.output))
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
