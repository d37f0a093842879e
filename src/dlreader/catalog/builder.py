"""Events (headings, labels, items, passages) into a Catalog: ids, de-duplication, order."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from dlreader.catalog.headings import (
    HeadingTracker,
    without_empty_contents,
    without_empty_topics,
)
from dlreader.catalog.model import Catalog, Item, Link, Passage, PassageKind, Topic, source_stem
from dlreader.catalog.titles import list_name
from dlreader.catalog.urls import identity_url, item_id_for_text, item_id_for_url, title_from_url


class CatalogBuilder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.stem = source_stem(source)
        self.headings = HeadingTracker()
        self.topics: list[Topic] = []
        self.topic_items: dict[str, dict[str, None]] = {}
        self.items: dict[str, Item] = {}
        self.heading_topic: Topic | None = None
        # Group labels open under the heading topic (None: a label in the preamble,
        # which stays in the preamble topic).
        self.labels: list[Topic | None] = []
        self.label_ids: set[str] = set()

    @property
    def current(self) -> Topic | None:
        for label in reversed(self.labels):
            if label is not None:
                return label
        return self.heading_topic

    # topics

    def start_heading(self, title: str, level: int, line: int) -> None:
        topic = self.headings.heading(title, level, line)
        self.labels = []
        self._add_topic(topic)
        self.heading_topic = topic

    def _add_topic(self, topic: Topic) -> None:
        self.topics.append(topic)
        self.topic_items[topic.id] = {}

    def open_label(self, title: str, line: int) -> None:
        """A group label (a list item or bold line over a list): a subtopic of the current
        topic, its id from the parent's and its own title (so two "通用" are two topics)."""
        parent = self.current
        if parent is None or parent.level == 0 or not title:
            self.labels.append(None)
            return
        count = 0
        while True:
            key = f"{parent.id}\x1d{title}\x1e{count}"
            topic_id = "t-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
            if topic_id not in self.label_ids:
                break
            count += 1
        self.label_ids.add(topic_id)
        topic = Topic(topic_id, title, min(6, parent.level + 1), parent.id, line)
        parent.children.append(topic.id)
        self._add_topic(topic)
        self.labels.append(topic)

    def close_label(self) -> None:
        if self.labels:
            self.labels.pop()

    def topic_for(self, line: int) -> Topic:
        current = self.current
        if current is None:
            current = self.headings.preamble(self.stem, line)
            self._add_topic(current)
            self.heading_topic = current
        return current

    # items and passages

    def add_item(self, url: str | None, title: str, line: int, description: str = "",
                 links: Sequence[tuple[str, str]] = (), id_text: str | None = None) -> None:
        topic = self.topic_for(line)
        extra: list[Link] = [Link(t, u) for t, u in links]
        if url is not None:
            identity = identity_url(url)
            if identity != url:  # the PDF of an arXiv paper: the paper, with its PDF link
                extra.insert(0, Link("PDF" if "/pdf/" in url else title_from_url(url), url))
                url = identity
            item_id = item_id_for_url(url)
        elif title:
            item_id = item_id_for_text(id_text or title)
            known = self.items.get(item_id)
            if known is not None and topic.id not in known.topics:
                # The same words under another topic are another citation, not one item
                # shared by both (marking one would mark the other).
                item_id = item_id_for_text(f"{topic.id}\x1f{id_text or title}")
        else:
            return
        item = self.items.get(item_id)
        if item is None:
            item = Item(item_id, url, title, [title], [topic.id], line, description,
                        _merge_links((), extra, url) if extra else ())
            self.items[item_id] = item
        else:
            if title not in item.titles:
                item.titles.append(title)
            if url is not None and item.title == title_from_url(url) != title:
                item.title = title  # the list names it somewhere: better than its URL
            if topic.id not in item.topics:
                item.topics.append(topic.id)
            if not item.description and description:
                item.description = description
            if extra:
                item.links = _merge_links(item.links, extra, url)
        self.topic_items[topic.id].setdefault(item_id, None)

    def add_passage(self, kind: PassageKind, text: str, url: str | None, line: int) -> None:
        self.topic_for(line).passages.append(Passage(kind, text, url, line))

    def build(self) -> Catalog:
        for topic in self.topics:
            topic.items = list(self.topic_items[topic.id])
            if topic.level == 0:
                # Content is reported as blocks close (a block quote after its links):
                # the preamble starts at its earliest line, not its first report.
                lines = [p.line for p in topic.passages]
                lines += [self.items[i].line for i in topic.items]
                topic.line = min(lines, default=topic.line)
        self._drop_empty_labels()
        self._hoist_echo_labels()
        self.topics = without_empty_contents(self.topics, keep=self.label_ids)
        name = list_name([(topic.title, topic.level) for topic in self.topics
                          if topic.level > 0 and topic.id not in self.label_ids], "",
                         self._opening_logo())
        return Catalog(self.source, name or self.stem, self.topics, self.items,
                       named_after_file=not name)

    def _opening_logo(self) -> str:
        """The alt text of a picture that opens the list, before any heading or entry
        (an image's own address, not a linked badge's; not the address as its title)."""
        preamble = self.topics[0] if self.topics and self.topics[0].level == 0 else None
        if preamble is None or not preamble.passages:
            return ""
        first = min(preamble.passages, key=lambda passage: passage.line)
        if first.kind != "image" or first.url is None or not _IMAGE_FILE.search(first.url) \
                or first.text == title_from_url(first.url) or any(
                    self.items[item_id].line < first.line for item_id in preamble.items):
            return ""
        name = _LOGO_WORD.sub("", first.text).strip()  # "Awesome Node.js logo"
        return "" if _PICTURE_WORDS.search(name) or not any(c.isalnum() for c in name) else name

    def _hoist_echo_labels(self) -> None:
        """A label that only repeats its topic's name, as the topic's one child (``##
        Papers`` over ``<details><summary>papers``) under a topic with no items of its
        own, is no level of its own: its entries are the topic's."""
        by_id = {topic.id: topic for topic in self.topics}
        hoisted: set[str] = set()
        for label in self.topics:
            parent = by_id.get(label.parent) if label.parent is not None else None
            if label.id not in self.label_ids or parent is None or label.children or \
                    parent.children != [label.id] or parent.items or \
                    _plain_name(label.title) != _plain_name(parent.title):
                continue
            parent.items, parent.children = label.items, []
            parent.passages.extend(label.passages)
            for item_id in label.items:
                topics = self.items[item_id].topics
                topics[topics.index(label.id)] = parent.id
            hoisted.add(label.id)
        if hoisted:
            self.topics = [topic for topic in self.topics if topic.id not in hoisted]

    def _drop_empty_labels(self) -> None:
        """A label whose list held no entry is no topic."""
        self.topics = without_empty_topics(
            self.topics, lambda topic: topic.id in self.label_ids and not topic.passages)


