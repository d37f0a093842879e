"""Issue #12 item 12, in the app (pilot, real store, the seed list): no scrollbar band
after a resize, z zooms a pane, j/k scroll Details and the help, no old notice after the
editor. The same in the real terminal: tests/functional/test_e2e_glitches.py."""

from __future__ import annotations

from pathlib import Path

from app_harness import (
    BIG,
    SMALL,
    loaded,
    make_app,
    notices,
    shown_notice,
    wait_for,
    write_list,
)
from textual.content import Content
from textual.widget import Widget


def no_band(widget: Widget) -> bool:
    """No horizontal scrollbar: every row of the pane's content area shows content."""
    return (not widget.show_horizontal_scrollbar
            and widget.scrollable_content_region.height == widget.content_region.height)


async def test_no_scrollbar_band_under_the_panes_after_resizes(seed_path: Path,
                                                                tmp_path: Path) -> None:
    app = make_app(seed_path, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        panes = (rs.topic_tree, rs.item_list, rs.detail)
        # 80x24 stacked, 120x30 side by side (tree titles wider than the tree), and back.
        for size in (SMALL, (120, 30), BIG, SMALL):
            await pilot.resize_terminal(*size)
            await wait_for(pilot, lambda size=size: app.size == size)  # type: ignore[misc]
            await pilot.pause()
            assert all(no_band(pane) for pane in panes), (size, [
                (type(p).__name__, p.show_horizontal_scrollbar) for p in panes])
            # The list's last row is an item, not a band.
            items = rs.item_list
            last = items.content_region.height - 1
            assert len(items.item_ids) > last
            assert items.render_line(last).text.strip(), size


async def test_j_k_and_the_page_keys_scroll_details_and_the_help(seed_path: Path,
                                                                 tmp_path: Path) -> None:
    app = make_app(seed_path, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await pilot.press("tab", "tab")  # the tree, the list, Details
        detail = rs.detail
        assert app.focused is detail and detail.max_scroll_y >= 3
        for keys, expected in ((("j", "j"), 2), (("k",), 1), (("G",), detail.max_scroll_y),
                               (("g",), 0), (("down",), 1), (("up",), 0),
                               (("pagedown",), min(detail.max_scroll_y,
                                                   detail.scrollable_content_region.height)),
                               (("home",), 0), (("end",), detail.max_scroll_y)):
            await pilot.press(*keys)
            await wait_for(pilot, lambda e=expected: detail.scroll_y == e)  # type: ignore[misc]
        # A burst (keys read before the next refresh, as a terminal sends held j): each
        # one scrolls, from where the last one left.
        await pilot.press("g")
        await wait_for(pilot, lambda: detail.scroll_y == 0)
        for _ in range(3):
            detail.action_scroll_down()
        assert detail.scroll_y == 3
        # The list keeps its own j/k: they move the cursor, not Details.
        await pilot.press("shift+tab", "j")
        assert rs.item_list.cursor == 1
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen")
        help_pane = app.screen.query_one("#help")
        assert help_pane.max_scroll_y > 10
        for keys, expected in ((("j", "j", "j"), 3), (("k",), 2), (("G",), help_pane.max_scroll_y),
                               (("g",), 0), (("down",), 1), (("end",), help_pane.max_scroll_y),
                               (("home",), 0)):
            await pilot.press(*keys)
            await wait_for(pilot, lambda e=expected: help_pane.scroll_y == e)  # type: ignore[misc]
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: help_pane.scroll_y > 5)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is rs)


async def test_z_zooms_the_focused_pane_to_the_screen_and_back(seed_path: Path,
                                                                tmp_path: Path) -> None:
    app = make_app(seed_path, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await pilot.press("tab", "tab")
        detail = rs.detail
        assert app.focused is detail and detail.scrollable_content_region.height < 8
        await pilot.press("z")
        await wait_for(pilot, lambda: rs.maximized is detail)
        # Details alone under the title bar, over the footer: 20 lines at 80x24.
        assert detail.scrollable_content_region.height >= 18
        assert rs.item_list.region.height == 0 and rs.topic_tree.region.height == 0
        assert detail.border_subtitle == "z or Esc: back"
        await pilot.press("z")
        await wait_for(pilot, lambda: rs.maximized is None)
        assert detail.scrollable_content_region.height < 8 and detail.border_subtitle == ""
        assert rs.item_list.region.height > 0 and app.focused is detail
        # The list zoomed, Esc back; the tree zoomed.
        await pilot.press("shift+tab", "z")
        await wait_for(pilot, lambda: rs.maximized is rs.item_list)
        assert rs.item_list.region.height == 22
        await pilot.press("escape")
        await wait_for(pilot, lambda: rs.maximized is None)
        await pilot.press("shift+tab", "z")
        await wait_for(pilot, lambda: rs.maximized is rs.topic_tree)
        await pilot.press("z", "tab", "tab", "z")
        await wait_for(pilot, lambda: rs.maximized is detail)
        # Going elsewhere (Enter in the queue focuses the list) shows every pane again.
        await pilot.press("Q")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "QueueScreen")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is rs and app.focused is rs.item_list)
        await wait_for(pilot, lambda: rs.maximized is None)
        # One entry for it in the palette: ours, not Textual's Maximize as well.
        titles = [command.title for command in app.get_system_commands(rs)]
        assert titles.count("Zoom pane") == 1 and "Maximize" not in titles


async def test_notices_from_before_the_external_editor_do_not_come_back(
        seed_path: Path, tmp_path: Path) -> None:
    """The pilot's terminal cannot hand over to $EDITOR (the tmux test runs one); what
    is on screen before the hand-over is dropped either way."""
    app = make_app(seed_path, tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("tab", "s")
        await shown_notice(pilot, lambda text: text == "Sort: priority")
        await pilot.press("E")
        await shown_notice(pilot, lambda text: "cannot hand over" in text)
        assert notices(app) == ["This terminal cannot hand over to $EDITOR; use n."]


async def test_the_zoomed_list_says_in_its_border_what_its_hidden_header_says(
        tmp_path: Path) -> None:
    # Only the screen's own children can stay beside a zoomed pane, so the header line
    # above the list goes with the others: the list's border carries it, literally.
    source = write_list(tmp_path, "# L\n\n## Alpha [red]x[/red] of a long title\n\n"
                                  "- [One](https://a.example/1)\n- [Two](https://a.example/2)\n")
    app = make_app(source, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        rs = app.reading_screen
        await loaded(pilot)
        await pilot.press("down", "tab")
        await wait_for(pilot, lambda: app.focused is rs.item_list
                       and len(rs.item_list.item_ids) == 2)
        await pilot.press("z")
        await wait_for(pilot, lambda: rs.maximized is rs.item_list)

        def border() -> str:  # as the border draws it (Textual keeps titles as markup)
            return Content.from_markup(rs.item_list.border_title or "").plain

        assert "Alpha [red]x[/red]" in border() and "2 items" in border()
        assert "filter: all" in border()
        await pilot.press("f")  # the filter changes under the zoom: the border follows
        await wait_for(pilot, lambda: "filter: to do" in border())
        await pilot.press("z")
        await wait_for(pilot, lambda: rs.maximized is None)
        assert rs.item_list.border_title == "Links"
