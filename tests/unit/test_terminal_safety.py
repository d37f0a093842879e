"""No escape or control byte from a note, a list or someone else's file reaches the
terminal, and none enters the store (issue #9, item 1)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from cli_support import DLREADER, URL_A, assert_one_line, run_dlreader
from store_support import mark, user_store

from dlreader.textsafe import clean_store_text, json_text, store_text_problem, terminal_text

# Clipboard write, window title, hyperlink, clear screen, 8-bit CSI, DEL, BEL.
HOSTILE = [
    "\x1b]52;c;cHduZWQ=\x07",
    "\x1b]0;pwned\x07",
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[2J",
    "\u009b2J",
    "\x7f",
]
CONTROL_BYTES = [b"\x1b", "\u009b".encode(), b"\x07", b"\x7f"]


def assert_clean(output: str | bytes) -> None:
    raw = output.encode("utf-8", "surrogateescape") if isinstance(output, str) else output
    for byte in CONTROL_BYTES:
        assert byte not in raw, raw


@pytest.fixture
def list_path(tmp_path: Path) -> Path:
    path = tmp_path / "list.md"
    path.write_text(
        f"# Evil \x1b]0;title\x07 parent\n\n## Dup\n\n- [A \x1b[2J]({URL_A})\n\n"
        "# Other\n\n## Dup\n\n- [B](https://example.org/b)\n",
        encoding="utf-8",
    )
    return path


def cli(list_path: Path, *argv: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return run_dlreader(["--source", str(list_path), "--user", "alice", *argv],
                        capture_output=True, **kwargs)  # type: ignore[arg-type]


def plant_old_store(list_path: Path, data_dir: Path) -> Path:
    """A store as dlreader 1 let it be: escapes in a note, a title and an orphan's id."""
    assert cli(list_path, "mark", URL_A, "--note", "fine").returncode == 0
    path = data_dir / "alice.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    (record,) = raw["items"].values()
    record["note"] = "note " + "".join(HOSTILE)
    record["title"] = "title " + HOSTILE[1]
    orphan_id = "i-gone" + HOSTILE[3]
    raw["items"]["2"] = {**record, "item_id": orphan_id, "url": "https://gone.example/"}
    for list_record in raw["lists"].values():
        list_record["known"].append(orphan_id)
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("escape", HOSTILE, ids=["osc52", "osc0", "osc8", "csi2j", "c1", "del"])
def test_mark_refuses_a_note_with_control_characters(
    list_path: Path, isolated_dirs: Path, escape: str
) -> None:
    result = cli(list_path, "mark", URL_A, "--note", f"before {escape} after")
    assert result.returncode == 2
    line = assert_one_line(result.stderr)
    assert "control characters" in line and "nothing was changed" in line
    assert_clean(result.stderr)
    assert not (isolated_dirs / "data" / "alice.json").exists()


def test_mark_refuses_a_note_file_with_control_characters(
    tmp_path: Path, list_path: Path, isolated_dirs: Path
) -> None:
    note = tmp_path / "note.md"
    note.write_text("line\r\n\ttabbed\x1b[31m red\n", encoding="utf-8")
    result = cli(list_path, "mark", URL_A, "--note-file", str(note))
    assert result.returncode == 2
    assert "U+001B" in assert_one_line(result.stderr)


def test_newlines_tabs_and_crlf_are_a_fine_note(tmp_path: Path, list_path: Path,
                                                isolated_dirs: Path) -> None:
    note = tmp_path / "note.md"
    note.write_bytes(b"line one\r\n\tindented \xe2\x9c\x93\r\n")
    result = cli(list_path, "mark", URL_A, "--note-file", str(note))
    assert result.returncode == 0, result.stderr
    (state,) = user_store(isolated_dirs / "data").states().values()
    assert state.note == "line one\n\tindented ✓"


def test_a_non_utf8_note_argument_is_a_message_not_a_traceback(list_path: Path) -> None:
    result = subprocess.run(
        [os.fsencode(DLREADER), b"--source", os.fsencode(list_path), b"mark", URL_A.encode(),
         b"--note", b"caf\xe9"],
        capture_output=True, timeout=20, check=False,
    )
    assert result.returncode == 2
    line = assert_one_line(result.stderr.decode("utf-8", "replace"))
    assert "not valid UTF-8" in line


def test_outputs_of_an_old_store_with_escapes_hold_none(
    list_path: Path, isolated_dirs: Path
) -> None:
    plant_old_store(list_path, isolated_dirs / "data")
    for argv in (["export"], ["export", "--all"], ["list"], ["list", "--orphans"],
                 ["list", "--noted"], ["stats"], ["topics"], ["undo"]):
        result = cli(list_path, *argv)
        assert result.returncode == 0, (argv, result.stderr)
        assert_clean(result.stdout)
        assert_clean(result.stderr)
    result = cli(list_path, "list", "--orphans", "--format", "json")
    assert_clean(result.stdout)
    notes = [row["note"] for row in json.loads(result.stdout)]
    assert notes and all(HOSTILE[4] in note for note in notes)  # escaped, not lost


def test_two_topics_titled_alike_error_holds_no_escape(list_path: Path) -> None:
    result = cli(list_path, "list", "--topic", "Dup")
    assert result.returncode == 2
    line = assert_one_line(result.stderr)
    assert "2 topics are titled" in line and "Evil" in line
    assert_clean(result.stderr)


