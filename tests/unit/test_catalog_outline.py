"""The fast outline scan must give exactly the full parse's topics."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dlreader.catalog.outline import scan_outline
from dlreader.catalog.parser import parse_catalog

LISTS = Path(__file__).resolve().parents[3] / "shared" / "lists"


def shape(topics) -> list[tuple]:
    return [(t.id, t.title, t.level, t.parent, t.line, t.children) for t in topics]


def heading_topics(topics, outline) -> list:
    """The parse's topics that are headings (not group labels, which only the full parse
    sees), with children the same way."""
    from msgspec.structs import replace

    ids = {t.id for t in outline}
    return [replace(t, children=[c for c in t.children if c in ids]) for t in topics
            if t.id in ids]


def assert_same_topics(text: str, source: str = "list.md") -> None:
    outline = scan_outline(text, source)
    assert all(not t.items and not t.passages for t in outline)
    parsed = parse_catalog(text, source).topics
    assert shape(outline) == shape(heading_topics(parsed, outline))
    labels = [t for t in parsed if t.id not in {o.id for o in outline}]
    assert all(t.parent is not None for t in labels)  # only group labels are extra


def test_seed(seed_path: Path) -> None:
    assert_same_topics(seed_path.read_text(encoding="utf-8"), str(seed_path))


def test_long_preamble_beyond_the_probe() -> None:
    assert_same_topics("<div>\n" * 500 + "\n" + "text\n" + "# H\n")
    assert_same_topics("---\n\n" * 300 + "text\n" + "# H\n")


def test_awesome_python(awesome_path: Path) -> None:
    assert_same_topics(awesome_path.read_text(encoding="utf-8"), str(awesome_path))


@pytest.mark.parametrize(
    "text",
    [
        "Title\n=====\n\nSub\n---\n",
        "multi\nline\n===\n",
        "- item\n---\n",
        "> quote\n---\n",
        "> quote\n===\n",
        "- item\n# heading\n",
        "- item\n\n  # inside item\n",
        "```\n# no\n```\n# yes\n",
        "~~~~\n```\n# no\n~~~~\n",
        "<!--\n# no\n-->\n# yes\n",
        "<div>\n# no\n\n# yes\n",
        "    # code\n",
        "para\n    # continuation\n",
        "| a | b |\n|---|---|\n| c | d |\nrow\n===\n",
        "a | b\n---\n",
        "[ref]: https://r.org/\nTitle\n===\n",
        "# [linked][ref] title\n\n[ref]: https://r.org/\n",
        "# closed ##\n#not heading\n#\n",
        "intro\n\n# A\n## B\n### C\n## D\n# A\n",
        "1. one\n2. two\n\n   # in item\n# out\n",
        "* a\n\n  ```\n  # in fence\n  ```\n# out\n",
        "> ```\n# out\n",
        "para\n<div>\n# x\n",
        "---\n",
        "\t# tabbed heading\n",
        "## $\\sigma$ math ##\n",
        "[r]: https://r.org\n<img src='a'>\n# H1\n",
        "# [x][r]\nSetext\n[r]: https://r.org\n",
        "> <div>\n> $$a^{b}$$\nSetext\n===\n",
        "-\n\n  # H1\n",
        "> Setext\n> \t# tab\n[r]: https://r.org\n# [x][r]\n",
        "-\t 1\n  # H1\n",
        "> > # quoted heading\nSetext\n===\n",
        "> Setext\n-\n  # H1\n",
        "| a | b |\n|---|---|\n-\n  # H1\n",
        "> [r]: https://r.org\nSetext\n===\n",
        "- item\n  ===\nSetext\n  # H1\n",
        "  1. item\n\t# tab\nSetext\n===\n",
        "\n\n---\n\n- no headings at all\n",
        "> # H1\n> # [x][r]\n# H1\n[r]: https://r.org\n",
        "[r]: https://r.org\n```\n",
        "```\n# H1\n[r]: https://r.org\n",
        "<div>\n</div>\n\n[r]: https://r.org\n\n# only the heading has a topic\n",
        "# |1\n|---|---|\n",  # markdown-it tries tables first: a header row, no heading
        "para\n# a | b\n|---|---|\n",
        "- a|b\n  |-|-|\n  # x\n",  # a table too (its delimiter row is within 3 spaces)
        "> a | b\n|--|--|\n",
        "a|\n---\n1\n===\n",  # the delimiter row is no rule, "===" a row
        "<div>\n<![\n# H1\n",  # (html.parser raised AssertionError on "<![")
        "> - item\n> ===\n$$a^{b}$$\n===\n",  # short of the item's indent: no underline
        "> a|b\n> |-|-|\nc|d\n===\n",  # a table in a quote takes no lazy line
        "- x\n- a|b\n  |-|-|\nlazy\n===\n",
        "- x\na|b\n  |-|-|\n  # h\n",
    ],
)
def test_tricky_block_structure(text: str) -> None:
    assert_same_topics(text)


LINES = st.sampled_from([
    "# H1", "## H2 `code` [l](https://x.org)", "### H3", "#### H4", "Setext", "===", "---",
    "text", "more text", "- item", "* item", "1. item", "  - nested", "    indented", "> q",
    "> # quoted heading", "```", "~~~", "<div>", "</div>", "<!--", "-->", "<img src='a'>",
    "| a | b |", "|---|---|", "***", "", "", "", "[r]: https://r.org", "# [x][r]",
    "  # two-space heading", "\t# tab", "$$a^{b}$$", "##", "#hashtag",
])


# HTML headings (unindented: top level; the strategy below puts them in items and quotes).
HTML_LINES = st.sampled_from([
    "<h2>HTML heading</h2>", '<h1 align="center">A <a href="https://a.org">list</a></h1>',
    "<p><img src='logo.png'></p><h3>Three</h3>", "<details><summary><h4>S</h4></summary>",
    "<H5>upper</H5>", "<h6>", "</h6>",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(LINES, LINES.map(lambda line: "  " + line),
                          LINES.map(lambda line: "> " + line), HTML_LINES,
                          HTML_LINES.map(lambda line: "  " + line),
                          HTML_LINES.map(lambda line: "> " + line),
                          HTML_LINES.map(lambda line: "- " + line),
                          st.text(alphabet="#>-*=` |[]:<!1.\tax", max_size=8)), max_size=30))
@example(["text", "- item", "===", ""])
@example(["# |1", "|---|---|", ""])  # a table header, not a heading (markdown-it: table first)
@example(["[[]:1"])  # no definition: a label holds no unescaped bracket (preamble text)
def test_random_markdown_outline_equals_parse(lines: list[str]) -> None:
    assert_same_topics("\n".join(lines))


@pytest.mark.parametrize(
    "text",
    [
        '<h1 align="center">Awesome X</h1>\n\n## Tools\n\n- [a](https://a.org/)\n',
        '<p align="center">\n  <img src="logo.png">\n</p>\n<h1>X</h1>\n\n## Y\n',
        "intro\n\n<h2>A</h2><h3>B <b>bold</b> :star:</h3>\n# C\n",
        "# A\n<div>\n<h2>inside a div</h2>\n\ntext\n<h3>one line</h3>\n## B\n",
        "<div>\n<h2>never closed\n",
    ],
)
def test_html_headings_are_in_the_outline(text: str) -> None:
    # Topics the tree shows first: no rebuild (and no moved cursor) when the parse arrives.
    assert_same_topics(text)
    assert len(scan_outline(text, "l.md")) == len(parse_catalog(text, "l.md").topics)


@pytest.mark.parametrize(
    "text",
    [
        "- item\n\n  <h2>in an item</h2>\n",
        "# A\n\n> <h3>in a quote</h3>\n> more\n\n## B\n",
        "- a\n  - b\n\n    <h2>in a nested item</h2>\n\n    text\n- c\n# C\n",
        "> - item\n>\n>   <div>\n>   <h4>item in a quote</h4>\n>   </div>\n",
        "- <h2>on the item's line</h2>\n- <h3>two</h3><h4>in one block</h4>\n",
        "1. x\n\n   <h2>never closed\n",
        "- a\n\n  ```\n  <h2>in code: none</h2>\n  ```\n",
    ],
)
def test_html_headings_in_a_container_are_in_the_outline(text: str) -> None:
    # The parse makes them topics; the tree shows them from the first paint too.
    assert_same_topics(text)
    assert len(scan_outline(text, "l.md")) == len(parse_catalog(text, "l.md").topics)


@pytest.mark.parametrize("path", [p for p in sorted(LISTS.glob("*.md")) if p.name != "README.md"]
                         if LISTS.is_dir() else [], ids=lambda path: path.stem)
def test_every_shared_list_outline_equals_parse(path: Path) -> None:
    assert_same_topics(path.read_text(encoding="utf-8"), str(path))


def test_the_preview_gives_the_first_topics_items_as_the_full_parse_does(seed_path: Path) -> None:
    from dlreader.catalog.outline import preview_catalog

    texts = [seed_path.read_text(encoding="utf-8"),
             "intro [p](https://p.org/)\n\n# A\n\n- [a](https://a.org/)\n",
             "# A\n\n- [a](https://a.org/)\n- [b](https://b.org/)\n\n## B\n\n- [c](https://c.org/)\n",
             '<h1>A <a href="https://h.org/">h</a></h1>\n\n- [a](https://a.org/)\n\n<h2>B</h2>\n']
    for text in texts:
        preview = preview_catalog(text, "l.md")
        assert preview is not None
        full = parse_catalog(text, "l.md")
        first = preview.topics[0]
        assert first.id == full.topics[0].id and first.items == full.topics[0].items
        # (A later listing may add a description or links: the full catalog brings them.)
        shown = [(i.id, i.url, i.title) for i in (preview.items[j] for j in first.items)]
        assert shown == [(i.id, i.url, i.title) for i in (full.items[j] for j in first.items)]
    # A definition further down could change the first topic's links: no preview.
    assert preview_catalog("# A\n\n- [a][r]\n\n## B\n\n[r]: https://r.org/\n", "l.md") is None
