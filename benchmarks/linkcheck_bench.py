#!/usr/bin/env python3
"""Link checking speed: 1,000 links on 50 origins, every answer taking 100 ms.

    python benchmarks/linkcheck_bench.py            # 3 runs of dlreader check, 1 of mlc
    python benchmarks/linkcheck_bench.py --runs 5 --no-mlc

The server is a separate process on 127.0.0.1 (50 ports = 50 origins) that answers
every request after 100 ms, with keep-alive. ``dlreader check`` runs as a real
subprocess: its wall time and peak RSS (wait4) are measured. markdown-link-check (npm,
what people run on awesome lists) checks the same file against the same server, when it
is installed: ``$MARKDOWN_LINK_CHECK``, PATH, or /work/tools/mlc/node_modules/.bin;
otherwise its row says why it is skipped. Targets: <= 5 s and <= 150 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ORIGINS = 50
LINKS = 1000
DELAY = 0.1
TARGET_S = 5.0
TARGET_MB = 150.0
MLC_PLACES = (Path("/work/tools/mlc/node_modules/.bin/markdown-link-check"),)


# -- the server (run with --serve) ----------------------------------------------------------


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            method = head.split(b" ", 1)[0]
            await asyncio.sleep(DELAY)
            body = b"<html><head><title>A page</title></head><body>ok</body></html>"
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n"
                b"Connection: keep-alive\r\n\r\n" + (b"" if method == b"HEAD" else body)
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def _serve() -> None:
    servers = [await asyncio.start_server(_answer, "127.0.0.1", 0, backlog=1024)
               for _ in range(ORIGINS)]
    ports = [server.sockets[0].getsockname()[1] for server in servers]
    print(json.dumps(ports), flush=True)
    await asyncio.Event().wait()


# -- the benchmark --------------------------------------------------------------------------


def write_list(path: Path, ports: list[int]) -> None:
    lines = ["# Benchmark links", ""]
    for number in range(LINKS):
        port = ports[number % len(ports)]
        lines.append(f"- [Link {number}](http://127.0.0.1:{port}/page/{number})")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """(seconds, CPU seconds, peak RSS MB, exit code) of one run of ``command``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if process.stderr is not None:
        process.stderr.read()
        process.stderr.close()
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def find_mlc() -> tuple[str | None, str]:
    given = os.environ.get("MARKDOWN_LINK_CHECK")
    for candidate in (given, shutil.which("markdown-link-check"), *map(str, MLC_PLACES)):
        if candidate and Path(candidate).is_file():
            return candidate, ""
    return None, "not installed (npm install markdown-link-check; or $MARKDOWN_LINK_CHECK)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-mlc", action="store_true", help="skip markdown-link-check")
    args = parser.parse_args()

    server = subprocess.Popen([sys.executable, __file__, "--serve"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert server.stdout is not None
        ports = json.loads(server.stdout.readline())
        with tempfile.TemporaryDirectory(prefix="dlreader-linkbench-") as work:
            return _measure(Path(work), ports, args)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _measure(work: Path, ports: list[int], args: argparse.Namespace) -> int:
    listing = work / "links.md"
    write_list(listing, ports)
    env = {**os.environ, "DLREADER_CACHE_DIR": str(work / "cache")}
    rows: list[tuple[str, float | None, float | None, float | None, str]] = []

    def dlreader(label: str, *options: str) -> float:
        times, cpus, peaks = [], [], []
        for run in range(args.runs):
            command = [sys.executable, "-m", "dlreader", "--source", str(listing),
                       "--data-dir", str(work / f"data-{label}-{run}"), "check", *options]
            seconds, cpu, peak, code = timed(command, env)
            if code != 0:
                raise SystemExit(f"dlreader check exited with {code}")
            times.append(seconds)
            cpus.append(cpu)
            peaks.append(peak)
        median = statistics.median(times)
        rows.append((f"dlreader check {' '.join(options) or '(defaults)'}", median,
                     statistics.median(cpus), max(peaks), ""))
        return median

    base = dlreader("defaults")
    dlreader("wide", "--concurrency", "100")
    mlc, why = find_mlc()
    if args.no_mlc:
        rows.append(("markdown-link-check", None, None, None, "skipped (--no-mlc)"))
    elif mlc is None:
        rows.append(("markdown-link-check", None, None, None, f"skipped: {why}"))
    else:
        seconds, cpu, peak, code = timed([mlc, "-q", str(listing)], env)
        note = f"{seconds / base:.1f}x dlreader's time (defaults)"
        rows.append(("markdown-link-check -q (1 run)", seconds, cpu, peak,
                     note + (f"; exit {code}" if code else "")))

    print(f"{LINKS} links on {ORIGINS} origins, every answer after {DELAY * 1000:.0f} ms; "
          f"median of {args.runs} runs (the machine is shared: compare ratios)")
    print(f"{'what':<36} {'seconds':>8} {'CPU s':>6} {'peak MB':>8}  note")

    def cell(value: float | None, width: int, digits: int) -> str:
        return f"{value:{width}.{digits}f}" if value is not None else f"{'-':>{width}}"

    for what, seconds, cpu, peak, note in rows:
        if seconds is not None and what.startswith("dlreader"):
            met = seconds <= TARGET_S and (peak or 0) <= TARGET_MB
            note = f"target <= {TARGET_S:g} s, <= {TARGET_MB:g} MB: {'met' if met else 'MISSED'}"
        print(f"{what:<36} {cell(seconds, 8, 2)} {cell(cpu, 6, 2)} {cell(peak, 8, 1)}  {note}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        asyncio.run(_serve())
    else:
        sys.exit(main())
