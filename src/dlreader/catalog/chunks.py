"""Big lists in pieces: split at top-level ATX headings (same result as one parse), and
parse the pieces in worker processes.

Light to import (the scanner and the walker on first use): the launcher asks
``should_offload`` and ``has_reference_definition`` before Textual is imported, when
markdown-it's ~0.1 s would delay the first paint.
"""

from __future__ import annotations

import gc
import itertools
import os
import re
import signal
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from dlreader.catalog.forked import can_fork

if TYPE_CHECKING:
    from dlreader.catalog.builder import Event

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


def has_reference_definition(text: str) -> bool:
    """Does the text define a link reference at the top level?"""
    # The regex tries every line starting "[" to its end (13 ms on the seed x20): a
    # definition needs "]:", which most lists never write (1 ms to look for).
    return "]:" in text and _REFERENCE_DEFINITION.search(text) is not None


def chunk_starts(text: str, lines: list[str] | None = None) -> list[int]:
    """Line indexes (0-based) where a chunk may start: top-level ATX headings (the
    unindented ones, by ``unindented_headings``, when it can tell)."""
    found = unindented_headings(text.split("\n") if lines is None else lines)
    if found is not None:
        return found
    from dlreader.catalog.blocks import LineScanner

    return [heading.line for heading in LineScanner(text, {}).scan() if heading.atx]


def unindented_headings(lines: list[str]) -> list[int] | None:
    """The unindented ATX headings at the top level, a tenth of a full line scan's time;
    None if a line leaves it unsure (then ``LineScanner`` decides).

    Any such line is a top-level heading (it ends every paragraph, list, quote and table
    it meets) unless a top-level fenced code block or HTML block holds it. Those start on
    a line of their own: unindented ones are followed here; one indented 1-3 columns
    might be in a list item or not, and an HTML line that may only open a block where no
    paragraph is open (``<img ...>`` right under text) might continue a paragraph or not:
    unsure. (One indented 4 or more is code, or in a list item that the next unindented
    line ends.)
    """
    from dlreader.catalog.blockrules import ATX, Fence, expand, fence_open, html_open

    found: list[int] = []
    fence: Fence | None = None  # the open top-level fence
    html_end: re.Pattern[str] | None = None  # what ends the open top-level HTML block
    after_text = False  # the line before may have left a paragraph or table open
    for index, line in enumerate(lines):
        if fence is not None:
            if fence.closes(*expand(line)):
                fence = None
            continue
        if html_end is not None:
            if html_end.search(expand(line)[1]):  # a blank line, or its closing tag
                html_end = None
                after_text = bool(line.strip())
            continue
        first = line[:1]
        if not line.strip():
            after_text = False
        elif first == " " or first == "\t":
            indent, rest = expand(line)
            if indent <= 3 and (fence_open(indent, rest) is not None or html_open(
                    indent, rest, interrupting=False) is not None):
                return None
            after_text = True
        elif first == "#" and ATX.match(line):
            found.append(index)
            after_text = False
        elif first == "`" or first == "~":
            fence = fence_open(0, line)
            after_text = True
        elif first == "<" and (ends := html_open(0, line, interrupting=False)) is not None:
            if after_text and html_open(0, line, interrupting=True) is None:
                return None
            if not ends.search(line):
                html_end = ends
            after_text = True
        else:
            after_text = True
    return found


def split_chunks(text: str, min_chars: int = CHUNK_MIN_CHARS) -> list[tuple[int, str]]:
    """(first line index, text) pieces that parse to the same catalog as the whole."""
    if len(text) < 2 * min_chars or has_reference_definition(text):
        return [(0, text)]
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    chunks: list[tuple[int, str]] = []
    start = 0
    for heading_line in chunk_starts(text, lines):
        if heading_line > start and offsets[heading_line] - offsets[start] >= min_chars:
            chunks.append((start, text[offsets[start] : offsets[heading_line]]))
            start = heading_line
    chunks.append((start, text[offsets[start] :]))
    return chunks


# A worker is a plain interpreter importing this module, not multiprocessing: that would
# re-run the host's main script in the child (unsafe for scripts without a main guard).
_WORKER_CODE = "from dlreader.catalog.chunks import worker_main; worker_main()"


