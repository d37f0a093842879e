"""markdown-it tokens -> events: the rules that say what is a topic, an item, a passage.

An entry (a list item, a table row, an HTML entry) is one item (entries.py says which
link, title and description). Headings are topics, and so are group labels: a list item
with no link over a nested list, a bold line over a list, a ``<details>`` summary with no
link. Prose paragraphs are passages, their links items of the topic; a paragraph that is
one long link is a quote. Inside ``<details>`` whose summary is an entry, the inner
entries' links are that entry's links.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markdown_it.token import Token
from msgspec import Struct, field

from dlreader.catalog.builder import (
    END_LABEL,
    HEADING,
    ITEM,
    LABEL,
    PASSAGE,
    CatalogBuilder,
    Event,
    replay,
)
from dlreader.catalog.entries import (
    EntryItem,
    entry_item,
    link_title,
    split_title,
    web_links,
)
from dlreader.catalog.html import HtmlEntry, HtmlReader, HtmlSink
from dlreader.catalog.inline import RawLink, Run, block_parser, flatten_inline, inline_runs
from dlreader.catalog.model import Catalog, PassageKind
from dlreader.catalog.titles import (
    TITLE_MAX_CHARS,
    first_sentence,
    is_data_cell,
    is_navigation,
    label_kind,
    sentence_with,
)
from dlreader.catalog.urls import resolve_link, title_from_url

# A paragraph that is one link around at least this much text is a quoted passage.
QUOTE_MIN_CHARS = 60


def _has_own_text(cell: Run) -> bool:
    """Does a table cell say something besides its links' texts and separators?"""
    text = cell.text
    for link in cell.links:
        text = text.replace(link.text, " ", 1)
    return any(ch.isalnum() for ch in text)

