"""A fast heading-only scan: the topic tree of a list without parsing all its markdown.

The app paints the tree from this before the full parse is done, so its topics must
be the ones ``parse_catalog`` makes (same ids, titles, levels, parents, lines). The line
scanner (``blocks.LineScanner``) finds the headings; heading text is flattened with the
parser's own function, so titles agree by construction. Also the preview: the first
topic parsed alone, with its items.
"""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

from dlreader.catalog.blocks import Heading, LineScanner
from dlreader.catalog.headings import HeadingTracker, without_empty_contents
from dlreader.catalog.inline import flatten_inline
from dlreader.catalog.model import Catalog, Topic, source_stem
from dlreader.catalog.walker import parse_one_piece
from dlreader.textsafe import markdown_source


def scan_headings(
    text: str, references: dict[str, dict[str, str]] | None = None
) -> Iterator[Heading]:
    """Top-level ATX and setext headings and HTML headings, in order (lines 0-based).

    Reference definitions found where a paragraph could start go into ``references``.
    """
    return iter(LineScanner(text, {} if references is None else references).scan())


class ListScan(Struct, frozen=True):
    """One pass of the line scanner over a list: what its outline and its preview are
    made from (``scan_list``; one scan serves both when both are wanted at once)."""

    text: str  # markdown_source'd
    headings: list[Heading]
    references: dict[str, dict[str, str]]


def scan_list(text: str) -> ListScan:
    text = markdown_source(text)
    references: dict[str, dict[str, str]] = {}
    return ListScan(text, list(scan_headings(text, references)), references)


def scan_outline(text: str, source: str) -> list[Topic]:
    """The topics ``parse_catalog`` would produce (items and passages empty)."""
    return outline_of(scan_list(text), source)


def outline_of(scan: ListScan, source: str) -> list[Topic]:
    """``scan_outline`` of the scanned list."""
    text, headings, references = scan.text, scan.headings, scan.references
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
    return without_empty_contents(topics)  # as the parse does: it finds no items in them


# The beginning of a list parsed for a preview is at most this long (a list whose first
# topic is longer waits for the full parse).
PREVIEW_MAX_CHARS = 128 * 1024


def preview_catalog(text: str, source: str) -> Catalog | None:
    """The list's beginning up to its second topic, parsed: the first topic with its items
    (the same ids as the full parse), shown while the full parse runs. None when the first
    topic is long or later reference definitions could change its links."""
    return preview_of(scan_list(text), source)


def preview_of(scan: ListScan, source: str) -> Catalog | None:
    """``preview_catalog`` of the scanned list."""
    end = _preview_end(scan)
    return None if end is None else parse_one_piece(scan.text[:end], source)


def _preview_end(scan: ListScan) -> int | None:
    """Where ``preview_catalog``'s piece of the list ends, or None when it gives none."""
    text = scan.text
    headings = iter(scan.headings)  # all of them: the references too
    first = next(headings, None)
    if first is None or scan.references:
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
