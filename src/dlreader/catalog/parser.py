"""Markdown reading list -> Catalog: topics (headings), items (list entries, links), passages.

markdown-it-py parses; this module walks its token stream once. LaTeX is taken out of
each paragraph before markdown-it sees it (markdown would eat its backslashes and
underscores) and put back as Unicode. Big lists are parsed in chunks split at top-level
ATX headings, which gives the same result as one parse and lets us report progress.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from dlreader.catalog.mathtext import DISPLAY_MATH, INLINE_MATH, latex_to_unicode
from dlreader.catalog.model import Catalog, Item, Passage, Topic
from dlreader.catalog.urls import (
    item_id_for_text,
    item_id_for_url,
    normalize_url,
    title_from_url,
)

Progress = Callable[[float], None]

# A paragraph that is one link around at least this much text is a quoted passage.
QUOTE_MIN_CHARS = 60
# Items made from a quote are titled by its first words.
QUOTE_TITLE_CHARS = 80
# Chunks for progress reporting: no smaller than this many characters.
CHUNK_MIN_CHARS = 64 * 1024
# Lists at least this big are parsed by two processes (each starts in ~0.2 s).
PARALLEL_MIN_CHARS = 2 * 1024 * 1024

# Math placeholders: private-use characters markdown-it treats as plain text.
_INLINE_MARK = "\ue000"
_DISPLAY_MARK = "\ue001"
_END_MARK = "\ue002"
_PLACEHOLDER = re.compile("([\ue000\ue001])(\\d+)\ue002")
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_IMG_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
# A reference definition anywhere ("[label]: url"): such lists are parsed in one piece,
# since a definition late in the file changes links early in it.
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)


def _keep_link(url: str) -> str:
    # markdown-it percent-encodes and punycodes hrefs; we keep the URL as written and
    # normalize it ourselves (urls.normalize_url), so ids match what the user sees.
    return url


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """The one markdown configuration used by the parser and the outline scanner."""
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "table"])
    md.normalizeLink = _keep_link  # type: ignore[method-assign]
    return md


# -- inline content ---------------------------------------------------------------------


@dataclass(slots=True)
class Link:
    href: str
    text: str
    bare: bool  # an autolink or linkified URL: its text is the URL itself


@dataclass(slots=True)
class Run:
    """A stretch of one paragraph: prose (math inline converted) or one display formula."""

    kind: str  # "text" or "math"
    text: str
    line_offset: int
    links: list[Link] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt)
    only_link: bool = False  # the run is exactly one link, give or take whitespace


def protect_math(content: str) -> tuple[str, list[str]]:
    """Swap ``$$..$$`` and ``$..$`` for placeholders; return the text and the formulas."""
    formulas: list[str] = []
    if "$" not in content:
        return content, formulas

    def swap(mark: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            formulas.append(match.group(1))
            return f"{mark}{len(formulas) - 1}{_END_MARK}"

        return replace

    content = DISPLAY_MATH.sub(swap(_DISPLAY_MARK), content)
    content = INLINE_MATH.sub(swap(_INLINE_MARK), content)
    return content, formulas


def _squash(text: str) -> str:
    return " ".join(text.split())


class _RunBuilder:
    """Collects inline tokens into runs, splitting at display formulas."""

    def __init__(self, formulas: list[str]) -> None:
        self.formulas = formulas
        self.runs: list[Run] = []
        self.parts: list[str] = []
        self.links: list[Link] = []
        self.images: list[tuple[str, str]] = []
        self.line_offset = 0
        self.run_start = 0
        self.open_links: list[tuple[str, int, bool]] = []  # href, parts index, bare
        self.link_count = 0
        self.other_content = False  # text outside the one link

    def add_text(self, text: str) -> None:
        if _PLACEHOLDER.search(text) is None:
            self._append(text)
            return
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            self._append(text[position : match.start()])
            formula = self.formulas[int(match.group(2))]
            if match.group(1) == _INLINE_MARK:
                self._append(latex_to_unicode(formula))
            else:
                self.flush()
                self.runs.append(Run("math", latex_to_unicode(formula), self.line_offset))
                self.line_offset += formula.count("\n")
                self.run_start = self.line_offset
            position = match.end()
        self._append(text[position:])

    def _append(self, text: str) -> None:
        if not text:
            return
        if not self.open_links and text.strip():
            self.other_content = True
        self.parts.append(text)

    def newline(self) -> None:
        self.parts.append(" ")
        self.line_offset += 1
        if not self.parts or all(not part.strip() for part in self.parts):
            self.run_start = self.line_offset

    def open_link(self, href: str, bare: bool) -> None:
        self.link_count += 1
        self.open_links.append((href, len(self.parts), bare))

    def close_link(self) -> None:
        if not self.open_links:
            return
        href, start, bare = self.open_links.pop()
        self.links.append(Link(href, _squash("".join(self.parts[start:])), bare))

    def image(self, src: str, alt: str) -> None:
        self.images.append((src, alt))
        self.other_content = True

    def flush(self) -> None:
        text = _squash("".join(self.parts))
        if text or self.links or self.images:
            only_link = self.link_count == 1 and len(self.links) == 1 and not self.other_content
            self.runs.append(
                Run("text", text, self.run_start, self.links, self.images, only_link)
            )
        self.parts = []
        self.links = []
        self.images = []
        self.link_count = 0
        self.other_content = False
        self.run_start = self.line_offset


def _html_images(html: str) -> Iterator[tuple[str, str]]:
    for tag in _IMG_TAG.finditer(html):
        attrs = {}
        for match in _IMG_ATTR.finditer(tag.group(0)):
            attrs[match.group(1).lower()] = next(g for g in match.groups()[1:] if g is not None)
        if attrs.get("src"):
            yield attrs["src"], attrs.get("alt", "")


def inline_runs(content: str, children: Sequence[Token] | None, env: dict[str, Any]) -> list[Run]:
    """The runs of one inline token, given its raw ``content`` and parsed ``children``.

    When the content holds math, it is re-parsed with the formulas swapped out.
    """
    protected, formulas = protect_math(content)
    if formulas:
        children = markdown().parseInline(protected, env)[0].children
    builder = _RunBuilder(formulas)
    for child in children or ():
        kind = child.type
        if kind == "text" or kind == "code_inline":
            builder.add_text(child.content)
        elif kind == "softbreak" or kind == "hardbreak":
            builder.newline()
        elif kind == "link_open":
            builder.open_link(str(child.attrs.get("href", "")), child.info == "auto" or
                              child.markup in ("autolink", "linkify"))
        elif kind == "link_close":
            builder.close_link()
        elif kind == "image":
            builder.image(str(child.attrs.get("src", "")), child.content)
        elif kind == "html_inline":
            for src, alt in _html_images(child.content):
                builder.image(src, alt)
    builder.flush()
    return builder.runs


# Characters that may make inline markdown differ from its plain text.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<>!&$~]")


def flatten_inline(content: str, env: dict[str, Any] | None = None) -> str:
    """Plain text of inline markdown (a heading): code and links flattened, math in Unicode."""
    if _INLINE_SYNTAX.search(content) is None:
        return _squash(content)  # plain text (linkified URLs keep their text as written)
    return flatten_inline_markdown(content, env)


def flatten_inline_markdown(content: str, env: dict[str, Any] | None = None) -> str:
    """``flatten_inline`` always through markdown-it (the reference for its fast path)."""
    env = {} if env is None else env
    protected, _ = protect_math(content)
    children = markdown().parseInline(protected, env)[0].children
    runs = inline_runs(content, children, env)
    return " ".join(run.text for run in runs if run.text)


# -- topics -----------------------------------------------------------------------------


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
        import hashlib

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


def source_stem(source: str) -> str:
    name = PurePath(source).name
    return PurePath(name).stem or name or "reading list"


# -- the builder ------------------------------------------------------------------------


class _CatalogBuilder:
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


class _EventRecorder:
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


def _replay(builder: _CatalogBuilder, events: Sequence[Event]) -> None:
    for event in events:
        if event[0] == ITEM:
            builder.add_item(event[1], event[2], event[3])
        elif event[0] == PASSAGE:
            builder.add_passage(event[1], event[2], event[3], event[4])
        else:
            builder.start_heading(event[1], event[2], event[3])


def chunk_events(chunk: tuple[int, str]) -> list[Event]:
    """Parse one chunk (first line index, text) into events. Runs in worker processes."""
    line_base, text = chunk
    env: dict[str, Any] = {}
    recorder = _EventRecorder()
    _TokenWalker(recorder, env).walk(markdown().parse(text, env), line_base)
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


class _TokenWalker:
    """Walks one token stream (a chunk of the file) into the builder."""

    def __init__(self, builder: _EventRecorder, env: dict[str, Any]) -> None:
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
                for src, alt in _html_images(token.content):
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


# -- chunking ---------------------------------------------------------------------------


def _chunk_starts(text: str) -> list[int]:
    """Line indexes (0-based) where a chunk may start: top-level ATX headings."""
    from dlreader.catalog.outline import top_level_atx_lines

    return top_level_atx_lines(text)


def split_chunks(text: str, min_chars: int = CHUNK_MIN_CHARS) -> list[tuple[int, str]]:
    """(first line index, text) pieces that parse to the same catalog as the whole."""
    if len(text) < 2 * min_chars or _REFERENCE_DEFINITION.search(text):
        return [(0, text)]
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    chunks: list[tuple[int, str]] = []
    start = 0
    for heading_line in _chunk_starts(text):
        if heading_line > start and offsets[heading_line] - offsets[start] >= min_chars:
            chunks.append((start, text[offsets[start] : offsets[heading_line]]))
            start = heading_line
    chunks.append((start, text[offsets[start] :]))
    return chunks


# A worker is a plain interpreter importing this module, not multiprocessing: that would
# re-run the host's main script in the child (unsafe for scripts without a main guard).
_WORKER_CODE = "from dlreader.catalog.parser import worker_main; worker_main()"


def worker_main() -> None:
    """A parse worker process: a pickled list of chunks on stdin, events per chunk out."""
    import pickle
    import sys

    chunks = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    for chunk in chunks:
        pickle.dump(chunk_events(chunk), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


def _groups(chunks: Sequence[tuple[int, str]], count: int) -> list[list[tuple[int, str]]]:
    """Consecutive runs of chunks of about equal size, one per worker."""
    total = sum(len(text) for _, text in chunks)
    groups: list[list[tuple[int, str]]] = [[]]
    size = 0
    for chunk in chunks:
        if size >= total * len(groups) / count and len(groups) < count:
            groups.append([])
        groups[-1].append(chunk)
        size += len(chunk[1])
    return [group for group in groups if group]


def _events_in_processes(
    chunks: Sequence[tuple[int, str]], workers: int
) -> Iterator[list[Event]]:
    """Each chunk's events, in order, parsed by worker processes (raises if one fails)."""
    import pickle
    import queue
    import subprocess
    import sys
    import threading
    from pathlib import Path

    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    groups = _groups(chunks, workers)
    processes: list[subprocess.Popen[bytes]] = []
    inboxes: list[queue.Queue[list[Event] | None]] = []

    def feed(process: subprocess.Popen[bytes], group: list[tuple[int, str]]) -> None:
        assert process.stdin is not None
        try:
            with process.stdin:
                pickle.dump(group, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            pass  # the worker died; its reader reports it

    def drain(process: subprocess.Popen[bytes], inbox: queue.Queue[list[Event] | None]) -> None:
        assert process.stdout is not None
        try:
            while True:
                inbox.put(pickle.load(process.stdout))
        except Exception:  # EOF, or a worker that died mid-write
            inbox.put(None)

    try:
        for group in groups:
            process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_CODE], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            )
            processes.append(process)
            inbox: queue.Queue[list[Event] | None] = queue.Queue()
            inboxes.append(inbox)
            threading.Thread(target=feed, args=(process, group), daemon=True).start()
            threading.Thread(target=drain, args=(process, inbox), daemon=True).start()
        for group, inbox in zip(groups, inboxes, strict=True):
            for _ in group:
                events = inbox.get()
                if events is None:
                    raise RuntimeError("a parse worker stopped early")
                yield events
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()


