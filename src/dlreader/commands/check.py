"""``dlreader check``: check the list's links and remember what was found in links.json."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

from dlreader.commands import say
from dlreader.errors import EXIT_INTERRUPTED, Offline, StoreWriteError, describe
from dlreader.textsafe import json_text, one_line, plural, wants_plain

if TYPE_CHECKING:
    from dlreader.commands import Context
    from dlreader.linkhealth.checker import Outcome
    from dlreader.linkhealth.run import CheckRun


class _Lines:
    """Progress without a terminal: one line per 10%, for logs and CI."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream, self.next_tenth = total, stream, 1

    def __call__(self, outcome: Outcome, run: CheckRun) -> None:
        done = len(run.records)
        while self.next_tenth <= 10 and done * 10 >= self.next_tenth * self.total:
            print(f"dlreader: checked {done}/{self.total} ({self.next_tenth * 10}%)",
                  file=self.stream, flush=True)
            self.next_tenth += 1


def _summary(run: CheckRun) -> str:
    counts = run.counts()
    parts = [f"{counts[s]} {s}" for s in ("ok", "moved", "dead", "blocked", "error") if counts[s]]
    return f"checked {plural(len(run.records), 'link')}: {', '.join(parts) or 'none'}"


def _report_json(run: CheckRun) -> list[dict[str, Any]]:
    return [
        {"url": r.url, **r.link_fields(), "reason": r.reason or None, "title": r.title}
        for r in run.records
    ]


def _report_text(run: CheckRun, out: TextIO) -> None:
    trouble = [r for r in run.records if r.status != "ok"]
    for record in sorted(trouble, key=lambda r: (r.status, r.url)):
        code = str(record.code) if record.code is not None else "-"
        extra = f"-> {record.moved_to}" if record.moved_to else (
            f"({record.reason})" if record.reason else ""
        )
        line = f"{record.status:<8} {code:<4} {one_line(record.url)} {one_line(extra)}"
        print(line.rstrip(), file=out)


def check(args: argparse.Namespace, context: Context) -> int:
    from dlreader.commands.common import find_one_topic
    from dlreader.linkhealth.checker import CheckOptions
    from dlreader.linkhealth.run import catalog_urls, due, run_check

    catalog = context.load_catalog()
    book = context.link_book()
    item_ids = None
    if args.topic is not None:
        item_ids = catalog.item_ids_under(find_one_topic(catalog, args.topic).id, recursive=True)
    every = catalog_urls(catalog, item_ids)
    urls = due(every, book, args.older_than)
    if not every:
        say(context, "nothing to check: no http(s) links here")
        return 0
    if not urls:
        say(context, f"nothing to check: all {plural(len(every), 'link')} were checked less "
                     f"than {args.older_than:g} days ago (--older-than 0 checks them again)")
        return 0
    options = CheckOptions(
        concurrency=args.concurrency, per_host=args.per_host, timeout=args.timeout
    )
    say(context, f"checking {plural(len(urls), 'link')}")
    context.stderr.flush()
    run = _run_with_progress(urls, options, context.stderr, run_check)
    if run.offline:
        tried = plural(len(run.records), "link")
        if len(run.records) < len(urls):
            tried += f" tried (of {len(urls)})"
        raise Offline(
            f"you appear to be offline: none of {tried} could be reached "
            "(no name lookup or connection worked); nothing was marked"
        )
    if run.records:
        book.update(run.records)
        try:
            book.save()
        except OSError as error:
            raise StoreWriteError(
                f"cannot write {book.path}: {describe(error)}; nothing was recorded"
            ) from error
    if args.format == "json":
        print(json_text(_report_json(run)), file=context.stdout)
    else:
        _report_text(run, context.stdout)
    say(context, f"{_summary(run)} (in {book.path})")
    if run.interrupted:
        say(context, f"interrupted: {len(run.records)} of {len(urls)} checked and kept")
        return EXIT_INTERRUPTED
    return 0


def _run_with_progress(urls: list[str], options: Any, stream: TextIO, run_check: Any) -> CheckRun:
    if wants_plain(stream):
        return run_check(urls, options, on_outcome=_Lines(len(urls), stream))  # type: ignore[no-any-return]
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    # The bar's own cursor controls must reach the terminal, so Rich writes to the stream
    # under the sanitising TerminalWriter; everything it draws is ours (no list text).
    raw = getattr(stream, "stream", stream)
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=Console(file=raw), transient=True,
    ) as progress:
        task = progress.add_task("checking links", total=len(urls))

        def advance(outcome: Outcome, run: CheckRun) -> None:
            progress.update(task, completed=len(run.records))

        return run_check(urls, options, on_outcome=advance)  # type: ignore[no-any-return]
