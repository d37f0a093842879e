"""The reading list as data: topics (headings), items (links) and passages (prose).

Pure data with lookups; the parser builds it, everything else reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath
from typing import Any, Literal

from msgspec import Struct

PassageKind = Literal["quote", "blockquote", "math", "image", "text"]
PASSAGE_KINDS: tuple[str, ...] = ("quote", "blockquote", "math", "image", "text")


class Passage(Struct):
    """A piece of a topic's prose, as the detail pane renders it.

    ``text`` is what the reader sees (LaTeX already turned into Unicode); ``url`` is the
    quote's source or the image's ``src``; ``line`` is 1-based in the source file.
    """

    kind: PassageKind
    text: str
    url: str | None
    line: int


class Topic(Struct):
    """A heading. ``level`` is 1-6, or 0 for the topic holding what precedes the first heading."""

    id: str
    title: str
    level: int
    parent: str | None
    line: int
    # An empty list default is a new list for each topic (msgspec copies it).
    items: list[str] = []
    passages: list[Passage] = []
    children: list[str] = []


class Link(Struct, frozen=True):
    """A secondary link of an item ("Demo", "Source Code", a PDF): title and http(s) URL."""

    title: str
    url: str


class Item(Struct):
    """A list entry. One normalized URL is one item, wherever it is listed.

    ``url`` is the normalized http(s) URL (one arXiv paper has one, its abstract page), or
    None for a citation with no link; ``titles`` holds every title it was listed with (the
    first is ``title``); ``topics`` every topic id it is listed under, in list order;
    ``description`` the rest of the entry's text; ``links`` its other links.
    """

    id: str
    url: str | None
    title: str
    titles: list[str]
    topics: list[str]
    line: int
    description: str = ""
    links: tuple[Link, ...] = ()


def item_urls(item: Item) -> list[str]:
    """The item's own URL (if any) and then its links' URLs: what ``o`` and ``c`` choose from."""
    return ([item.url] if item.url else []) + [link.url for link in item.links]


class Catalog(Struct, dict=True):
    """A parsed reading list. ``items`` is keyed by item id, in list order.

    Every field is data the parse cache stores (``catalog.cache`` serialises the fields);
    the lookups are plain attributes rebuilt from them, not fields, so they are never
    stored twice. (Hence ``dict=True``: the lookups live in the instance dict.)
    """

    source: str
    name: str
    topics: list[Topic]
    items: dict[str, Item]
    warnings: list[str] = []
    named_after_file: bool = False  # nothing in the list names it: its file's stem does

    def move_to(self, source: str) -> None:
        """The same catalog, read from ``source`` (the parse cache keys by content): what
        was named after the old file (the name, the preamble's title) is named after the
        new one."""
        old, new = source_stem(self.source), source_stem(source)
        self.source = source
        if old == new:
            return
        if self.named_after_file:
            self.name = new
        for topic in self.topics:
            if topic.level == 0 and topic.title == old:
                topic.title = new

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Rebuild the lookups; call after changing ``topics`` or ``items`` in place."""
        self._topics_by_id: dict[str, Topic] = {topic.id: topic for topic in self.topics}
        self._items_by_url: dict[str, Item] = {
            item.url: item for item in self.items.values() if item.url
        }
        for item in self.items.values():  # a secondary link finds its item too
            for link in item.links:
                self._items_by_url.setdefault(link.url, item)

    # -- topics -------------------------------------------------------------------------

    def topic(self, topic_id: str) -> Topic:
        return self._topics_by_id[topic_id]

    def has_topic(self, topic_id: str) -> bool:
        return topic_id in self._topics_by_id

    def roots(self) -> list[Topic]:
        return [topic for topic in self.topics if topic.parent is None]

    def children(self, topic_id: str) -> list[Topic]:
        return [self._topics_by_id[child] for child in self._topics_by_id[topic_id].children]

    def subtree(self, topic_id: str) -> Iterator[Topic]:
        """The topic and all its descendants, in list order."""
        stack = [self._topics_by_id[topic_id]]
        while stack:
            topic = stack.pop()
            yield topic
            stack.extend(self._topics_by_id[child] for child in reversed(topic.children))

    def path(self, topic_id: str) -> list[Topic]:
        """The topic's ancestors from the root down, ending with the topic itself."""
        chain: list[Topic] = []
        current: str | None = topic_id
        while current is not None:
            topic = self._topics_by_id[current]
            chain.append(topic)
            current = topic.parent
        return chain[::-1]

    def find_topics(self, ref: str) -> list[Topic]:
        """Topics whose id is ``ref`` or whose title equals it, ignoring case and spaces."""
        if ref in self._topics_by_id:
            return [self._topics_by_id[ref]]
        wanted = " ".join(ref.split()).casefold()
        return [t for t in self.topics if " ".join(t.title.split()).casefold() == wanted]

    # -- items --------------------------------------------------------------------------

    def item(self, item_id: str) -> Item:
        return self.items[item_id]

    def item_ids_under(self, topic_id: str, *, recursive: bool = False) -> list[str]:
        """Item ids listed under the topic (and its subtopics), each once, in list order."""
        if not recursive:
            return list(self._topics_by_id[topic_id].items)
        seen: dict[str, None] = {}
        for topic in self.subtree(topic_id):
            for item_id in topic.items:
                seen.setdefault(item_id, None)
        return list(seen)

    def find_item(self, ref: str) -> Item | None:
        """The item whose id is ``ref``, or whose normalized URL equals ``ref`` normalized."""
        if ref in self.items:
            return self.items[ref]
        from dlreader.catalog.urls import identity_url, normalize_url

        normalized = normalize_url(ref)
        if not normalized:
            return None
        found = self._items_by_url.get(normalized)
        return found if found is not None else self._items_by_url.get(identity_url(normalized))

    # -- serialisation ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The shape printed by ``dlreader dump --format json``."""
        return {
            "source": self.source,
            "name": self.name,
            "topics": [
                {
                    "id": t.id,
                    "title": t.title,
                    "level": t.level,
                    "parent": t.parent,
                    "line": t.line,
                    "children": list(t.children),
                    "items": list(t.items),
                    "passages": [
                        {"kind": p.kind, "text": p.text, "url": p.url, "line": p.line}
                        for p in t.passages
                    ],
                }
                for t in self.topics
            ],
            "items": [
                {
                    "id": i.id,
                    "url": i.url,
                    "title": i.title,
                    "description": i.description,
                    "links": [{"title": link.title, "url": link.url} for link in i.links],
                    "titles": list(i.titles),
                    "topics": list(i.topics),
                    "line": i.line,
                }
                for i in self.items.values()
            ],
            "warnings": list(self.warnings),
        }


def source_stem(source: str) -> str:
    """A list's name after its file, for a list with no heading to name it."""
    name = PurePath(source).name
    return PurePath(name).stem or name or "reading list"
