"""What the start leaves behind: the launcher pauses the cyclic GC for the start
(commands/launch.py); the screen turns it on again once the first links are shown."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from app_harness import RunningApp, wait_for, write_list


async def test_the_cyclic_gc_is_on_again_once_the_first_links_show(
    tmp_path: Path, running_app: RunningApp
) -> None:
    gc.disable()  # as the launcher does before it opens anything
    try:
        async with running_app() as (app, pilot):  # the catalog loaded, its rows shown
            assert app.reading_screen.catalog_loaded
            await wait_for(pilot, gc.isenabled)
    finally:
        gc.enable()


async def test_a_big_cached_list_shows_its_first_topic_before_the_whole_reading_state(
    tmp_path: Path, running_app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Over SYNC_STATE_ITEMS the reading state is built in a thread (a second on the seed
    # x100); the first topic's rows come from the cached catalog before it, as a cold
    # start's come from its preview (they used to wait for it: later than a cold start).
    from dlreader.app import loading
    from dlreader.app.components.item_list import ItemList
    from dlreader.catalog.loader import load_catalog

    first = [f"- [first {n}](https://example.org/first/{n})" for n in range(3)]
    rest = [f"- [item {n}](https://example.org/rest/{n})"
            for n in range(loading.SYNC_STATE_ITEMS + 1)]
    path = write_list(tmp_path, "\n".join(["## First", "", *first, "", "## Rest", "", *rest, ""]),
                      name="big.md")
    whole = load_catalog(path)  # and the parse cache: the start below is warm
    assert loading.cached_catalog(path, None) is not None
    shown: list[tuple[int, list[str]]] = []  # per call: the state's item count, the rows
    show_items = ItemList.show_items

    def recording(self: ItemList, view, item_ids, **options):  # type: ignore[no-untyped-def]
        shown.append((len(view.catalog.items) if view else 0, list(item_ids)))
        show_items(self, view, item_ids, **options)

    monkeypatch.setattr(ItemList, "show_items", recording)
    async with running_app(path) as (app, pilot):
        first_topic = whole.topics[0]
        assert app.reading_screen.topic_id == first_topic.id
    assert shown[0] == (3, first_topic.items)  # the topic's own items, alone
    assert (len(whole.items), first_topic.items) in shown[1:]  # then from the whole state


async def test_a_warm_start_shows_the_first_items_details_after_its_links(
    tmp_path: Path, running_app: RunningApp
) -> None:
    # From the parse cache the first links paint alone; their details follow in the next
    # frame (as after a topic move) and must not stay at "Loading the list…".
    from dlreader.app import loading
    from dlreader.catalog.loader import load_catalog

    path = write_list(tmp_path, "## First\n\n- [Paper one](https://example.org/1)\n"
                      "- [Paper two](https://example.org/2)\n")
    load_catalog(path)  # and the parse cache: the start below is warm
    assert loading.cached_catalog(path, None) is not None
    async with running_app(path) as (app, pilot):
        screen = app.reading_screen
        await wait_for(pilot, lambda: bool(screen.item_list.item_ids))
        assert screen.reading is not None
        title = screen.reading.catalog.items[screen.item_list.item_ids[0]].title
        await wait_for(pilot, lambda: title in str(screen.detail.query_one("#item-info")
                                                   .render()))


async def test_the_details_say_the_list_is_loading_while_a_big_lists_state_is_built(
    tmp_path: Path, running_app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A warm start's detail pane is an empty box until its first details; when those
    # wait for a reading state built in a thread, it says so meanwhile.
    from dlreader.app import loading
    from dlreader.app.components.item_list import ItemList
    from dlreader.catalog.loader import load_catalog

    items = [f"- [item {n}](https://example.org/{n})" for n in range(loading.SYNC_STATE_ITEMS + 1)]
    path = write_list(tmp_path, "\n".join(["## First", "", *items, ""]), name="big.md")
    load_catalog(path)  # and the parse cache: the start below is warm
    details: list[str] = []  # what the details said as each set of rows was shown
    show_items = ItemList.show_items

    def recording(self: ItemList, view, item_ids, **options):  # type: ignore[no-untyped-def]
        info = self.screen.query_one_optional("#item-info")
        details.append(str(info.render()) if info is not None else "(no details yet)")
        show_items(self, view, item_ids, **options)

    monkeypatch.setattr(ItemList, "show_items", recording)
    async with running_app(path) as (app, pilot):
        await wait_for(pilot, lambda: "item 0" in str(app.query_one("#item-info").render()))
    assert details[0] == "Loading the list…"  # the preview's rows, before the state


async def test_a_cold_start_shows_the_loading_bar_and_a_warm_one_mounts_it_hidden_later(
    tmp_path: Path, running_app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bar is mounted with the panes only when a parse follows; from the parse cache
    # it comes with the footer, after the first links, and is never shown.
    from dlreader.app.components.loading_bar import LoadingBar
    from dlreader.catalog.loader import load_catalog

    shown: list[bool] = []
    watch_active = LoadingBar.watch_active

    def recording(self: LoadingBar, active: bool) -> None:
        shown.append(active)
        watch_active(self, active)

    monkeypatch.setattr(LoadingBar, "watch_active", recording)
    cold = write_list(tmp_path, "## First\n\n- [Paper one](https://example.org/1)\n",
                      name="cold.md")
    async with running_app(cold):  # no parse cache: the list is parsed, the bar shown
        assert True in shown and shown[-1] is False, shown
    shown.clear()
    warm = write_list(tmp_path, "## Other\n\n- [Paper two](https://example.org/2)\n",
                      name="warm.md")
    load_catalog(warm)  # and the parse cache: the start below is warm
    from dlreader.app.components.item_list import ItemList

    bars_with_first_rows: list[int] = []
    show_items = ItemList.show_items

    def counting(self: ItemList, *args, **options):  # type: ignore[no-untyped-def]
        bars_with_first_rows.append(len(self.screen.query(LoadingBar)))
        show_items(self, *args, **options)

    monkeypatch.setattr(ItemList, "show_items", counting)
    async with running_app(warm) as (app, pilot):
        assert bars_with_first_rows[0] == 0  # the frame of the first links has no bar
        await wait_for(pilot, lambda: bool(app.screen.query("KeyFooter")))
        names = [type(widget).__name__ for widget in app.screen.children]
        assert names.count("LoadingBar") == 1
        assert names.index("LoadingBar") < names.index("KeyFooter")
    assert True not in shown, shown  # (a mount calls the watcher with False)
