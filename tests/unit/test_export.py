"""Notes export: parsed back with markdown-it, every note is found verbatim under its topic."""

from __future__ import annotations

import datetime as dt
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from dlreader.catalog.model import Catalog, Item, Topic
from dlreader.errors import DlreaderError, UsageError
from dlreader.export import (
    ORPHANS_HEADING,
    ExportWriteError,
    build_export,
    default_export_path,
    write_atomically,
)
from dlreader.store.records import ItemState


def export_notes(*args: Any, **options: Any) -> str:
    return build_export(*args, **options).text


DATE = "2026-11-26"
MD = MarkdownIt("commonmark")


# -- parsing an export back ---------------------------------------------------------------


@dataclass
class ExportedItem:
    heading: str  # the text of the nearest heading above the item
    heading_level: int
    link_text: str  # the item's first line as rendered text (the title)
    href: str | None
    meta: str  # the metadata line
    note: str  # the note's source lines, de-indented
    children: list[Token]  # tokens of the item after its first paragraph


@dataclass
class ParsedExport:
    title: str
    headings: list[tuple[int, str]]
    items: list[ExportedItem]


def _inline_text(token: Token) -> str:
    """The rendered text of an inline token (no markup), soft breaks as newlines."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append("\n")
    return "".join(parts)


def parse_export(text: str) -> ParsedExport:
    """Read an export the way a markdown reader does, and pull out its headings and items."""
    lines = text.split("\n")
    tokens = MD.parse(text)
    title = ""
    headings: list[tuple[int, str]] = []
    items: list[ExportedItem] = []
    heading, heading_level = "", 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0:
            level = int(token.tag[1])
            text_of = _inline_text(tokens[index + 1])
            if level == 1 and not title:
                title = text_of
            else:
                headings.append((level, text_of))
            heading, heading_level = text_of, level
        elif token.type == "list_item_open" and token.level == 1:
            close = index + 1
            while not (tokens[close].type == "list_item_close" and tokens[close].level == 1):
                close += 1
            inner = tokens[index + 1 : close]
            assert inner[0].type == "paragraph_open", "an item starts with its title paragraph"
            first_line, meta = _inline_text(inner[1]).split("\n", 1)
            links = [c for c in inner[1].children or [] if c.type == "link_open"]
            href = str(links[0].attrs["href"]) if links else None
            assert token.map and inner[0].map
            note_lines = lines[inner[0].map[1] : token.map[1]]
            while note_lines and note_lines[0] == "":
                note_lines.pop(0)
            while note_lines and note_lines[-1] == "":
                note_lines.pop()
            for line in note_lines:
                assert line == "" or line.startswith("  "), f"note line not indented: {line!r}"
            items.append(
                ExportedItem(
                    heading=heading,
                    heading_level=heading_level,
                    link_text=first_line,
                    href=href,
                    meta=meta,
                    note="\n".join(line[2:] for line in note_lines),
                    children=inner[3:],
                )
            )
            index = close
        index += 1
    return ParsedExport(title=title, headings=headings, items=items)


def _content(token: Token) -> str:
    if token.type == "inline":
        # markdown-it keeps the item's indentation on a lazy continuation line of a quote
        # in a list item; it only shows inside a code span across lines: spaces, no words.
        return " ".join(_inline_text(token).split())
    if token.type in ("fence", "code_block", "html_block"):
        # A fence the note leaves open runs to the end of its list item, taking in the
        # blank line that separates items: one more empty code line, nothing lost.
        return token.content.rstrip("\n")
    return token.content


def _shape(tokens: list[Token]) -> list[tuple[str, str, str, str]]:
    """What a rendering depends on, without nesting levels and line numbers."""
    return [(t.type, t.tag, _content(t), t.info) for t in tokens]


def assert_note_intact(item: ExportedItem, note: str) -> None:
    """The note's source is there verbatim, and it parses as it does on its own."""
    expected = note.replace("\r\n", "\n").strip("\n")
    assert item.note == expected
    assert _shape(item.children) == _shape(MD.parse(expected + "\n"))


# -- catalogs built by hand ---------------------------------------------------------------