# An alt text that says what the picture is, not whose: no name ("logo", "Screenshot").
_PICTURE_WORDS = re.compile(r"\b(?:logo|banner|header|screenshot|image|picture|icon|"
                            r"preview|photo|demo|gif|badge|cover)s?\b", re.IGNORECASE)
_LOGO_WORD = re.compile(r"[\s\-–—]*\blogo$", re.IGNORECASE)
_IMAGE_FILE = re.compile(r"\.(?:svg|png|jpe?g|gif|webp|avif)(?:[?#]|$)", re.IGNORECASE)


def _plain_name(title: str) -> str:
    return "".join(ch for ch in title.casefold() if ch.isalnum())


def _merge_links(known: Sequence[Link], extra: Sequence[Link], url: str | None) -> tuple[Link, ...]:
    seen = {link.url for link in known} | {url}
    merged = list(known)
    for link in extra:
        if link.url not in seen:
            seen.add(link.url)
            merged.append(link)
    return tuple(merged)


# What the token walker reports, as plain tuples (they cross process boundaries):
# (HEADING, title, level, line), (ITEM, url | None, title, line, description,
# ((title, url), ...), id_text | None), (PASSAGE, kind, text, url | None, line),
# (LABEL, title, line) opens a group label, (END_LABEL,) closes it.
HEADING, ITEM, PASSAGE, LABEL, END_LABEL = 0, 1, 2, 3, 4
Event = tuple[Any, ...]


def replay(builder: CatalogBuilder, events: Sequence[Event]) -> None:
    for event in events:
        kind = event[0]
        if kind == ITEM:
            builder.add_item(*event[1:])
        elif kind == PASSAGE:
            builder.add_passage(event[1], event[2], event[3], event[4])
        elif kind == HEADING:
            builder.start_heading(event[1], event[2], event[3])
        elif kind == LABEL:
            builder.open_label(event[1], event[2])
        else:
            builder.close_label()
