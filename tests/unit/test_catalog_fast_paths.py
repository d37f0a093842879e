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
