"""The outline's line scanner: a list's top-level headings without parsing all its markdown.

It follows CommonMark's block rules (``blockrules``, ``tables``) as far as headings care,
one line at a time, in one of five named states: at the top level (maybe in a paragraph
or a table), in a top-level fenced code block or HTML block (which hide headings), or in
a top-level list or block quote (which hold no markdown headings). HTML headings are read
by the parse's own HTML reader: those of a top-level HTML block from its lines, those
inside a list or quote (at any depth) from a parse of just that container, so the titles
and lines are the full parse's by construction.
"""

from __future__ import annotations

import bisect
import re
from enum import Enum

from msgspec import Struct

from dlreader.catalog.blockrules import (
    ATX,
    HR,
    PLAIN_ITEM,
    SETEXT,
    Fence,
    add_reference,
    after_marker,
    atx_content,
    container_line,
    drop_reference_lines,
    expand,
    fence_open,
    html_open,
    interrupts_paragraph,
    item_first_line_is_text,
    lazy_underline,
    list_marker,
    nested_item_indent,
    quote_inner,
    track_inner,
)
from dlreader.catalog.html import HtmlReader, HtmlSink
from dlreader.catalog.inline import markdown
from dlreader.catalog.tables import (
    in_item,
    in_quote,
    inner_table_line,
    item_opens_table,
    opens_inner_table,
    opens_table,
)


class Heading(Struct):
    """A heading found by the scan: 0-based line index, level, raw inline text."""

    line: int
    level: int
    content: str  # for an HTML heading: its title, as the parse makes it
    atx: bool = True
    html_end: int = 0  # an HTML heading's: the line after its HTML block (else 0)


class State(Enum):
    TOP = "top"  # no block open, or a top-level paragraph or table
    FENCE = "fence"  # in a top-level fenced code block
    HTML = "html"  # in a top-level HTML block
    LIST = "list"  # in a top-level list
    QUOTE = "quote"  # in a top-level block quote


# Could this HTML hold a heading? (Most HTML blocks are badges and images: not parsed.)
HTML_HEADING = re.compile(r"<h[1-6]", re.IGNORECASE)

_NO_PATTERN = re.compile("")