def worker_main() -> None:
    """A parse worker process: (base URL, [(index, chunk)]) pickled on stdin, in the order
    to parse them; out, per chunk, ("start", index) before parsing it and then
    ("done", index, events)."""
    import pickle
    import sys

    base_url, chunks = pickle.load(sys.stdin.buffer)
    _parse_into(sys.stdout.buffer, chunks, base_url)


def _parse_into(out: BinaryIO, chunks: Iterable[tuple[int, tuple[int, str]]],
                base_url: str | None) -> None:
    """A worker's loop: each chunk's ("start", index), then its ("done", index, events)."""
    import pickle

    from dlreader.catalog.walker import chunk_events

    for index, chunk in chunks:
        pickle.dump(("start", index), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
        events = chunk_events(chunk, base_url)
        pickle.dump(("done", index, events), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


# Text that makes a markdown configuration compile what it compiles on first use.
_WARM_UP = "# a\n\n- [a](https://a.org/) - b https://b.org/ www.c.org `d` *e* &amp;\n"


def _warm_parsers(chunks: Sequence[tuple[int, str]]) -> None:
    """Use each markdown configuration the chunks need once, before forking: its linkify
    patterns compile on first use (~15 ms), then once, not in every process."""
    from dlreader.catalog.inline import block_parser

    for md in {block_parser(text) for _, text in chunks}:
        md.parse(_WARM_UP, {})


class _Claims:
    """Which parser took each chunk, shared by this process and the workers it forks: a
    byte per chunk in a shared map, changed under a lock, so where the parser from the
    front and the one from the back meet, no chunk is parsed twice (each began what it
    had not heard the other had; one chunk in two was parsed by both).

    The lock is a POSIX record lock (``lockf``) on the map's file: each process's own,
    and let go by the kernel if its holder dies, so no parser waits for a dead one.
    """

    FRONT = 1
    BACK = 2

    def __init__(self, count: int) -> None:
        import mmap
        import tempfile

        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._file.truncate(max(1, count))
        self._owners = mmap.mmap(self._file.fileno(), max(1, count))

    def claim(self, index: int, who: int) -> bool:
        """Take the chunk for ``who``; False if another parser has it."""
        import fcntl

        fcntl.lockf(self._file, fcntl.LOCK_EX)
        try:
            if self._owners[index]:
                return False
            self._owners[index] = who
            return True
        finally:
            fcntl.lockf(self._file, fcntl.LOCK_UN)

    def close(self) -> None:
        self._owners.close()
        self._file.close()


class _ForkedWorker:
    """A worker forked from this process: it has the chunks and the parser's modules
    already, so it parses at once (a fresh interpreter takes ~0.2 s to start and import).

    Only from a process with no other thread (a CLI command): a thread holding a lock at
    the fork would leave it held forever in the child. The child touches nothing of the
    parent's but the chunks and its pipe, and leaves by ``os._exit``: no atexit handler,
    no flush of the parent's buffered output, no finalizer runs twice.
    """

    def __init__(self, chunks: Sequence[tuple[int, str]], order: list[int],
                 base_url: str | None, claims: _Claims, who: int) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            status = 1
            try:
                gc.freeze()  # the parent's objects: no collection of them, no page copied
                os.close(read_end)
                # Its chunks in order, until one the other parser has: the rest are its.
                mine = itertools.takewhile(lambda index: claims.claim(index, who), order)
                with os.fdopen(write_end, "wb") as out:
                    _parse_into(out, ((index, chunks[index]) for index in mine), base_url)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self.pid = pid
        self.stdout = os.fdopen(read_end, "rb")
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> int:
        if self.returncode is None:
            self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        self.stdout.close()
        return self.returncode


_HERE = -1  # the parser that is this process


def events_in_processes(
    chunks: Sequence[tuple[int, str]], workers: int, base_url: str | None = None,
    *, first_here: bool = False, fork: bool = False,
) -> Iterator[list[Event]]:
    """Each chunk's events, in order, parsed by worker processes (raises if one fails).

    Two parsers (at most: the machines this runs on have two cores) share the chunks
    from both ends, one from the first chunk on, the other from the last one back, until
    they meet: each does what the other has not begun, however late its process started
    or however slowly it runs (halves fixed in advance left the later one waited for).
    ``first_here``: this process is the one from the front, parsing while the other's
    process starts (one process start fewer on the critical path). ``fork``: fork the
    workers (``_ForkedWorker``) when ``can_fork``, else start fresh interpreters.
    """
    import pickle
    import queue
    import subprocess
    import threading
    from pathlib import Path

    from dlreader.catalog.walker import chunk_events

    count = len(chunks)
    parsers = max(1, min(2, workers, count))
    orders = [list(range(count)), list(range(count - 1, -1, -1))][:parsers]
    here = orders.pop(0) if first_here else None
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    processes: list[subprocess.Popen[bytes] | _ForkedWorker] = []
    inbox: queue.Queue[tuple[int, tuple[Any, ...] | None]] = queue.Queue()

    def feed(process: subprocess.Popen[bytes], order: list[int]) -> None:
        assert process.stdin is not None
        try:
            with process.stdin:
                pickle.dump((base_url, [(index, chunks[index]) for index in order]),
                            process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            pass  # the worker died (or was stopped); its reader reports it

    def drain(parser: int, process: subprocess.Popen[bytes] | _ForkedWorker) -> None:
        assert process.stdout is not None
        try:
            while True:
                inbox.put((parser, pickle.load(process.stdout)))
        except Exception:  # EOF, or a worker that died mid-write
            inbox.put((parser, None))

    results: dict[int, list[Event]] = {}
    arrived: set[int] = set()  # the chunks whose events came (results lets them go)
    begun: dict[int, int] = {}  # chunk index -> the parser that began it first
    stopped: set[int] = set()  # parsers stopped: all they had left was begun by the other

    def take(parser: int, message: tuple[Any, ...] | None) -> None:
        if message is None:
            if parser not in stopped and any(
                    who == parser and index not in arrived for index, who in begun.items()):
                raise RuntimeError("a parse worker stopped early")
            stopped.add(parser)
        elif message[0] == "start" and begun.setdefault(message[1], parser) != parser:
            stopped.add(parser)
            processes[parser].kill()
        elif message[0] == "done" and message[1] not in arrived:
            arrived.add(message[1])
            results[message[1]] = message[2]

    claims: _Claims | None = None
    try:
        if fork and can_fork():  # every fork before this starts its first thread
            _warm_parsers(chunks)
            claims = _Claims(count)
            whos = ([_Claims.FRONT, _Claims.BACK] if here is None else [_Claims.BACK])
            processes.extend(_ForkedWorker(chunks, order, base_url, claims, who)
                             for order, who in zip(orders, whos, strict=False))
        for parser, order in enumerate(orders):
            if len(processes) == parser:
                started = subprocess.Popen(
                    [sys.executable, "-c", _WORKER_CODE], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                )
                processes.append(started)
                threading.Thread(target=feed, args=(started, order), daemon=True).start()
            threading.Thread(target=drain, args=(parser, processes[parser]),
                             daemon=True).start()
        local = iter(here or ())
        next_local = next(local, None)
        for index in range(count):
            while index not in results:
                try:
                    take(*inbox.get_nowait())
                    continue
                except queue.Empty:
                    pass
                if next_local is not None and claims is not None \
                        and not claims.claim(next_local, _Claims.FRONT):
                    next_local = None  # the worker from the back has it, and all after it
                elif next_local is not None and next_local not in begun:
                    begun[next_local] = _HERE
                    results[next_local] = chunk_events(chunks[next_local], base_url)
                    arrived.add(next_local)
                    next_local = next(local, None)
                elif len(stopped) == len(processes):
                    raise RuntimeError("no parse worker is left for a chunk")
                else:
                    take(*inbox.get())
            yield results.pop(index)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()
        if claims is not None:
            claims.close()


def default_workers(text: str) -> int:
    """Two pieces at once for big lists on a machine that has the cores, else one."""
    if len(text) < PARALLEL_MIN_CHARS or (os.cpu_count() or 1) < 2:
        return 1
    return 2


def should_offload(text: str) -> bool:
    """Should a process that must stay responsive (the app) parse this in workers?"""
    return len(text) >= OFFLOAD_MIN_CHARS

