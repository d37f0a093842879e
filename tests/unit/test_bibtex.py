"""Exports with link facts, and BibTeX entries for read arXiv papers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlreader.bibtex import build_bibtex
from dlreader.catalog.parser import parse_catalog
from dlreader.cli import main
from dlreader.export import build_export
from dlreader.linkhealth.records import LinkBook, LinkRecord
from dlreader.store.records import ItemState

LIST = """\
# Papers

## Theory

- https://arxiv.org/abs/1905.13405
- [Neural tangents](https://arxiv.org/abs/1806.07572)
- https://arxiv.org/abs/2101.00001
- [A dead blog](https://blog.example/post)
- https://bare.example/page
"""

PAPER = LinkRecord(
    "https://arxiv.org/abs/1905.13405", "ok", "2026-11-30T12:00:00Z", code=200,
    title="The {Deep} Learning & 100% of $x_i$", authors=("Ada Lovelace", "Alan Turing"),
    year=2019, primary_class="cs.LG",
)
SAME_KEY = LinkRecord(
    "https://arxiv.org/abs/1806.07572", "ok", "2026-11-30T12:00:00Z", code=200,
    title="The deep end", authors=("Ada Lovelace",), year=2019,
)
DEAD = LinkRecord("https://blog.example/post", "dead", "2026-11-30T12:00:00Z", code=410,
                  first_seen="2026-02-01T00:00:00Z")
BARE = LinkRecord("https://bare.example/page", "ok", "2026-11-30T12:00:00Z", code=200,
                  title="A page's [real] title")


def catalog(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "papers.md"
    path.write_text(LIST, encoding="utf-8")
    return parse_catalog(LIST, str(path))


def state(cat, url: str, status: str = "read", note: str = "") -> tuple[str, ItemState]:  # type: ignore[no-untyped-def]
    item = cat.find_item(url)
    return item.id, ItemState(item.id, item.url, item.title, status=status, note=note)


def test_bibtex_entries_keys_escaping_and_notes(tmp_path: Path) -> None:
    cat = catalog(tmp_path)
    states = dict([
        state(cat, PAPER.url, note="Section 2 {first}\nthen 3"),
        state(cat, SAME_KEY.url),
        state(cat, "https://arxiv.org/abs/2101.00001"),  # no metadata yet
        state(cat, DEAD.url),
    ])
    links = {r.url: r for r in (PAPER, SAME_KEY, DEAD)}
    bib = build_bibtex(cat, states, links, statuses=["read"])
    assert (bib.entries, bib.skipped) == (2, 1)
    first, second = (entry + "\n" for entry in bib.text.rstrip("\n").split("\n\n"))
    assert first == (
        "@misc{lovelace2019deep,\n"
        "  title = {The \\{Deep\\} Learning \\& 100\\% of \\$x\\_i\\$},\n"
        "  author = {Ada Lovelace and Alan Turing},\n"
        "  year = {2019},\n"
        "  eprint = {1905.13405},\n"
        "  archivePrefix = {arXiv},\n"
        "  primaryClass = {cs.LG},\n"
        "  doi = {10.48550/arXiv.1905.13405},\n"
        "  url = {https://arxiv.org/abs/1905.13405},\n"
        "  note = {Section 2 \\{first\\}\nthen 3}\n"
        "}\n"
    )
    assert second.startswith("@misc{lovelace2019deepa,\n")  # the same key, made unique
    assert "primaryClass" not in second
    assert build_bibtex(cat, states, links, statuses=["reading"]).entries == 0


def test_markdown_export_names_fetched_titles_and_archived_copies(tmp_path: Path) -> None:
    cat = catalog(tmp_path)
    states = dict([state(cat, DEAD.url, note="gone?"), state(cat, BARE.url, note="good")])
    text = build_export(cat, states, user="u", date="2026-12-01",
                        links={r.url: r for r in (DEAD, BARE)}).text
    assert "- [A page's \\[real\\] title](https://bare.example/page)" in text
    assert "title fetched from the page" in text
    assert "link dead (410) on 2026-11-30" in text
    assert "archived copy: <https://web.archive.org/web/20260201/https://blog.example/post>" in text
    # Without link facts the export is what it always was.
    plain = build_export(cat, states, user="u", date="2026-12-01").text
    assert "archived" not in plain and "- [bare.example/page](https://bare.example/page)" in plain


def test_export_format_bibtex_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "papers.md"
    source.write_text(LIST, encoding="utf-8")
    data = tmp_path / "data"
    book = LinkBook(data / "links.json")
    book.update([PAPER, SAME_KEY])
    book.save()
    common = ["--source", str(source), "--data-dir", str(data)]
    assert main([*common, "mark", PAPER.url, "--status", "read", "--note", "cite this"]) == 0
    assert main([*common, "mark", SAME_KEY.url, "--status", "reading"]) == 0
    capsys.readouterr()
    out_file = tmp_path / "read.bib"
    assert main([*common, "export", "--format", "bibtex", "--status", "read",
                 "-o", str(out_file)]) == 0
    assert "exported 1 BibTeX entry to" in capsys.readouterr().err
    text = out_file.read_text(encoding="utf-8")
    assert text.startswith("@misc{lovelace2019deep,\n") and "note = {cite this}" in text
    assert main([*common, "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["url"]: r.get("year") for r in rows}[PAPER.url] == 2019
