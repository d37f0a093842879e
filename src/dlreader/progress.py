"""What "done" means and how progress is drawn: one definition for the app and the CLI.

An item is done when it is read or skipped: a topic whose items were all read or
skipped is finished. Bars and percentages round down, so a bar is full only when every
item is done and 1 of 587 never looks like a sixth of the way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from dlreader.store.records import STATUSES, ItemState
from dlreader.textsafe import plural

DONE_STATUSES = frozenset({"read", "skipped"})


def is_done(status: str) -> bool:
    return status in DONE_STATUSES


def count_done(item_ids: Iterable[str], states: Mapping[str, ItemState]) -> int:
    """How many of the items are done (an item with no record is unread)."""
    return sum(
        1 for i in item_ids if (s := states.get(i)) is not None and s.status in DONE_STATUSES
    )


def filled_cells(done: int, total: int, width: int) -> int:
    """Cells of a ``width``-cell bar to fill: rounded down (full only when all is done)."""
    if total <= 0 or done <= 0:
        return 0
    return min(width, width * done // total)


def percent(done: int, total: int) -> int:
    """Whole percent done, rounded down (100 only when everything is done)."""
    return 100 * done // total if total > 0 else 0


def text_bar(done: int, total: int, width: int) -> str:
    """A plain-text bar for the CLI: ``███░░░``."""
    filled = filled_cells(done, total, width)
    return "█" * filled + "░" * (width - filled)


def count_statuses(statuses: Iterable[str]) -> dict[str, int]:
    """How many of each status, in STATUSES' order (unread, reading, read, skipped)."""
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        if status in counts:
            counts[status] += 1
    return counts


def topic_mark_question(statuses: Iterable[str], title: str) -> str:
    """The question before marking a topic read: how many are unread and reading (they
    become read) and how many are skipped (they stay skipped)."""
    counts = count_statuses(statuses)
    todo = counts["unread"] + counts["reading"]
    parts = ", ".join(f"{counts[name]} {name}" for name in ("unread", "reading") if counts[name])
    question = f"Mark {plural(todo, 'item')} under “{title}” read ({parts})?"
    if counts["skipped"]:
        question += f" {counts['skipped']} skipped stay skipped."
    return question


def topic_mark_report(marked_from: Mapping[str, int], status: str, title: str, *,
                      kept_skipped: int) -> str:
    """What marking a topic with ``status`` did (the CLI's ``mark --topic``), from the
    statuses the marked items had and how many skipped ones kept theirs: ``under “T”: 2
    unread, 1 reading became read; 1 already read; 1 skipped stays skipped (...)``."""
    became = [f"{marked_from[name]} {name}" for name in STATUSES
              if name != status and marked_from.get(name)]
    parts = [f"{', '.join(became)} became {status}"] if became else []
    if marked_from.get(status):
        parts.append(f"{marked_from[status]} already {status}")
    if kept_skipped:
        parts.append(f"{kept_skipped} skipped {'stays' if kept_skipped == 1 else 'stay'} "
                     "skipped (--include-skipped marks skipped items too)")
    return f"under “{title}”: {'; '.join(parts) or 'no items'}"


_SPARKS = "▁▂▃▄▅▆▇█"


def spark_line(values: Sequence[int]) -> str:
    """A text sparkline, one cell per value (the largest is a full block; 0 is blank)."""
    top = max(values, default=0)
    if top <= 0:
        return "·" * len(values)
    return "".join("·" if v <= 0 else _SPARKS[min(7, (v * 8 - 1) // top)] for v in values)
