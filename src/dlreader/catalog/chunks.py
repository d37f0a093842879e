"""Big lists in pieces: split at top-level ATX headings (same result as one parse), and
parse the pieces in worker processes."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence

from dlreader.catalog.builder import Event
from dlreader.catalog.outline import top_level_atx_lines
from dlreader.catalog.walker import chunk_events

# Chunks for progress reporting: no smaller than this many characters.
CHUNK_MIN_CHARS = 64 * 1024
# Lists at least this big are parsed in two pieces at once, here and in a worker process
# (which starts in ~0.2 s, while this process parses the first piece).
PARALLEL_MIN_CHARS = 512 * 1024
# From this size the app parses in worker processes, never in its own: a parse thread
# would share the interpreter lock with the screen (it ran ~2x slower than `dump`).
OFFLOAD_MIN_CHARS = 256 * 1024

# A reference definition anywhere ("[label]: url"): such lists are parsed in one piece,
# since a definition late in the file changes links early in it.
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)


def chunk_starts(text: str) -> list[int]:
    """Line indexes (0-based) where a chunk may start: top-level ATX headings."""
    return top_level_atx_lines(text)


def split_chunks(text: str, min_chars: int = CHUNK_MIN_CHARS) -> list[tuple[int, str]]:
    """(first line index, text) pieces that parse to the same catalog as the whole."""
    if len(text) < 2 * min_chars or _REFERENCE_DEFINITION.search(text):
        return [(0, text)]
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    chunks: list[tuple[int, str]] = []
    start = 0
    for heading_line in chunk_starts(text):
        if heading_line > start and offsets[heading_line] - offsets[start] >= min_chars:
            chunks.append((start, text[offsets[start] : offsets[heading_line]]))
            start = heading_line
    chunks.append((start, text[offsets[start] :]))
    return chunks


# A worker is a plain interpreter importing this module, not multiprocessing: that would
# re-run the host's main script in the child (unsafe for scripts without a main guard).
_WORKER_CODE = "from dlreader.catalog.chunks import worker_main; worker_main()"


def worker_main() -> None:
    """A parse worker process: (base URL, chunks) pickled on stdin, events per chunk out."""
    import pickle
    import sys

    base_url, chunks = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    for chunk in chunks:
        pickle.dump(chunk_events(chunk, base_url), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


def _groups(chunks: Sequence[tuple[int, str]], count: int) -> list[list[tuple[int, str]]]:
    """Consecutive runs of chunks of about equal size, one per worker."""
    total = sum(len(text) for _, text in chunks)
    groups: list[list[tuple[int, str]]] = [[]]
    size = 0
    for chunk in chunks:
        if size >= total * len(groups) / count and len(groups) < count:
            groups.append([])
        groups[-1].append(chunk)
        size += len(chunk[1])
    return [group for group in groups if group]


def events_in_processes(
    chunks: Sequence[tuple[int, str]], workers: int, base_url: str | None = None,
    *, first_here: bool = False,
) -> Iterator[list[Event]]:
    """Each chunk's events, in order, parsed by worker processes (raises if one fails).

    ``first_here``: this process parses the first group itself while the workers start
    and parse the rest (one process start fewer on the critical path).
    """
    import pickle
    import queue
    import subprocess
    import sys
    import threading
    from pathlib import Path

    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    groups = _groups(chunks, workers)
    local, groups = (groups[0], groups[1:]) if first_here else ([], groups)
    processes: list[subprocess.Popen[bytes]] = []
    inboxes: list[queue.Queue[list[Event] | None]] = []

    def feed(process: subprocess.Popen[bytes], group: list[tuple[int, str]]) -> None:
        assert process.stdin is not None
        try:
            with process.stdin:
                pickle.dump((base_url, group), process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            pass  # the worker died; its reader reports it

    def drain(process: subprocess.Popen[bytes], inbox: queue.Queue[list[Event] | None]) -> None:
        assert process.stdout is not None
        try:
            while True:
                inbox.put(pickle.load(process.stdout))
        except Exception:  # EOF, or a worker that died mid-write
            inbox.put(None)

    try:
        for group in groups:
            process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_CODE], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            )
            processes.append(process)
            inbox: queue.Queue[list[Event] | None] = queue.Queue()
            inboxes.append(inbox)
            threading.Thread(target=feed, args=(process, group), daemon=True).start()
            threading.Thread(target=drain, args=(process, inbox), daemon=True).start()
        for chunk in local:
            yield chunk_events(chunk, base_url)
        for group, inbox in zip(groups, inboxes, strict=True):
            for _ in group:
                events = inbox.get()
                if events is None:
                    raise RuntimeError("a parse worker stopped early")
                yield events
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()


def default_workers(text: str) -> int:
    """Two pieces at once for big lists on a machine that has the cores, else one."""
    if len(text) < PARALLEL_MIN_CHARS or (os.cpu_count() or 1) < 2:
        return 1
    return 2


def should_offload(text: str) -> bool:
    """Should a process that must stay responsive (the app) parse this in workers?"""
    return len(text) >= OFFLOAD_MIN_CHARS

