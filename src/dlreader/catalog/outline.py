"""A fast heading-only scan: the topic tree of a list without parsing all its markdown.

The app paints the tree from this before the full parse is done, so its topics must
be the ones ``parse_catalog`` makes (same ids, titles, levels, parents, lines). It is a
line scanner that follows CommonMark's block rules as far as headings care: fenced code
and HTML blocks hide headings; list items, block quotes and tables hold no top-level
headings; a setext underline needs a top-level paragraph above it. Heading text is
flattened with the parser's own function, so titles agree by construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

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
from dlreader.catalog.headings import HeadingTracker, source_stem
from dlreader.catalog.html import HtmlReader, HtmlSink
from dlreader.catalog.inline import flatten_inline
from dlreader.catalog.model import Catalog, Topic
from dlreader.catalog.tables import (
    in_item,
    in_quote,
    inner_table_line,
    item_opens_table,
    opens_inner_table,
    opens_table,
)
from dlreader.catalog.walker import parse_one_piece
from dlreader.textsafe import markdown_source


@dataclass(slots=True)
class Heading:
    """A top-level heading found by the scan: 0-based line index, level, raw inline text."""

    line: int
    level: int
    content: str  # for an HTML heading: its title, as the parse makes it
    atx: bool = True
    html_end: int = 0  # an HTML heading's: the line after its HTML block (else 0)


def scan_headings(
    text: str, references: dict[str, dict[str, str]] | None = None
) -> Iterator[Heading]:
    """Top-level ATX and setext headings, in order (lines 0-based).

    Reference definitions found where a paragraph could start go into ``references``.
    """
    refs: dict[str, dict[str, str]] = {} if references is None else references
    lines = text.split("\n")
    para_refs_only = True  # the open top-level paragraph holds only definitions so far
    fence: Fence | None = None  # a top-level fenced code block is open
    html_end: re.Pattern[str] | None = None  # a top-level HTML block is open
    html_start = 0  # the line it began on
    paragraph: list[str] = []  # lines of the open top-level paragraph
    table = False  # a top-level table is open (its rows swallow any text)
    container = ""  # "", "list" or "quote": the open top-level container
    item_indent = 0  # content indent of the open list item
    blank_before = False  # the previous line was blank
    inner_para = False  # the container's innermost block is a paragraph (lazy lines)
    empty_item = False  # the open list item has had no content yet
    inner_fence: Fence | re.Pattern[str] | None = None  # fence/HTML open in container
    inner_table = False  # the container's innermost block is a table (no lazy lines)
    delimiter_next = False  # a table opened on the previous line: this is its delimiter row
    nested_item = 0  # content indent of a list item open inside the container (0: none)

    for number, line in enumerate(lines):
        if delimiter_next:  # (a "---" here is the table's, no rule or setext underline)
            delimiter_next = False
            continue
        # Fast path (most lines): a plain list item, in a list or starting one.
        if (fence is None and html_end is None
                and (container == "list" or (not container and not paragraph and not table))):
            plain = PLAIN_ITEM.match(line)
            if plain is not None and "|" not in line:  # (a "|" may make a table of it)
                container = "list"
                nested_item = 0
                item_indent = plain.end()
                empty_item = False
                inner_para = True
                inner_fence = None
                blank_before = False
                if line[item_indent] == "[" and "]:" in line:
                    inner_para = not add_reference(refs, line[item_indent:])
                continue

        indent, rest = expand(line)
        blank = not rest.strip()

        if fence is not None:
            if fence.closes(indent, rest):
                fence = None
            continue
        if html_end is not None:
            if html_end.pattern == "^$":
                if blank:
                    html_end = None
                    blank_before = True
                    yield from _html_headings(lines, html_start, number)
                continue
            if html_end.search(line):
                html_end = None
                yield from _html_headings(lines, html_start, number + 1)
            continue

        # -- inside a container: does this line stay in it? --
        if container:
            if blank:
                if container == "quote":
                    container = ""
                    inner_fence = None
                blank_before = True
                inner_para = inner_table = False
                nested_item = 0
                if isinstance(inner_fence, re.Pattern) and inner_fence.pattern == "^$":
                    inner_fence = None  # an HTML block ends at a blank line
                if container == "list" and empty_item:
                    item_indent = 1 << 30  # an item starts with at most one blank line
                continue
            if container == "list":
                if indent >= item_indent:
                    empty_item = False
                    table_line = None if inner_fence is not None else inner_table_line(
                            inner_table, indent - item_indent, rest,
                            in_item(lines, number + 1, item_indent))
                    if table_line is not None:
                        delimiter_next = table_line == "header"
                        inner_para, inner_table, blank_before = False, True, False
                        continue
                    inner_table = False
                    inner_indent, inner_rest = expand(line)
                    was_para = inner_para
                    if lazy_underline(was_para, inner_fence, nested_item, indent - item_indent,
                                      rest):
                        continue
                    nested_item = nested_item_indent(nested_item, indent - item_indent, rest,
                                                     was_para)
                    inner_para = container_line(inner_rest, indent - item_indent, blank_before,
                                                 inner_para, inner_fence)
                    if (not was_para and inner_fence is None and indent - item_indent < 4
                            and add_reference(refs, inner_rest)):
                        inner_para = False  # a definition is no paragraph
                    inner_fence = track_inner(inner_fence, indent - item_indent, inner_rest,
                                               was_para and not blank_before)
                    blank_before = False
                    continue
                marker = list_marker(indent, rest)
                if marker is not None and not HR.match(rest):
                    nested_item = 0
                    item_indent = marker[0]
                    empty_item = marker[1]
                    inner_fence = None
                    content = rest[len(rest) - len(rest.lstrip()):]
                    inner_para = not marker[1] and item_first_line_is_text(rest)
                    inner_fence = track_inner(None, 0, after_marker(content).lstrip(), False)
                    inner_table = delimiter_next = item_opens_table(rest, lines, number,
                                                                     item_indent)
                    if inner_table:
                        inner_fence = None  # the table rule comes first
                    if inner_fence is not None or inner_table:
                        inner_para = False
                    blank_before = False
                    continue
                # markdown-it measures the line against the item's indent, which it
                # is short of: so a tab-indented "# x" still interrupts here.
                if (not blank_before and inner_para and inner_fence is None
                        and not interrupts_paragraph(0, rest)
                        and not opens_inner_table(indent - item_indent, rest,
                                                   in_item(lines, number + 1, item_indent))):
                    blank_before = False
                    continue  # a lazy continuation line
                container = ""
                inner_fence = None
                inner_table = False
                nested_item = 0
            else:  # quote
                if indent <= 3 and rest.startswith(">"):
                    inner_indent, inner_rest = quote_inner(indent, rest)
                    table_line = None if inner_fence is not None else inner_table_line(
                            inner_table, inner_indent, inner_rest, in_quote(lines, number + 1))
                    if table_line is not None:
                        delimiter_next = table_line == "header"
                        inner_para, inner_table, blank_before = False, True, False
                        continue
                    inner_table = False
                    was_para = inner_para
                    if lazy_underline(was_para, inner_fence, nested_item, inner_indent,
                                      inner_rest):
                        continue
                    nested_item = nested_item_indent(nested_item, inner_indent, inner_rest,
                                                     was_para)
                    inner_para = container_line(inner_rest, inner_indent, False, inner_para,
                                                 inner_fence)
                    if (not was_para and inner_fence is None and inner_indent < 4
                            and add_reference(refs, inner_rest)):
                        inner_para = False  # a definition is no paragraph
                    inner_fence = track_inner(inner_fence, inner_indent, inner_rest, was_para)
                    blank_before = False
                    continue
                if (inner_para and inner_fence is None
                        and not interrupts_paragraph(indent, rest, any_list=True)):
                    continue  # lazy continuation
                container = ""
                inner_fence = None
                inner_table = False
                nested_item = 0

        # -- top level --
        if blank:
            paragraph = []
            table = False
            blank_before = True
            continue
        if table:
            if indent >= 4 or interrupts_paragraph(indent, rest, any_list=True):
                table = False
            else:
                continue
        # markdown-it tries its table rule first, at a block's start and as a paragraph's
        # terminator: a header line over a delimiter row is a table whatever it starts
        # with ("# a|b" included).
        if opens_table(lines, number):
            paragraph = []
            table = delimiter_next = True
            blank_before = False
            continue
        if paragraph and indent <= 3 and SETEXT.match(rest):
            content_lines = drop_reference_lines(paragraph)
            if content_lines:
                level = 1 if rest[0] == "=" else 2
                yield Heading(number - len(content_lines), level,
                              "\n".join(content_lines).strip(), atx=False)
                paragraph = []
                blank_before = False
                continue
        # Definitions alone are no paragraph: markdown-it has consumed them.
        open_paragraph = bool(paragraph) and not para_refs_only
        if indent >= 4:
            if open_paragraph:
                paragraph.append(line)
            else:
                paragraph = []  # indented code
            blank_before = False
            continue
        match = ATX.match(rest)
        if match:
            paragraph = []
            blank_before = False
            yield Heading(number, len(match.group(0)), atx_content(rest))
            continue
        opened = fence_open(indent, rest)
        if opened is not None:
            paragraph = []
            fence = opened
            continue
        end = html_open(indent, rest, interrupting=open_paragraph)
        if end is not None:
            paragraph = []
            # Types 1-5 end on the line holding their end marker (maybe this one);
            # types 6-7 at the next blank line.
            html_end = end if end.pattern == "^$" or not end.search(rest) else None
            html_start = number
            if html_end is None:
                yield from _html_headings(lines, number, number + 1)
            continue
        if HR.match(rest):
            paragraph = []
            blank_before = False
            continue
        if rest.startswith(">"):
            paragraph = []
            container = "quote"
            inner_indent, inner_rest = quote_inner(indent, rest)
            nested_item = nested_item_indent(0, inner_indent, inner_rest, False)
            is_reference = inner_indent < 4 and add_reference(refs, inner_rest)
            inner_table = delimiter_next = opens_inner_table(inner_indent, inner_rest,
                                                              in_quote(lines, number + 1))
            inner_fence = None if inner_table else track_inner(None, inner_indent, inner_rest,
                                                                False)
            inner_para = (inner_fence is None and not is_reference and not inner_table
                          and container_line(inner_rest, inner_indent, True, False, None))
            blank_before = False
            continue
        marker = list_marker(indent, rest)
        if marker is not None and not (open_paragraph and (marker[1] or marker[2])):
            paragraph = []
            container = "list"
            nested_item = 0
            item_indent = marker[0]
            empty_item = marker[1]
            first_indent, first_rest = expand(after_marker(rest))
            is_reference = first_indent < 4 and add_reference(refs, first_rest)
            inner_table = delimiter_next = item_opens_table(rest, lines, number, item_indent)
            inner_fence = None if inner_table else track_inner(
                None, 0, after_marker(rest).lstrip(), False)
            inner_para = (inner_fence is None and not marker[1] and not is_reference
                          and not inner_table and item_first_line_is_text(rest))
            blank_before = False
            continue
        if not paragraph:
            para_refs_only = True
        if para_refs_only:
            para_refs_only = add_reference(refs, rest)
        paragraph.append(line)
        blank_before = False
    if html_end is not None:  # an HTML block open at the end runs to it
        yield from _html_headings(lines, html_start, len(lines))


# Could this HTML hold a heading? (Most HTML blocks are badges and images: not parsed.)
_HTML_HEADING = re.compile(r"<h[1-6]", re.IGNORECASE)


class _HeadingSink(HtmlSink):
    """Keeps the headings an HtmlReader finds, in order; entries are no topics."""

    def __init__(self) -> None:
        self.headings: list[tuple[int, str]] = []

    def html_heading(self, level: int, title: str) -> None:
        self.headings.append((level, title))


def _html_headings(lines: list[str], start: int, end: int) -> Iterator[Heading]:
    """The ``<h1>``-``<h6>`` topics of the top-level HTML block on lines [start, end),
    read by the parse's own HTML reader (so titles agree): all at the block's first line,
    as the parse puts them."""
    content = "\n".join(lines[start:end])
    if not _HTML_HEADING.search(content):
        return
    sink = _HeadingSink()
    HtmlReader(sink).read(content + "\n")
    for level, title in sink.headings:
        yield Heading(start, level, title, atx=False, html_end=end)


def top_level_atx_lines(text: str) -> list[int]:
    """0-based lines of top-level ATX headings: safe places to split the parse."""
    return [heading.line for heading in scan_headings(text) if heading.atx]


def scan_outline(text: str, source: str) -> list[Topic]:
    """The topics ``parse_catalog`` would produce (items and passages empty)."""
    text = markdown_source(text)
    references: dict[str, dict[str, str]] = {}
    headings = list(scan_headings(text, references))
    env = {"references": references}
    tracker = HeadingTracker()
    topics: list[Topic] = []
    first_heading = _preamble_end(headings[0]) if headings else len(text.split("\n"))
    preamble_line = _first_content_line(text, first_heading, references)
    if preamble_line is not None:
        topics.append(tracker.preamble(source_stem(source), preamble_line + 1))
    for heading in headings:
        title = heading.content if heading.html_end else flatten_inline(heading.content, env)
        topics.append(tracker.heading(title, heading.level, heading.line + 1))
    return topics


# The beginning of a list parsed for a preview is at most this long (a list whose first
# topic is longer waits for the full parse).
PREVIEW_MAX_CHARS = 128 * 1024


def preview_catalog(text: str, source: str) -> Catalog | None:
    """The list's beginning up to its second topic, parsed: the first topic with its items
    (the same ids as the full parse), shown while the full parse runs. None when the first
    topic is long or later reference definitions could change its links."""
    text = markdown_source(text)
    end = preview_end(text)
    return None if end is None else parse_one_piece(text[:end], source)


def preview_end(text: str) -> int | None:
    """Where ``preview_catalog``'s piece of ``text`` (``markdown_source``'d) ends, or None
    when it gives no preview."""
    references: dict[str, dict[str, str]] = {}
    headings = iter(list(scan_headings(text, references)))  # all: the references too
    first = next(headings, None)
    if first is None or references:
        return None
    # Content before the first heading is the preamble topic, shown first.
    preamble_line = _first_content_line(text, _preamble_end(first), {})
    if preamble_line is not None and preamble_line >= first.line:
        return None  # the preamble's content shares the heading's HTML block
    end_heading = first if preamble_line is not None else next(
        (heading for heading in headings if heading.line > first.line), None)
    if end_heading is None:
        return None
    end = sum(len(line) + 1 for line in text.split("\n", end_heading.line)[: end_heading.line])
    return None if end > PREVIEW_MAX_CHARS else end


def _preamble_end(first: Heading) -> int:
    """The line before which the preamble's content may be: an HTML heading's block may
    hold some before the heading (a logo over the title)."""
    return first.html_end or first.line


# Lines of preamble parsed to find its first content (a list may have no heading at all).
PREAMBLE_PROBE_LINES = 400


def _first_content_line(
    text: str, before: int, references: dict[str, dict[str, str]]
) -> int | None:
    """The first line before the first heading that makes the parser create a topic.

    The preamble's start is parsed for real, so "is there content" agrees exactly; only
    if its first lines hold none is the rest of it parsed too.
    """
    if before == 0:
        return None
    lines = text.split("\n", before)[:before]
    # Definitions made anywhere in the list can turn preamble text into links. They go
    # first (after the preamble they could land in an unclosed fence), a blank line each.
    definitions = "".join(f"[{label}]: <{ref['href']}>\n\n" for label, ref in references.items()
                          if "<" not in ref["href"] and ">" not in ref["href"])
    shift = definitions.count("\n")
    for probe in (min(before, PREAMBLE_PROBE_LINES), before):
        head = "\n".join(lines[:probe])
        if head.strip():
            catalog = parse_one_piece(definitions + head, "preamble")
            if catalog.topics and catalog.topics[0].level == 0:
                return catalog.topics[0].line - 1 - shift
        if probe == before:
            break
    return None