class EventRecorder:
    """Collects a chunk's events in order, for a builder to replay."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def start_heading(self, title: str, level: int, line: int) -> None:
        self.events.append((HEADING, title, level, line))

    def add_item(self, entry: EntryItem, line: int) -> None:
        links = tuple((link.title, link.url) for link in entry.links)
        id_text = entry.id_text if entry.url is None else None
        self.events.append((ITEM, entry.url, entry.title, line, entry.description, links,
                            id_text))

    def add_passage(self, kind: PassageKind, text: str, url: str | None, line: int) -> None:
        self.events.append((PASSAGE, kind, text, url, line))

    def open_label(self, title: str, line: int) -> None:
        self.events.append((LABEL, title, line))

    def close_label(self) -> None:
        self.events.append((END_LABEL,))


def chunk_events(chunk: tuple[int, str], base_url: str | None = None) -> list[Event]:
    """Parse one chunk (first line index, text) into events. Runs in worker processes."""
    line_base, text = chunk
    env: dict[str, Any] = {}
    recorder = EventRecorder()
    TokenWalker(recorder, env, base_url).walk(block_parser(text).parse(text, env), line_base)
    return recorder.events


def parse_one_piece(text: str, source: str) -> Catalog:
    """The catalog of text parsed as one chunk (no progress, no workers)."""
    builder = CatalogBuilder(source)
    replay(builder, chunk_events((0, text)))
    return builder.build()


class _OpenItem(Struct):
    line: int
    runs: list[Run] = field(default_factory=list)
    done: bool = False
    label: bool = False  # it became a group label: its close ends the label


class _Details(Struct):
    """An open ``<details>``: its summary is an entry (inner links join it) or a label."""

    entry: EntryItem | None = None
    line: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)
    label: bool = False


class TokenWalker(HtmlSink):
    """Walks one token stream (a chunk of the file) into the recorder."""

    def __init__(self, builder: EventRecorder, env: dict[str, Any],
                 base_url: str | None = None) -> None:
        self.builder = builder
        self.env = env
        self.base_url = base_url
        self.details: list[_Details] = []
        self.html = HtmlReader(self)
        self.line = 0
        self.bold_label = False
        # The stream being walked, and what of it is open.
        self.tokens: Sequence[Token] = ()
        self.items: list[_OpenItem] = []
        self.blockquote: list[Run] | None = None  # the open top-level quote's runs
        self.blockquote_line = 0
        self.blockquote_depth = 0
        self.table: list[list[Run]] | None = None  # rows of cells, each cell one run
        self.table_line = 0
        self._handlers: dict[str, Callable[[Token, int, int], int]] = {
            "heading_open": self._heading_open,
            "list_item_open": self._list_item_open,
            "bullet_list_open": self._list_open,
            "ordered_list_open": self._list_open,
            "list_item_close": self._list_item_close,
            "blockquote_open": self._blockquote_open,
            "blockquote_close": self._blockquote_close,
            "table_open": self._table_open,
            "tr_open": self._tr_open,
            "table_close": self._table_close,
            "inline": self._inline,
            "html_block": self._html_block,
            "fence": self._code,
            "code_block": self._code,
        }

    # -- entries ------------------------------------------------------------------------

    def _collector(self) -> _Details | None:
        """The open ``<details>`` entry that inner entries belong to, if any."""
        for frame in reversed(self.details):
            if frame.entry is not None:
                return frame
        return None

    def entry(self, text: str, links: Sequence[Any], line: int) -> bool:
        """Report one entry; False when it makes no item."""
        item = entry_item(text, links, self.base_url)
        if item is None:
            return False
        collector = self._collector()
        if collector is not None and item.url is not None:
            collector.links.append((item.title, item.url))
            collector.links.extend((link.title, link.url) for link in item.links)
            return True
        if collector is not None:
            return False
        self.builder.add_item(item, line)
        return True

    def link_items(self, links: Sequence[RawLink], line: int, prose: str = "") -> None:
        """Links in prose: items of the topic, titled by their text, or by their sentence
        when the text is a word of it ("found [here](…)"); a badge's picture is a passage
        (it goes where the badge goes, but is not something to read)."""
        for link, url in web_links(links, self.base_url):
            if link.badge:
                self.builder.add_passage("image", link.image_alt or title_from_url(url), url,
                                         line)
            elif prose and label_kind(link.text) == "deictic":
                self.entry(sentence_with(prose, link.text.strip()), [link], line)
            else:
                self.entry(link.text, [link], line)

    # -- HTML (HtmlSink) ----------------------------------------------------------------

    def html_entry(self, entry: HtmlEntry) -> None:
        line = self.line
        for src, alt in entry.images:
            self.builder.add_passage("image", alt or title_from_url(src), src, line)
        if entry.summary and self.details and self.details[-1].entry is None \
                and not self.details[-1].label:
            frame = self.details[-1]
            item = entry_item(entry.text, entry.links, self.base_url)
            if item is not None and item.url is not None and self._collector() is None:
                frame.entry, frame.line = item, line
                frame.links = [(link.title, link.url) for link in item.links]
            elif item is not None and item.url is None and self._collector() is None:
                frame.label = True
                self.builder.open_label(item.title, line)
            return
        if not entry.links:
            if entry.text and not is_navigation(entry.text) and self._collector() is None:
                self.builder.add_passage("text", entry.text, None, line)
            return
        if not self.entry(entry.text, entry.links, line):
            for link, url in web_links(entry.links, self.base_url):
                if link.badge:
                    self.builder.add_passage("image", link_title(link, url), url, line)

    def html_heading(self, level: int, title: str) -> None:
        self._close_bold_label()
        self.builder.start_heading(title, level, self.line)

    def details_open(self) -> None:
        self.details.append(_Details())

    def details_close(self) -> None:
        if not self.details:
            return
        frame = self.details.pop()
        if frame.entry is not None:
            entry = frame.entry
            links = tuple(dict.fromkeys(frame.links))
            self.builder.events.append((ITEM, entry.url, entry.title, frame.line,
                                        entry.description, links, None))
        elif frame.label:
            self.builder.close_label()

    def _close_bold_label(self) -> None:
        if self.bold_label:
            self.bold_label = False
            self.builder.close_label()

    # -- the token stream ---------------------------------------------------------------

    def walk(self, tokens: Sequence[Token], line_base: int) -> None:
        self.tokens = tokens
        self.items = []
        self.blockquote = None
        self.blockquote_depth = 0
        self.table = None
        handlers = self._handlers
        index = 0
        count = len(tokens)
        while index < count:
            token = tokens[index]
            handler = handlers.get(token.type)
            if handler is None:  # most tokens (paragraph_open, ...): nothing to do
                index += 1
                continue
            line = line_base + (token.map[0] + 1 if token.map else 0)
            self.line = line
            index += handler(token, index, line)
        for open_item in reversed(self.items):  # a chunk never ends inside a list; be safe
            self._finish_item(open_item)
            if open_item.label:
                self.builder.close_label()
        # The walker and its HTML reader hold each other: a cycle, which only the cyclic
        # collector frees. The tokens (most of a chunk's memory) go with the caller's list.
        self.tokens = ()

    # -- one handler per token type (each returns how many tokens it took) --------------

    def _heading_open(self, token: Token, index: int, line: int) -> int:
        if self.items or self.blockquote is not None:
            return 1  # a heading inside a list item or quote is its text, no topic
        inline = self.tokens[index + 1]
        self._close_bold_label()
        self.builder.start_heading(flatten_inline(inline.content, self.env),
                                   int(token.tag[1:]), line)
        runs = inline_runs(inline.content, inline.children, self.env)
        for run in runs:
            for link, _url in web_links(run.links, self.base_url):
                if not link.badge:  # a heading's link is an item of its topic
                    self.entry(link.text, [link], line)
        if not any(run.text for run in runs):  # a logo ("# ![Awesome](logo.svg)"), its name
            for run in runs:                   # in its alt text: shown in the topic too
                self._images(run, line)
        return 3

    def _list_item_open(self, token: Token, index: int, line: int) -> int:
        self.items.append(_OpenItem(line))
        return 1

    def _list_open(self, token: Token, index: int, line: int) -> int:
        if self.items and not self.items[-1].done:
            self._item_before_list(self.items[-1])
        return 1

    def _list_item_close(self, token: Token, index: int, line: int) -> int:
        if self.items:
            open_item = self.items.pop()
            self._finish_item(open_item)
            if open_item.label:
                self.builder.close_label()
        return 1

    def _blockquote_open(self, token: Token, index: int, line: int) -> int:
        self.blockquote_depth += 1
        if self.blockquote_depth == 1 and not self.items:
            self.blockquote = []
            self.blockquote_line = line
        return 1

    def _blockquote_close(self, token: Token, index: int, line: int) -> int:
        self.blockquote_depth -= 1
        if self.blockquote_depth == 0 and self.blockquote is not None:
            self._flush_blockquote()
            self.blockquote = None
        return 1

    def _table_open(self, token: Token, index: int, line: int) -> int:
        self.table, self.table_line = [], line
        return 1

    def _tr_open(self, token: Token, index: int, line: int) -> int:
        if self.table is not None:
            self.table.append([])
        return 1

    def _table_close(self, token: Token, index: int, line: int) -> int:
        if self.table is not None:
            self._table(self.table, self.table_line)
            self.table = None
        return 1

    def _inline(self, token: Token, index: int, line: int) -> int:
        runs = inline_runs(token.content, token.children, self.env)
        items = self.items
        if self.table is not None:
            if self.table:
                texts = [run for run in runs if run.kind == "text"]
                self.table[-1].append(_joined(texts))
        elif items and not items[-1].done:
            for run in runs:
                run.line_offset += line
            items[-1].runs.extend(runs)
        elif items:
            for run in runs:
                self.link_items(run.links, line + run.line_offset)
        elif self.blockquote is not None:
            self._blockquote_runs(runs, line, self.blockquote)
        else:
            tokens = self.tokens
            next_kind = tokens[index + 2].type if index + 2 < len(tokens) else ""
            if next_kind in ("bullet_list_open", "ordered_list_open") and \
                    len(runs) == 1 and runs[0].only_strong:
                self._close_bold_label()  # "**Tools**" over a list: a subtopic
                self.bold_label = True
                self.builder.open_label(runs[0].text.rstrip(":："), line)
            else:
                self._paragraph(runs, line)
        return 1

    def _html_block(self, token: Token, index: int, line: int) -> int:
        self.html.read(token.content)
        return 1

    def _code(self, token: Token, index: int, line: int) -> int:
        if self.items:
            return 1
        code = token.content.rstrip("\n")
        if code.strip() and self.blockquote is not None:
            self.blockquote.append(Run("text", code, 0))
        elif code.strip() and self._collector() is None:
            self.builder.add_passage("text", code, None, line)
        return 1

    def _flush_blockquote(self) -> None:
        blockquote = self.blockquote
        if blockquote:
            text = "\n\n".join(run.text for run in blockquote if run.text)
            links = [link for run in blockquote for link in run.links]
            if text:
                self.builder.add_passage("blockquote", text, self._first_url(links),
                                         self.blockquote_line)
        self.blockquote = []

    def _first_url(self, links: Sequence[RawLink]) -> str | None:
        for link in links:
            url = resolve_link(link.href, self.base_url)
            if url is not None:
                return url
        return None

    def _table(self, rows: list[list[Run]], line: int) -> None:
        """A table with links: one item per body row. Without: one passage."""
        header, body = (rows[0], rows[1:]) if rows else ([], [])
        if any(web_links([link for cell in row for link in cell.links], self.base_url)
               for row in body):
            names = [cell.text for cell in header]
            for offset, row in enumerate(body):
                self._table_row(row, names, line + 2 + offset)
            return
        text = "\n".join(" | ".join(cell.text for cell in row) for row in rows)
        if text.strip():
            self.builder.add_passage("text", text, None, line)

    def _table_row(self, row: list[Run], names: list[str], line: int) -> None:
        if not row:
            return
        links = [link for cell in row for link in cell.links]
        first = row[0].text
        details = []
        for column, cell in enumerate(row[1:], start=1):
            if not _has_own_text(cell):
                continue  # empty, or only links ("[Paper](…), [Tweet](…)"): the item's links
            name = names[column] if column < len(names) else ""
            details.append(cell.text if column == 1 or not name else f"{name}: {cell.text}")
        description = " · ".join(details)
        text = f"{first} - {description}" if first and description else first or description
        item = entry_item(text, links, self.base_url)
        if item is None:
            return
        if first and item.url is not None:
            self._title_row(item, row, first, description)
        collector = self._collector()
        if collector is None:
            self.builder.add_item(item, line)
        elif item.url is not None:
            collector.links.append((item.title, item.url))

    def _title_row(self, item: EntryItem, row: list[Run], first: str, description: str
                   ) -> None:
        """A row is titled by its first cell, unless that is a date or a number ("2023-05")
        and the primary link has a name; a linked name not in the title opens the
        description (a cell holding only links is not in it)."""
        primary = next((link for cell in row for link in cell.links
                        if resolve_link(link.href, self.base_url) == item.url), None)
        name = primary.text.strip() if primary is not None else ""
        if name and label_kind(name) is None and name != first:
            if is_data_cell(first) and not row[0].links:
                first, description = name, " · ".join(
                    part for part in (first, description) if part)
            elif name not in description:
                description = f"{name} · {description}" if description else name
        # A first cell over the limit: its rest opens the description.
        item.title, item.description = split_title(first, description)

    def _item_before_list(self, item: _OpenItem) -> None:
        """A nested list starts: the item's own text is done. With no link of its own it
        is a group label, a subtopic holding the nested entries."""
        text_runs = [run for run in item.runs if run.kind == "text"]
        text = " ".join(run.text for run in text_runs if run.text)
        has_links = any(run.links for run in text_runs)
        if text and not has_links and len(text) <= TITLE_MAX_CHARS \
                and self._collector() is None:
            item.done = item.label = True
            self.builder.open_label(text.rstrip(":："), item.line)
            return
        self._finish_item(item)

    def _blockquote_runs(self, runs: list[Run], line: int, blockquote: list[Run]) -> None:
        for run in runs:
            run_line = line + run.line_offset
            if run.kind == "math":
                self._flush_blockquote()  # the quote's text so far, then the formula
                assert self.blockquote is not None
                blockquote, self.blockquote_line = self.blockquote, run_line
                self.builder.add_passage("math", run.text, None, run_line)
            else:
                blockquote.append(run)
                self.link_items(run.links, run_line)
                self._images(run, run_line)

    def _paragraph(self, runs: list[Run], line: int) -> None:
        builder = self.builder
        for run in runs:
            run_line = line + run.line_offset
            if run.kind == "math":
                builder.add_passage("math", run.text, None, run_line)
                continue
            if len(runs) == 1 and run.only_link:
                link = run.links[0]
                url = resolve_link(link.href, self.base_url)
                if url is not None and len(link.text) >= QUOTE_MIN_CHARS:
                    builder.add_passage("quote", link.text, url, run_line)
                    builder.add_item(EntryItem(url, first_sentence(link.text), link.text, (),
                                               link.text), run_line)
                    continue
            if run.text and not is_navigation(run.text) and self._collector() is None:
                builder.add_passage("text", run.text, self._first_url(run.links), run_line)
            self.link_items(run.links, run_line, run.text)
            self._images(run, run_line)

    def _images(self, run: Run, line: int) -> None:
        for src, alt in run.images:
            self.builder.add_passage("image", alt or title_from_url(src), src, line)

    def _finish_item(self, item: _OpenItem) -> None:
        if item.done:
            return
        item.done = True
        text_runs = [run for run in item.runs if run.kind == "text"]
        links = [link for run in text_runs for link in run.links]
        text = " ".join(run.text for run in text_runs if run.text)
        if not self.entry(text, links, item.line):
            for link, url in web_links(links, self.base_url):
                if link.badge:
                    self.builder.add_passage("image", link_title(link, url), url, item.line)
        for run in item.runs:
            if run.kind == "math":
                self.builder.add_passage("math", run.text, None, run.line_offset)
            self._images(run, run.line_offset)


def _joined(runs: list[Run]) -> Run:
    """A table cell's runs as one."""
    if len(runs) == 1:
        return runs[0]
    return Run("text", " ".join(run.text for run in runs if run.text), 0,
               [link for run in runs for link in run.links],
               [image for run in runs for image in run.images])

