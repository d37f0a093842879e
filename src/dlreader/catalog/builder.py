"""Events (headings, items, passages) into a Catalog: ids, de-duplication, topic order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dlreader.catalog.headings import HeadingTracker, source_stem
from dlreader.catalog.model import Catalog, Item, Passage, Topic
from dlreader.catalog.urls import item_id_for_text, item_id_for_url


class CatalogBuilder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.stem = source_stem(source)
        self.headings = HeadingTracker()
        self.topics: list[Topic] = []
        self.topic_items: dict[str, dict[str, None]] = {}
        self.items: dict[str, Item] = {}
        self.current: Topic | None = None
        self.name: str | None = None

    # topics

    def start_heading(self, title: str, level: int, line: int) -> None:
        topic = self.headings.heading(title, level, line)
        if level == 1 and self.name is None:
            self.name = title
        self._add_topic(topic)

    def _add_topic(self, topic: Topic) -> None:
        self.topics.append(topic)
        self.topic_items[topic.id] = {}
        self.current = topic

    def topic_for(self, line: int) -> Topic:
        if self.current is None:
            self._add_topic(self.headings.preamble(self.stem, line))
        assert self.current is not None
        return self.current

    # items and passages

    def add_item(self, url: str | None, title: str, line: int) -> None:
        topic = self.topic_for(line)
        if url is not None:
            item_id = item_id_for_url(url)
        elif title:
            item_id = item_id_for_text(title)
        else:
            return
        item = self.items.get(item_id)
        if item is None:
            item = Item(item_id, url, title, [title], [topic.id], line)
            self.items[item_id] = item
        else:
            if title not in item.titles:
                item.titles.append(title)
            if topic.id not in item.topics:
                item.topics.append(topic.id)
        self.topic_items[topic.id].setdefault(item_id, None)

    def add_passage(self, kind: str, text: str, url: str | None, line: int) -> None:
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
        return Catalog(self.source, self.name or self.stem, self.topics, self.items)


# What the token walker reports, as plain tuples (they cross process boundaries):
# (HEADING, title, level, line), (ITEM, url | None, title, line),
# (PASSAGE, kind, text, url | None, line).
HEADING, ITEM, PASSAGE = 0, 1, 2
Event = tuple[Any, ...]


def replay(builder: CatalogBuilder, events: Sequence[Event]) -> None:
    for event in events:
        if event[0] == ITEM:
            builder.add_item(event[1], event[2], event[3])
        elif event[0] == PASSAGE:
            builder.add_passage(event[1], event[2], event[3], event[4])
        else:
            builder.start_heading(event[1], event[2], event[3])