def default_workers(text: str) -> int:
    """Two processes for big lists on a machine that has the cores, else one."""
    if len(text) < PARALLEL_MIN_CHARS or (os.cpu_count() or 1) < 2:
        return 1
    return 2


def parse_catalog(
    text: str, source: str, progress: Progress | None = None, *, workers: int | None = None
) -> Catalog:
    """Parse a markdown reading list. Deterministic; never raises on odd markdown.

    ``progress`` is called with the fraction done after each chunk. ``workers`` > 1
    parses chunks in that many processes (default: ``default_workers``); the result is
    the same, and if the processes cannot run the parse carries on in this one.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    builder = _CatalogBuilder(source)
    chunks = split_chunks(text)
    workers = default_workers(text) if workers is None else workers
    total = max(1, len(text))
    done_chunks = 0
    done_chars = 0

    def take(events: list[Event]) -> None:
        nonlocal done_chunks, done_chars
        _replay(builder, events)
        done_chars += len(chunks[done_chunks][1])
        done_chunks += 1
        if progress is not None:
            progress(min(1.0, done_chars / total))

    if workers > 1 and len(chunks) > 1:
        try:
            for events in _events_in_processes(chunks, workers):
                take(events)
        except Exception:  # no processes here (sandbox, a worker died): go on in this one
            pass
    for chunk in chunks[done_chunks:]:
        take(chunk_events(chunk))
    catalog = builder.build()
    if not text.strip():
        catalog.warnings.append(f"{source}: the reading list is empty")
    return catalog
