"""What one key repaints (issue #12's K1): the footer, the tree's labels, the rows and the
details follow each key, without redoing what the key did not change."""

from __future__ import annotations

from pathlib import Path

from app_harness import RunningApp, settle, wait_for

from dlreader.app.app import DlreaderApp


def footer_labels(app: DlreaderApp) -> list[str]:
    return [str(getattr(key, "description", "")) for key in app.query("Footer FooterKey")]


async def test_the_footer_follows_the_focus_and_keeps_its_keys_when_they_are_the_same(
    tmp_path: Path, running_app: RunningApp
) -> None:
    async with running_app() as (app, pilot):
        await wait_for(pilot, lambda: "Topic read" in footer_labels(app))
        await pilot.press("tab")  # the link list: Space marks the item
        await wait_for(pilot, lambda: "Read" in footer_labels(app)
                       and "Topic read" not in footer_labels(app))
        await settle(pilot)
        shown = list(app.query("Footer FooterKey"))
        # The screen asking again (as it does after every focus change) with the same
        # keys in force keeps the footer's widgets: no re-mount, no re-layout.
        app.screen.refresh_bindings()
        await settle(pilot)
        assert list(app.query("Footer FooterKey")) == shown
        await pilot.press("shift+tab")
        await wait_for(pilot, lambda: "Topic read" in footer_labels(app))


async def test_a_tree_move_lists_the_topic_and_its_first_items_details(
    tmp_path: Path, running_app: RunningApp
) -> None:
    async with running_app() as (app, pilot):
        screen = app.reading_screen
        first = screen.topic_id
        await pilot.press("down")
        await wait_for(pilot, lambda: screen.topic_id != first)
        view = screen.reading
        assert view is not None and screen.topic_id is not None
        wanted = view.item_ids(screen.topic_id)
        await wait_for(pilot, lambda: screen.item_list.item_ids == wanted)
        if wanted:
            title = view.catalog.items[wanted[0]].title
            await wait_for(pilot, lambda: title in str(screen.detail.query_one("#item-info")
                                                       .render()))


async def test_marking_an_item_relabels_every_ancestor_topic(
    tmp_path: Path, running_app: RunningApp
) -> None:
    async with running_app() as (app, pilot):
        screen = app.reading_screen
        await pilot.press("down")  # Alpha, under Reading
        await wait_for(pilot, lambda: bool(screen.item_list.item_ids))
        await pilot.press("tab")
        item_id = screen.item_list.current_item_id
        assert item_id is not None and screen.reading is not None
        ancestors = [t.id for t in screen.reading.catalog.path(screen.topic_id or "")]
        before = {t: screen.reading.progress(t)[0] for t in ancestors}
        await pilot.press("space")
        await wait_for(pilot, lambda: screen.reading is not None
                       and screen.reading.status(item_id) == "read")
        tree = screen.topic_tree
        for topic_id in ancestors:
            await wait_for(pilot, lambda t=topic_id:  # type: ignore[misc]
                           f"{before[t] + 1}/" in tree.label_of(t).plain)
