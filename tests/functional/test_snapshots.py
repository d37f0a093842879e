"""SVG snapshots of the app's screens on the seed list (pytest-textual-snapshot).

Regenerate after a deliberate change to the look with
``.venv/bin/pytest tests/functional/test_snapshots.py --snapshot-update`` and read the SVGs
in ``__snapshots__/`` before committing them.
"""

from __future__ import annotations

from pathlib import Path

from app_harness import BIG, SMALL, make_app, wait_for
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from dlreader.app.app import DlreaderApp


def seed_app(seed_path: Path, tmp_path: Path) -> DlreaderApp:
    return make_app(seed_path, tmp_path)


async def until_loaded(pilot: Pilot[object]) -> None:
    app = pilot.app
    assert isinstance(app, DlreaderApp)
    await wait_for(pilot, lambda: app.reading_screen.catalog_loaded)


async def written_and_quiet(pilot: Pilot[object]) -> None:
    """Every change on disk and no notice left on screen."""
    app = pilot.app
    assert isinstance(app, DlreaderApp)
    assert await app.flush_writes()
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()


def test_main_screen_wide(snap_compare, seed_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(seed_app(seed_path, tmp_path), terminal_size=BIG, run_before=until_loaded)


def test_main_screen_80x24(snap_compare, seed_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(seed_app(seed_path, tmp_path), terminal_size=SMALL,
                        run_before=until_loaded)


def test_main_screen_after_marking(snap_compare, seed_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def mark(pilot: Pilot[object]) -> None:
        await until_loaded(pilot)
        # read, reading with high priority, skipped, low: every mark shows in its row; the
        # cursor ends on an untouched item (a marked one would show today's date).
        await pilot.press("tab", "space", "down", "r", "1", "down", "x", "down", "3", "down")
        await written_and_quiet(pilot)

    assert snap_compare(seed_app(seed_path, tmp_path), terminal_size=BIG, run_before=mark)


def test_help_screen(snap_compare, seed_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def open_help(pilot: Pilot[object]) -> None:
        await until_loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(seed_app(seed_path, tmp_path), terminal_size=BIG, run_before=open_help)


def test_note_editor(snap_compare, seed_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def open_editor(pilot: Pilot[object]) -> None:
        await until_loaded(pilot)
        await pilot.press("tab", "n")
        await pilot.pause()
        area = pilot.app.screen.query_one(TextArea)
        area.cursor_blink = False
        await pilot.press(*"Read **section 3** first.", "enter", *"- then the appendix")
        await pilot.pause()

    assert snap_compare(seed_app(seed_path, tmp_path), terminal_size=BIG,
                        run_before=open_editor)


def test_search(snap_compare, seed_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def search(pilot: Pilot[object]) -> None:
        await until_loaded(pilot)
        await pilot.press("slash")
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one(Input).cursor_blink = False
        await pilot.press(*"lottery ticket")
        await wait_for(pilot, lambda: bool(getattr(screen, "hits", None)))
        await pilot.pause()

    assert snap_compare(seed_app(seed_path, tmp_path), terminal_size=BIG, run_before=search)


async def _mark_a_few(pilot: Pilot[object]) -> None:
    """Reading, high, skipped, low, read on the first topic's items; notices cleared.

    The cursor ends on an untouched item: Details under the modal would show a marked
    one's date, and the snapshot would change every day.
    """
    await until_loaded(pilot)
    await pilot.press("tab", "r", "down", "1", "down", "x", "down", "3", "down", "space",
                      "down")
    await written_and_quiet(pilot)


def test_queue_screen(snap_compare, seed_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def open_queue(pilot: Pilot[object]) -> None:
        await _mark_a_few(pilot)
        await pilot.press("Q")
        await pilot.pause()

    assert snap_compare(seed_app(seed_path, tmp_path), terminal_size=BIG, run_before=open_queue)


def test_stats_screen(snap_compare, seed_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def open_stats(pilot: Pilot[object]) -> None:
        await _mark_a_few(pilot)
        await pilot.press("S")
        await pilot.pause()

    assert snap_compare(seed_app(seed_path, tmp_path), terminal_size=BIG, run_before=open_stats)
