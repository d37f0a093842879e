"""The real CLI on real files: notes out as markdown, state out and back in as JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
from cli_support import run_cli
from markdown_it import MarkdownIt
from markdown_it.token import Token

from dlreader.catalog.loader import load_catalog
from dlreader.catalog.model import Catalog, Item

MD = MarkdownIt("commonmark")

RICH_NOTE = """\
深度学习的科学 — CJK, emoji 🧠🔥, *emphasis*, **strong**, `code` and a [link](https://x.org).

- a list
  - nested, with *emphasis*
- second

```python
def f(x):

    return x  # a blank line above, inside the fence
```

> quoted
"""


@dataclass
class Result:
    code: int
    out: str
    err: str


class Dl(Protocol):
    def __call__(
        self, *args: str, data_dir: Path | None = None, source: Path | None = None
    ) -> Result: ...


@pytest.fixture
def dl(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Dl:
    """Run ``dlreader`` in-process with --user and --data-dir set; returns the result."""

    def run(*args: str, data_dir: Path | None = None, source: Path | None = None) -> Result:
        argv = ["--user", "alice", "--data-dir", str(data_dir or tmp_path / "data")]
        if source is not None:
            argv += ["--source", str(source)]
        return Result(*run_cli(capsys, *argv, *args))

    return run


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


# -- reading an export back ---------------------------------------------------------------


@dataclass
class Exported:
    heading: str
    first_line: str
    note: str


def _text(token: Token) -> str:
    return "".join(
        "\n" if c.type == "softbreak" else c.content
        for c in token.children or []
        if c.type in ("text", "code_inline", "softbreak")
    )


def read_export(text: str) -> list[Exported]:
    """Every top-level list item with the heading above it and its note's source lines."""
    lines = text.split("\n")
    tokens = MD.parse(text)
    found: list[Exported] = []
    heading = ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            heading = _text(tokens[index + 1])
        elif token.type == "list_item_open" and token.level == 1:
            paragraph = tokens[index + 1]
            assert token.map and paragraph.map
            note_lines = lines[paragraph.map[1] : token.map[1]]
            while note_lines and not note_lines[0]:
                note_lines.pop(0)
            while note_lines and not note_lines[-1]:
                note_lines.pop()
            assert all(not line or line.startswith("  ") for line in note_lines)
            first = tokens[index + 2]
            found.append(Exported(heading, _text(first).split("\n")[0],
                                  "\n".join(line[2:] for line in note_lines)))
    return found


def pick_items(catalog: Catalog) -> list[Item]:
    """Items with different shapes: in two topics, deep in the tree, in list order."""
    items = list(catalog.items.values())
    shared = next(i for i in items if len(set(i.topics)) >= 2 and i.url)
    deep = max((i for i in items if i.url and i is not shared),
               key=lambda i: len(catalog.path(i.topics[0])))
    others = [i for i in items if i.url and i not in (shared, deep)]
    chosen = {i.id: i for i in (others[0], shared, deep, others[len(others) // 2], others[-1])}
    return sorted(chosen.values(), key=lambda i: list(catalog.items).index(i.id))


# -- dlreader export ----------------------------------------------------------------------


def test_notes_marked_with_the_cli_export_verbatim_under_their_topics_in_list_order(
    dl: Dl, seed_path: Path, tmp_path: Path,
) -> None:
    catalog = load_catalog(seed_path)
    items = pick_items(catalog)
    notes = {item.id: f"Note {n} for this item.\n\n{RICH_NOTE}" for n, item in enumerate(items)}
    for item in reversed(items):  # marking order must not matter
        ok(dl("mark", item.url, "--note", notes[item.id], source=seed_path))

    result = ok(dl("export", "-o", str(tmp_path / "notes.md"), source=seed_path))
    text = (tmp_path / "notes.md").read_text(encoding="utf-8")

    assert text.startswith(f"# Notes from {catalog.name}\n")
    exported = read_export(text)
    assert [e.note for e in exported] == [notes[item.id].rstrip("\n") for item in items]
    assert [e.heading for e in exported] == [catalog.topic(i.topics[0]).title for i in items]
    shared = next(i for i in items if len(set(i.topics)) >= 2)
    assert text.count(f"Note {items.index(shared)} for this item.") == 1
    assert "also in: " in text
    assert str(tmp_path / "notes.md") in result.err


def test_export_to_stdout_is_the_same_bytes_as_the_file(
    dl: Dl, seed_path: Path, tmp_path: Path,
) -> None:
    url = pick_items(load_catalog(seed_path))[0].url
    ok(dl("mark", url, "--note", "same 字", source=seed_path))

    to_stdout = ok(dl("export", source=seed_path)).out
    ok(dl("export", "-o", str(tmp_path / "n.md"), source=seed_path))

    assert to_stdout.encode() == (tmp_path / "n.md").read_bytes()
    assert "same 字" in to_stdout


def test_a_noted_item_removed_from_the_list_is_exported_under_no_longer_in_the_list(
    dl: Dl, seed_path: Path, tmp_path: Path,
) -> None:
    source = tmp_path / "list.md"
    shutil.copyfile(seed_path, source)
    catalog = load_catalog(source)
    item = next(i for i in pick_items(catalog) if len(set(i.topics)) == 1)
    ok(dl("mark", item.url, "--note", "keep me 🧠", source=source))

    lines = source.read_text(encoding="utf-8").split("\n")
    del lines[item.line - 1]
    source.write_text("\n".join(lines), encoding="utf-8")
    assert item.id not in load_catalog(source).items  # the edit did remove it

    exported = read_export(ok(dl("export", source=source)).out)

    assert [(e.heading, e.first_line, e.note) for e in exported] == [
        ("No longer in the list", item.title, "keep me 🧠")
    ]


def test_filters_and_all_narrow_and_widen_the_export(
    dl: Dl, seed_path: Path,
) -> None:
    first, second, third = pick_items(load_catalog(seed_path))[:3]
    ok(dl("mark", first.url, "--status", "read", "--note", "first", source=seed_path))
    ok(dl("mark", second.url, "--status", "reading", "--priority", "high", source=seed_path))
    ok(dl("mark", third.url, "--priority", "high", "--note", "third", source=seed_path))

    def notes(*options: str) -> list[str]:
        return [e.first_line for e in read_export(ok(dl("export", *options,
                                                         source=seed_path)).out)]

    assert notes() == [first.title, third.title]
    assert notes("--all") == [first.title, second.title, third.title]
    assert notes("--status", "read") == [first.title]
    assert notes("--all", "--priority", "high") == [second.title, third.title]
    assert notes("--all", "--status", "read", "--status", "reading") == [first.title, second.title]


def test_export_to_an_unwritable_path_says_so_and_fails(
    dl: Dl, seed_path: Path, tmp_path: Path,
) -> None:
    result = dl("export", "-o", str(tmp_path / "no-such-dir" / "n.md"), source=seed_path)

    assert result.code != 0
    assert "cannot write" in result.err and "no-such-dir" in result.err
    assert "Traceback" not in result.err


def test_an_unknown_topic_is_a_usage_error(dl: Dl, seed_path: Path) -> None:
    result = dl("export", "--topic", "No Such Topic", source=seed_path)

    assert result.code == 2
    assert "no topic" in result.err


def test_exporting_twice_gives_the_same_bytes_in_a_real_process(
    seed_path: Path, tmp_path: Path,
) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000"}
    base = [sys.executable, "-m", "dlreader", "--user", "bob", "--source", str(seed_path)]
    url = pick_items(load_catalog(seed_path))[0].url
    assert url is not None
    subprocess.run([*base, "mark", url, "--note", "det 🧪"], env=env, check=True)

    runs = [subprocess.run([*base, "export"], env=env, check=True, capture_output=True)
            for _ in range(2)]

    assert runs[0].stdout == runs[1].stdout
    assert b"on 2026-09-21" in runs[0].stdout
    assert "det 🧪".encode() in runs[0].stdout


# -- dlreader state export / import -------------------------------------------------------


def _mark_some(dl: Dl, seed_path: Path) -> list[Item]:
    items = pick_items(load_catalog(seed_path))
    ok(dl("mark", items[0].url, "--status", "read", "--note", RICH_NOTE, source=seed_path))
    ok(dl("mark", items[1].url, "--priority", "high", source=seed_path))
    ok(dl("mark", items[2].url, "--status", "skipped", "--note", "中文", source=seed_path))
    return items


def test_state_export_then_import_into_an_empty_data_dir_lists_the_same(
    dl: Dl, seed_path: Path, tmp_path: Path,
) -> None:
    _mark_some(dl, seed_path)
    ok(dl("state", "export", str(tmp_path / "state.json")))
    fresh = tmp_path / "fresh"

    ok(dl("state", "import", str(tmp_path / "state.json"), data_dir=fresh))

    before = ok(dl("list", "--format", "json", source=seed_path)).out
    after = ok(dl("list", "--format", "json", source=seed_path, data_dir=fresh)).out
    assert after == before
    assert json.loads(before)  # not trivially equal
    again = ok(dl("state", "export", "-", data_dir=fresh)).out
    assert again == (tmp_path / "state.json").read_text(encoding="utf-8")


def _with_updated(path: Path, updated: str, note: str) -> Path:
    document = json.loads(path.read_text(encoding="utf-8"))
    for record in document["records"]:
        record["updated"] = updated
        record["note"] = note
    out = path.with_name(f"{note}.json")
    out.write_text(json.dumps(document), encoding="utf-8")
    return out


def test_merge_keeps_the_newer_of_two_conflicting_records(
    dl: Dl, seed_path: Path, tmp_path: Path,
) -> None:
    item = pick_items(load_catalog(seed_path))[0]
    ok(dl("mark", item.url, "--note", "mine", source=seed_path))
    ok(dl("state", "export", str(tmp_path / "mine.json")))
    older = _with_updated(tmp_path / "mine.json", "2000-01-01T00:00:00Z", "older")
    newer = _with_updated(tmp_path / "mine.json", "2999-01-01T00:00:00Z", "newer")

    def note_now() -> str:
        records = json.loads(ok(dl("state", "export", "-")).out)["records"]
        return next(r["note"] for r in records if r["item_id"] == item.id)

    ok(dl("state", "import", str(older), "--merge"))
    assert note_now() == "mine"
    ok(dl("state", "import", str(newer), "--merge"))
    assert note_now() == "newer"


def test_replace_backs_up_and_replaces_everything(
    dl: Dl, seed_path: Path, tmp_path: Path,
) -> None:
    items = _mark_some(dl, seed_path)
    ok(dl("state", "export", str(tmp_path / "all.json")))
    ok(dl("mark", items[3].url, "--note", "added after the export", source=seed_path))

    result = ok(dl("state", "import", str(tmp_path / "all.json"), "--replace"))

    assert ok(dl("state", "export", "-")).out == (tmp_path / "all.json").read_text("utf-8")
    assert "backup" in result.err
    assert list((tmp_path / "data" / "backups").iterdir())


def _bad_exports(tmp_path: Path, good: Path) -> list[Path]:
    document = json.loads(good.read_text(encoding="utf-8"))
    newer = dict(document, schema=document["schema"] + 1)
    broken = json.loads(json.dumps(document))
    broken["records"][-1]["status"] = "finished"
    files = {
        "newer.json": json.dumps(newer),
        "not-ours.json": json.dumps({"records": document["records"]}),
        "broken-record.json": json.dumps(broken),
        "not-json.json": "{ nope",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    return [tmp_path / name for name in files] + [tmp_path / "binary.json"]


def test_a_bad_import_exits_2_and_changes_nothing(
    dl: Dl, seed_path: Path, tmp_path: Path,
) -> None:
    _mark_some(dl, seed_path)
    ok(dl("state", "export", str(tmp_path / "good.json")))
    store = tmp_path / "data" / "alice.json"
    before = store.read_bytes()
    backups_before = sorted((tmp_path / "data" / "backups").glob("*")) \
        if (tmp_path / "data" / "backups").exists() else []

    for bad in _bad_exports(tmp_path, tmp_path / "good.json"):
        for mode in ("--merge", "--replace"):
            result = dl("state", "import", str(bad), mode)
            assert result.code == 2, (bad.name, result.err)
            assert bad.name in result.err and "nothing was imported" in result.err
            assert "Traceback" not in result.err
    missing_mode = dl("state", "import", str(tmp_path / "good.json"))
    assert missing_mode.code == 2 and "--merge" in missing_mode.err

    assert store.read_bytes() == before
    backups_after = sorted((tmp_path / "data" / "backups").glob("*")) \
        if (tmp_path / "data" / "backups").exists() else []
    assert backups_after == backups_before


def test_a_missing_import_file_is_a_usage_error(dl: Dl, tmp_path: Path) -> None:
    result = dl("state", "import", str(tmp_path / "nope.json"))

    assert result.code == 2 and "no such file" in result.err
    assert not (tmp_path / "data" / "alice.json").exists()
