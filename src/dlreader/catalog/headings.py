"""Headings as topics: stable ids from the title path, and the preamble topic."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from collections.abc import Set as AbstractSet

from dlreader.catalog.model import Topic
from dlreader.catalog.titles import is_contents_heading, strip_navigation


class HeadingTracker:
    """Turns headings into topics with stable ids; shared with the outline scanner.

    A topic's id comes from its title path (ancestors' titles and its own) plus an
    occurrence counter for repeats, so it survives edits elsewhere in the list.
    """

    def __init__(self) -> None:
        self.stack: list[Topic] = []
        self.seen: dict[str, int] = {}
        self.ids: set[str] = set()

    def _new_id(self, key: str) -> str:
        count = self.seen.get(key, 0)
        while True:
            self.seen[key] = count + 1
            source = key if count == 0 else f"{key}\x1e{count}"
            topic_id = "t-" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:10]
            if topic_id not in self.ids:
                self.ids.add(topic_id)
                return topic_id
            count += 1

    def heading(self, title: str, level: int, line: int) -> Topic:
        # "CLI Tools [TOC]": the link back to the contents is no part of the name.
        title = strip_navigation(title) or title
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        key = "\x1f".join([t.title for t in self.stack] + [title])
        topic = Topic(self._new_id(key), title, level, parent.id if parent else None, line)
        if parent is not None:
            parent.children.append(topic.id)
        self.stack.append(topic)
        return topic

    def preamble(self, title: str, line: int) -> Topic:
        """The level-0 topic for content before the first heading (not anyone's parent)."""
        return Topic(self._new_id("\x00preamble"), title, 0, None, line)


def without_empty_contents(topics: list[Topic], *, keep: AbstractSet[str] = frozenset()
                           ) -> list[Topic]:
    """Without the topics that only headed a table of contents ("## Contents" over anchor
    links, the tree is one): a contents heading with no item or subtopic left. Its words
    ("Only main chapters:") go with it, as the heading scan cannot see them.
    ``keep``: ids that are no heading (group labels)."""
    return without_empty_topics(topics, lambda topic: topic.level > 0 and topic.id not in keep
                                and is_contents_heading(topic.title))


def without_empty_topics(topics: list[Topic], droppable: Callable[[Topic], bool]
                         ) -> list[Topic]:
    """``topics`` without each ``droppable`` one that holds no item and no subtopic left,
    and no child id of one left behind."""
    dropped: set[str] = set()
    for topic in reversed(topics):  # children before their parents
        if droppable(topic) and not topic.items and \
                all(child in dropped for child in topic.children):
            dropped.add(topic.id)
    if not dropped:
        return topics
    for topic in topics:
        topic.children = [child for child in topic.children if child not in dropped]
    return [topic for topic in topics if topic.id not in dropped]
