"""markdown-it tokens -> events: the rules that say what is a topic, an item, a passage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from dlreader.catalog.builder import HEADING, ITEM, PASSAGE, CatalogBuilder, Event, replay
from dlreader.catalog.inline import Link, Run, flatten_inline, html_images, inline_runs, markdown
from dlreader.catalog.model import Catalog
from dlreader.catalog.urls import normalize_url, title_from_url

# A paragraph that is one link around at least this much text is a quoted passage.
QUOTE_MIN_CHARS = 60
# Items made from a quote are titled by its first words.
QUOTE_TITLE_CHARS = 80


class EventRecorder:
    """Collects a chunk's headings, items and passages in order, for a builder to replay."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def start_heading(self, title: str, level: int, line: int) -> None:
        self.events.append((HEADING, title, level, line))

    def add_item(self, url: str | None, title: str, line: int) -> None:
        self.events.append((ITEM, url, title, line))

    def add_link_items(self, links: Sequence[Link], line: int) -> None:
        """Links in prose: reachable as items of the topic, titled by their text."""
        for link in links:
            url = normalize_url(link.href)
            if url is not None:
                self.events.append((ITEM, url, _shorten(_link_title(link, url)), line))

    def add_passage(self, kind: str, text: str, url: str | None, line: int) -> None:
        self.events.append((PASSAGE, kind, text, url, line))



def chunk_events(chunk: tuple[int, str]) -> list[Event]:
    """Parse one chunk (first line index, text) into events. Runs in worker processes."""
    line_base, text = chunk
    env: dict[str, Any] = {}
    recorder = EventRecorder()
    TokenWalker(recorder, env).walk(markdown().parse(text, env), line_base)
    return recorder.events


def _link_title(link: Link, url: str) -> str:
    text = link.text
    if not text or link.bare or text.strip() == link.href.strip():
        return title_from_url(url)
    return text


def _first_url(links: Sequence[Link]) -> str | None:
    for link in links:
        url = normalize_url(link.href)
        if url is not None:
            return url
    return None


def _shorten(text: str) -> str:
    if len(text) <= QUOTE_TITLE_CHARS:
        return text
    cut = text[:QUOTE_TITLE_CHARS].rstrip()
    return cut + "…"


@dataclass
class _OpenItem:
    line: int
    runs: list[Run] = field(default_factory=list)
    done: bool = False


