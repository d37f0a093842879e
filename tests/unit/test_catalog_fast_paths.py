"""The parser's shortcuts give exactly what markdown-it gives without them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLinkText

from dlreader.catalog.inline import _link_text, block_parser, markdown

LISTS = Path(__file__).resolve().parents[3] / "shared" / "lists"
SEED = Path(__file__).resolve().parents[2] / "data" / "science-of-deep-learning.md"
TEXTS = [SEED, *sorted(LISTS.glob("*.md"))] if LISTS.is_dir() else [SEED]

URL_PARTS = st.sampled_from(["http://", "https://", "HTTP://", "www.", "xn--", "XN--", "%",
                             "%41", "%e2%82%ac", "é", "€", "/", "?", "#", ":", "@", "[", "]",
                             "a", "B", ".", "-", " ", "\t", "\\", "\u00a0", "org"])


@settings(max_examples=800, deadline=None)
@given(st.one_of(st.lists(URL_PARTS, max_size=12).map("".join),
                 st.tuples(st.sampled_from(["http://", "https://", "HTTP://"]),
                           st.lists(URL_PARTS, max_size=10).map("".join)).map("".join)))
def test_a_linkified_urls_text_is_markdown_its(url: str) -> None:
    assert _link_text(url) == normalizeLinkText(url)


def tokens(text: str, md) -> list[tuple]:
    def shape(token) -> tuple:
        children = tuple(shape(child) for child in token.children or ())
        return (token.type, token.tag, token.map, token.content, token.markup, token.info,
                tuple(sorted(token.attrs.items())), children)

    return [shape(token) for token in md.parse(text, {})]


@pytest.mark.parametrize("path", TEXTS, ids=lambda path: path.stem)
def test_each_list_parses_the_same_with_the_rules_it_cannot_use_left_out(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # The list as it is, and made to need neither rule (so both are left out).
    no_underline = re.sub(r"^([ \t>]*)([-=]+)([ \t]*)$", r"\1\2 x\3", text, flags=re.M)
    for sample in (text, no_underline.replace("]:", "] :")):
        assert tokens(sample, block_parser(sample)) == tokens(sample, markdown())
    assert block_parser(no_underline.replace("]:", "] :")) is markdown(False, False)


@pytest.mark.parametrize("text", ["para\n===\n", "- a\n  ---\n", "> a\n> ---\n",
                                  "> - a\n>   ===\n", "a\n -\t\n", "a\n=\n"])
def test_an_underline_keeps_the_setext_rule(text: str) -> None:
    assert block_parser(text) is markdown(references=False, underlines=True)
    assert tokens(text, block_parser(text)) == tokens(text, markdown())
    assert "heading_open" in [token[0] for token in tokens(text, markdown())]


def test_a_definition_keeps_the_reference_rule() -> None:
    text = "- [a][r]\n\n[r]: https://r.org/\n"
    assert block_parser(text) is markdown(references=True, underlines=False)
    inline = next(t for t in block_parser(text).parse(text, {}) if t.type == "inline")
    assert [c.attrs.get("href") for c in inline.children or () if c.type == "link_open"] == [
        "https://r.org/"]


# -- fast_markdown: the same tokens as markdown-it's own rules --------------------------


def full_tokens(text: str, md) -> list[tuple]:
    """Every field of every token (nesting, level, block, hidden, meta included)."""
    def shape(token) -> tuple:
        children = tuple(shape(child) for child in token.children or ())
        return (token.type, token.tag, token.nesting, token.map, token.level, token.content,
                token.markup, token.info, token.block, token.hidden,
                tuple(sorted(token.attrs.items())), repr(token.meta), children)

    return [shape(token) for token in md.parse(text, {})]


def test_the_shortcuts_are_installed() -> None:
    md, stock = markdown(), markdown(fast=False)
    assert md is not stock
    assert "tokenize" in vars(md.inline) and "tokenize" not in vars(stock.inline)
    assert md.helpers.parseLinkDestination is not stock.helpers.parseLinkDestination
    assert md.block.ruler.getRules("")[0] is not stock.block.ruler.getRules("")[0]


@pytest.mark.parametrize("path", TEXTS, ids=lambda path: path.stem)
def test_each_list_gives_markdown_its_tokens_with_the_shortcuts(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for references, underlines in ((True, True), (False, False)):
        assert full_tokens(text, markdown(references, underlines)) == full_tokens(
            text, markdown(references, underlines, fast=False))


MARKDOWN_BITS = st.sampled_from([
    "[", "]", "(", ")", "![", "<", ">", "&", "&amp;", "&#x41;", "\\", "`", "``", "*", "**", "_",
    "~", ":", "://", "http://a.org/x", "https://b.org/(y)", "www.c.com", "<https://d.org>",
    "<a href='x'>", "</a>", "<br>", "<!-- c -->", "[t](u)", "[t]: https://r.org/", "[t][r]",
    "](", "\n", "\n\n", "  \n", "\t", " ", "    ", "- ", "* ", "+ ", "1. ", "2) ", "> ", "# ",
    "### ", "```", "~~~", "---", "***", "___", "===", "| a | b |", "|---|---|", "|:-|-:|",
    "-:", "$x$", "$$", "%20", "#", "=", "@", "a", "Z", "é", "名", "\u00a0", "x.org", ".",
])


@settings(max_examples=600, deadline=None)
@given(st.lists(MARKDOWN_BITS, max_size=40).map("".join))
def test_random_markdown_gives_markdown_its_tokens_with_the_shortcuts(text: str) -> None:
    for references, underlines in ((True, True), (False, False)):
        assert full_tokens(text, markdown(references, underlines)) == full_tokens(
            text, markdown(references, underlines, fast=False))


DESTINATION_BITS = st.sampled_from(list("ab(/)\\ <>\n\t\x01\x7f\x80é%?#") + ["https://x.org/"])


@settings(max_examples=800, deadline=None)
@given(st.lists(DESTINATION_BITS, max_size=40).map("".join), st.integers(0, 3),
       st.integers(0, 3))
def test_a_link_destination_is_read_as_markdown_it_reads_it(
        text: str, start: int, cut: int) -> None:
    from markdown_it.helpers import parseLinkDestination

    from dlreader.catalog.fast_markdown import parse_link_destination

    pos, maximum = min(start, len(text)), max(min(start, len(text)), len(text) - cut)
    if pos >= len(text):
        return  # markdown-it only asks at a character of the text
    ours, theirs = parse_link_destination(text, pos, maximum), parseLinkDestination(
        text, pos, maximum)
    assert (ours.ok, ours.pos, ours.str) == (theirs.ok, theirs.pos, theirs.str)


@pytest.mark.parametrize("text", ["(" * 32 + ")" * 32, "(" * 33 + ")" * 33, "a(b\\)c)d e",
                                  "<a b>", "x\\", "x\\ y", "(x", "a)b"])
def test_a_link_destination_at_its_edges_is_read_as_markdown_it_reads_it(text: str) -> None:
    from markdown_it.helpers import parseLinkDestination

    from dlreader.catalog.fast_markdown import parse_link_destination

    ours, theirs = parse_link_destination(text, 0, len(text)), parseLinkDestination(
        text, 0, len(text))
    assert (ours.ok, ours.pos, ours.str) == (theirs.ok, theirs.pos, theirs.str)
