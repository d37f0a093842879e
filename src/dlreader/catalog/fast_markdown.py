"""markdown-it made cheaper without changing a token: its rules asked only where they can
start, link destinations scanned by a regex.

Inline: markdown-it tries every inline rule, in order, at every character that stops its
text rule (``-``, ``#``, ``%``, ``=``, ``:`` ...): eleven calls that nearly all fail at
once. Each stock rule starts by checking the character it is at (``link`` a ``[``,
``entity`` a ``&``, ``emphasis`` a ``*`` or ``_``, ``linkify`` a ``:``), so the rules for a
character are known in advance, kept in markdown-it's order (the first that succeeds
wins, as before). The text rule stops only where a rule may start, and at ``]`` (where a
link label ends, which ``parseLinkLabel`` looks for between the tokens it skips).

Block: every block rule is tried at every line (and again at each next line of a
paragraph or list item, to see whether it ends there); most need one character first on
that line (``>``, ``#``, a fence's backtick or tilde, a list marker), a table one of
``|-:`` first on the next. A guard in front of each looks at that character and says no
where the rule would say no, without its logging and indentation checks.

Link destinations: markdown-it reads ``(https://...)`` one character and two calls at a
time (a tenth of the parse); a regex skips the characters that need no decision.

Installed only over markdown-it's own rules and helpers: with any other rule (a plugin)
in a chain, or an unknown tokenizer, that part of the parser is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace

from markdown_it import MarkdownIt
from markdown_it import helpers as stock_helpers
from markdown_it import rules_block as block
from markdown_it import rules_inline as stock
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers.parse_link_destination import _Result
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

InlineRule = Callable[[StateInline, bool], bool]
BlockRule = Callable[[StateBlock, int, int, bool], bool]

# The character each stock rule needs at the position it is asked at.
_STARTS: dict[InlineRule, str] = {
    stock.linkify: ":",
    stock.newline: "\n",
    stock.escape: "\\",
    stock.backtick: "`",
    stock.emphasis.tokenize: "*_",
    stock.strikethrough.tokenize: "~",
    stock.link: "[",
    stock.image: "!",
    stock.autolink: "<",
    stock.html_inline: "<",
    stock.entity: "&",
}


def _rules_by_char(rules: list[InlineRule]) -> dict[str, tuple[InlineRule, ...]] | None:
    """For each character, the rules that may start there, in the chain's order; None if a
    rule is not a stock one (its start is unknown) or the text rule is not first."""
    if not rules or rules[0] is not stock.text:
        return None
    by_char: dict[str, list[InlineRule]] = {}
    for rule in rules[1:]:
        starts = _STARTS.get(rule)
        if starts is None:
            return None
        for char in starts:
            by_char.setdefault(char, []).append(rule)
    return {char: tuple(found) for char, found in by_char.items()}


def install(md: MarkdownIt) -> None:
    """All of it, once ``md``'s rules are chosen (the dispatch is made from them)."""
    install_inline(md)
    guard_block_rules(md)
    if md.helpers is stock_helpers:
        md.helpers = SimpleNamespace(  # type: ignore[assignment]
            parseLinkDestination=parse_link_destination,
            parseLinkLabel=stock_helpers.parseLinkLabel,
            parseLinkTitle=stock_helpers.parseLinkTitle,
        )


