"""The app and the library of lists: NEW marks, "N new" in the tree, the "new" filter,
seen on highlight or N, per-list undo, and the L switcher (pilot, real store and files)."""

from __future__ import annotations

from pathlib import Path

from app_harness import (
    BIG,
    SMALL_LIST,
    USER,
    app_data_dir,
    app_with_library,
    loaded,
    open_topic_list,
    settle,
    shown_notice,
    wait_for,
    write_list,
)
from store_support import user_store

from dlreader.app import build_app
from dlreader.app.components.item_list import item_row
from dlreader.app.components.topic_tree import topic_label
from dlreader.sources.opening import open_source

ADDED = ("- [Fresh one](https://fresh.example/1)\n- [Fresh two](https://fresh.example/2)\n"
         "\n### Alpha child\n")


app_for = app_with_library


async def open_once(list_path: Path, tmp_path: Path) -> None:
    app = app_for(list_path, tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        await loaded(pilot)
        await settle(pilot)


async def test_items_added_since_the_last_open_are_new_until_seen(tmp_path: Path) -> None:
    path = write_list(tmp_path)
    await open_once(path, tmp_path)  # the first open: everything counts as seen
    path.write_text(SMALL_LIST.replace("\n### Alpha child\n", "\n" + ADDED), encoding="utf-8")
    app = app_for(path, tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        await loaded(pilot)
        view = app.reading_screen.reading
        assert view is not None and len(view.new_ids()) == 2
        alpha = view.catalog.find_topics("Alpha")[0].id
        assert "2 new" in topic_label("Alpha", view.progress(alpha), view.new_count(alpha)).plain
        assert "2 new" in app.reading_screen.topic_tree.label_of(alpha).plain
        fresh = view.new_ids()
        assert "NEW" in item_row(view, fresh[0], 80).plain
        assert "NEW" not in item_row(view, view.catalog.find_item("https://example.org/first").id,
                                     80).plain
        # The "new" filter is in the f cycle.
        await open_topic_list(pilot)
        app.reading_screen.topic_tree.focus()
        while app.reading_screen.filter != "new":
            await pilot.press("f")
        await wait_for(pilot, lambda: app.reading_screen.item_list.item_ids == fresh)
        # Highlighting an item in the list is seeing it.
        await pilot.press("tab")
        await wait_for(pilot, lambda: not view.is_new(fresh[0]))
        assert view.is_new(fresh[1]) and view.new_count(alpha) == 1
        await settle(pilot)
        record = user_store(app_data_dir(tmp_path), USER).list_record(app.opened.key)  # type: ignore[union-attr]
        assert record is not None and fresh[0] in record.known and fresh[1] not in record.known
        await pilot.press("N")  # every new item seen
        await wait_for(pilot, lambda: not view.new_ids())
        await shown_notice(pilot, lambda text: "1 new item marked as seen" in text)
        await settle(pilot)
    record = user_store(app_data_dir(tmp_path), USER).list_record(app.opened.key)  # type: ignore[union-attr]
    assert record is not None and set(fresh) <= set(record.known)


async def test_u_undoes_only_this_lists_change(tmp_path: Path) -> None:
    first = write_list(tmp_path, name="one.md")
    second = write_list(tmp_path, SMALL_LIST.replace("# Reading", "# Other"), name="two.md")
    for path in (first, second):
        app = app_for(path, tmp_path)
        async with app.run_test(size=BIG, notifications=True) as pilot:
            await loaded(pilot)
            await open_topic_list(pilot, "Beta" if path == second else "Alpha")
            await pilot.press("space")
            await settle(pilot)
    app = app_for(first, tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("u")  # nothing more of this list's
        await settle(pilot)
    states = user_store(app_data_dir(tmp_path), USER).states()
    assert [state.url for state in states.values()] == ["https://beta.example/one"]


async def test_l_lists_the_library_and_enter_switches(tmp_path: Path) -> None:
    first = write_list(tmp_path, name="one.md")
    second = write_list(tmp_path, SMALL_LIST.replace("# Reading", "# Other"), name="two.md")
    await open_once(second, tmp_path)
    app = app_for(first, tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        await loaded(pilot)
        await settle(pilot)
        await pilot.press("L")
        from textual.widgets import OptionList

        from dlreader.app.screens.list_switcher import ListSwitcher

        await wait_for(pilot, lambda: isinstance(app.screen, ListSwitcher))
        options = app.screen.query_one(OptionList)
        await wait_for(pilot, lambda: "0/6 done" in str(options.get_option_at_index(1).prompt))
        assert "two" in str(options.get_option_at_index(0).prompt)
        assert "one" in str(options.get_option_at_index(1).prompt)
        options.highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.switch_to is not None)
    assert app.switch_to == str(second.resolve())


async def test_offline_a_stale_remote_copy_opens_and_says_offline(tmp_path: Path,
                                                                 list_server) -> None:
    import json
    import time

    from dlreader.sources.kept import facts_path

    list_server.serve_list("/reading.md", SMALL_LIST)
    data_dir = tmp_path / "state"
    url = list_server.url("/reading.md")
    opened = open_source(url, data_dir, refresh_stale=False)  # the first download
    facts = facts_path(opened.path)
    kept = json.loads(facts.read_text())
    kept["checked"] = time.time() - 2 * 86400
    facts.write_text(json.dumps(kept))
    list_server.stop()  # offline from now on
    app = build_app(opened.path, user_store(app_data_dir(tmp_path), USER), user=USER,
                    opened=open_source(url, data_dir, refresh_stale=False))
    async with app.run_test(size=BIG, notifications=True) as pilot:
        await loaded(pilot)
        main = app.reading_screen
        assert main.reading is not None and main.reading.overall() == (0, 6)
        await shown_notice(pilot, lambda text: text.startswith("Offline: showing the copy"))