class LineScanner:
    """Scans a list's lines into ``headings``; reference definitions found where a
    paragraph could start go into ``references``."""

    def __init__(self, text: str, references: dict[str, dict[str, str]]) -> None:
        self.lines = text.split("\n")
        self.refs = references
        self.headings: list[Heading] = []
        self.state = State.TOP
        self.paragraph: list[str] = []  # lines of the open top-level paragraph
        self.para_refs_only = True  # ... which holds only definitions so far
        self.table = False  # a top-level table is open (its rows swallow any text)
        self.fence: Fence | None = None  # State.FENCE's fence
        self.html_end = _NO_PATTERN  # State.HTML's end pattern ("^$": a blank line)
        self.block_start = 0  # where the top-level HTML block or container began
        self.item_indent = 0  # content indent of the open list item
        self.blank_before = False  # the previous line was blank
        self.inner_para = False  # the container's innermost block is a paragraph
        self.empty_item = False  # the open list item has had no content yet
        self.inner_fence: Fence | re.Pattern[str] | None = None  # fence/HTML in container
        self.inner_table = False  # the container's innermost block is a table
        self.delimiter_next = False  # a table opened: the next line is its delimiter row
        self.nested_item = 0  # content indent of a list item inside the container
        # Lines holding "<h1".."<h6>": a container with one is parsed for HTML headings.
        self._html_heading_lines = _lines_matching(text, HTML_HEADING)
        self._states = {
            State.FENCE: self._fence_line,
            State.HTML: self._html_line,
            State.LIST: self._list_line,
            State.QUOTE: self._quote_line,
        }

    def scan(self) -> list[Heading]:
        lines = self.lines
        for number, line in enumerate(lines):
            if self.delimiter_next:  # (a "---" here is the table's, no rule or underline)
                self.delimiter_next = False
                continue
            if self._plain_item(number, line):
                continue
            indent, rest = expand(line)
            in_state = self._states.get(self.state)
            if in_state is not None and in_state(number, line, indent, rest):
                continue
            self._top_line(number, line, indent, rest)
        if self.state is State.HTML:  # an HTML block open at the end runs to it
            self._html_headings(self.block_start, len(lines))
        elif self.state in (State.LIST, State.QUOTE):
            self._leave_container(len(lines))
        return self.headings

    # -- the states -------------------------------------------------------------------

    def _plain_item(self, number: int, line: str) -> bool:
        """The fast path (most lines): a plain list item, in a list or starting one."""
        if not (self.state is State.LIST or (self.state is State.TOP and not self.paragraph
                                             and not self.table)):
            return False
        plain = PLAIN_ITEM.match(line)
        if plain is None or "|" in line:  # (a "|" may make a table of it)
            return False
        self._enter_container(State.LIST, number)
        self.nested_item = 0
        self.item_indent = plain.end()
        self.empty_item = False
        self.inner_para = True
        self.inner_fence = None
        self.blank_before = False
        if line[self.item_indent] == "[" and "]:" in line:
            self.inner_para = not add_reference(self.refs, line[self.item_indent:])
        return True

    def _fence_line(self, number: int, line: str, indent: int, rest: str) -> bool:
        assert self.fence is not None
        if self.fence.closes(indent, rest):
            self.fence = None
            self.state = State.TOP
        return True

    def _html_line(self, number: int, line: str, indent: int, rest: str) -> bool:
        if self.html_end.pattern == "^$":
            if not rest.strip():
                self.state = State.TOP
                self.blank_before = True
                self._html_headings(self.block_start, number)
            return True
        if self.html_end.search(line):
            self.state = State.TOP
            self._html_headings(self.block_start, number + 1)
        return True

    def _list_line(self, number: int, line: str, indent: int, rest: str) -> bool:
        """A line while a top-level list is open: False when it ends the list."""
        if not rest.strip():
            self._blank_in_container()
            if self.empty_item:
                self.item_indent = 1 << 30  # an item starts with at most one blank line
            return True
        item_indent = self.item_indent
        if indent >= item_indent:
            self.empty_item = False
            self._container_content(number, indent - item_indent, rest,
                                    in_item(self.lines, number + 1, item_indent),
                                    self.blank_before)
            return True
        marker = list_marker(indent, rest)
        if marker is not None and not HR.match(rest):
            self.nested_item = 0
            self.item_indent = marker[0]
            self.empty_item = marker[1]
            content = rest[len(rest) - len(rest.lstrip()):]
            self.inner_para = not marker[1] and item_first_line_is_text(rest)
            self.inner_fence = track_inner(None, 0, after_marker(content).lstrip(), False)
            self.inner_table = self.delimiter_next = item_opens_table(
                rest, self.lines, number, self.item_indent)
            if self.inner_table:
                self.inner_fence = None  # the table rule comes first
            if self.inner_fence is not None or self.inner_table:
                self.inner_para = False
            self.blank_before = False
            return True
        # markdown-it measures the line against the item's indent, which it is short
        # of: so a tab-indented "# x" still interrupts here.
        if (not self.blank_before and self.inner_para and self.inner_fence is None
                and not interrupts_paragraph(0, rest)
                and not opens_inner_table(indent - item_indent, rest,
                                          in_item(self.lines, number + 1, item_indent))):
            self.blank_before = False
            return True  # a lazy continuation line
        self._leave_container(number)
        return False

    def _quote_line(self, number: int, line: str, indent: int, rest: str) -> bool:
        """A line while a top-level block quote is open: False when it ends the quote."""
        if not rest.strip():
            self._leave_container(number)
            self._blank_in_container()
            return True
        if indent <= 3 and rest.startswith(">"):
            inner_indent, inner_rest = quote_inner(indent, rest)
            self._container_content(number, inner_indent, inner_rest,
                                    in_quote(self.lines, number + 1), False)
            return True
        if (self.inner_para and self.inner_fence is None
                and not interrupts_paragraph(indent, rest, any_list=True)):
            return True  # lazy continuation
        self._leave_container(number)
        return False

    def _top_line(self, number: int, line: str, indent: int, rest: str) -> None:
        """A line at the top level: a heading, or what opens a block."""
        if not rest.strip():
            self.paragraph = []
            self.table = False
            self.blank_before = True
            return
        if self.table:
            if indent >= 4 or interrupts_paragraph(indent, rest, any_list=True):
                self.table = False
            else:
                return
        # markdown-it tries its table rule first, at a block's start and as a paragraph's
        # terminator: a header line over a delimiter row is a table whatever it starts
        # with ("# a|b" included).
        if opens_table(self.lines, number):
            self.paragraph = []
            self.table = self.delimiter_next = True
            self.blank_before = False
            return
        paragraph = self.paragraph
        if paragraph and indent <= 3 and SETEXT.match(rest):
            content_lines = drop_reference_lines(paragraph)
            if content_lines:
                level = 1 if rest[0] == "=" else 2
                self.headings.append(Heading(number - len(content_lines), level,
                                             "\n".join(content_lines).strip(), atx=False))
                self.paragraph = []
                self.blank_before = False
                return
        # Definitions alone are no paragraph: markdown-it has consumed them.
        open_paragraph = bool(paragraph) and not self.para_refs_only
        if indent >= 4:
            if open_paragraph:
                paragraph.append(line)
            else:
                self.paragraph = []  # indented code
            self.blank_before = False
            return
        if self._opens_block(number, indent, rest, open_paragraph):
            return
        if not paragraph:
            self.para_refs_only = True
        if self.para_refs_only:
            self.para_refs_only = add_reference(self.refs, rest)
        paragraph.append(line)
        self.blank_before = False

    def _opens_block(self, number: int, indent: int, rest: str, open_paragraph: bool) -> bool:
        """A top-level line that is a heading or opens a block (not a paragraph's)."""
        match = ATX.match(rest)
        if match:
            self.paragraph = []
            self.blank_before = False
            self.headings.append(Heading(number, len(match.group(0)), atx_content(rest)))
            return True
        opened = fence_open(indent, rest)
        if opened is not None:
            self.paragraph = []
            self.fence, self.state = opened, State.FENCE
            return True
        end = html_open(indent, rest, interrupting=open_paragraph)
        if end is not None:
            self.paragraph = []
            # Types 1-5 end on the line holding their end marker (maybe this one);
            # types 6-7 at the next blank line.
            self.block_start = number
            if end.pattern == "^$" or not end.search(rest):
                self.html_end, self.state = end, State.HTML
            else:
                self._html_headings(number, number + 1)
            return True
        if HR.match(rest):
            self.paragraph = []
            self.blank_before = False
            return True
        if rest.startswith(">"):
            self._open_quote(number, indent, rest)
            return True
        marker = list_marker(indent, rest)
        if marker is not None and not (open_paragraph and (marker[1] or marker[2])):
            self._open_list(number, rest, marker)
            return True
        return False

    # -- containers ---------------------------------------------------------------------

    def _enter_container(self, state: State, number: int) -> None:
        if self.state is not state:
            self.state, self.block_start = state, number

    def _leave_container(self, number: int) -> None:
        """The top-level container that began at ``block_start`` ends before ``number``."""
        start = self.block_start
        self.state = State.TOP
        self.inner_fence = None
        self.inner_table = False
        self.nested_item = 0
        lines = self._html_heading_lines
        if bisect.bisect_left(lines, start) < bisect.bisect_left(lines, number):
            self._container_html_headings(start, number)

    def _blank_in_container(self) -> None:
        self.blank_before = True
        self.inner_para = self.inner_table = False
        self.nested_item = 0
        if isinstance(self.inner_fence, re.Pattern) and self.inner_fence.pattern == "^$":
            self.inner_fence = None  # an HTML block ends at a blank line

    def _open_quote(self, number: int, indent: int, rest: str) -> None:
        self.paragraph = []
        self._enter_container(State.QUOTE, number)
        inner_indent, inner_rest = quote_inner(indent, rest)
        self.nested_item = nested_item_indent(0, inner_indent, inner_rest, False)
        is_reference = inner_indent < 4 and add_reference(self.refs, inner_rest)
        self.inner_table = self.delimiter_next = opens_inner_table(
            inner_indent, inner_rest, in_quote(self.lines, number + 1))
        self.inner_fence = None if self.inner_table else track_inner(
            None, inner_indent, inner_rest, False)
        self.inner_para = (self.inner_fence is None and not is_reference
                           and not self.inner_table
                           and container_line(inner_rest, inner_indent, True, False, None))
        self.blank_before = False

    def _open_list(self, number: int, rest: str, marker: tuple[int, bool, bool]) -> None:
        self.paragraph = []
        self._enter_container(State.LIST, number)
        self.nested_item = 0
        self.item_indent = marker[0]
        self.empty_item = marker[1]
        first_indent, first_rest = expand(after_marker(rest))
        is_reference = first_indent < 4 and add_reference(self.refs, first_rest)
        self.inner_table = self.delimiter_next = item_opens_table(
            rest, self.lines, number, self.item_indent)
        self.inner_fence = None if self.inner_table else track_inner(
            None, 0, after_marker(rest).lstrip(), False)
        self.inner_para = (self.inner_fence is None and not marker[1] and not is_reference
                           and not self.inner_table and item_first_line_is_text(rest))
        self.blank_before = False

    def _container_content(self, number: int, indent: int, rest: str,
                           following: tuple[int, str] | None, after_blank: bool) -> None:
        """A line of a container's content: ``indent`` and ``rest`` relative to it,
        ``following`` the next line's content in it (None: outside)."""
        table_line = None if self.inner_fence is not None else inner_table_line(
            self.inner_table, indent, rest, following)
        if table_line is not None:
            self.delimiter_next = table_line == "header"
            self.inner_para, self.inner_table, self.blank_before = False, True, False
            return
        self.inner_table = False
        was_para = self.inner_para
        if lazy_underline(was_para, self.inner_fence, self.nested_item, indent, rest):
            return
        self.nested_item = nested_item_indent(self.nested_item, indent, rest, was_para)
        self.inner_para = container_line(rest, indent, after_blank, self.inner_para,
                                         self.inner_fence)
        if (not was_para and self.inner_fence is None and indent < 4
                and add_reference(self.refs, rest)):
            self.inner_para = False  # a definition is no paragraph
        self.inner_fence = track_inner(self.inner_fence, indent, rest,
                                       was_para and not after_blank)
        self.blank_before = False

    # -- HTML headings ------------------------------------------------------------------

    def _html_headings(self, start: int, end: int) -> None:
        """The ``<h1>``-``<h6>`` topics of the top-level HTML block on lines [start, end),
        all at the block's first line, as the parse puts them."""
        content = "\n".join(self.lines[start:end])
        if HTML_HEADING.search(content):
            for level, title in html_headings(content + "\n"):
                self.headings.append(Heading(start, level, title, atx=False, html_end=end))

    def _container_html_headings(self, start: int, end: int) -> None:
        """The HTML headings of the HTML blocks inside the container on lines
        [start, end), found by markdown-it's parse of the container alone."""
        piece = "\n".join(self.lines[start:end])
        for token in markdown().parse(piece, {}):
            if token.type == "html_block" and token.map and HTML_HEADING.search(token.content):
                block_start, block_end = start + token.map[0], start + token.map[1]
                for level, title in html_headings(token.content):
                    self.headings.append(Heading(block_start, level, title, atx=False,
                                                 html_end=block_end))


class _HeadingSink(HtmlSink):
    """Keeps the headings an HtmlReader finds, in order; entries are no topics."""

    def __init__(self) -> None:
        self.headings: list[tuple[int, str]] = []

    def html_heading(self, level: int, title: str) -> None:
        self.headings.append((level, title))


def html_headings(content: str) -> list[tuple[int, str]]:
    """(level, title) of the headings in an HTML block, read as the parse reads them."""
    sink = _HeadingSink()
    HtmlReader(sink).read(content)
    return sink.headings


def _lines_matching(text: str, pattern: re.Pattern[str]) -> list[int]:
    """The 0-based lines holding a match, in order."""
    lines: list[int] = []
    line, position = 0, 0
    for match in pattern.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines
