"""The in-memory reading state: the catalog joined with one user's records.

It answers what the app shows — read/total per topic subtree, the filtered and sorted
items of a topic, search hits — and is updated in place when states change: only the
changed items' ancestor topics are recounted, so a key press on a 60,000-item list costs
microseconds. Pure core: no Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from msgspec import Struct

from dlreader.catalog.model import Catalog, Item
from dlreader.filters import PRESET_NAMES, ItemFilter, SortOrder, preset
from dlreader.progress import DONE_STATUSES
from dlreader.store.changes import changed_records
from dlreader.store.journal import utc_now
from dlreader.store.records import ItemState, ItemUpdate

if TYPE_CHECKING:
    from dlreader.linkhealth.records import LinkRecord
    from dlreader.search import Hit as SearchHit
    from dlreader.search import SearchIndex

FILTERS: tuple[str, ...] = PRESET_NAMES

_DONE = DONE_STATUSES
_PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2, "none": 3}
_STATUS_RANK = {"reading": 0, "unread": 1, "read": 2, "skipped": 3}


class Change(Struct, frozen=True):
    """What a state change touched: the items and every topic whose counts moved."""

    items: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()

    def __or__(self, other: Change) -> Change:
        return Change(self.items | other.items, self.topics | other.topics)


def domain_of(url: str | None) -> str:
    """The URL's host without ``www.``, or "" for a citation without a link."""
    if not url:
        return ""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