def make_catalog() -> Catalog:
    """A small list with a 3-level tree, an item in two topics and an URL-less item."""
    topics = [
        Topic("root", "Deep Learning", 1, None, 1, items=["intro"], children=["opt", "phys"]),
        Topic("opt", "Optimization", 2, "root", 5, items=["sgd", "adam"], children=["lr"]),
        Topic("lr", "Learning rates", 3, "opt", 9, items=["warmup", "adam"]),
        Topic("phys", "Physics & DL", 2, "root", 12, items=["stat", "book"]),
    ]
    items = {
        "intro": Item("intro", "https://intro.org/", "Intro", ["Intro"], ["root"], 3),
        "sgd": Item("sgd", "https://sgd.org/", "SGD [2018]", ["SGD [2018]"], ["opt"], 6),
        "adam": Item("adam", "https://adam.org/", "Adam", ["Adam"], ["opt", "lr"], 7),
        "warmup": Item("warmup", "https://warm.org/", "Warmup", ["Warmup"], ["lr"], 10),
        "stat": Item("stat", "https://stat.org/", "Stat mech", ["Stat mech"], ["phys"], 13),
        "book": Item("book", None, "1. A book without a link", ["x"], ["phys"], 14),
    }
    return Catalog("list.md", "Science of DL", topics, items)


def state(item_id: str, note: str = "", **fields: Any) -> ItemState:
    return ItemState(
        item_id=item_id,
        url=fields.pop("url", f"https://{item_id}.org/"),
        title=fields.pop("title", item_id.title()),
        note=note,
        created=fields.pop("created", "2026-01-02T03:04:05+00:00"),
        updated=fields.pop("updated", "2026-02-03T04:05:06+00:00"),
        **fields,
    )


RICH_NOTE = """\
CJK 深度学习的科学 and emoji 🧠🔥 with *emphasis*, **strong** and `code`.

A list:
- first
  - nested *item*
- second

1. one
2. two

```python
def f(x):

    return x  # a blank line above, inside the fence
```

> a quote
> across lines

    indented code
"""


# -- the format ---------------------------------------------------------------------------


def test_every_note_is_found_verbatim_under_its_topic_in_list_order() -> None:
    catalog = make_catalog()
    notes = {
        "intro": "plain note",
        "adam": RICH_NOTE,
        "warmup": "warm *up*\n\n\nthree blank lines above",
        "sgd": "first in Optimization",
        "book": "CJK only: 神经网络",
    }
    states = {item_id: state(item_id, note) for item_id, note in reversed(notes.items())}

    parsed = parse_export(export_notes(catalog, states, user="alice", date=DATE))

    assert parsed.title == "Notes from Science of DL"
    assert [item.heading for item in parsed.items] == [
        "Deep Learning", "Optimization", "Optimization", "Learning rates", "Physics & DL",
    ]
    assert [item.link_text for item in parsed.items] == [
        "Intro", "SGD [2018]", "Adam", "Warmup", "1. A book without a link",
    ]
    by_title = {item.link_text: item for item in parsed.items}
    for item_id, note in notes.items():
        assert_note_intact(by_title[catalog.items[item_id].title], note)


def test_heading_depth_follows_the_topic_tree() -> None:
    catalog = make_catalog()
    states = {"warmup": state("warmup", "n"), "stat": state("stat", "n")}

    parsed = parse_export(export_notes(catalog, states, user="alice", date=DATE))

    # Ancestors are written so the tree shows; topics without exported items are not.
    assert parsed.headings == [
        (2, "Deep Learning"), (3, "Optimization"), (4, "Learning rates"), (3, "Physics & DL"),
    ]


def test_heading_depth_is_capped_at_six() -> None:
    topics = [
        Topic(f"t{n}", f"Level {n}", min(n, 6), f"t{n - 1}" if n > 1 else None, n,
              items=["deep"] if n == 7 else [], children=[f"t{n + 1}"] if n < 7 else [])
        for n in range(1, 8)
    ]
    item = Item("deep", "https://deep.org/", "Deep", ["Deep"], ["t7"], 20)
    catalog = Catalog("l.md", "L", topics, {"deep": item})

    parsed = parse_export(export_notes(catalog, {"deep": state("deep", "n")}, user="u", date=DATE))

    assert [level for level, _ in parsed.headings] == [2, 3, 4, 5, 6, 6, 6]
    assert parsed.items[0].heading == "Level 7"


def test_an_item_in_two_topics_appears_once_under_its_first_with_also_in() -> None:
    catalog = make_catalog()
    text = export_notes(catalog, {"adam": state("adam", "only once")}, user="u", date=DATE)

    parsed = parse_export(text)

    assert len(parsed.items) == 1
    assert parsed.items[0].heading == "Optimization"
    assert "also in: Learning rates" in parsed.items[0].meta
    assert text.count("only once") == 1


