"""The mouse: clicking a topic, a link row and a footer key does what the keys do."""

from __future__ import annotations

from pathlib import Path

from app_harness import (
    SMALL,
    RunningApp,
    on_disk,
    settle,
    wait_for,
)
from textual.pilot import Pilot
from textual.widget import Widget

from dlreader.app.app import DlreaderApp


def content_offset(widget: Widget, x: int, y: int) -> tuple[int, int]:
    """The click offset (relative to the widget's outer region) of content cell (x, y)."""
    region, content = widget.region, widget.content_region
    return content.x - region.x + x, content.y - region.y + y - int(widget.scroll_offset.y)


async def click_topic(pilot: Pilot[object], app: DlreaderApp, title: str) -> str:
    """Click the topic's label in the tree; its id."""
    tree = app.reading_screen.topic_tree
    topic_id = app.reading_screen.reading.catalog.find_topics(title)[0].id
    line = tree.line_of(topic_id)
    assert line >= 0, f"{title} is not on a tree line"
    # Past the guides (2 cells per level) onto the label's first letters.
    label_x = 2 * (len(app.reading_screen.reading.catalog.path(topic_id)) - 1) + 3
    assert await pilot.click(tree, offset=content_offset(tree, label_x, line))
    return topic_id


async def click_row(pilot: Pilot[object], app: DlreaderApp, row: int) -> None:
    items = app.reading_screen.item_list
    assert await pilot.click(items, offset=content_offset(items, 10, row))


def footer_key(app: DlreaderApp, key: str) -> Widget:
    """The footer's clickable key (Textual's FooterKey, selected by its type name)."""
    return next(k for k in app.query("Footer FooterKey") if getattr(k, "key", None) == key)


async def test_clicking_a_topic_lists_its_items(tmp_path: Path, running_app: RunningApp) -> None:
    async with running_app() as (app, pilot):
        first = app.reading_screen.topic_id
        beta = await click_topic(pilot, app, "Beta")
        await wait_for(pilot, lambda: app.reading_screen.topic_id == beta)
        assert beta != first
        assert app.reading_screen.topic_tree.cursor_topic_id == beta
        main = app.reading_screen
        urls = [main.reading.catalog.items[i].url for i in main.item_list.item_ids]
        assert urls == ["https://beta.example/one", "https://beta.example/two"], urls


async def test_clicking_a_row_highlights_it_and_space_marks_that_item(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    async with running_app() as (app, pilot):
        alpha = await click_topic(pilot, app, "Alpha")
        await wait_for(pilot, lambda: app.reading_screen.topic_id == alpha)
        assert app.reading_screen.item_list.cursor == 0
        second = app.reading_screen.item_list.item_ids[1]
        await click_row(pilot, app, 1)
        await pilot.pause()
        assert app.focused is app.reading_screen.item_list  # the click focused the list
        main = app.reading_screen
        assert main.item_list.current_item_id == second, f"row {main.item_list.cursor}"
        main = app.reading_screen
        assert main.reading.catalog.items[second].url in str(app.query_one("#item-info").render())
        await pilot.press("space")
        await settle(pilot)
    states = on_disk(tmp_path)
    assert {item_id: state.status for item_id, state in states.items()} == {second: "read"}


async def test_clicking_below_the_last_row_changes_nothing(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    async with running_app() as (app, pilot):
        beta = await click_topic(pilot, app, "Beta")
        await wait_for(pilot, lambda: app.reading_screen.topic_id == beta)
        first = app.reading_screen.item_list.current_item_id
        await click_row(pilot, app, 5)
        await pilot.pause()
        assert app.reading_screen.item_list.current_item_id == first


async def test_clicking_in_the_narrow_layout(
    seed_path: Path, tmp_path: Path, running_app: RunningApp,
) -> None:
    async with running_app(seed_path, size=SMALL) as (app, pilot):
        assert app.screen.has_class("-narrow")
        topic = await click_topic(pilot, app, "Interpretability of Neural Networks")
        await wait_for(pilot, lambda: app.reading_screen.topic_id == topic)
        third = app.reading_screen.item_list.item_ids[2]
        await click_row(pilot, app, 2)
        await wait_for(pilot, lambda: app.reading_screen.item_list.current_item_id == third)


async def test_clicking_footer_keys_runs_them(tmp_path: Path, running_app: RunningApp) -> None:
    async with running_app() as (app, pilot):
        assert app.reading_screen.filter == "all"
        assert await pilot.click(footer_key(app, "f"))
        await wait_for(pilot, lambda: app.reading_screen.filter == "to do")
        assert "filter: to do" in str(app.query_one("#list-header").render())
        assert await pilot.click(footer_key(app, "question_mark"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ != "HelpScreen")
        assert await pilot.click(footer_key(app, "q"))
        await wait_for(pilot, lambda: not app.is_running, timeout=10)
    assert app.return_code == 0
