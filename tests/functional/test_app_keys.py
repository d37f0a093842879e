"""Pilot tests: every key of the reading app, on a real store and a real list."""

from __future__ import annotations

import os
from pathlib import Path

from app_harness import (
    BIG,
    SMALL,
    RunningApp,
    loaded,
    make_app,
    on_disk,
    open_topic_list,
    settle,
    shown_notice,
    wait_for,
    write_list,
)

from dlreader.app.components.detail_pane import DetailPane
from dlreader.app.components.item_list import ItemList, ListHeader
from dlreader.app.components.topic_tree import TopicTree
from dlreader.app.screens.confirm import ConfirmScreen
from dlreader.app.screens.help import HelpScreen
from dlreader.app.screens.note_editor import NoteEditor
from dlreader.app.screens.search import SearchScreen
from dlreader.catalog.loader import load_catalog
from dlreader.filters import SORTS
from dlreader.reading import FILTERS


def ids_by_title(list_path: Path) -> dict[str, str]:
    catalog = load_catalog(list_path)
    return {item.title: item.id for item in catalog.items.values()}


def topic_ids(list_path: Path) -> dict[str, str]:
    return {topic.title: topic.id for topic in load_catalog(list_path).topics}


async def go_to_topic(pilot, title: str) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    topic_id = app.reading_screen.reading.catalog.find_topics(title)[0].id
    app.reading_screen.topic_tree.focus()
    app.reading_screen.topic_tree.select_topic(topic_id)
    await wait_for(pilot, lambda: app.reading_screen.topic_id == topic_id)


# -- start-up -------------------------------------------------------------------------------


async def test_start_on_the_seed_tree_focused_first_topic_listed(
    seed_path: Path, tmp_path: Path, running_app: RunningApp,
) -> None:
    async with running_app(seed_path) as (app, pilot):
        tree = app.query_one(TopicTree)
        assert app.focused is tree
        first = app.reading_screen.reading.catalog.topics[0]
        assert tree.cursor_topic_id == first.id
        main = app.reading_screen
        assert main.item_list.item_ids == main.reading.catalog.item_ids_under(first.id)
        assert len(app.reading_screen.item_list.item_ids) > 10
        # Expanded to level 2: the roots are open, their children are visible.
        assert first.parent is None and tree.is_expanded(first.id) and first.children
        assert set(first.children) <= set(tree.line_topic_ids)
        assert all(not tree.is_expanded(child) for child in first.children)
        # Every node shows read/total for its subtree.
        label = tree.label_of(first.id).plain
        read, total = app.reading_screen.reading.progress(first.id)
        assert f"{read}/{total}" in label and total == len(app.reading_screen.reading.catalog.items)
        assert app.title == "Science of Deep Learning"
        assert app.sub_title.startswith(f"tester · 0/{total} done")


async def test_tab_and_shift_tab_cycle_the_panes(tmp_path: Path, running_app: RunningApp) -> None:
    async with running_app() as (app, pilot):
        assert isinstance(app.focused, TopicTree)
        await pilot.press("tab")
        assert isinstance(app.focused, ItemList)
        await pilot.press("tab")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("shift+tab", "shift+tab")
        assert isinstance(app.focused, TopicTree)


