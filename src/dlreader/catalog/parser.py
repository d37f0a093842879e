"""Markdown reading list -> Catalog: topics (headings), items (list entries, links), passages.

The glue: markdown-it-py parses (inline.py), walker.py turns its tokens into events,
builder.py makes the catalog; big lists are parsed in chunks (chunks.py), which gives the
same result as one parse and lets us report progress.
"""

from __future__ import annotations

from collections.abc import Callable

from dlreader.catalog.builder import CatalogBuilder, Event, replay
from dlreader.catalog.chunks import (
    default_workers,
    events_in_processes,
    should_offload,
    split_chunks,
)
from dlreader.catalog.model import Catalog
from dlreader.catalog.walker import chunk_events
from dlreader.textsafe import markdown_source

Progress = Callable[[float], None]


def parse_catalog(
    text: str, source: str, progress: Progress | None = None, *, workers: int | None = None,
    base_url: str | None = None, offload: bool = False, fork: bool = False,
) -> Catalog:
    """Parse a markdown reading list. Deterministic; never raises on odd markdown.

    ``progress`` is called with the fraction done after each chunk. ``workers`` > 1
    parses chunks in that many processes (default: ``default_workers``); the result is
    the same, and if the processes cannot run the parse carries on in this one.
    ``base_url``: relative links (``./docs/x.md``) resolve against it and are links again;
    without it they are kept as text. ``offload``: parse big lists (``should_offload``)
    in worker processes only, none of it in this one (the app's screen keeps its GIL).
    ``fork``: the caller runs no other thread (a CLI command), so workers may be forked
    (see ``events_in_processes``).
    """
    text = markdown_source(text)
    builder = CatalogBuilder(source)
    chunks = split_chunks(text)
    workers = default_workers(text) if workers is None else workers
    total = max(1, len(text))
    done_chunks = 0
    done_chars = 0

    def take(events: list[Event]) -> None:
        nonlocal done_chunks, done_chars
        replay(builder, events)
        done_chars += len(chunks[done_chunks][1])
        done_chunks += 1
        if progress is not None:
            progress(min(1.0, done_chars / total))

    offload = offload and should_offload(text)
    if (workers > 1 and len(chunks) > 1) or offload:
        try:
            for events in events_in_processes(chunks, workers, base_url,
                                               first_here=not offload, fork=fork):
                take(events)
        except Exception:  # no processes here (sandbox, a worker died): go on in this one
            pass
    for chunk in chunks[done_chunks:]:
        take(chunk_events(chunk, base_url))
    catalog = builder.build()
    if not text.strip():
        catalog.warnings.append(f"{source}: the reading list is empty")
    return catalog
