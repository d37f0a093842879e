"""GFM tables as markdown-it finds them, for the outline's line scanner.

markdown-it tries its table rule before every other block rule, at a block's start and
as a paragraph's terminator: a header line over a delimiter row with as many columns is
a table, whatever the header line starts with (``# a | b`` included).
"""

from __future__ import annotations

import re

from markdown_it.common.utils import mdTrim

from dlreader.catalog.blockrules import (
    after_marker,
    expand,
    interrupts_paragraph,
    quote_inner,
)

TABLE_DELIMITER = re.compile(r"[-:|][-:| \t]*$")
TABLE_CELL = re.compile(r"^:?-+:?$")


def is_table_start(header: str, delimiter: str) -> bool:
    """markdown-it's table test on a header line and the line after it."""
    return is_table_rows(*expand(header), *expand(delimiter))


def is_table_rows(h_indent: int, h_rest: str, d_indent: int, d_rest: str) -> bool:
    """The table test on two lines given as (indent, text) relative to their container."""
    if d_indent > 3 or h_indent > 3 or len(d_rest) < 2:
        return False
    if not TABLE_DELIMITER.match(d_rest):
        return False
    if d_rest[0] == "-" and d_rest[1] in " \t":
        return False
    columns = d_rest.split("|")
    aligns = 0
    for index, column in enumerate(columns):
        cell = mdTrim(column)
        if not cell:
            if index in (0, len(columns) - 1):
                continue
            return False
        if not TABLE_CELL.match(cell):
            return False
        aligns += 1
    text = mdTrim(h_rest)
    if "|" not in text:
        return False
    cells = re.split(r"(?<!\\)\|", text)
    if cells and cells[0].strip() == "" and text.startswith("|"):
        cells.pop(0)
    if cells and text.endswith("|") and not text.endswith("\\|"):
        cells.pop()
    return len(cells) != 0 and len(cells) == aligns


def opens_table(lines: list[str], number: int) -> bool:
    """Is line ``number`` (at the top level) a table's header row?"""
    return ("|" in lines[number] and number + 1 < len(lines)
            and is_table_start(lines[number], lines[number + 1]))


def opens_inner_table(indent: int, rest: str, following: tuple[int, str] | None) -> bool:
    """Is this container line (relative indent, text) a table's header row, given the next
    line's content in the same container (None: the next line is outside it)?"""
    return "|" in rest and following is not None and is_table_rows(indent, rest, *following)


def in_item(lines: list[str], number: int, item_indent: int) -> tuple[int, str] | None:
    """Line ``number`` as content of a list item indented ``item_indent``, or None."""
    if number >= len(lines):
        return None
    indent, rest = expand(lines[number])
    return (indent - item_indent, rest) if indent >= item_indent else None


def in_quote(lines: list[str], number: int) -> tuple[int, str] | None:
    """Line ``number`` as content of a block quote (after its ``>``), or None."""
    if number >= len(lines):
        return None
    indent, rest = expand(lines[number])
    return quote_inner(indent, rest) if indent <= 3 and rest.startswith(">") else None


def inner_table_line(in_table: bool, indent: int, rest: str,
                      following: tuple[int, str] | None) -> str | None:
    """Is this container line a table's: "row" of the open one, a new table's "header"?"""
    if in_table and indent < 4 and not interrupts_paragraph(indent, rest, any_list=True):
        return "row"
    return "header" if opens_inner_table(indent, rest, following) else None


def item_opens_table(rest: str, lines: list[str], number: int, item_indent: int) -> bool:
    """Does a list item's first line (``rest``: from its marker) start a table in it?"""
    first_indent, first_rest = expand(after_marker(rest))
    if first_indent > 4:
        return False  # the item starts with indented code
    return opens_inner_table(0, first_rest, in_item(lines, number + 1, item_indent))