async def test_arrows_j_k_and_enter_move_and_expand(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    topics = topic_ids(path)
    async with running_app(path) as (app, pilot):
        tree = app.reading_screen.topic_tree
        await pilot.press("down")
        assert tree.cursor_topic_id == topics["Alpha"]
        await wait_for(pilot, lambda: app.reading_screen.topic_id == topics["Alpha"])
        main = app.reading_screen
        assert main.item_list.item_ids == main.reading.catalog.item_ids_under(topics["Alpha"])
        alpha = tree.cursor_topic_id
        assert alpha is not None and not tree.is_expanded(alpha)
        await pilot.press("enter")
        assert tree.is_expanded(alpha)
        await pilot.press("j")
        assert tree.cursor_topic_id == topics["Alpha child"]
        await pilot.press("k", "left")
        assert not tree.is_expanded(alpha)
        await pilot.press("right")
        assert tree.is_expanded(alpha)
        await pilot.press("tab", "down")
        assert app.reading_screen.item_list.cursor == 1
        await pilot.press("j", "k", "k")
        assert app.reading_screen.item_list.cursor == 0


# -- marking --------------------------------------------------------------------------------


async def test_space_toggles_read_and_the_store_has_it(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        item_id = await open_topic_list(pilot, "Alpha")
        await pilot.press("space")
        # Shown at once, before the write.
        assert app.reading_screen.reading.status(item_id) == "read"
        assert "1/6 done" in app.sub_title
        await settle(pilot)
        assert on_disk(tmp_path)[item_id].status == "read"
        assert app.reading_screen.reading.state(item_id).read_at  # the store's record came back
        await pilot.press("space")
        await settle(pilot)
        assert on_disk(tmp_path)[item_id].status == "unread"


async def test_topic_counts_follow_changes_for_every_ancestor(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    topics = topic_ids(path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot, "Alpha")
        await pilot.press("space")  # "First paper": under Alpha and Alpha child
        assert app.reading_screen.reading.progress(topics["Alpha"]) == (1, 4)
        assert app.reading_screen.reading.progress(topics["Reading"]) == (1, 6)
        assert app.reading_screen.reading.progress(topics["Alpha child"]) == (1, 2)
        assert "1/4" in app.reading_screen.topic_tree.label_of(topics["Alpha"]).plain


async def test_space_on_a_topic_asks_then_marks_the_subtree_read(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await go_to_topic(pilot, "Alpha")
        await pilot.press("space")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.reading_screen.reading.overall()[0] == 0
        await pilot.press("space")
        await pilot.press("y")
        await settle(pilot)
        main = app.reading_screen
        under = main.reading.catalog.item_ids_under(main.topic_id, recursive=True)
        states = on_disk(tmp_path)
        assert len(under) == 4 and all(states[i].status == "read" for i in under)
        # One undo step takes the whole topic back.
        await pilot.press("u")
        await wait_for(pilot, lambda: app.reading_screen.reading.overall()[0] == 0)
        assert not any(s.status == "read" for s in on_disk(tmp_path).values())


async def test_r_x_and_priorities(tmp_path: Path, running_app: RunningApp) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot, "Alpha")
        first = app.reading_screen.item_list.current_item_id
        await pilot.press("r")
        assert app.reading_screen.reading.status(first) == "reading"
        await pilot.press("down", "x")
        second = app.reading_screen.item_list.current_item_id
        assert app.reading_screen.reading.status(second) == "skipped"
        await pilot.press("up", "1")
        assert app.reading_screen.reading.priority(first) == "high"
        await pilot.press("2")
        assert app.reading_screen.reading.priority(first) == "medium"
        await pilot.press("down", "3")
        assert app.reading_screen.reading.priority(second) == "low"
        await settle(pilot)
        states = on_disk(tmp_path)
        assert (states[first].status, states[first].priority) == ("reading", "medium")
        assert (states[second].status, states[second].priority) == ("skipped", "low")
        await pilot.press("0")
        await settle(pilot)
        assert on_disk(tmp_path)[second].priority == "none"


async def test_undo_and_redo_are_multi_step(tmp_path: Path, running_app: RunningApp) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        item_id = await open_topic_list(pilot, "Alpha")
        await pilot.press("space", "1", "r")
        await settle(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: app.reading_screen.reading.status(item_id) == "read")
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: app.reading_screen.reading.priority(item_id) == "none")
        await pilot.press("u")
        await wait_for(pilot, lambda: app.reading_screen.reading.state(item_id) is None)
        assert item_id not in on_disk(tmp_path) or on_disk(tmp_path)[item_id].status == "unread"
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: app.reading_screen.reading.status(item_id) == "read")
        await settle(pilot)
        assert on_disk(tmp_path)[item_id].status == "read"
        await shown_notice(pilot, lambda text: "Redone" in text)


# -- notes ----------------------------------------------------------------------------------


async def test_note_editor_saves_with_ctrl_s(tmp_path: Path, running_app: RunningApp) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        item_id = await open_topic_list(pilot, "Alpha")
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Great *paper*")
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, NoteEditor)
        assert app.reading_screen.reading.note(item_id) == "Great *paper*"
        await settle(pilot)
        assert on_disk(tmp_path)[item_id].note == "Great *paper*"