def test_metadata_line_has_status_priority_and_dates() -> None:
    record = state("adam", "n", status="read", priority="high", read_at="2026-03-04T00:00:00Z")
    parsed = parse_export(export_notes(make_catalog(), {"adam": record}, user="u", date=DATE))

    meta = parsed.items[0].meta
    for part in ("read", "priority: high", "added 2026-01-02", "updated 2026-02-03",
                 "read 2026-03-04"):
        assert part in meta


def test_tags_and_own_title_are_exported() -> None:
    record = state("adam", "n", status="read")
    record.tags, record.own_title = ["optim", "to reread"], "My Adam"
    text = export_notes(make_catalog(), {"adam": record}, user="u", date=DATE)
    parsed = parse_export(text)
    assert "tags: optim, to reread" in parsed.items[0].meta
    assert "[My Adam](" in text


def test_title_line_has_user_date_and_counts() -> None:
    states = {"adam": state("adam", "n"), "sgd": state("sgd", status="read"),
              "gone": state("gone", "lost?")}

    text = export_notes(make_catalog(), states, user="alice", date=dt.date(2026, 11, 26))

    assert text.splitlines()[2] == (
        "Exported for alice on 2026-11-26: 2 items, 2 notes (1 no longer in the list)."
    )


def test_titles_and_urls_that_look_like_markdown_still_parse_as_one_link() -> None:
    odd = {
        "a": ("[x] *not em* `tick` <b>tag</b> \\ back & &amp; end #", "https://a.org/w_(x)"),
        "b": ("Unbalanced", "https://b.org/a(b"),
        "c": ("Angle", "https://c.org/q?a=<1>&copy;"),
    }
    topics = [Topic("t", "Odd ## titles ##", 1, None, 1, items=list(odd))]
    items = {key: Item(key, url, title, [title], ["t"], 2) for key, (title, url) in odd.items()}
    catalog = Catalog("l.md", "L", topics, items)
    states = {key: state(key, f"note {key}") for key in odd}

    parsed = parse_export(export_notes(catalog, states, user="u", date=DATE))

    assert parsed.headings == [(2, "Odd ## titles ##")]
    assert [item.link_text for item in parsed.items] == [title for title, _ in odd.values()]
    assert parsed.items[0].href == MD.normalizeLink("https://a.org/w_(x)")
    assert parsed.items[1].href == MD.normalizeLink("https://b.org/a(b")
    assert parsed.items[2].href == MD.normalizeLink("https://c.org/q?a=%3C1%3E&copy;")
    assert [item.note for item in parsed.items] == ["note a", "note b", "note c"]


@pytest.mark.parametrize(
    "title", ["# not a heading", "> not a quote", "- not a list", "1. not ordered", "2) nor",
              "=== no", "~~~ no fence", "```no fence", "+ plus", "| pipe |"],
)
def test_a_link_less_title_that_looks_like_a_block_stays_the_items_text(title: str) -> None:
    topics = [Topic("t", "T", 1, None, 1, items=["x"])]
    catalog = Catalog("l.md", "L", topics, {"x": Item("x", None, title, [title], ["t"], 2)})

    parsed = parse_export(export_notes(catalog, {"x": state("x", "n")}, user="u", date=DATE))

    assert parsed.items[0].link_text == title
    assert parsed.items[0].href is None
    assert parsed.items[0].note == "n"


def test_state_whose_item_left_the_list_is_exported_last_by_title() -> None:
    states = {
        "adam": state("adam", "still here"),
        "zeta": state("zeta", "z note", title="Zeta paper", url="https://zeta.org/"),
        "alpha": state("alpha", "a note", title="alpha paper", url=None),
        "untouched": state("untouched", status="read", title="No note, not exported"),
    }

    parsed = parse_export(export_notes(make_catalog(), states, user="u", date=DATE))

    assert [(i.heading, i.link_text, i.note) for i in parsed.items] == [
        ("Optimization", "Adam", "still here"),
        (ORPHANS_HEADING, "alpha paper", "a note"),
        (ORPHANS_HEADING, "Zeta paper", "z note"),
    ]
    assert parsed.items[2].href == "https://zeta.org/"
    assert parsed.headings[-1] == (2, ORPHANS_HEADING)


