"""A day with dlreader (issue #12), in the app: resume, the queue, combined filters,
tags, own titles, undo that names and goes, stats, counts and keys (pilot, real store)."""

from __future__ import annotations

from pathlib import Path

from app_harness import (
    BIG,
    SMALL,
    app_with_library,
    loaded,
    on_disk,
    open_topic_list,
    settle,
    shown_notice,
    wait_for,
    write_list,
)

from dlreader.app.app import DlreaderApp
from dlreader.app.components.item_list import item_row
from dlreader.app.components.topic_tree import topic_label
from dlreader.app.screens.queue import QueueScreen
from dlreader.filters import ItemFilter

app_for = app_with_library


def id_of(app: DlreaderApp, url: str) -> str:
    assert app.reading_screen.reading is not None
    found = app.reading_screen.reading.catalog.find_item(url)
    assert found is not None
    return found.id


async def test_relaunch_opens_where_the_user_left(tmp_path: Path) -> None:
    path = write_list(tmp_path)
    app = app_for(path, tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await open_topic_list(pilot, "Alpha")
        await pilot.press("a", "f", "down")  # with subtopics, "to do", second item
        chosen = rs.item_list.current_item_id
        assert chosen is not None and rs.filter == "to do"
        await pilot.press("q")
    app = app_for(path, tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await wait_for(pilot, lambda: rs.item_list.current_item_id == chosen)
        assert rs.reading is not None and rs.topic_id is not None
        assert rs.reading.catalog.topic(rs.topic_id).title == "Alpha"
        assert rs.recursive and rs.filter == "to do" and rs.focused is rs.item_list
        await pilot.press("q")
    # The item left the list: its neighbour at the same place stands in.
    gone = rs.reading.catalog.items[chosen]
    path.write_text(path.read_text().replace(f"({gone.url})", "(https://other.example/z)"))
    app = app_for(path, tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await wait_for(pilot, lambda: rs.item_list.current_item_id is not None)
        assert rs.reading is not None and rs.topic_id is not None
        assert rs.reading.catalog.topic(rs.topic_id).title == "Alpha"
        assert rs.item_list.current_item_id != chosen


async def test_the_queue_lists_reading_then_by_priority_and_O_marks_reading(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BROWSER", "true")
    app = app_for(write_list(tmp_path), tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await open_topic_list(pilot, "Beta")
        await pilot.press("down", "1")  # Beta two: high
        await open_topic_list(pilot, "Alpha")
        await pilot.press("r", "down", "x")  # First reading, Second skipped
        await pilot.press("Q")
        await wait_for(pilot, lambda: isinstance(app.screen, QueueScreen))
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        first, beta_two = id_of(app, "https://example.org/first"), id_of(app,
                                                                          "https://beta.example/two")
        assert screen.ids[:2] == [first, beta_two]
        assert id_of(app, "https://example.com/second") not in screen.ids  # skipped
        assert rs.reading is not None
        from dlreader.app.screens.queue import queue_row
        assert "in Beta" in queue_row(rs.reading, beta_two).plain
        await pilot.press("down", "O")
        await wait_for(pilot, lambda: not isinstance(app.screen, QueueScreen))
        assert rs.item_list.current_item_id == beta_two
        await wait_for(pilot, lambda: rs.reading is not None
                       and rs.reading.status(beta_two) == "reading")
        await settle(pilot)
    assert on_disk(tmp_path)[beta_two].status == "reading"


async def test_the_filter_dialog_combines_facets_and_the_header_says_them(
        tmp_path: Path) -> None:
    app = app_for(write_list(tmp_path), tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await open_topic_list(pilot, "Alpha")
        await pilot.press("1", "down", "r", "2", "down", "3")
        await pilot.press("F")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "FilterDialog")
        from textual.widgets import Checkbox, RadioButton

        app.screen.query_one("#status-unread", Checkbox).value = True
        app.screen.query_one("#status-reading", Checkbox).value = True
        app.screen.query_one("#at-medium", RadioButton).value = True
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ != "FilterDialog")
        assert rs.item_filter == ItemFilter(statuses=frozenset({"unread", "reading"}),
                                             min_priority="medium")
        assert list(rs.item_list.item_ids) == [id_of(app, "https://example.org/first"),
                                                id_of(app, "https://example.com/second")]
        header = str(app.query_one("#list-header").render())
        assert "unread or reading · priority ≥ medium" in header


async def test_tags_and_own_titles_show_in_rows_details_and_search(tmp_path: Path) -> None:
    app = app_for(write_list(tmp_path), tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        item_id = await open_topic_list(pilot, "Alpha")
        assert item_id is not None and rs.reading is not None
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "TextPrompt")
        await pilot.press(*"optim, to-read", "enter")
        await wait_for(pilot, lambda: rs.reading.state(item_id) is not None)
        assert rs.reading.state(item_id).tags == ["optim", "to-read"]  # type: ignore[union-attr]
        await pilot.press("T")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "TextPrompt")
        await pilot.press(*"My first", "enter")
        await wait_for(pilot, lambda: rs.reading.state(item_id).own_title == "My first")  # type: ignore[union-attr]
        row = item_row(rs.reading, item_id, 120).plain
        assert "My first" in row and "#optim #to-read" in row
        details = str(app.query_one("#item-info").render())
        assert "My first" in details and "list title First paper" in details
        assert rs.reading.search("optim")[0].item_id == item_id
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "TextPrompt")
        await pilot.press("ctrl+u", *"to-read", "enter")
        await wait_for(pilot, lambda: rs.reading.state(item_id).tags == ["to-read"])  # type: ignore[union-attr]
        await settle(pilot)
    state = on_disk(tmp_path)[item_id]
    assert state.tags == ["to-read"] and state.own_title == "My first"


async def test_undo_names_the_item_and_goes_there(tmp_path: Path) -> None:
    app = app_for(write_list(tmp_path), tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await open_topic_list(pilot, "Beta")
        await pilot.press("down", "space")
        beta_two = rs.item_list.current_item_id
        await settle(pilot)
        await open_topic_list(pilot, "Alpha")
        assert rs.item_list.current_item_id != beta_two
        await pilot.press("u")
        await shown_notice(pilot, lambda text: text.startswith("Undone"))
        await shown_notice(pilot, lambda text: text == "Undone: mark read — “Beta two”")
        await wait_for(pilot, lambda: rs.item_list.current_item_id == beta_two)
        assert rs.reading is not None and rs.reading.status(beta_two) == "unread"


async def test_marking_a_topic_leaves_skipped_items_and_counts_them_done(
        tmp_path: Path) -> None:
    app = app_for(write_list(tmp_path), tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await open_topic_list(pilot, "Beta")
        await pilot.press("x")
        skipped = rs.item_list.current_item_id
        assert rs.reading is not None and skipped is not None
        beta = rs.topic_id
        assert beta is not None and rs.reading.progress(beta) == (1, 2)
        assert "1/2" in topic_label("Beta", rs.reading.progress(beta)).plain
        rs.topic_tree.focus()
        await pilot.press("space")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ConfirmScreen")
        question = str(app.screen.query_one("#confirm-question").render())
        assert "Mark 1 item" in question and "1 unread" in question
        assert "1 skipped stay skipped" in question
        await pilot.press("y")
        await wait_for(pilot, lambda: rs.reading.progress(beta) == (2, 2))  # type: ignore[union-attr]
        assert rs.reading.status(skipped) == "skipped"


async def test_stats_screen_keys_in_footer_help_and_one_palette_help(tmp_path: Path) -> None:
    app = app_for(write_list(tmp_path), tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await open_topic_list(pilot, "Beta")
        await pilot.press("space")
        footer_keys = {binding.key for (_, binding, enabled, _) in
                       app.screen.active_bindings.values() if binding.show}
        assert {"space", "r", "x", "1", "2", "3", "Q"} <= footer_keys
        await pilot.press("S")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "StatsScreen")
        streak = str(app.screen.query_one("#stats-streak").render())
        assert "1 day in a row" in streak
        from rich.console import Console

        from dlreader.app.screens.stats import progress_table

        console = Console(width=100)
        with console.capture() as captured:
            console.print(progress_table(rs.reading))  # type: ignore[arg-type]
        assert any(line.split()[:2] == ["Beta", "1/2"]
                   for line in captured.get().splitlines()), captured.get()
        await pilot.press("escape")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Help") == 1 and "Keys" not in titles


async def test_details_show_the_items_own_topic_prose_with_subtopics(tmp_path: Path) -> None:
    text = ("# R\n\n## Top\n\n- [T one](https://t.example/1)\n\n### Sub\n\n"
            "Prose of the subtopic.\n\n- [S one](https://s.example/1)\n")
    app = app_for(write_list(tmp_path, text), tmp_path)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await loaded(pilot)
        await open_topic_list(pilot, "Top")
        await pilot.press("a", "down")
        await wait_for(pilot, lambda: "Prose of the subtopic" in str(
            app.query_one("#passages").render()))


async def test_rows_across_topics_say_which_subtopic_they_come_from(tmp_path: Path) -> None:
    text = ("# R\n\n## Top\n\nTop's own prose.\n\n- [T one](https://t.example/1)\n\n"
            "### Sub\n\nProse of the subtopic.\n\n- [S one](https://s.example/1)\n\n"
            "#### Deeper\n\n- [D one](https://d.example/1)\n\n## Other\n\n"
            "- [O one](https://o.example/1)\n")
    app = app_for(write_list(tmp_path, text), tmp_path)
    async with app.run_test(size=BIG) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await open_topic_list(pilot, "Top")

        def rows() -> list[str]:
            items = rs.item_list
            return [items.render_line(y).text for y in range(len(items.item_ids))]

        assert not any(" in " in row for row in rows())  # one topic: no labels
        await pilot.press("a")
        await wait_for(pilot, lambda: len(rs.item_list.item_ids) == 3)
        t_row, s_row, d_row = rows()
        # Dimmed, as in the queue; the listed topic's own items need none (the header).
        assert "T one" in t_row and " in " not in t_row
        assert "S one" in s_row and "in Sub " in s_row
        assert "D one" in d_row and "in Sub › Deeper " in d_row
        label = item_row(rs.reading, rs.item_list.item_ids[1], 120,  # type: ignore[arg-type]
                         where="Sub")
        assert any(span.style == "dim cyan" and label.plain[span.start:span.end].strip() ==
                   "in Sub" for span in label.spans)
        # Details: the highlighted item's own topic's prose, row by row.
        await pilot.press("down")
        await wait_for(pilot, lambda: "Prose of the subtopic" in str(
            app.query_one("#passages").render()))
        await pilot.press("up")
        await wait_for(pilot, lambda: "Top's own prose" in str(
            app.query_one("#passages").render()))
        await pilot.press("a")
        await wait_for(pilot, lambda: len(rs.item_list.item_ids) == 1)
        assert " in " not in rows()[0]


async def test_search_labels_hits_and_tab_scopes_it_to_the_topic(tmp_path: Path) -> None:
    app = app_for(write_list(tmp_path), tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        await loaded(pilot)
        await open_topic_list(pilot, "Beta")
        await pilot.press("slash", *"paper")
        from dlreader.app.screens.search import SearchScreen, hit_prompt

        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await wait_for(pilot, lambda: len(screen.hits) == 2)
        assert "word title" in hit_prompt(screen.view, screen.hits[0], "paper").plain
        await pilot.press("tab")
        await wait_for(pilot, lambda: screen.hits == [])
        assert "in Beta" in str(screen.query_one("#search-status").render())
        await pilot.press("tab")
        await wait_for(pilot, lambda: len(screen.hits) == 2)


def test_the_copy_notice_is_plain_and_names_tmux_setting() -> None:
    from dlreader.app.screens.item_actions import copy_notice

    long = "Pyperclip could not find a copy/paste mechanism for your system.\nSee: https://x"
    notice = copy_notice("https://a.example/x", long, inside_tmux=True)
    assert notice.startswith("Copied https://a.example/x through the terminal")
    assert "\n" not in notice and "set -g set-clipboard on" in notice
    assert "tmux" not in copy_notice("https://a.example/x", long, inside_tmux=False)
