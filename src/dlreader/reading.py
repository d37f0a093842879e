"""The in-memory reading state: the catalog joined with one user's records.

It answers what the app shows — read/total per topic subtree, the filtered and sorted
items of a topic, search hits — and is updated in place when states change: only the
changed items' ancestor topics are recounted, so a key press on a 60,000-item list costs
microseconds. Pure core: no Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from dlreader.catalog.model import Catalog, Item
from dlreader.linkhealth.records import LinkRecord
from dlreader.store.records import ItemState, ItemUpdate

FILTERS: tuple[str, ...] = ("all", "unread", "prioritised", "noted", "new", "dead links")
SORTS: tuple[str, ...] = ("list", "priority", "status")

# "unread" as a filter means "still to do": neither read nor skipped.
_DONE = frozenset({"read", "skipped"})
_PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2, "none": 3}
_STATUS_RANK = {"reading": 0, "unread": 1, "read": 2, "skipped": 3}


@dataclass(frozen=True, slots=True)
class Change:
    """What a state change touched: the items and every topic whose counts moved."""

    items: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()

    def __or__(self, other: Change) -> Change:
        return Change(self.items | other.items, self.topics | other.topics)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result. ``item_id`` is None for a passage (it jumps to its topic)."""

    kind: str  # "title", "url", "description", "link", "note" or "passage"
    item_id: str | None
    topic_id: str
    text: str
    score: float