def install_inline(md: MarkdownIt) -> bool:
    """Make ``md``'s inline tokenizer dispatch by character; False if left as it was."""
    inline = md.inline
    if type(inline) is not ParserInline or "tokenize" in vars(inline):
        return False
    by_char = _rules_by_char(list(inline.ruler.getRules("")))
    if by_char is None:
        return False
    stops = re.compile("[" + re.escape("".join(sorted({*by_char, "]"}))) + "]")
    search = stops.search
    max_nesting = md.options["maxNesting"]

    def text(state: StateInline, silent: bool) -> bool:
        """The stock text rule, stopping only where another rule may start."""
        start = state.pos
        found = search(state.src, start, state.posMax)
        end = found.start() if found else state.posMax
        if end == start:
            return False
        if not silent:
            state.append_pending(state.src[start:end])
        state.pos = end
        return True

    def tokenize(state: StateInline) -> None:
        end = state.posMax
        src = state.src
        while state.pos < end:
            pos = state.pos
            ok = False
            if state.level < max_nesting:
                if text(state, False):
                    ok = True
                else:
                    for rule in by_char.get(src[pos], ()):
                        if rule(state, False):
                            if state.pos <= pos:
                                raise RuntimeError("inline rule didn't increment state.pos")
                            ok = True
                            break
            if ok:
                if state.pos >= end:
                    break
                continue
            state.append_pending(src[state.pos])
            state.pos += 1
        if state.pending:
            state.pushPending()

    def skip_token(state: StateInline) -> None:
        pos = state.pos
        cache = state.cache
        if pos in cache:
            state.pos = cache[pos]
            return
        ok = False
        if state.level < max_nesting:
            state.level += 1  # as the stock one: nesting counts while skipping
            try:
                if text(state, True):
                    ok = True
                else:
                    for rule in by_char.get(state.src[pos], ()):
                        if rule(state, True):
                            if state.pos <= pos:
                                raise RuntimeError("inline rule didn't increment state.pos")
                            ok = True
                            break
            finally:
                state.level -= 1
        else:
            state.pos = state.posMax
        if not ok:
            state.pos += 1
        cache[pos] = state.pos

    inline.tokenize = tokenize  # type: ignore[method-assign]
    inline.skipToken = skip_token  # type: ignore[method-assign]
    return True


# What a stock block rule needs first on its line (after the indentation) to say yes.
_BLOCK_STARTS: dict[BlockRule, tuple[str, ...]] = {
    block.fence: ("~", "`"),
    block.blockquote: (">",),
    block.hr: ("*", "-", "_"),
    block.list_block: ("*", "-", "+", *"0123456789"),
    block.reference: ("[",),
    block.html_block: ("<",),
    block.heading: ("#",),
}
_TABLE_DELIMITER_STARTS = ("|", "-", ":")


def _guarded(rule: BlockRule, starts: tuple[str, ...]) -> BlockRule:
    def guarded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        position = state.bMarks[start_line] + state.tShift[start_line]
        if state.src[position : position + 1] not in starts:
            return False  # the rule's own answer for this first character
        return rule(state, start_line, end_line, silent)

    return guarded


def _guarded_table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    # A table needs its delimiter row next: a line starting with one of "|-:".
    if start_line + 2 > end_line:
        return False
    position = state.bMarks[start_line + 1] + state.tShift[start_line + 1]
    if position >= state.eMarks[start_line + 1] \
            or state.src[position] not in _TABLE_DELIMITER_STARTS:
        return False
    return block.table(state, start_line, end_line, silent)


def guard_block_rules(md: MarkdownIt) -> int:
    """Put a guard in front of each stock block rule that needs a first character; how
    many were guarded (rules already replaced by another are left alone)."""
    ruler = md.block.ruler
    guarded = 0
    for rule in list(ruler.__rules__):
        if rule.fn is block.table:
            guard: BlockRule = _guarded_table
        elif rule.fn in _BLOCK_STARTS:
            guard = _guarded(rule.fn, _BLOCK_STARTS[rule.fn])
        else:
            continue
        ruler.at(rule.name, guard, {"alt": list(rule.alt)})
        guarded += 1
    return guarded


# Characters of a destination that need no decision: not a space, a control, "\\", "(", ")".
_PLAIN_DESTINATION = re.compile(r"[^\x00-\x20\x7f\\()]+")


def parse_link_destination(string: str, pos: int, maximum: int) -> _Result:
    """markdown-it's ``parseLinkDestination``, the same result; ``<...>`` is left to it."""
    if string[pos : pos + 1] == "<":
        return stock_helpers.parseLinkDestination(string, pos, maximum)
    start = pos
    result = _Result()
    level = 0
    match = _PLAIN_DESTINATION.match
    while pos < maximum:
        plain = match(string, pos, maximum)
        if plain is not None:
            pos = plain.end()
            if pos >= maximum:
                break
        char = string[pos]
        if char == "\\" and pos + 1 < maximum:
            if string[pos + 1] == " ":
                break
            pos += 2
            continue
        if char == "(":
            level += 1
            if level > 32:
                return result
        elif char == ")":
            if level == 0:
                break
            level -= 1
        elif char != "\\":  # a space or a control ends it ("\\" last is a character)
            break
        pos += 1
    if start == pos or level != 0:
        return result
    result.str = unescapeAll(string[start:pos])
    result.pos = pos
    result.ok = True
    return result
