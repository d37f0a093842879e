"""End to end (issue #12 item 12): the installed ``dlreader`` in tmux after a resize and
after ``$EDITOR``: what the real terminal shows (capture-pane), not what Textual thinks."""

from __future__ import annotations

from test_e2e_terminal import TmuxTerminal, loaded_marker, needs_tmux

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
