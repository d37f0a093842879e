"""markdown-it's block rules, each asked of one line: what a line opens or ends.

The outline's line scanner (``blocks.LineScanner``) is built from these. A line comes
as (indent in columns, text without indentation), as ``expand`` gives it; indents are
relative to the container the line is in.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import normalizeReference
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from msgspec import Struct

ATX = re.compile(r"#{1,6}(?=[ \t]|$)")
FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
HR = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")
SETEXT = re.compile(r"(=+|-+)[ \t]*$")
BULLET = re.compile(r"([-+*])([ \t]|$)")
ORDERED = re.compile(r"(\d{1,9})([.)])([ \t]|$)")
# (A label holds no unescaped bracket: "[[]: x" is text to markdown-it.)
REFERENCE_LINE = re.compile(
    r"\[((?:[^\[\]\\]|\\.)+)\]:[ \t]*(<[^>\n]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$"
)


# A line whose first character is none of these is paragraph text, whatever follows.
BLOCK_CHARS = frozenset("#>`~-*_+<= \t0123456789")


# The commonest line of a reading list: an unindented list item starting with text.
PLAIN_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)]) {1,4}(?=[^\s#>`~\-*_+<0-9])")


def expand(line: str) -> tuple[int, str]:
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


class Fence(Struct):
    char: str
    length: int

    def closes(self, indent: int, rest: str) -> bool:
        if indent > 3 or not rest.startswith(self.char * self.length):
            return False
        return rest.rstrip(" \t").strip(self.char) == ""


def fence_open(indent: int, rest: str) -> Fence | None:
    if indent > 3:
        return None
    match = FENCE.match(rest)
    if not match:
        return None
    marker = match.group(1)
    if marker[0] == "`" and "`" in match.group(2):
        return None
    return Fence(marker[0], len(marker))


def html_open(indent: int, rest: str, *, interrupting: bool) -> re.Pattern[str] | None:
    """The end pattern of the HTML block this line starts, or None."""
    if indent > 3 or not rest.startswith("<"):
        return None
    for opener, closer, can_interrupt in HTML_SEQUENCES:
        if opener.search(rest):
            if interrupting and not can_interrupt:
                return None
            return closer
    return None


def list_marker(indent: int, rest: str) -> tuple[int, bool, bool] | None:
    """(content indent, empty item, ordered-not-1) for a list item line, else None."""
    if indent > 3:
        return None
    match = BULLET.match(rest)
    ordered_not_one = False
    if match:
        marker_end = indent + 1
    else:
        match = ORDERED.match(rest)
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


def interrupts_paragraph(indent: int, rest: str, *, any_list: bool = False) -> bool:
    """Does this line end a paragraph (and so cannot be a lazy continuation)?

    ``any_list``: in a block quote's or table's check (markdown-it's "blockquote"
    terminators) even an empty or not-1 ordered list item interrupts.
    """
    if indent > 3 or not rest:
        return not rest
    if ATX.match(rest) or HR.match(rest) or rest.startswith(">"):
        return True
    if fence_open(indent, rest) or html_open(indent, rest, interrupting=True):
        return True
    marker = list_marker(indent, rest)
    return marker is not None and (any_list or (not marker[1] and not marker[2]))


def atx_content(rest: str) -> str:
    text = rest.lstrip("#").strip(" \t")
    # A closing sequence of #s must be preceded by a space (or be all there is).
    stripped = text.rstrip("#")
    if stripped != text and (not stripped or stripped[-1] in " \t"):
        text = stripped.rstrip(" \t")
    return text


def add_reference(references: dict[str, dict[str, str]], rest: str) -> bool:
    """Record ``[label]: url`` if ``rest`` is one; first definition wins, as in markdown-it."""
    if not rest.startswith("["):
        return False
    match = REFERENCE_LINE.match(rest)
    if not match:
        return False
    label = normalizeReference(match.group(1))
    if label and label not in references:
        references[label] = {"href": match.group(2).strip("<>"), "title": ""}
    return True


def quote_inner(indent: int, rest: str) -> tuple[int, str]:
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


def after_marker(rest: str) -> str:
    match = BULLET.match(rest) or ORDERED.match(rest)
    return rest[match.end(0):] if match else rest


def item_first_line_is_text(rest: str) -> bool:
    content = after_marker(rest)
    indent, inner = expand(content)
    return container_line(inner, indent, True, False, None)


def track_inner(
    block: Fence | re.Pattern[str] | None, indent: int, rest: str, para: bool
) -> Fence | re.Pattern[str] | None:
    """The fence or HTML block open inside a container after this line of it."""
    if block is None and rest[:1] not in ("`", "~", "<"):
        return None
    if isinstance(block, Fence):
        return None if block.closes(indent, rest) else block
    if block is not None:
        if block.pattern == "^$":
            return block  # ended by a blank line, which the caller sees
        return None if block.search(rest) else block
    fence = fence_open(indent, rest)
    if fence is not None:
        return fence
    end = html_open(indent, rest, interrupting=para)
    if end is not None and (end.pattern == "^$" or not end.search(rest)):
        return end
    return None


def container_line(rest: str, indent: int, after_blank: bool, para: bool,
                    fence: Fence | re.Pattern[str] | None) -> bool:
    """After this line inside a container, is a paragraph open (so lazy lines continue it)?"""
    while True:  # a loop, not recursion: a line may open a thousand nested quotes
        if fence is None and indent < 4 and rest and rest[0] not in BLOCK_CHARS:
            return True
        if fence is not None or not rest.strip():
            return False
        if para and not after_blank and indent < 4 and SETEXT.match(rest):
            return False  # the underline makes the paragraph a heading, now closed
        if indent >= 4:
            return para and not after_blank  # indented code, or a paragraph's continuation
        if ATX.match(rest) or HR.match(rest) or fence_open(indent, rest):
            return False
        if html_open(indent, rest, interrupting=para):
            return False
        if rest.startswith(">"):  # a nested quote: what is open is what its content opens
            indent, rest = quote_inner(indent, rest)
            after_blank = False
            continue
        marker = list_marker(indent, rest)
        if marker is not None:  # what is open is what the item's first line opens
            if marker[1]:
                return False
            indent, rest = expand(after_marker(rest))
            after_blank, para, fence = True, False, None
            continue
        return True


def drop_reference_lines(paragraph: list[str]) -> list[str]:
    lines = list(paragraph)
    while lines:
        indent, rest = expand(lines[0])
        if indent > 3 or not REFERENCE_LINE.match(rest):
            break
        lines.pop(0)
    return lines


def nested_item_indent(current: int, indent: int, rest: str, para: bool) -> int:
    """The content indent of the innermost list item open in a container after this line
    of it (0: none); ``para``: a paragraph was open before the line."""
    marker = list_marker(indent, rest) if indent < 4 else None
    if marker is not None and not HR.match(rest) and not (para and (marker[1] or marker[2])):
        return marker[0]
    return 0 if indent < current and not para else current


def lazy_underline(para: bool, fence: object, item_indent: int, indent: int,
                   rest: str) -> bool:
    """A "===" short of a nested list item's indent continues the item's paragraph
    (markdown-it looks for an underline only at the item's indent)."""
    return para and fence is None and indent < item_indent and bool(SETEXT.match(rest))
