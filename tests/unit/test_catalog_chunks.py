"""Where a big list is cut into chunks: only where the whole parse has a top-level heading."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlreader.catalog.chunks import split_chunks, unindented_headings
from dlreader.catalog.inline import markdown

LISTS = Path(__file__).resolve().parents[3] / "shared" / "lists"
SEED = Path(__file__).resolve().parents[2] / "data" / "science-of-deep-learning.md"
TEXTS = [SEED, *sorted(LISTS.glob("*.md"))] if LISTS.is_dir() else [SEED]


def markdown_its_unindented_headings(text: str) -> list[int]:
    """The lines of the whole parse's top-level ATX headings that start at column 0."""
    lines = text.split("\n")
    return [token.map[0] for token in markdown().parse(text, {})
            if token.type == "heading_open" and token.level == 0 and token.map
            and token.markup.startswith("#") and lines[token.map[0]].startswith("#")]


@pytest.mark.parametrize("path", TEXTS, ids=lambda path: path.stem)
def test_each_lists_unindented_headings_are_markdown_its(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = unindented_headings(text.split("\n"))
    if path == SEED:
        assert found is not None  # the seed needs no full scan
    if found is not None:
        assert found == markdown_its_unindented_headings(text)


def test_the_seeds_chunks_are_the_full_scans() -> None:
    from dlreader.catalog.blocks import LineScanner

    text = "\n\n".join([SEED.read_text(encoding="utf-8")] * 4)
    starts = [heading.line for heading in LineScanner(text, {}).scan() if heading.atx]
    assert unindented_headings(text.split("\n")) == starts
    assert len(split_chunks(text)) > 2


LINES = st.sampled_from([
    "# H1", "## H2", "#no", "###### H6", "text", "", "   ", "- item", "* item", "1. item",
    "  - nested", "   text", "    code", "\tcode", "> q", "> # quoted", "> ```", "```",
    "```py", "``` a`b", "~~~", "~~~~", "   ```", "  ~~~", "    ```", "<div>", "</div>",
    "  <div>", "<img src='x'>", "<span>", "<!-- c", "-->", "<!-- c -->", "<script>",
    "</script>", "<?x", "?>", "<![CDATA[", "]]>", "<!X", "<pre>", "<3", "| a | b |",
    "|---|---|", "---", "***", "===", "- ```", "- <div>", "1. <img src='x'>", "[r]: https://r",
])


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, max_size=30))
def test_random_unindented_headings_are_markdown_its(lines: list[str]) -> None:
    found = unindented_headings(lines)
    if found is not None:
        assert found == markdown_its_unindented_headings("\n".join(lines))
