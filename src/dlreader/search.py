"""Search that ranks like a person: whole words and word prefixes first, then substrings,
then near spellings (rapidfuzz) only when little else matched. Every hit says how it
matched.

Searched: item titles (the list's and the user's own), descriptions, URLs and tags; topic
titles; passages; notes. Every word of the query must be found in one field. One copy for
the app's ``/`` and `dlreader search`. Pure core.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from functools import cached_property
from typing import Literal

from msgspec import Struct

from dlreader.catalog.model import Catalog
from dlreader.store.records import ItemState

HitKind = Literal["item", "topic", "passage", "note"]
Match = Literal["word", "substring", "fuzzy"]
Field = Literal["title", "description", "url", "link", "tag", "topic", "passage", "note"]
KINDS: tuple[HitKind, ...] = ("item", "topic", "passage", "note")
MATCHES: tuple[Match, ...] = ("word", "substring", "fuzzy")
# Which field of a hit ranks first when two hits match equally well.
_FIELD_RANK: dict[Field, int] = {"title": 0, "topic": 0, "tag": 1, "description": 2,
                                  "note": 3, "url": 4, "link": 4, "passage": 5}
# Near spellings are only looked for when fewer hits than this matched by words.
FEW = 5
# A near spelling must be this close (rapidfuzz's 0-100 partial ratio) ...
FUZZY_CUTOFF = 80
# ... and the query this long: shorter ones are close to almost anything.
FUZZY_MIN_LENGTH = 4


class Hit(Struct, frozen=True):
    """One search result. ``item_id`` is None for a topic or a passage (it jumps to
    ``topic_id``); ``text`` is what matched, ``field`` where it was found."""

    kind: HitKind
    match: Match
    field: Field
    item_id: str | None
    topic_id: str
    text: str
    closeness: float  # rapidfuzz's 0-100 similarity of the query to ``text``


class _Entry(Struct):
    kind: HitKind
    field: Field
    item_id: str | None
    topic_id: str  # where the hit jumps to (an item's first topic)
    topics: tuple[str, ...]  # every topic the entry is under (for a scoped search)
    text: str
    folded: str
    order: int


# (match rank, field rank, list order), the entry, how it matched.
_Best = tuple[tuple[int, int, int], _Entry, Match]


# What an entry of the index is: its field, and the kind of hit it makes.
_FIELDS: tuple[Field, ...] = ("title", "description", "link", "url", "topic", "passage")
_KIND_OF: dict[Field, HitKind] = {"title": "item", "description": "item", "link": "item",
                                   "url": "item", "topic": "topic", "passage": "passage"}
_TITLE, _DESCRIPTION, _LINK, _URL, _TOPIC, _PASSAGE = range(len(_FIELDS))


class SearchIndex:
    """The catalog's searchable text, folded once (a list's text does not change)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        # Parallel columns, not an object or a tuple per entry (x100: 191,000 entries):
        # the text, its field, and its owner (an item's index, or -1 - a topic's index).
        # Only the few that match become ``_Entry``s (``_entry``). Filled in list order
        # (an item's titles, description, links, URL; then each topic's title and
        # passages): that order breaks ties between equally good hits.
        texts: list[str] = []
        fields = bytearray()
        owners: list[int] = []
        add_text, add_field, add_owner = texts.append, fields.append, owners.append
        self._items = items = list(catalog.items.values())
        for number, item in enumerate(items):
            titles = item.titles
            for title in (titles if len(titles) == 1 else dict.fromkeys(titles or [item.title])):
                if title:
                    add_text(title)
                    add_field(_TITLE)
                    add_owner(number)
            if item.description:
                add_text(item.description)
                add_field(_DESCRIPTION)
                add_owner(number)
            for link in item.links:  # "Demo", "Source Code" and their URLs
                add_text(f"{link.title} {link.url}")
                add_field(_LINK)
                add_owner(number)
            if item.url:
                add_text(item.url)
                add_field(_URL)
                add_owner(number)
        self._topics = catalog.topics
        for number, topic in enumerate(catalog.topics):
            if topic.title:
                add_text(topic.title)
                add_field(_TOPIC)
                add_owner(-1 - number)
            for passage in topic.passages:
                if passage.text:
                    add_text(passage.text)
                    add_field(_PASSAGE)
                    add_owner(-1 - number)
        self._texts, self._fields, self._owners = texts, bytes(fields), owners
        self._folded = [text.casefold() for text in texts]

    @cached_property
    def _titles(self) -> list[tuple[int, str]]:
        """Item and topic titles (folded), for near spellings: only when few hits matched."""
        return [(index, self._folded[index]) for index, field in enumerate(self._fields)
                if field in (_TITLE, _TOPIC)]

    def _entry(self, index: int) -> _Entry:
        field = _FIELDS[self._fields[index]]
        owner = self._owners[index]
        if owner >= 0:
            item = self._items[owner]
            item_id: str | None = item.id
            topics = tuple(item.topics)
        else:
            item_id, topics = None, (self._topics[-1 - owner].id,)
        return _Entry(_KIND_OF[field], field, item_id, topics[0] if topics else "", topics,
                      self._texts[index], self._folded[index], index)

    def _state_entries(self, states: Mapping[str, ItemState]) -> list[_Entry]:
        """The user's text: own titles, tags and notes (it changes while the app runs)."""
        entries: list[_Entry] = []
        base = len(self._texts)
        for item_id, state in states.items():
            item = self.catalog.items.get(item_id)
            if item is None:
                continue
            topics = tuple(item.topics)
            home = topics[0] if topics else ""
            texts: list[tuple[HitKind, Field, str]] = [
                ("item", "title", state.own_title), ("note", "note", state.note),
                *(("item", "tag", tag) for tag in state.tags)]
            for kind, field, text in texts:
                if text.strip():
                    entries.append(_Entry(kind, field, item_id, home, topics, text,
                                          text.casefold(), base + len(entries)))
        return entries

    def search(self, query: str, states: Mapping[str, ItemState] | None = None, *,
               within: Collection[str] | None = None, limit: int = 200) -> list[Hit]:
        """Hits for ``query``, best first; ``within``: only under these topic ids."""
        words = query.casefold().split()
        if not words:
            return []
        starts = [re.compile(r"(?<!\w)" + re.escape(word)) for word in words]
        user_entries = self._state_entries(states or {})
        best: dict[object, _Best] = {}
        folded_all = self._folded
        found = [i for i, folded in enumerate(folded_all) if words[0] in folded]
        for word in words[1:]:
            found = [i for i in found if word in folded_all[i]]
        user = [entry for entry in user_entries if all(w in entry.folded for w in words)]
        for entry in (*map(self._entry, found), *user):
            folded = entry.folded
            if within is not None and not any(t in within for t in entry.topics):
                continue
            match: Match = "word" if all(s.search(folded) for s in starts) else "substring"
            rank = (MATCHES.index(match), _FIELD_RANK[entry.field], entry.order)
            key = _hit_key(entry)
            if key not in best or rank < best[key][0]:
                best[key] = (rank, entry, match)
        if len(best) < FEW and len(query.strip()) >= FUZZY_MIN_LENGTH:
            self._add_fuzzy(query.casefold().strip(), best, within)
        from rapidfuzz import fuzz  # on the first search, not at start-up (~10 ms)

        phrase = " ".join(words)
        ranked = []
        for (match_rank, field_rank, order), entry, match in best.values():
            closeness = fuzz.WRatio(phrase, entry.folded)
            # Equally good matches: the closer text first (a short title that is nearly
            # the query beats a long one that mentions it), then list order.
            ranked.append(((match_rank, field_rank, -round(closeness), order),
                           Hit(entry.kind, match, entry.field, entry.item_id, entry.topic_id,
                               entry.text, closeness)))
        ranked.sort(key=lambda pair: pair[0])
        return [hit for _, hit in ranked[:limit]]

    def _add_fuzzy(self, query: str, best: dict[object, _Best],
                   within: Collection[str] | None) -> None:
        from rapidfuzz import fuzz, process

        # A title shorter than the query would be found inside it ("A" in any query).
        titles = [(index, folded) for index, folded in self._titles
                  if len(folded) >= len(query)]
        found = process.extract(query, [folded for _, folded in titles],
                                scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF, limit=50)
        for _text, _score, position in found:
            entry = self._entry(titles[position][0])
            if within is not None and not any(t in within for t in entry.topics):
                continue
            key = _hit_key(entry)
            if key not in best:
                rank = (MATCHES.index("fuzzy"), _FIELD_RANK[entry.field], entry.order)
                best[key] = (rank, entry, "fuzzy")


def _hit_key(entry: _Entry) -> object:
    # One hit per item (its best field) and per note; per topic; per passage text.
    if entry.kind == "note":
        return ("note", entry.item_id)
    if entry.item_id is not None:
        return ("item", entry.item_id)
    if entry.kind == "topic":
        return ("topic", entry.topic_id)
    return ("passage", entry.topic_id, entry.text)
