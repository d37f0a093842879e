"""The app over a real store: a failed write is undone on screen and said; the CLI
writing meanwhile; reports arriving under a dialog; the app factory."""

from __future__ import annotations

import shutil
from pathlib import Path

from app_harness import (
    USER,
    RunningApp,
    app_data_dir,
    on_disk,
    open_topic_list,
    settle,
    shown_notice,
    wait_for,
    write_list,
)
from store_support import user_store

from dlreader.store.records import ItemUpdate


async def test_a_failed_write_reverts_the_screen_and_says_why(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        item_id = await open_topic_list(pilot)
        # The state directory becomes a plain file: every write now fails (even as root).
        state_dir = app_data_dir(tmp_path)
        shutil.rmtree(state_dir, ignore_errors=True)
        state_dir.write_text("not a directory")
        await pilot.press("space")
        await settle(pilot)
        await wait_for(pilot, lambda: app.reading_screen.reading.status(item_id) == "unread")
        await shown_notice(pilot, lambda text: text.startswith("Not saved:"))
        assert app.is_running  # not fatal


async def test_changes_from_the_cli_show_up_and_neither_side_is_lost(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path, reload_seconds=0.1) as (app, pilot):
        mine = await open_topic_list(pilot)
        await pilot.press("space")
        await settle(pilot)
        # Another process (the CLI) marks a different item through its own Store.
        other_id = next(i for i in app.reading_screen.reading.catalog.items if i != mine)
        item = app.reading_screen.reading.catalog.items[other_id]
        cli = user_store(app_data_dir(tmp_path), USER)
        cli.apply([ItemUpdate(other_id, item.url, item.title, status="read", note="from cli")])
        await wait_for(pilot, lambda: app.reading_screen.reading.status(other_id) == "read")
        assert app.reading_screen.reading.note(other_id) == "from cli"
        await pilot.press("1")
        await settle(pilot)
    states = on_disk(tmp_path)
    assert states[mine].status == "read" and states[mine].priority == "high"
    assert states[other_id].note == "from cli"


async def test_store_reports_arriving_under_a_dialog_update_the_main_screen(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path, reload_seconds=0.1) as (app, pilot):
        item_id = await open_topic_list(pilot)
        await pilot.press("space", "question_mark")
        await settle(pilot)
        other = next(i for i in app.reading_screen.reading.catalog.items if i != item_id)
        item = app.reading_screen.reading.catalog.items[other]
        user_store(app_data_dir(tmp_path), USER).apply(
            [ItemUpdate(other, item.url, item.title, status="read")])
        await wait_for(pilot, lambda: app.reading_screen.reading.status(other) == "read")
        assert app.screen.__class__.__name__ == "HelpScreen"
        assert app.reading_screen.reading.state(item_id).read_at
        assert "2/6 done" in app.sub_title


async def test_factory_builds_an_app_over_a_real_store(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    async with running_app() as (app, pilot):
        assert app.reading_screen.reading is not None
        assert app.reading_screen.reading.overall() == (0, 6)
