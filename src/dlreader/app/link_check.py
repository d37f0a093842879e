"""The app's background link check: the same run as ``dlreader check``, off the UI thread.

The worker thread reads links.json, checks what is due, saves, and reports through
messages; the UI only ever moves a progress bar and repaints rows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from textual.message import Message

from dlreader.catalog.model import Catalog
from dlreader.linkhealth.records import LinkRecord, load_link_book

RECHECK_DAYS = 7.0  # what `dlreader check` re-checks by default


class LinksLoaded(Message):
    """links.json was read (or a check finished): the records to show, by URL."""

    def __init__(self, records: dict[str, LinkRecord], notice: str = "",
                 severity: str = "information", *, from_check: bool = False) -> None:
        super().__init__()
        self.records = records
        self.notice = notice
        self.severity = severity
        self.from_check = from_check  # the end of a background check (the bar goes)


class LinkProgress(Message):
    def __init__(self, fraction: float) -> None:
        super().__init__()
        self.fraction = fraction


def read_links(data_dir: Path, report: Callable[[Message], object]) -> None:
    book = load_link_book(data_dir)
    notice = ""
    if book.set_aside is not None:
        notice = f"links.json was damaged: kept as {book.set_aside.name}; starting a new one."
    report(LinksLoaded(dict(book.records), notice, "warning" if notice else "information"))


def check_links(
    catalog: Catalog, data_dir: Path, stop: threading.Event,
    report: Callable[[Message], object],
) -> None:
    """Check every due link of the catalog; runs in a worker thread. Always ends with
    a ``LinksLoaded(from_check=True)``, so the progress bar never stays up."""

    def done(records: dict[str, LinkRecord], notice: str, severity: str = "information") -> None:
        report(LinksLoaded(records, notice, severity, from_check=True))

    try:
        _check(catalog, data_dir, stop, report, done)
    except Exception as error:  # a bug must not leave the bar up; say what happened
        done({}, f"The link check failed: {type(error).__name__}: {error}", "error")


def _check(
    catalog: Catalog, data_dir: Path, stop: threading.Event,
    report: Callable[[Message], object],
    done: Callable[..., None],
) -> None:
    from dlreader.linkhealth.checker import CheckOptions
    from dlreader.linkhealth.run import CheckRun, catalog_urls, due, run_check

    book = load_link_book(data_dir)
    urls = due(catalog_urls(catalog), book, RECHECK_DAYS)
    if not urls:
        done(dict(book.records), "Every link was checked in the last 7 days.")
        return
    shown = [-1]

    def progress(outcome: object, run: CheckRun) -> None:
        percent = 100 * len(run.records) // run.total
        if percent != shown[0]:  # at most 100 repaints, however many links
            shown[0] = percent
            report(LinkProgress(len(run.records) / run.total))

    run = run_check(urls, CheckOptions(), on_outcome=progress, stop=stop)
    if run.offline:
        done({}, "You appear to be offline: no link could be reached. Nothing was marked.",
             "warning")
        return
    book.update(run.records)
    try:
        book.save()
    except OSError as error:
        done(dict(book.records), f"Link check not saved: {error}", "error")
        return
    counts = run.counts()
    summary = ", ".join(f"{counts[s]} {s}" for s in ("ok", "moved", "dead", "blocked", "error")
                        if counts[s])
    stopped = " (stopped early)" if run.interrupted else ""
    done(dict(book.records), f"Checked {len(run.records)} links{stopped}: {summary}.")
