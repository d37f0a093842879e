"""``dlreader stats``: counts by status and priority, progress per topic, done per week."""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
from typing import Any

from rich.cells import cell_len

from dlreader.catalog.model import Catalog
from dlreader.commands import Context
from dlreader.commands.common import (
    emit_json,
    fit,
    orphans,
    state_or_default,
)
from dlreader.progress import count_done, percent, spark_line, text_bar
from dlreader.store.records import PRIORITIES, STATUSES, ItemState
from dlreader.textsafe import one_line, plural

BAR_WIDTH = 30


def compute_stats(catalog: Catalog, states: dict[str, ItemState],
                  today: dt.date | None = None) -> dict[str, Any]:
    from dlreader import activity

    today = today or dt.datetime.now(dt.UTC).date()
    listed = [state_or_default(item, states.get(i)) for i, item in catalog.items.items()]
    status = Counter(state.status for state in listed)
    priority = Counter(state.priority for state in listed)
    return {
        "items": len(listed),
        "topics": len(catalog.topics),
        "done": count_done(catalog.items, states),
        "status": {name: status.get(name, 0) for name in STATUSES},
        "priority": {name: priority.get(name, 0) for name in PRIORITIES},
        "noted": sum(1 for state in listed if state.has_note),
        "orphans": len(orphans(catalog, states)),
        "weeks": [{"start": week.start.isoformat(), "done": week.done}
                  for week in activity.weekly_done(catalog, states, today)],
        "streak": activity.streak(catalog, states, today),
        "by_topic": [{"id": row.topic_id, "title": row.title, "done": row.done,
                      "total": row.total}
                     for row in activity.topic_progress(catalog, states)],
    }


def stats(args: argparse.Namespace, context: Context) -> int:
    catalog = context.load_catalog()
    states = context.list_states(catalog)
    figures = compute_stats(catalog, states)
    if args.format == "json":
        emit_json(context, figures)
        return 0
    out = context.stdout
    total = figures["items"]
    print(f"{one_line(catalog.name)}: {plural(total, 'item')} under "
          f"{plural(figures['topics'], 'topic')}", file=out)
    digits = len(str(max(total, 1)))
    for heading in ("status", "priority"):
        print(f"\n{heading}", file=out)
        for name, count in figures[heading].items():
            share = 100 * count / total if total else 0.0
            bar = text_bar(count, total, BAR_WIDTH)
            print(f"  {name:<8} {count:>{digits}}  {bar} {share:5.1f}%", file=out)
    print(f"\n{'noted':<10} {figures['noted']:>{digits}}", file=out)
    print(f"{'orphans':<10} {figures['orphans']:>{digits}}"
          + ("  (`dlreader list --orphans`)" if figures["orphans"] else ""), file=out)
    done = figures["done"]
    print(f"\ndone {done}/{total} ({percent(done, total)}%, read or skipped)", file=out)
    rows = figures["by_topic"]
    if rows:
        width = min(50, max(cell_len(one_line(row["title"])) for row in rows))
        tdigits = len(str(max(row["total"] for row in rows) or 1))
        for row in rows:
            print(f"  {fit(one_line(row['title']), width)}  {row['done']:>{tdigits}}/"
                  f"{row['total']:<{tdigits}}  {text_bar(row['done'], row['total'], 10)}",
                  file=out)
    weeks = figures["weeks"]
    print(f"\ndone per week (last {len(weeks)}, oldest first): "
          f"{' '.join(str(week['done']) for week in weeks)}", file=out)
    print(f"  {spark_line([week['done'] for week in weeks])}", file=out)
    days = figures["streak"]
    print(f"streak: {plural(days, 'day')} in a row", file=out)
    return 0