@dataclass(slots=True)
class _Entry:
    kind: str
    item_id: str | None
    topic_id: str
    text: str
    folded: str = field(default="")


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
        self._read: dict[str, int] = {topic.id: 0 for topic in catalog.topics}
        self._read_overall = 0
        # Items added to the list since the user last saw it, and how many per subtree.
        self._new: set[str] = set()
        self._new_count: dict[str, int] = {}
        self._search_entries: list[_Entry] | None = None
        self._links: dict[str, LinkRecord] = {}  # by URL: what `dlreader check` found
        for item in catalog.items.values():
            ancestors = self._ancestors_of(item)
            self._ancestors[item.id] = ancestors
            done = self.status(item.id) == "read"
            self._read_overall += done
            for topic_id in ancestors:
                self._total[topic_id] += 1
                self._read[topic_id] += done

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
        """(read, total) over the topic's whole subtree, each item once."""
        return self._read.get(topic_id, 0), self._total.get(topic_id, 0)

    def overall(self) -> tuple[int, int]:
        return self._read_overall, len(self.catalog.items)

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

    def updates_for(self, item_ids: Iterable[str], **fields: str) -> list[ItemUpdate]:
        """``ItemUpdate``s setting ``fields`` (status/priority/note) on the items."""
        updates = []
        for item_id in item_ids:
            item = self.catalog.items[item_id]
            updates.append(ItemUpdate(item_id=item_id, url=item.url, title=item.title, **fields))
        return updates

    def apply(self, updates: Sequence[ItemUpdate]) -> Change:
        """Show updates at once (before the store has written them)."""
        new: dict[str, ItemState | None] = {}
        for update in updates:
            old = new.get(update.item_id) or self._states.get(update.item_id)
            base = old or ItemState(item_id=update.item_id, url=update.url, title=update.title)
            new[update.item_id] = replace(
                base,
                status=update.status if update.status is not None else base.status,
                priority=update.priority if update.priority is not None else base.priority,
                note=update.note if update.note is not None else base.note,
            )
        return self.set_states(new)

    def set_states(self, states: Mapping[str, ItemState | None]) -> Change:
        """Set (or, with None, clear) some items' states; recount their ancestors only."""
        changed_items: set[str] = set()
        changed_topics: set[str] = set()
        for item_id, state in states.items():
            before = self._states.get(item_id)
            if before == state:
                continue
            was_read = before is not None and before.status == "read"
            if state is None:
                self._states.pop(item_id, None)
            else:
                self._states[item_id] = state
            changed_items.add(item_id)
            is_read = state is not None and state.status == "read"
            if was_read == is_read or item_id not in self._ancestors:
                continue
            delta = 1 if is_read else -1
            self._read_overall += delta
            for topic_id in self._ancestors[item_id]:
                self._read[topic_id] += delta
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

    def item_ids(
        self, topic_id: str, *, recursive: bool = False, filter: str = "all", sort: str = "list"
    ) -> list[str]:
        """The topic's items (and its subtopics' with ``recursive``), filtered and sorted."""
        ids = self.catalog.item_ids_under(topic_id, recursive=recursive)
        if filter == "unread":
            ids = [i for i in ids if self.status(i) not in _DONE]
        elif filter == "prioritised":
            ids = [i for i in ids if self.priority(i) != "none"]
        elif filter == "noted":
            ids = [i for i in ids if self.note(i).strip()]
        elif filter == "new":
            ids = [i for i in ids if i in self._new]
        elif filter == "dead links":
            ids = [i for i in ids if self.link_status(i) == "dead"]
        elif filter != "all":
            raise ValueError(f"unknown filter {filter!r}")
        if sort == "priority":
            ids.sort(key=lambda i: _PRIORITY_RANK.get(self.priority(i), 3))
        elif sort == "status":
            ids.sort(key=lambda i: _STATUS_RANK.get(self.status(i), 1))
        elif sort != "list":
            raise ValueError(f"unknown sort {sort!r}")
        return ids  # list.sort is stable: ties keep list order

    # -- search -------------------------------------------------------------------------

    def _entries(self) -> list[_Entry]:
        if self._search_entries is None:
            entries: list[_Entry] = []
            for item in self.catalog.items.values():
                home = item.topics[0] if item.topics else ""
                for title in dict.fromkeys(item.titles or [item.title]):
                    entries.append(_Entry("title", item.id, home, title))
                if item.url:
                    entries.append(_Entry("url", item.id, home, item.url))
                if item.description:
                    entries.append(_Entry("description", item.id, home, item.description))
                for link in item.links:  # "Demo", "Source Code" and their URLs
                    entries.append(_Entry("link", item.id, home, f"{link.title} {link.url}"))
            for topic in self.catalog.topics:
                for passage in topic.passages:
                    entries.append(_Entry("passage", None, topic.id, passage.text))
            for entry in entries:
                entry.folded = entry.text.casefold()
            self._search_entries = entries
        return self._search_entries

    def search(self, query: str, *, limit: int = 200) -> list[SearchHit]:
        """Fuzzy search over titles, URLs, notes and passages, best first.

        Every word of the query found as a substring scores high (earlier and at word
        starts better); failing that, the query's letters in order (a subsequence) score
        low. Titles outrank URLs, URLs notes, notes passages.
        """
        words = query.casefold().split()
        if not words:
            return []
        compact = "".join(words)
        notes = [
            _Entry("note", item_id, self.catalog.items[item_id].topics[0], state.note)
            for item_id, state in list(self._states.items())
            if state.note and item_id in self.catalog.items and self.catalog.items[item_id].topics
        ]
        for entry in notes:
            entry.folded = entry.text.casefold()
        kind_bonus = {"title": 3.0, "url": 2.0, "description": 1.8, "link": 1.6, "note": 1.5,
                      "passage": 1.0}
        # One hit per item (its best-scoring field); passages one per topic and text.
        per_item: dict[object, SearchHit] = {}
        for entry in [*self._entries(), *notes]:
            score = _match_score(words, compact, entry.folded, fuzzy=entry.kind == "title")
            if score is None:
                continue
            score *= kind_bonus[entry.kind]
            key: object = entry.item_id if entry.item_id is not None else (
                entry.topic_id, entry.text)
            if key not in per_item or per_item[key].score < score:
                per_item[key] = SearchHit(entry.kind, entry.item_id, entry.topic_id, entry.text,
                                          score)
        hits = sorted(per_item.values(), key=lambda h: -h.score)
        return hits[:limit]


def _match_score(
    words: list[str], compact: str, haystack: str, *, fuzzy: bool
) -> float | None:
    positions = [haystack.find(word) for word in words]
    if all(p >= 0 for p in positions):
        score = 10.0
        for word, position in zip(words, positions, strict=True):
            at_word_start = position == 0 or not haystack[position - 1].isalnum()
            score += 2.0 if at_word_start else 0.5
            score += len(word) / (1 + position / 20)
        return score
    if not fuzzy or len(compact) < 3:
        return None
    # Subsequence (titles only, or it matches every long passage): the letters in order.
    index = 0
    for char in compact:
        index = haystack.find(char, index)
        if index < 0:
            return None
        index += 1
    return 1.0 + len(compact) / (1 + len(haystack) / 40)