def test_dump_json_escapes_c1_controls(tmp_path: Path) -> None:
    path = tmp_path / "c1.md"
    path.write_text(f"# Title \u009b2J\n\n- [A \u0085]({URL_A})\n", encoding="utf-8")
    result = run_dlreader(["--source", str(path), "dump"], capture_output=True)
    assert result.returncode == 0, result.stderr
    assert_clean(result.stdout)
    assert "\u0085" not in result.stdout


def test_state_import_refuses_a_file_with_escapes_and_changes_nothing(
    tmp_path: Path, list_path: Path, isolated_dirs: Path
) -> None:
    export = {
        "format": "dlreader-state", "schema": 1, "user": "mallory",
        "records": [{"item_id": "i-x", "url": None, "title": "t", "status": "read",
                     "priority": "none", "note": "hi \x1b]52;c;ZXZpbA==\x07",
                     "created": "", "updated": "", "read_at": None}],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    result = cli(list_path, "state", "import", str(path))
    assert result.returncode == 2
    line = assert_one_line(result.stderr)
    assert "record 1: note holds control characters" in line
    assert not (isolated_dirs / "data" / "alice.json").exists()


def test_the_store_itself_refuses_a_note_with_controls_and_cleans_titles(
    isolated_dirs: Path,
) -> None:
    from dlreader.errors import UsageError
    from dlreader.store.records import ItemUpdate

    store = user_store(isolated_dirs / "data")
    with pytest.raises(UsageError, match="control characters"):
        store.apply([mark("i-1", note="\x1b[2J")])
    store.apply([ItemUpdate("i-1", None, "Title \x1b]0;x\x07", status="read")])
    assert store.get("i-1").title == "Title ]0;x"  # type: ignore[union-attr]
    store.close()


def test_the_text_rules() -> None:
    assert store_text_problem("ok\n\ttabs ✓") is None
    assert "U+009B" in (store_text_problem("\u009b") or "")
    assert "UTF-8" in (store_text_problem("caf\udce9") or "")
    assert clean_store_text("a\r\nb\rc\x1b[2J\udce9") == "a\nb\nc[2J"
    assert terminal_text("x\x1b]0;t\x07y\n") == "x]0;ty\n"
    assert json_text({"k": "\u009b\x7f\x1b"}, indent=None) == '{"k": "\\u009b\\u007f\\u001b"}'


@pytest.mark.parametrize("value", [
    {"k": "\u009b\x7f\x1b"}, {"é": "caf\u00e9 ©\u00a0名 \x85"}, ["plain", 1, 2.5, None, True],
    {"nested": [{"t": "a\u0080b"}]}, {"k": "no controls at all"},
])
def test_json_is_written_as_bytes_the_same_as_its_text(value: object) -> None:
    import io

    from dlreader.textsafe import TerminalWriter, json_bytes, print_json

    assert json_bytes(value).decode("utf-8") == json_text(value)
    assert not any(0x7f <= ord(c) <= 0x9f for c in json_text(value))
    written, printed = io.BytesIO(), io.BytesIO()
    stream = io.TextIOWrapper(written, encoding="utf-8", write_through=True)
    stream.write("before\n")  # text still in the text layer goes out first
    print_json(value, TerminalWriter(stream))  # type: ignore[arg-type]
    stream.flush()
    reference = io.TextIOWrapper(printed, encoding="utf-8", write_through=True)
    print("before", file=reference)
    print(terminal_text(json_text(value)), file=reference)
    assert written.getvalue() == printed.getvalue()


async def test_the_note_editor_shows_and_takes_no_control_characters() -> None:
    from textual import events
    from textual.app import App
    from textual.widgets import TextArea

    from dlreader.app.screens.note_editor import NoteEditor

    saved: list[str | None] = []

    class Harness(App[None]):
        def on_mount(self) -> None:
            self.push_screen(NoteEditor("Title \x1b[2J", "old \x1b]52;c;eA==\x07 note"),
                             saved.append)

    app = Harness()
    async with app.run_test() as pilot:
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        assert "\x1b" not in area.text and "\x07" not in area.text
        area.post_message(events.Paste("pasted \x1b]0;title\x07 \u009b2J"))
        await pilot.pause()
        assert "pasted" in area.text
        assert "\x1b" not in area.text and "\u009b" not in area.text
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert saved and saved[0] is not None
    assert "\x1b" not in saved[0] and "\u009b" not in saved[0] and "pasted" in saved[0]


def test_a_usage_error_quoting_an_argument_holds_no_escape(list_path: Path) -> None:
    result = cli(list_path, "list", "\x1b]0;pwned\x07")
    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr
    assert_clean(result.stderr)


def test_an_export_file_of_an_old_store_holds_no_escape(
    tmp_path: Path, list_path: Path, isolated_dirs: Path
) -> None:
    plant_old_store(list_path, isolated_dirs / "data")
    target = tmp_path / "notes.md"
    result = cli(list_path, "export", "--all", "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "note " in text
    assert_clean(text)


def test_what_an_external_editor_saves_is_made_fit_for_the_store(tmp_path: Path) -> None:
    from dlreader.app.external_editor import edit_in_editor, fit_for_store

    editor = tmp_path / "editor"
    editor.write_text("#!/bin/sh\nprintf 'evil \\033]52;c;eA==\\007 note\\r\\n' > \"$1\"\n")
    editor.chmod(0o755)
    note, removed = fit_for_store(edit_in_editor("old", {"EDITOR": str(editor)}))
    assert (note, removed) == ("evil ]52;c;eA== note", True)
    assert fit_for_store("line\r\nnext\ttab") == ("line\nnext\ttab", False)
