"""E: the note in $EDITOR, and what the app says when there is no real terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_harness import (
    RunningApp,
    open_topic_list,
    shown_notice,
    write_list,
)


def test_external_editor_round_trip(tmp_path: Path) -> None:
    from dlreader.app.external_editor import EditorError, edit_in_editor

    editor = tmp_path / "editor"
    editor.write_text('#!/bin/sh\nprintf \'%s\\n\' "appended" >> "$1"\n')
    editor.chmod(0o755)
    assert edit_in_editor("first line\n", {"EDITOR": str(editor)}) == "first line\nappended\n"
    assert edit_in_editor("", {"VISUAL": str(editor), "EDITOR": "false"}) == "appended"
    failing = tmp_path / "failing"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    with pytest.raises(EditorError, match="exited with 3"):
        edit_in_editor("kept", {"EDITOR": str(failing)})
    with pytest.raises(EditorError, match="could not start"):
        edit_in_editor("kept", {"EDITOR": str(tmp_path / "missing")})


async def test_shift_e_without_a_real_terminal_says_so(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        item_id = await open_topic_list(pilot)
        await pilot.press("E")
        await shown_notice(pilot, lambda text: "$EDITOR" in text)
        assert app.reading_screen.reading.note(item_id) == ""
