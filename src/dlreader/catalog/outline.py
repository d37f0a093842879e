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

from markdown_it.common.utils import normalizeReference
from markdown_it.rules_block.html_block import HTML_SEQUENCES

from dlreader.catalog.headings import HeadingTracker, source_stem
from dlreader.catalog.inline import flatten_inline
from dlreader.catalog.model import Catalog, Topic
from dlreader.catalog.walker import parse_one_piece
from dlreader.textsafe import markdown_source

_ATX = re.compile(r"#{1,6}(?=[ \t]|$)")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_HR = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_BULLET = re.compile(r"([-+*])([ \t]|$)")
_ORDERED = re.compile(r"(\d{1,9})([.)])([ \t]|$)")
_TABLE_DELIMITER = re.compile(r"[-:|][-:| \t]*$")
_TABLE_CELL = re.compile(r"^:?-+:?$")
_REFERENCE_LINE = re.compile(
    r"\[((?:[^\]\\]|\\.)+)\]:[ \t]*(<[^>\n]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$"
)


# A line whose first character is none of these is paragraph text, whatever follows.
_BLOCK_CHARS = frozenset("#>`~-*_+<= \t0123456789")
# The commonest line of a reading list: an unindented list item starting with text.
_PLAIN_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)]) {1,4}(?=[^\s#>`~\-*_+<0-9])")


def _expand(line: str) -> tuple[int, str]:
    """(indent in columns, the line without its indentation), tabs at 4-column stops."""
    if line[:1] not in (" ", "\t"):
        return 0, line
    column = 0
    for index, char in enumerate(line):
        if char == " ":
            column += 1
        elif char == "\t":
            column += 4 - column % 4
        else:
            return column, line[index:]
    return column, ""


@dataclass(slots=True)
class _Fence:
    char: str
    length: int

    def closes(self, indent: int, rest: str) -> bool:
        if indent > 3 or not rest.startswith(self.char * self.length):
            return False
        return rest.rstrip(" \t").strip(self.char) == ""


def _fence_open(indent: int, rest: str) -> _Fence | None:
    if indent > 3:
        return None
    match = _FENCE.match(rest)
    if not match:
        return None
    marker = match.group(1)
    if marker[0] == "`" and "`" in match.group(2):
        return None
    return _Fence(marker[0], len(marker))


def _html_open(indent: int, rest: str, *, interrupting: bool) -> re.Pattern[str] | None:
    """The end pattern of the HTML block this line starts, or None."""
    if indent > 3 or not rest.startswith("<"):
        return None
    for opener, closer, can_interrupt in HTML_SEQUENCES:
        if opener.search(rest):
            if interrupting and not can_interrupt:
                return None
            return closer
    return None


def _list_marker(indent: int, rest: str) -> tuple[int, bool, bool] | None:
    """(content indent, empty item, ordered-not-1) for a list item line, else None."""
    if indent > 3:
        return None
    match = _BULLET.match(rest)
    ordered_not_one = False
    if match:
        marker_end = indent + 1
    else:
        match = _ORDERED.match(rest)
        if not match:
            return None
        marker_end = indent + len(match.group(1)) + 1
        ordered_not_one = int(match.group(1)) != 1
    after = rest[match.end(0) - len(match.group(match.lastindex or 0)) :]
    column = marker_end  # tabs after the marker stop at absolute 4-column positions
    index = 0
    while index < len(after) and after[index] in " \t":
        column = column + 1 if after[index] == " " else column + 4 - column % 4
        index += 1
    spaces, content = column - marker_end, after[index:]
    if not content:
        return marker_end + 1, True, ordered_not_one
    if spaces > 4:
        return marker_end + 1, False, ordered_not_one
    return marker_end + spaces, False, ordered_not_one


def _interrupts_paragraph(indent: int, rest: str, *, any_list: bool = False) -> bool:
    """Does this line end a paragraph (and so cannot be a lazy continuation)?

    ``any_list``: in a block quote's or table's check (markdown-it's "blockquote"
    terminators) even an empty or not-1 ordered list item interrupts.
    """
    if indent > 3 or not rest:
        return not rest
    if _ATX.match(rest) or _HR.match(rest) or rest.startswith(">"):
        return True
    if _fence_open(indent, rest) or _html_open(indent, rest, interrupting=True):
        return True
    marker = _list_marker(indent, rest)
    return marker is not None and (any_list or (not marker[1] and not marker[2]))


def _is_table_start(header: str, delimiter: str) -> bool:
    """markdown-it's table test on a header line and the line after it."""
    d_indent, d_rest = _expand(delimiter)
    h_indent, h_rest = _expand(header)
    if d_indent > 3 or h_indent > 3 or len(d_rest) < 2:
        return False
    if not _TABLE_DELIMITER.match(d_rest.rstrip()) and not _TABLE_DELIMITER.match(d_rest):
        return False
    if d_rest[0] == "-" and d_rest[1] in " \t":
        return False
    columns = d_rest.split("|")
    aligns = 0
    for index, column in enumerate(columns):
        cell = column.strip()
        if not cell:
            if index in (0, len(columns) - 1):
                continue
            return False
        if not _TABLE_CELL.match(cell):
            return False
        aligns += 1
    text = h_rest.strip()
    if "|" not in text:
        return False
    cells = re.split(r"(?<!\\)\|", text)
    if cells and cells[0].strip() == "" and text.startswith("|"):
        cells.pop(0)
    if cells and text.endswith("|") and not text.endswith("\\|"):
        cells.pop()
    return len(cells) != 0 and len(cells) == aligns


@dataclass(slots=True)
class Heading:
    """A top-level heading found by the scan: 0-based line index, level, raw inline text."""

    line: int
    level: int
    content: str
    atx: bool = True


def _atx_content(rest: str) -> str:
    text = rest.lstrip("#").strip(" \t")
    # A closing sequence of #s must be preceded by a space (or be all there is).
    stripped = text.rstrip("#")
    if stripped != text and (not stripped or stripped[-1] in " \t"):
        text = stripped.rstrip(" \t")
    return text


def scan_headings(
    text: str, references: dict[str, dict[str, str]] | None = None
) -> Iterator[Heading]:
    """Top-level ATX and setext headings, in order (lines 0-based).

    Reference definitions found where a paragraph could start go into ``references``.
    """
    refs: dict[str, dict[str, str]] = {} if references is None else references
    lines = text.split("\n")
    para_refs_only = True  # the open top-level paragraph holds only definitions so far
    fence: _Fence | None = None  # a top-level fenced code block is open
    html_end: re.Pattern[str] | None = None  # a top-level HTML block is open
    paragraph: list[str] = []  # lines of the open top-level paragraph
    table = False  # a top-level table is open (its rows swallow any text)
    container = ""  # "", "list" or "quote": the open top-level container
    item_indent = 0  # content indent of the open list item
    blank_before = False  # the previous line was blank
    inner_para = False  # the container's innermost block is a paragraph (lazy lines)
    empty_item = False  # the open list item has had no content yet
    inner_fence: _Fence | re.Pattern[str] | None = None  # fence/HTML open in container

    for number, line in enumerate(lines):
        # Fast path (most lines): a plain list item, in a list or starting one.
        if (fence is None and html_end is None
                and (container == "list" or (not container and not paragraph and not table))):
            plain = _PLAIN_ITEM.match(line)
            if plain is not None:
                container = "list"
                item_indent = plain.end()
                empty_item = False
                inner_para = True
                inner_fence = None
                blank_before = False
                if line[item_indent] == "[" and "]:" in line:
                    inner_para = not _add_reference(refs, line[item_indent:])
                continue

        indent, rest = _expand(line)
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
                continue
            if html_end.search(line):
                html_end = None
            continue

        # -- inside a container: does this line stay in it? --
        if container:
            if blank:
                if container == "quote":
                    container = ""
                    inner_fence = None
                blank_before = True
                inner_para = False
                if isinstance(inner_fence, re.Pattern) and inner_fence.pattern == "^$":
                    inner_fence = None  # an HTML block ends at a blank line
                if container == "list" and empty_item:
                    item_indent = 1 << 30  # an item starts with at most one blank line
                continue
            if container == "list":
                if indent >= item_indent:
                    empty_item = False
                    inner_indent, inner_rest = _expand(line)
                    was_para = inner_para
                    inner_para = _container_line(inner_rest, indent - item_indent, blank_before,
                                                 inner_para, inner_fence)
                    if (not was_para and inner_fence is None and indent - item_indent < 4
                            and _add_reference(refs, inner_rest)):
                        inner_para = False  # a definition is no paragraph
                    inner_fence = _track_inner(inner_fence, indent - item_indent, inner_rest,
                                               was_para and not blank_before)
                    blank_before = False
                    continue
                marker = _list_marker(indent, rest)
                if marker is not None and not _HR.match(rest):
                    item_indent = marker[0]
                    empty_item = marker[1]
                    inner_fence = None
                    content = rest[len(rest) - len(rest.lstrip()):]
                    inner_para = not marker[1] and _item_first_line_is_text(rest)
                    inner_fence = _track_inner(None, 0, _after_marker(content).lstrip(), False)
                    if inner_fence is not None:
                        inner_para = False
                    blank_before = False
                    continue
                # markdown-it measures the line against the item's indent, which it
                # is short of: so a tab-indented "# x" still interrupts here.
                if (not blank_before and inner_para and inner_fence is None
                        and not _interrupts_paragraph(0, rest)):
                    blank_before = False
                    continue  # a lazy continuation line
                container = ""
                inner_fence = None
            else:  # quote
                if indent <= 3 and rest.startswith(">"):
                    inner_indent, inner_rest = _quote_inner(indent, rest)
                    was_para = inner_para
                    inner_para = _container_line(inner_rest, inner_indent, False, inner_para,
                                                 inner_fence)
                    if (not was_para and inner_fence is None and inner_indent < 4
                            and _add_reference(refs, inner_rest)):
                        inner_para = False  # a definition is no paragraph
                    inner_fence = _track_inner(inner_fence, inner_indent, inner_rest, was_para)
                    blank_before = False
                    continue
                if (inner_para and inner_fence is None
                        and not _interrupts_paragraph(indent, rest, any_list=True)):
                    continue  # lazy continuation
                container = ""
                inner_fence = None

        # -- top level --
        if blank:
            paragraph = []
            table = False
            blank_before = True
            continue
        if table:
            if indent >= 4 or _interrupts_paragraph(indent, rest, any_list=True):
                table = False
            else:
                continue
        if paragraph and indent <= 3 and _SETEXT.match(rest):
            content_lines = _drop_reference_lines(paragraph)
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
        match = _ATX.match(rest)
        if match:
            paragraph = []
            blank_before = False
            yield Heading(number, len(match.group(0)), _atx_content(rest))
            continue
        opened = _fence_open(indent, rest)
        if opened is not None:
            paragraph = []
            fence = opened
            continue
        end = _html_open(indent, rest, interrupting=open_paragraph)
        if end is not None:
            paragraph = []
            # Types 1-5 end on the line holding their end marker (maybe this one);
            # types 6-7 at the next blank line.
            html_end = end if end.pattern == "^$" or not end.search(rest) else None
            continue
        if _HR.match(rest):
            paragraph = []
            blank_before = False
            continue
        if rest.startswith(">"):
            paragraph = []
            container = "quote"
            inner_indent, inner_rest = _quote_inner(indent, rest)
            is_reference = inner_indent < 4 and _add_reference(refs, inner_rest)
            inner_fence = _track_inner(None, inner_indent, inner_rest, False)
            inner_para = inner_fence is None and not is_reference and _container_line(
                inner_rest, inner_indent, True, False, None)
            blank_before = False
            continue
        marker = _list_marker(indent, rest)
        if marker is not None and not (open_paragraph and (marker[1] or marker[2])):
            paragraph = []
            container = "list"
            item_indent = marker[0]
            empty_item = marker[1]
            first_indent, first_rest = _expand(_after_marker(rest))
            is_reference = first_indent < 4 and _add_reference(refs, first_rest)
            inner_fence = _track_inner(None, 0, _after_marker(rest).lstrip(), False)
            inner_para = (inner_fence is None and not marker[1] and not is_reference
                          and _item_first_line_is_text(rest))
            blank_before = False
            continue
        if not paragraph and number + 1 < len(lines) and _is_table_start(line, lines[number + 1]):
            table = True
            blank_before = False
            continue
        if paragraph and number + 1 < len(lines) and _is_table_start(line, lines[number + 1]):
            paragraph = []
            table = True
            continue
        if not paragraph:
            para_refs_only = True
        if para_refs_only:
            para_refs_only = _add_reference(refs, rest)
        paragraph.append(line)
        blank_before = False


def _add_reference(references: dict[str, dict[str, str]], rest: str) -> bool:
    """Record ``[label]: url`` if ``rest`` is one; first definition wins, as in markdown-it."""
    if not rest.startswith("["):
        return False
    match = _REFERENCE_LINE.match(rest)
    if not match:
        return False
    label = normalizeReference(match.group(1))
    if label and label not in references:
        references[label] = {"href": match.group(2).strip("<>"), "title": ""}
    return True


def _quote_inner(indent: int, rest: str) -> tuple[int, str]:
    """Indent and text after a ``>`` at column ``indent``; one column of space is the marker's.

    Tabs count from the absolute column, so ``>\t`` leaves two columns of indent.
    """
    start = column = indent + 1
    index = 1
    while index < len(rest) and rest[index] in " \t":
        column = column + 1 if rest[index] == " " else column + 4 - column % 4
        index += 1
    width = column - start
    return (width - 1 if width else 0), rest[index:]


def _after_marker(rest: str) -> str:
    match = _BULLET.match(rest) or _ORDERED.match(rest)
    return rest[match.end(0):] if match else rest


def _item_first_line_is_text(rest: str) -> bool:
    content = _after_marker(rest)
    indent, inner = _expand(content)
    return _container_line(inner, indent, True, False, None)


def _track_inner(
    block: _Fence | re.Pattern[str] | None, indent: int, rest: str, para: bool
) -> _Fence | re.Pattern[str] | None:
    """The fence or HTML block open inside a container after this line of it."""
    if block is None and rest[:1] not in ("`", "~", "<"):
        return None
    if isinstance(block, _Fence):
        return None if block.closes(indent, rest) else block
    if block is not None:
        if block.pattern == "^$":
            return block  # ended by a blank line, which the caller sees
        return None if block.search(rest) else block
    fence = _fence_open(indent, rest)
    if fence is not None:
        return fence
    end = _html_open(indent, rest, interrupting=para)
    if end is not None and (end.pattern == "^$" or not end.search(rest)):
        return end
    return None


def _container_line(rest: str, indent: int, after_blank: bool, para: bool,
                    fence: _Fence | re.Pattern[str] | None) -> bool:
    """After this line inside a container, is a paragraph open (so lazy lines continue it)?"""
    while True:  # a loop, not recursion: a line may open a thousand nested quotes
        if fence is None and indent < 4 and rest and rest[0] not in _BLOCK_CHARS:
            return True
        if fence is not None or not rest.strip():
            return False
        if para and not after_blank and indent < 4 and _SETEXT.match(rest):
            return False  # the underline makes the paragraph a heading, now closed
        if indent >= 4:
            return para and not after_blank  # indented code, or a paragraph's continuation
        if _ATX.match(rest) or _HR.match(rest) or _fence_open(indent, rest):
            return False
        if _html_open(indent, rest, interrupting=para):
            return False
        if rest.startswith(">"):  # a nested quote: what is open is what its content opens
            indent, rest = _quote_inner(indent, rest)
            after_blank = False
            continue
        marker = _list_marker(indent, rest)
        if marker is not None:  # what is open is what the item's first line opens
            if marker[1]:
                return False
            indent, rest = _expand(_after_marker(rest))
            after_blank, para, fence = True, False, None
            continue
        return True


def _drop_reference_lines(paragraph: list[str]) -> list[str]:
    lines = list(paragraph)
    while lines:
        indent, rest = _expand(lines[0])
        if indent > 3 or not _REFERENCE_LINE.match(rest):
            break
        lines.pop(0)
    return lines


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
    first_heading = headings[0].line if headings else len(text.split("\n"))
    preamble_line = _first_content_line(text, first_heading, references)
    if preamble_line is not None:
        topics.append(tracker.preamble(source_stem(source), preamble_line + 1))
    for heading in headings:
        title = flatten_inline(heading.content, env)
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
    references: dict[str, dict[str, str]] = {}
    headings = iter(list(scan_headings(text, references)))  # all: the references too
    first = next(headings, None)
    if first is None or references:
        return None
    # Content before the first heading is the preamble topic, shown first.
    has_preamble = _first_content_line(text, first.line, {}) is not None
    end_heading = first if has_preamble else next(headings, None)
    if end_heading is None:
        return None
    end = sum(len(line) + 1 for line in text.split("\n", end_heading.line)[: end_heading.line])
    if end > PREVIEW_MAX_CHARS:
        return None
    return parse_one_piece(text[:end], source)


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
