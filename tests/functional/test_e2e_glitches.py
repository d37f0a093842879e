"""End to end (issue #12 item 12): the installed ``dlreader`` in tmux after a resize and
after ``$EDITOR``: what the real terminal shows (capture-pane), not what Textual thinks."""

from __future__ import annotations

import shlex
from pathlib import Path

from tmux_terminal import (
    TmuxTerminal,
    details_url,
    loaded_marker,
    needs_tmux,
    stored_states,
    wait_for_details_url,
)

# A horizontal scrollbar's thumb: left eighths of a cell (the vertical one uses lower ones).
BAND_CHARACTERS = set("▏▎▍▌▋▊▉")


def band_rows(screen: str) -> list[str]:
    """Rows holding a horizontal scrollbar (the footer's own ▏ separator left out)."""
    return [line for line in screen.splitlines()[:-1] if BAND_CHARACTERS & set(line)]


def row_above(screen: str, marker: str) -> str:
    """The row just above the first row containing ``marker``."""
    lines = screen.splitlines()
    index = next(i for i, line in enumerate(lines) if marker in line)
    return lines[index - 1]


def test_no_scrollbar_band_under_the_lists_after_resizes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    needs_tmux()
    terminal = TmuxTerminal(tmp_path, 80, 24)
    try:
        screen = terminal.wait_for_text(loaded_marker())
        for width, height in ((160, 50), (120, 30), (80, 24)):
            terminal.resize(width, height)
            stacked = width < 100
            # Stacked, Details has only a top rule; side by side, every pane a box.
            details = "\n─Details" if stacked else "╭─ Details"

            def laid_out(s: str, w: int = width, h: int = height, d: str = details) -> bool:
                lines = s.splitlines()
                return len(lines) == h and max(map(len, lines)) == w and d in s

            screen = terminal.wait_for(laid_out, f"the layout at {width}x{height}")
            assert not band_rows(screen), screen
            # The row over the Details pane (stacked) or over the Links pane's bottom
            # border (side by side) is an item, not an empty band.
            above = row_above(screen, details.strip() if stacked else "│╰─")
            assert " · " in above, screen
        terminal.send("q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.close()


JUNK = "EDITOR-SCREEN"


def recording_editor(tmp_path: Path, note: str) -> tuple[Path, Path]:
    """An editor script that records its call, fills the screen with JUNK in the
    alternate screen and leaves it there (as a crashed editor would: the terminal then
    keeps those cells until the app paints over every one), waits for the test's go file,
    then saves ``note``. Returns (the script, the go file)."""
    go, calls = tmp_path / "go", tmp_path / "editor-calls"
    script = tmp_path / "record-editor.sh"
    script.write_text(
        "#!/bin/sh\n"
        f"echo \"$1\" >> {shlex.quote(str(calls))}\n"
        "printf '\\033[?1049h\\033[H'\n"
        f"i=0; while [ $i -lt 60 ]; do printf '%s\\n' '{JUNK} {JUNK} {JUNK} {JUNK} "
        f"{JUNK} {JUNK} {JUNK} {JUNK} {JUNK} {JUNK} {JUNK}'; i=$((i+1)); done\n"
        f"while [ ! -e {shlex.quote(str(go))} ]; do sleep 0.05; done\n"
        f"printf '%s' {shlex.quote(note)} > \"$1\"\n",
        encoding="utf-8")
    script.chmod(0o755)
    return script, go


def test_after_the_editor_the_screen_is_repainted_and_no_old_notice_returns(
        tmp_path: Path) -> None:
    needs_tmux()
    note = "Saved by the recording editor"
    editor, go = recording_editor(tmp_path, note)
    terminal = TmuxTerminal(tmp_path, 120, 40, env={"EDITOR": str(editor), "VISUAL": ""})
    try:
        terminal.wait_for_text(loaded_marker())
        terminal.send("Tab")
        url = wait_for_details_url(terminal)
        terminal.send("s")
        before = terminal.wait_for_text("Sort: priority")  # a notice, on screen
        terminal.send("E")
        during = terminal.wait_for(lambda s: s.count(JUNK) > 100, "the editor's screen")
        assert loaded_marker() not in during
        go.touch()
        after = terminal.wait_for(lambda s: "Note saved" in s and note in s,
                                  "the app back with the note saved")
        # Every cell painted again: none of the editor's is left, every row is the app's.
        assert JUNK not in after, after
        lines = after.splitlines()
        assert len(lines) == 40 and lines[0].startswith(" Science of Deep Learning"), after
        assert "q Quit" in lines[-1] and "╭─ Topics" in after, after
        # The notice from before the editor did not come back.
        assert "Sort: priority" in before and "Sort: priority" not in after, after
        terminal.send("q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.close()
    assert (tmp_path / "editor-calls").read_text().count("note.md") == 1
    assert [(s.url, s.note) for s in stored_states(terminal).values()] == [(url, note)]


def details_lines(screen: str) -> list[str]:
    """The stacked layout's Details rows (under its top rule, over the footer)."""
    lines = screen.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("─Details"))
    return lines[top + 1:-1]


def test_at_80x24_j_scrolls_details_and_z_zooms_it(tmp_path: Path) -> None:
    needs_tmux()
    terminal = TmuxTerminal(tmp_path, 80, 24)
    try:
        terminal.wait_for_text(loaded_marker())
        # Each pane's footer tells where the focus is: the list's starts with its own key.
        terminal.send("Tab")
        terminal.wait_for(lambda s: s.splitlines()[-1].startswith(" space Read  q Quit"),
                          "the list focused")
        terminal.send("Tab")
        screen = terminal.wait_for(lambda s: "q Quit  ? Help  space Read" in s,
                                   "Details focused")
        url = details_url(screen)
        assert url is not None, screen
        title = details_lines(screen)[0].split("  ")[0].strip()  # (a scrollbar may follow)
        assert len(details_lines(screen)) < 8, screen
        terminal.send("j")
        terminal.wait_for(lambda s: details_lines(s)[0].startswith(f" {url} "),
                          "Details one line down")
        terminal.send("j", "j")  # two at once: both scroll
        terminal.wait_for(lambda s: details_lines(s)[0].startswith(" status "),
                          "Details three lines down")
        terminal.send("g", "z")
        zoomed = terminal.wait_for(lambda s: "z or Esc: back" in s and "╭─ Details" in s,
                                   "Details zoomed")
        body = zoomed.splitlines()[2:-2]  # under its top border, over its bottom one
        assert len(body) >= 18 and title in body[0], zoomed
        assert "Topics" not in zoomed and "Links" not in zoomed, zoomed
        terminal.send("Escape")
        back = terminal.wait_for(lambda s: "─Details" in s and "z or Esc" not in s,
                                 "every pane back")
        assert "Science of Deep Learning 45 items" in back, back
        terminal.send("q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.close()