def test_by_default_only_noted_items_and_all_adds_every_touched_item() -> None:
    states = {
        "adam": state("adam", "a note"),
        "sgd": state("sgd", status="read"),
        "stat": state("stat", "   \n"),  # whitespace is not a note
    }
    catalog = make_catalog()

    noted = parse_export(export_notes(catalog, states, user="u", date=DATE))
    everything = parse_export(export_notes(catalog, states, user="u", date=DATE,
                                           include_all=True))

    assert [i.link_text for i in noted.items] == ["Adam"]
    assert [i.link_text for i in everything.items] == ["SGD [2018]", "Adam", "Stat mech"]
    assert everything.items[0].note == ""


def test_filters_narrow_by_status_priority_and_topic() -> None:
    states = {
        "intro": state("intro", "n", status="read", priority="high"),
        "adam": state("adam", "n", status="reading", priority="low"),
        "warmup": state("warmup", "n", status="read", priority="low"),
        "stat": state("stat", "n", status="read", priority="high"),
        "gone": state("gone", "n", status="read", priority="high"),
    }
    catalog = make_catalog()

    def titles(**filters: Any) -> list[str]:
        text = export_notes(catalog, states, user="u", date=DATE, **filters)
        return [item.link_text for item in parse_export(text).items]

    assert titles(statuses=["read"]) == ["Intro", "Warmup", "Stat mech", "Gone"]
    assert titles(statuses=["read", "reading"], priorities=["low"]) == ["Adam", "Warmup"]
    # A topic filter takes its subtopics too and leaves out state with no topic.
    assert titles(topic="optimization") == ["Adam", "Warmup"]
    assert titles(topic="lr", statuses=["reading"]) == ["Adam"]


def test_topic_filter_puts_an_item_under_its_first_topic_inside_the_filter() -> None:
    text = export_notes(make_catalog(), {"adam": state("adam", "n")}, user="u", date=DATE,
                        topic="Learning rates")

    parsed = parse_export(text)

    assert parsed.headings == [(2, "Deep Learning"), (3, "Optimization"), (4, "Learning rates")]
    assert parsed.items[0].heading == "Learning rates"
    assert "also in: Optimization" in parsed.items[0].meta


def test_under_a_topic_filter_items_keep_the_order_that_topic_lists_them_in() -> None:
    # "Learning rates" lists warmup before adam, though adam appears first in the list.
    states = {"adam": state("adam", "a"), "warmup": state("warmup", "w")}

    text = export_notes(make_catalog(), states, user="u", date=DATE, topic="Learning rates")

    assert [item.link_text for item in parse_export(text).items] == ["Warmup", "Adam"]


def test_unknown_topic_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no topic 'Nope'"):
        export_notes(make_catalog(), {}, user="u", date=DATE, topic="Nope")


def test_empty_state_exports_a_title_and_zero_counts() -> None:
    export = build_export(make_catalog(), {}, user="u", date=DATE)

    assert export.text.startswith("# Notes from Science of DL\n")
    assert (export.items, export.notes, export.orphans) == (0, 0, 0)
    assert parse_export(export.text).items == []


def test_same_state_and_list_give_the_same_bytes_whatever_the_dict_order() -> None:
    states = {key: state(key, f"note {key}") for key in ("adam", "gone", "sgd", "book", "old")}
    backwards = dict(reversed(list(states.items())))

    first = export_notes(make_catalog(), states, user="u", date=DATE)
    second = export_notes(make_catalog(), backwards, user="u", date=DATE)

    assert first.encode() == second.encode()


def test_windows_line_breaks_in_a_note_become_plain_ones() -> None:
    parsed = parse_export(export_notes(make_catalog(), {"adam": state("adam", "a\r\nb\r\n")},
                                       user="u", date=DATE))

    assert parsed.items[0].note == "a\nb"


