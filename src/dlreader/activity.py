"""Reading activity: items done per week and the current streak, and progress per topic.

An item is done when it is read (at ``read_at``) or skipped (at its last change, the
time it was skipped). Weeks are ISO weeks (Monday first) in UTC, like the store's times;
the streak is the number of days in a row, up to today, with at least one item done
(a day without one yet today does not break it until tomorrow). Pure core: the stats
screen and `dlreader stats` draw the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping

from msgspec import Struct

from dlreader.catalog.model import Catalog, Topic
from dlreader.progress import DONE_STATUSES, count_done
from dlreader.store.records import ItemState

WEEKS = 12


class Week(Struct, frozen=True):
    start: dt.date  # its Monday
    done: int


class TopicProgress(Struct, frozen=True):
    topic_id: str
    title: str
    done: int
    total: int


def done_day(state: ItemState) -> dt.date | None:
    """The day (UTC) the item was done, or None if it is not done or has no time."""
    if state.status not in DONE_STATUSES:
        return None
    stamp = state.read_at if state.status == "read" and state.read_at else state.updated
    try:
        return dt.date.fromisoformat(stamp[:10]) if stamp else None
    except ValueError:
        return None


def _days(catalog: Catalog, states: Mapping[str, ItemState]) -> Counter[dt.date]:
    days: Counter[dt.date] = Counter()
    for item_id in catalog.items:
        state = states.get(item_id)
        day = done_day(state) if state is not None else None
        if day is not None:
            days[day] += 1
    return days


def weekly_done(catalog: Catalog, states: Mapping[str, ItemState], today: dt.date,
                weeks: int = WEEKS) -> list[Week]:
    """Items of the list done in each of the last ``weeks`` weeks, oldest first (the last
    is this week)."""
    this_monday = today - dt.timedelta(days=today.weekday())
    starts = [this_monday - dt.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    counts: Counter[dt.date] = Counter()
    for day, count in _days(catalog, states).items():
        counts[day - dt.timedelta(days=day.weekday())] += count
    return [Week(start, counts.get(start, 0)) for start in starts]


def streak(catalog: Catalog, states: Mapping[str, ItemState], today: dt.date) -> int:
    """Days in a row with an item done, ending today (or yesterday, if today has none yet)."""
    days = _days(catalog, states)
    day = today if days.get(today) else today - dt.timedelta(days=1)
    length = 0
    while days.get(day):
        length += 1
        day -= dt.timedelta(days=1)
    return length


def main_topics(catalog: Catalog) -> list[Topic]:
    """The topics a stats view lists: the top level, or under a lone title heading."""
    roots = [topic for topic in catalog.roots()
             if catalog.item_ids_under(topic.id, recursive=True) or topic.children]
    if len(roots) == 1 and roots[0].children:
        return catalog.children(roots[0].id)
    return roots


def topic_progress(catalog: Catalog, states: Mapping[str, ItemState]) -> list[TopicProgress]:
    """Done/total per main topic (its whole subtree, each item once)."""
    rows = []
    for topic in main_topics(catalog):
        ids = catalog.item_ids_under(topic.id, recursive=True)
        rows.append(TopicProgress(topic.id, topic.title, count_done(ids, states), len(ids)))
    return rows
