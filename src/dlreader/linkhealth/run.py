"""One check run: which links, checked how, and what it adds up to.

Shared by ``dlreader check`` and the app's background check. The caller gets each
outcome as it comes (for progress) and the whole run at the end; a run that reached no
server at all is ``offline`` and must not be recorded: offline is not dead.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterable

from msgspec import Struct, field

from dlreader.catalog.model import Catalog, item_urls
from dlreader.catalog.urls import normalize_url
from dlreader.linkhealth.arxiv import INTERVAL, arxiv_id, check_arxiv
from dlreader.linkhealth.checker import CheckOptions, Outcome, check_urls
from dlreader.linkhealth.client import Clients, origin
from dlreader.linkhealth.records import LinkBook, LinkRecord


def catalog_urls(catalog: Catalog, item_ids: Iterable[str] | None = None) -> list[str]:
    """The http(s) URLs of the items (all of them by default) and of their secondary
    links (``Item.links``), each once, in list order."""
    ids = catalog.items if item_ids is None else item_ids
    urls = (normalize_url(url) for i in ids for url in item_urls(catalog.items[i]))
    return list(dict.fromkeys(url for url in urls if url))


def due(urls: Iterable[str], book: LinkBook, older_than_days: float) -> list[str]:
    """The URLs never checked, or last checked ``older_than_days`` ago or more."""
    return [
        url for url in urls
        if (record := book.get(url)) is None or record.is_older_than(older_than_days)
    ]


# A run stops as offline once this many links on this many hosts failed with none reached.
OFFLINE_AFTER_LINKS = 16
OFFLINE_AFTER_HOSTS = 4


class CheckRun(Struct):
    total: int
    records: list[LinkRecord] = field(default_factory=list)
    reached: bool = False
    interrupted: bool = False

    def add(self, outcome: Outcome) -> None:
        self.records.append(outcome.record)
        self.reached = self.reached or outcome.reached

    @property
    def offline(self) -> bool:
        """Nothing answered: name lookups and connections failed everywhere."""
        return bool(self.records) and not self.reached

    @property
    def looks_offline(self) -> bool:
        """Enough links on enough hosts failed, and none answered, to stop early: offline,
        a name lookup can take seconds to fail, and checking on would only wait."""
        if self.reached or len(self.records) < OFFLINE_AFTER_LINKS:
            return False
        return len({origin(r.url) for r in self.records}) >= OFFLINE_AFTER_HOSTS

    def counts(self) -> Counter[str]:
        return Counter(record.status for record in self.records)


async def check_all(
    urls: list[str],
    options: CheckOptions,
    on_outcome: Callable[[Outcome], None],
    *,
    arxiv_interval: float = INTERVAL,
) -> None:
    """Check arXiv links through the arXiv API and every other link over HTTP, together."""
    papers: dict[str, list[str]] = {}
    pages: list[str] = []
    for url in urls:
        paper = arxiv_id(url)
        if paper is None:
            pages.append(url)
        else:
            papers.setdefault(paper, []).append(url)
    clients = Clients(timeout=options.timeout, per_host=options.per_host)
    async with clients, asyncio.TaskGroup() as group:
        group.create_task(check_urls(clients, pages, options, on_outcome))
        if papers:
            group.create_task(check_arxiv(clients, papers, on_outcome, interval=arxiv_interval))


async def _until_stopped(
    work: asyncio.Future[None], stop: Callable[[], bool]
) -> bool:
    """Wait for ``work``; cancel it when ``stop()`` says so. True when it was stopped."""
    while not work.done():
        if stop():
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await work
            return True
        await asyncio.wait({work}, timeout=0.1)
    work.result()
    return False


def run_check(
    urls: list[str],
    options: CheckOptions,
    *,
    on_outcome: Callable[[Outcome, CheckRun], None] | None = None,
    stop: threading.Event | None = None,
    arxiv_interval: float = INTERVAL,
) -> CheckRun:
    """Check the URLs, blocking the calling thread (the app calls it from a worker).

    Ctrl+C (KeyboardInterrupt) or ``stop`` ends the run early; what was checked by
    then is kept in the returned run, marked ``interrupted``.
    """
    run = CheckRun(total=len(urls))

    def collect(outcome: Outcome) -> None:
        run.add(outcome)
        if on_outcome is not None:
            on_outcome(outcome, run)

    async def main() -> None:
        work = asyncio.ensure_future(
            check_all(urls, options, collect, arxiv_interval=arxiv_interval)
        )
        stopped = await _until_stopped(
            work, lambda: run.looks_offline or (stop is not None and stop.is_set())
        )
        run.interrupted = stopped and not run.looks_offline

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        run.interrupted = True
    return run