class TokenWalker:
    """Walks one token stream (a chunk of the file) into the builder."""

    def __init__(self, builder: EventRecorder, env: dict[str, Any]) -> None:
        self.builder = builder
        self.env = env

    def walk(self, tokens: Sequence[Token], line_base: int) -> None:
        builder = self.builder
        items: list[_OpenItem] = []
        blockquote: list[Run] | None = None
        blockquote_line = 0
        blockquote_depth = 0
        table_rows: list[list[str]] | None = None
        table_links: list[Link] = []
        table_line = 0

        def flush_blockquote() -> None:
            nonlocal blockquote
            if blockquote:
                text = "\n\n".join(run.text for run in blockquote if run.text)
                links = [link for run in blockquote for link in run.links]
                if text:
                    builder.add_passage("blockquote", text, _first_url(links), blockquote_line)
            blockquote = []

        index = 0
        count = len(tokens)
        while index < count:
            token = tokens[index]
            kind = token.type
            line = line_base + (token.map[0] + 1 if token.map else 0)
            if kind == "heading_open" and not items and blockquote is None:
                inline = tokens[index + 1]
                title = flatten_inline(inline.content, self.env)
                builder.start_heading(title, int(token.tag[1:]), line)
                index += 3
                continue
            if kind == "list_item_open":
                items.append(_OpenItem(line))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                if items:
                    self._finish_item(items[-1])
            elif kind == "list_item_close":
                if items:
                    self._finish_item(items.pop())
            elif kind == "blockquote_open":
                blockquote_depth += 1
                if blockquote_depth == 1 and not items:
                    blockquote = []
                    blockquote_line = line
            elif kind == "blockquote_close":
                blockquote_depth -= 1
                if blockquote_depth == 0 and blockquote is not None:
                    flush_blockquote()
                    blockquote = None
            elif kind == "table_open":
                table_rows, table_links, table_line = [], [], line
            elif kind == "tr_open" and table_rows is not None:
                table_rows.append([])
            elif kind == "table_close" and table_rows is not None:
                text = "\n".join(" | ".join(cell for cell in row) for row in table_rows)
                if text.strip():
                    builder.add_passage("text", text, _first_url(table_links), table_line)
                builder.add_link_items(table_links, table_line)
                table_rows = None
            elif kind == "inline":
                runs = inline_runs(token.content, token.children, self.env)
                if table_rows is not None:
                    if table_rows:
                        table_rows[-1].append(" ".join(run.text for run in runs))
                    table_links.extend(link for run in runs for link in run.links)
                elif items and not items[-1].done:
                    for run in runs:
                        run.line_offset += line
                    items[-1].runs.extend(runs)
                elif items:
                    for run in runs:
                        builder.add_link_items(run.links, line + run.line_offset)
                elif blockquote is not None:
                    self._blockquote_runs(runs, line, blockquote, flush_blockquote)
                else:
                    self._paragraph(runs, line)
            elif kind == "html_block":
                for src, alt in html_images(token.content):
                    builder.add_passage("image", alt or title_from_url(src), src, line)
            elif kind in ("fence", "code_block") and not items:
                code = token.content.rstrip("\n")
                if code.strip() and blockquote is not None:
                    blockquote.append(Run("text", code, 0))
                elif code.strip():
                    builder.add_passage("text", code, None, line)
            index += 1
        for open_item in reversed(items):  # a chunk never ends inside a list; be safe
            self._finish_item(open_item)

    def _blockquote_runs(
        self, runs: list[Run], line: int, blockquote: list[Run], flush: Callable[[], None]
    ) -> None:
        for run in runs:
            run_line = line + run.line_offset
            if run.kind == "math":
                flush()
                self.builder.add_passage("math", run.text, None, run_line)
            else:
                blockquote.append(run)
                self.builder.add_link_items(run.links, run_line)
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
                url = normalize_url(link.href)
                if url is not None and len(link.text) >= QUOTE_MIN_CHARS:
                    builder.add_passage("quote", link.text, url, run_line)
                    builder.add_item(url, _shorten(link.text), run_line)
                    continue
            if run.text and not (run.images and not run.text.strip()):
                builder.add_passage("text", run.text, _first_url(run.links), run_line)
            builder.add_link_items(run.links, run_line)
            self._images(run, run_line)

    def _images(self, run: Run, line: int) -> None:
        for src, alt in run.images:
            self.builder.add_passage("image", alt or title_from_url(src), src, line)

    def _finish_item(self, item: _OpenItem) -> None:
        if item.done:
            return
        item.done = True
        builder = self.builder
        text_runs = [run for run in item.runs if run.kind == "text"]
        links = [link for run in text_runs for link in run.links]
        text = " ".join(run.text for run in text_runs if run.text)
        url = None
        first_link: Link | None = None
        for link in links:
            url = normalize_url(link.href)
            if url is not None:
                first_link = link
                break
        if first_link is not None and url is not None:
            if not text or (first_link.bare and text.strip() == first_link.text.strip()):
                title = title_from_url(url)
            else:
                title = text
            builder.add_item(url, title, item.line)
            # Further links in the same entry stay reachable as items of their own.
            builder.add_link_items([link for link in links if link is not first_link],
                                   item.line)
        elif text:
            builder.add_item(None, text, item.line)
        for run in item.runs:
            if run.kind == "math":
                builder.add_passage("math", run.text, None, run.line_offset)
            for src, alt in run.images:
                builder.add_passage("image", alt or title_from_url(src), src, run.line_offset)


def parse_one_piece(text: str, source: str) -> Catalog:
    """The catalog of text parsed as one chunk (no progress, no workers)."""
    builder = CatalogBuilder(source)
    replay(builder, chunk_events((0, text)))
    return builder.build()