class ReadingState:
    """A catalog plus states, with subtree rollups kept current incrementally."""

    def __init__(self, catalog: Catalog, states: Mapping[str, ItemState]) -> None:
        self.catalog = catalog
        self._states: dict[str, ItemState] = dict(states)
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._total: dict[str, int] = {topic.id: 0 for topic in catalog.topics}
        # Done = read or skipped (dlreader.progress): what the tree and header count.
        self._done: dict[str, int] = {topic.id: 0 for topic in catalog.topics}
        self._done_overall = 0
        # Items added to the list since the user last saw it, and how many per subtree.
        self._new: set[str] = set()
        self._new_count: dict[str, int] = {}
        self._search_index: SearchIndex | None = None  # built on the first search
        self._links: dict[str, LinkRecord] = {}  # by URL: what `dlreader check` found
        for item in catalog.items.values():
            ancestors = self._ancestors_of(item)
            self._ancestors[item.id] = ancestors
            done = self.status(item.id) in _DONE
            self._done_overall += done
            for topic_id in ancestors:
                self._total[topic_id] += 1
                self._done[topic_id] += done

    def _ancestors_of(self, item: Item) -> tuple[str, ...]:
        # Every topic whose subtree lists the item, once: an item listed under two
        # subtopics of one topic counts once for that topic.
        seen: dict[str, None] = {}
        for topic_id in item.topics:
            current: str | None = topic_id
            while current is not None and current not in seen:
                seen[current] = None
                current = self.catalog.topic(current).parent
        return tuple(seen)

    # -- reading states -----------------------------------------------------------------

    def state(self, item_id: str) -> ItemState | None:
        return self._states.get(item_id)

    def states(self) -> dict[str, ItemState]:
        return dict(self._states)

    def status(self, item_id: str) -> str:
        state = self._states.get(item_id)
        return state.status if state else "unread"

    def priority(self, item_id: str) -> str:
        state = self._states.get(item_id)
        return state.priority if state else "none"

    def note(self, item_id: str) -> str:
        state = self._states.get(item_id)
        return state.note if state else ""

    def link(self, item_id: str) -> LinkRecord | None:
        url = self.catalog.items[item_id].url
        return self._links.get(url) if url else None

    def links(self) -> dict[str, LinkRecord]:
        return dict(self._links)

    def link_status(self, item_id: str) -> str:
        record = self.link(item_id)
        return record.status if record else "unchecked"

    def set_links(self, records: Mapping[str, LinkRecord]) -> Change:
        """Take the link check's records (by URL); the change names the items they touch."""
        changed = {url for url, record in records.items() if self._links.get(url) != record}
        self._links.update(records)
        return Change(frozenset(
            item.id for item in self.catalog.items.values() if item.url in changed
        ))

    def progress(self, topic_id: str) -> tuple[int, int]:
        """(done, total) over the topic's whole subtree, each item once."""
        return self._done.get(topic_id, 0), self._total.get(topic_id, 0)

    def overall(self) -> tuple[int, int]:
        """(done, total) over the whole list."""
        return self._done_overall, len(self.catalog.items)

    def home_topic(self, item_id: str, within: str | None) -> str | None:
        """The item's own topic as seen from the listed topic ``within``: ``within`` when
        it lists the item itself, else the first of the item's topics in its subtree (the
        item came with the subtopics), else the item's first topic."""
        item = self.catalog.items.get(item_id)
        if item is None or not item.topics or within in item.topics:
            return within
        if within is not None and self.catalog.has_topic(within):
            for topic_id in item.topics:
                current: str | None = topic_id
                while current is not None:
                    if current == within:
                        return topic_id
                    current = self.catalog.topic(current).parent
        return item.topics[0]

    def also_in(self, item_id: str) -> int:
        """How many other topics list the item."""
        return max(0, len(self.catalog.items[item_id].topics) - 1)

    # -- what is new ----------------------------------------------------------------------

    def set_new(self, item_ids: Iterable[str]) -> None:
        """Which items are new (added since the user last saw the list)."""
        self._new = {item_id for item_id in item_ids if item_id in self._ancestors}
        self._new_count = {}
        for item_id in self._new:
            for topic_id in self._ancestors[item_id]:
                self._new_count[topic_id] = self._new_count.get(topic_id, 0) + 1

    def is_new(self, item_id: str) -> bool:
        return item_id in self._new

    def new_ids(self) -> list[str]:
        return [item_id for item_id in self.catalog.items if item_id in self._new]

    def new_count(self, topic_id: str) -> int:
        """New items in the topic's whole subtree, each once."""
        return self._new_count.get(topic_id, 0)

    def mark_seen(self, item_ids: Iterable[str]) -> Change:
        """The items are no longer new; what to repaint."""
        items: set[str] = set()
        topics: set[str] = set()
        for item_id in item_ids:
            if item_id not in self._new:
                continue
            self._new.discard(item_id)
            items.add(item_id)
            for topic_id in self._ancestors[item_id]:
                self._new_count[topic_id] -= 1
                topics.add(topic_id)
        return Change(frozenset(items), frozenset(topics))

    # -- changes ------------------------------------------------------------------------

    def updates_for(self, item_ids: Iterable[str], **fields: Any) -> list[ItemUpdate]:
        """``ItemUpdate``s setting ``fields`` (status/priority/note/own_title/add_tags/
        remove_tags) on the items."""
        updates = []
        for item_id in item_ids:
            item = self.catalog.items[item_id]
            updates.append(ItemUpdate(item_id=item_id, url=item.url, title=item.title, **fields))
        return updates

    def apply(self, updates: Sequence[ItemUpdate]) -> Change:
        """Show updates at once (before the store has written them), made and dated as
        the store will make them: a mark counts as done today at once (the stats' streak
        opened right after a mark counted it only once the writer had answered)."""
        _, after = changed_records(updates, utc_now(), self._states.get)
        return self.set_states(after)

    def set_states(self, states: Mapping[str, ItemState | None]) -> Change:
        """Set (or, with None, clear) some items' states; recount their ancestors only."""
        changed_items: set[str] = set()
        changed_topics: set[str] = set()
        for item_id, state in states.items():
            before = self._states.get(item_id)
            if before == state:
                continue
            was_done = before is not None and before.status in _DONE
            if state is None:
                self._states.pop(item_id, None)
            else:
                self._states[item_id] = state
            changed_items.add(item_id)
            is_done = state is not None and state.status in _DONE
            if was_done == is_done or item_id not in self._ancestors:
                continue
            delta = 1 if is_done else -1
            self._done_overall += delta
            for topic_id in self._ancestors[item_id]:
                self._done[topic_id] += delta
                changed_topics.add(topic_id)
        return Change(frozenset(changed_items), frozenset(changed_topics))

    def replace_states(
        self, states: Mapping[str, ItemState], *, keep: Callable[[str], bool] = lambda _: False
    ) -> Change:
        """Take the store's whole state (after undo, redo or another process's write);
        ``keep(item_id)``: the item keeps its own state (a newer change to it is queued)."""
        update: dict[str, ItemState | None] = {
            item_id: state for item_id, state in states.items() if not keep(item_id)
        }
        for item_id in self._states.keys() - states.keys():
            if not keep(item_id):
                update[item_id] = None
        return self.set_states(update)

    # -- listing ------------------------------------------------------------------------

    def is_dead(self, item_id: str) -> bool:
        """Whether the link check found the item's link dead (the "dead links" facet)."""
        return self.link_status(item_id) == "dead"

    def passes(self, item_id: str, chosen: ItemFilter) -> bool:
        return chosen.matches(self._states.get(item_id), new=item_id in self._new,
                              dead=chosen.dead and self.is_dead(item_id))

    def item_ids(
        self, topic_id: str, *, recursive: bool = False, filter: str | ItemFilter = "all",
        sort: SortOrder = "list",
    ) -> list[str]:
        """The topic's items (and its subtopics' with ``recursive``), filtered (a preset's
        name or any ``ItemFilter``) and sorted."""
        ids = self.catalog.item_ids_under(topic_id, recursive=recursive)
        chosen = preset(filter) if isinstance(filter, str) else filter
        if not chosen.is_all:
            ids = [i for i in ids if self.passes(i, chosen)]
        if sort == "priority":
            ids.sort(key=lambda i: _PRIORITY_RANK.get(self.priority(i), 3))
        elif sort == "status":
            ids.sort(key=lambda i: _STATUS_RANK.get(self.status(i), 1))
        elif sort != "list":
            raise ValueError(f"unknown sort {sort!r}")
        return ids  # list.sort is stable: ties keep list order

    # -- search -------------------------------------------------------------------------

    def search(self, query: str, *, within_topic: str | None = None,
               limit: int = 200) -> list[SearchHit]:
        """Ranked hits (dlreader.search) over the list and the user's own text;
        ``within_topic``: only under that topic's subtree."""
        if self._search_index is None:
            from dlreader.search import SearchIndex  # on the first search: not at start-up

            self._search_index = SearchIndex(self.catalog)
        within = None
        if within_topic is not None:
            within = {topic.id for topic in self.catalog.subtree(within_topic)}
        # A copy (made in C, atomic under the GIL): the search runs in a worker thread
        # while the UI thread may take the store's newest records.
        return self._search_index.search(query, dict(self._states), within=within,
                                         limit=limit)