async def test_note_editor_escape_asks_before_discarding(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        item_id = await open_topic_list(pilot, "Alpha")
        await pilot.press("n")
        await pilot.press("escape")  # nothing typed: closes at once
        assert not isinstance(app.screen, NoteEditor)
        await pilot.press("n", *"draft")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape", "y")
        assert not isinstance(app.screen, (NoteEditor, ConfirmScreen))
        assert app.reading_screen.reading.note(item_id) == ""
        await settle(pilot)
        assert item_id not in on_disk(tmp_path)


async def test_keys_do_not_leak_into_the_list_under_a_dialog(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        item_id = await open_topic_list(pilot, "Alpha")
        await pilot.press("n", *"rx1 q")
        assert app.reading_screen.reading.state(item_id) is None
        assert isinstance(app.screen, NoteEditor)


async def test_detail_pane_shows_item_topics_and_note(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot, "Alpha")
        await pilot.press("n", *"a **bold** note", "ctrl+s")
        await pilot.pause()
        info = str(app.query_one("#item-info").render())
        assert "https://example.org/first" in info
        assert "in Reading › Alpha" in info and "in Reading › Alpha › Alpha child" in info
        passages = str(app.query_one("#passages").render())
        assert "A block quote about alpha." in passages
        note = app.query_one("#note")
        assert note.display


# -- finding --------------------------------------------------------------------------------


async def test_search_finds_and_jumps_to_the_item_in_its_topic(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    ids = ids_by_title(path)
    async with running_app(path) as (app, pilot):
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"beta two")
        screen = app.screen
        await wait_for(pilot, lambda: bool(screen.hits))
        assert screen.hits[0].item_id == ids["Beta two"]
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        main = app.reading_screen
        assert main.topic_id == main.reading.catalog.find_topics("Beta")[0].id
        assert app.reading_screen.item_list.current_item_id == ids["Beta two"]
        assert app.focused is app.reading_screen.item_list


async def test_search_covers_notes_and_passages(tmp_path: Path, running_app: RunningApp) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot, "Beta")
        await pilot.press("n", *"zebrafish", "ctrl+s")
        await pilot.press("slash", *"zebrafish")
        screen = app.screen
        await wait_for(pilot, lambda: bool(screen.hits))
        assert screen.hits[0].kind == "note"
        await pilot.press("escape")
        await pilot.press("slash", *"block quote")
        screen = app.screen
        await wait_for(pilot, lambda: bool(screen.hits))
        assert screen.hits[0].kind == "passage"
        await pilot.press("enter")
        await pilot.pause()
        main = app.reading_screen
        assert main.topic_id == main.reading.catalog.find_topics("Alpha")[0].id


async def test_f_cycles_the_filter_and_s_the_sort(tmp_path: Path, running_app: RunningApp) -> None:
    path = write_list(tmp_path)
    ids = ids_by_title(path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot, "Alpha")
        await pilot.press("space", "down", "3", "down", "1")
        seen = []
        for _ in FILTERS:
            seen.append((app.reading_screen.filter, list(app.reading_screen.item_list.item_ids)))
            await pilot.press("f")
        assert [name for name, _ in seen] == list(FILTERS)
        by_filter = dict(seen)
        assert ids["First paper"] not in by_filter["to do"]
        assert set(by_filter["prioritised"]) == {ids["Second paper"], ids["Not a web link"]}
        assert by_filter["noted"] == []
        assert app.reading_screen.filter == "all"
        await pilot.press("s")
        assert app.reading_screen.sort == SORTS[1]
        assert app.reading_screen.item_list.item_ids[0] == ids["Not a web link"]  # high first
        await pilot.press("s")
        assert app.reading_screen.sort == "status"
        assert app.reading_screen.item_list.item_ids[-1] == ids["First paper"]  # read sorts last
        await pilot.press("s")
        assert app.reading_screen.sort == "list"


def header_on_screen(app) -> str:  # type: ignore[no-untyped-def]
    """The header's row as the screen shows it (what the compositor paints, clipped)."""
    header = app.query_one(ListHeader)
    strips = app.screen._compositor.render_strips()
    row = "".join(segment.text for segment in strips[header.region.y])
    return row[header.region.x: header.region.right]


LONG_TOPIC = "Differential Equations Motivated Deep Learning Methods"


async def test_the_header_keeps_filter_and_sort_on_screen_at_80x24(
    seed_path: Path, tmp_path: Path, running_app: RunningApp,
) -> None:
    async with running_app(seed_path, size=SMALL) as (app, pilot):
        await open_topic_list(pilot, LONG_TOPIC)
        await pilot.press("f")
        await shown_notice(pilot, lambda text: text == "Filter: to do")
        await pilot.press("s")
        await shown_notice(pilot, lambda text: text == "Sort: priority")
        await pilot.pause()
        line = header_on_screen(app)
        assert "filter: to do" in line and "sort: priority" in line, line
        assert line.rstrip().endswith("sort: priority"), line
        assert "this topic" in line and "36 items" in line, line
        assert line.lstrip().startswith("Differential") and "…" in line, line  # title gives way
        await pilot.press("a")
        assert "+ subtopics" in header_on_screen(app)
        # Wider: the state in its long words, still whole, the title still cut to fit.
        await pilot.resize_terminal(*BIG)
        await pilot.pause()
        line = header_on_screen(app)
        assert "with subtopics  ·  filter: to do  ·  sort: priority" in line, line
        assert LONG_TOPIC[:20] in line, line


async def test_a_short_title_is_shown_whole_beside_the_state(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    async with running_app(size=SMALL) as (app, pilot):
        await go_to_topic(pilot, "Alpha child")
        line = header_on_screen(app)
        assert line.strip() == "Alpha child 2 items · this topic · filter: all · sort: list"
        await pilot.resize_terminal(*BIG)
        await pilot.pause()
        assert header_on_screen(app).strip() == (
            "Alpha child  2 items  ·  this topic only  ·  filter: all  ·  sort: list")


async def test_a_toggles_this_topic_only_and_with_subtopics(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    ids = ids_by_title(path)
    async with running_app(path) as (app, pilot):
        await go_to_topic(pilot, "Alpha")
        assert ids["Child item"] not in app.reading_screen.item_list.item_ids
        await pilot.press("a")
        assert ids["Child item"] in app.reading_screen.item_list.item_ids
        assert len(app.reading_screen.item_list.item_ids) == 4  # "First paper" listed once
        await pilot.press("a")
        assert ids["Child item"] not in app.reading_screen.item_list.item_ids


# -- elsewhere ------------------------------------------------------------------------------


async def test_e_exports_notes_and_says_where(tmp_path: Path, running_app: RunningApp) -> None:
    from dlreader.export import default_export_path

    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot, "Alpha")
        await pilot.press("n", *"worth it", "ctrl+s", "e")
        target = default_export_path("tester")
        await shown_notice(pilot, lambda text: "Exported" in text)
        await shown_notice(pilot, lambda text: text == f"Exported 1 note to {target}")
        assert "worth it" in target.read_text(encoding="utf-8")


async def test_help_screen_opens_and_closes(tmp_path: Path, running_app: RunningApp) -> None:
    async with running_app() as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_every_action_is_in_the_command_palette(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    async with running_app() as (app, pilot):
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for expected in ("Toggle read", "Mark reading", "Mark skipped", "Priority high",
                         "Edit note", "Edit note in $EDITOR", "Open link", "Copy link",
                         "Search", "Cycle filter", "Cycle sort", "Toggle subtopics", "Undo",
                         "Redo", "Export notes", "Help", "Quit", "Theme"):
            assert expected in titles


async def test_q_quits_after_writing_everything(tmp_path: Path, running_app: RunningApp) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot, "Alpha")
        await pilot.press("space", "down", "space", "down", "1", "q")
        await pilot.pause()
    assert app.return_code == 0
    states = on_disk(tmp_path)
    assert sum(state.status == "read" for state in states.values()) == 2
    assert sum(state.priority == "high" for state in states.values()) == 1


async def test_theme_is_remembered(tmp_path: Path, running_app: RunningApp) -> None:
    from dlreader import settings

    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        app.theme = "nord"
        await pilot.pause()
    assert settings.load_theme() == "nord"
    again = make_app(path, tmp_path)
    async with again.run_test(size=BIG, notifications=True) as pilot:
        await loaded(pilot)
        assert again.theme == "nord"


async def test_clicking_a_row_highlights_that_row(tmp_path: Path, running_app: RunningApp) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await go_to_topic(pilot, "Alpha")
        # y=3 inside the bordered list is its third row (the top border is y=0).
        await pilot.click(ItemList, offset=(10, 3))
        await pilot.pause()
        assert app.reading_screen.item_list.cursor == 2
        await pilot.click(ItemList, offset=(10, 1))
        await pilot.pause()
        assert app.reading_screen.item_list.cursor == 0


def write_user_config(text: str) -> None:
    from dlreader import locations

    path = locations.config_dir() / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


async def test_a_users_keymap_rebinds_a_key_and_the_footer_and_help_show_it(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    write_user_config('[keys]\ntoggle_read = "m"\nsearch = "ctrl+f"\n')
    async with running_app() as (app, pilot):
        item_id = await open_topic_list(pilot, "Alpha")
        assert item_id is not None
        await pilot.press("m")
        assert app.reading_screen.reading.status(item_id) == "read"
        await pilot.press("space")  # no longer toggle_read's key (the list's own space neither)
        assert app.reading_screen.reading.status(item_id) == "read"
        shown = {binding.action: key for key, binding in
                 ((k, b.binding) for k, b in app.screen.active_bindings.items()) if binding.show}
        assert shown["search"] == "ctrl+f"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        from rich.console import Console

        from dlreader.app.screens.help import help_table

        console = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(help_table(app.screen.keymap))
        rows = console.export_text().splitlines()
        assert any(row.split()[:2] == ["Ctrl+F", "search"] for row in rows), rows
        assert any(row.split()[:2] == ["m", "read"] for row in rows), rows
        await settle(pilot)
    assert on_disk(tmp_path)[item_id].status == "read"


async def test_a_bad_keymap_says_which_line_and_the_defaults_work(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    write_user_config('[keys]\ntoggle_read = "n"\n')  # n is the note's key
    async with running_app() as (app, pilot):
        await shown_notice(pilot, lambda text: "config.toml, line 2: n would be both" in text)
        item_id = await open_topic_list(pilot, "Alpha")
        assert item_id is not None
        await pilot.press("space")
        assert app.reading_screen.reading.status(item_id) == "read"