# Lines a note is made of: markdown constructs that interact with indentation and blank
# lines, plus free text. Left out: tabs that indent (see export._indent_note), and link
# reference definitions, which markdown makes global to the document, so one note's
# "[1]: url" also resolves "[1]" in the next note (the text is still verbatim).
_NOTE_LINES = st.one_of(
    st.sampled_from([
        "", "", "- item", "  - nested", "1. first", "> quote", "```", "```py", "~~~",
        "    indented code", "# heading", "---", "***", "<div>", "</div>", "<!-- c -->",
        "*em* and **strong**", "[link](https://x.org)", "| a | b |", "text  ", "   ",
        "- [ ] task", "\\", "emoji 🧪 中文",
    ]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=st.lists(st.lists(_NOTE_LINES, min_size=1, max_size=8).map("\n".join),
                      min_size=2, max_size=2))
def test_any_note_survives_verbatim_and_parses_as_on_its_own(notes: list[str]) -> None:
    states = {"sgd": state("sgd", notes[0] or "x"), "adam": state("adam", notes[1] or "y")}
    expected = {"SGD [2018]": states["sgd"].note, "Adam": states["adam"].note}
    expected = {title: note for title, note in expected.items() if note.strip()}

    parsed = parse_export(export_notes(make_catalog(), states, user="u", date=DATE))

    assert [item.link_text for item in parsed.items] == list(expected)
    for item in parsed.items:
        assert_note_intact(item, expected[item.link_text])


# -- writing ------------------------------------------------------------------------------


def test_write_atomically_replaces_the_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("old", encoding="utf-8")

    write_atomically(target, "新 notes ✓\n")

    assert target.read_bytes() == "新 notes ✓\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def test_write_atomically_into_a_missing_dir_is_one_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "notes.md"

    with pytest.raises(ExportWriteError) as caught:
        write_atomically(target, "x")

    assert isinstance(caught.value, DlreaderError) and caught.value.exit_code != 0
    assert str(target) in caught.value.message and "\n" not in caught.value.message


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root can write anywhere")
def test_write_atomically_into_a_read_only_dir_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("old", encoding="utf-8")
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(ExportWriteError, match="Permission denied"):
            write_atomically(target, "new")
    finally:
        tmp_path.chmod(stat.S_IRWXU)

    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def test_write_atomically_onto_a_directory_fails_cleanly(tmp_path: Path) -> None:
    (tmp_path / "adir").mkdir()

    with pytest.raises(ExportWriteError, match="adir"):
        write_atomically(tmp_path / "adir", "x")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir"]


def test_default_export_path_stays_in_a_data_dir_set_from_the_environment(
    isolated_dirs: Path,
) -> None:
    path = default_export_path("alice")

    assert path == isolated_dirs / "data" / "exports" / "dlreader-notes-alice.md"
    assert path.parent.is_dir()


def test_default_export_path_uses_the_documents_dir_when_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.delenv("DLREADER_DATA_DIR")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))  # no user-dirs.dirs there

    assert default_export_path("bob") == home / "Documents" / "dlreader-notes-bob.md"


def test_default_export_path_rejects_a_user_name_that_is_a_path() -> None:
    with pytest.raises(UsageError):
        default_export_path("../etc")


_TITLE_TEXT = st.text(
    st.one_of(st.sampled_from("[]()<>`*_\\&#;!~|=+-.:1 \t\n"),
              st.characters(blacklist_categories=("Cs",))),
    min_size=1, max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(title=_TITLE_TEXT, linked=st.booleans())
def test_any_title_reads_back_as_its_text(title: str, linked: bool) -> None:
    shown = " ".join(title.split())
    # Control characters are dropped from one-line fields; see export._one_line.
    shown = "".join(c for c in shown if not (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F)).strip()
    shown = " ".join(shown.split())
    url = "https://t.org/" if linked else None
    topics = [Topic("t", title, 1, None, 1, items=["x"])]
    catalog = Catalog("l.md", "L", topics, {"x": Item("x", url, title, [title], ["t"], 2)})

    parsed = parse_export(export_notes(catalog, {"x": state("x", "n")}, user="u", date=DATE))

    assert len(parsed.items) == 1
    assert parsed.items[0].link_text == (shown or url or "x")
    assert parsed.items[0].href == url
    assert parsed.items[0].note == "n"
    assert parsed.headings == [(2, shown or "(untitled)")]


def test_an_items_description_is_exported_after_its_link() -> None:
    from dlreader.catalog.parser import parse_catalog

    catalog = parse_catalog("# T\n\n- [Ant](https://ant.org/) - a build *tool*\n", "l.md")
    (item,) = catalog.items.values()
    text = export_notes(catalog, {item.id: ItemState(item.id, item.url, item.title, note="n")},
                        user="u", date=DATE)
    assert "- [Ant](https://ant.org/) - a build tool" in text
