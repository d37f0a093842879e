"""What the panes show: list text literally (no markup, no escapes), the seed's math,
images and quotes, a narrow terminal, ten thousand rows."""

from __future__ import annotations

import time
from pathlib import Path

from app_harness import (
    BIG,
    SMALL,
    RunningApp,
    wait_for,
    write_list,
)

from dlreader.app.components.item_list import ItemList, item_row

HOSTILE = """\
# Hostile [bold]list[/bold]

## Topic [red]red[/] and \x1b[31mescape\x1b[0m

- [Title with [bold]markup[/bold] and [/] here](https://example.org/a)
- [Escape \x1b]0;pwned\x07 and \x9b31m bytes](https://example.org/b)

A paragraph with [link=https://evil]rich link[/link], a stray [/] and \x1b[2J.
"""


async def test_markup_and_escape_bytes_are_shown_literally(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path, HOSTILE)
    async with running_app(path) as (app, pilot):
        # The catalog keeps the title as written; the tree shows it without the escapes.
        main = app.reading_screen
        [topic] = main.reading.catalog.find_topics("Topic [red]red[/] and \x1b[31mescape\x1b[0m")
        topic_id = topic.id
        main = app.reading_screen
        tree = main.topic_tree
        labels = {key: tree.label_of(key).plain for key in tree.line_topic_ids}
        assert labels[topic_id].startswith("Topic [red]red[/] and [31mescape[0m  "), labels
        assert not any("\x1b" in label for label in labels.values())
        app.reading_screen.topic_tree.select_topic(topic_id)
        await wait_for(pilot, lambda: app.reading_screen.topic_id == topic_id)
        main = app.reading_screen
        rows = [item_row(main.reading, item_id, 120).plain for item_id in main.item_list.item_ids]
        assert any("[bold]markup[/bold] and [/] here" in row for row in rows), rows
        assert not any(ch in row for row in rows for ch in "\x1b\x07\x9b")
        # What reaches the screen: the rendered list and detail, as the terminal gets them.
        screen_text = app.export_screenshot()
        assert "\x1b" not in screen_text and "pwned\x07" not in screen_text
        info = str(app.query_one("#item-info").render())
        assert "[bold]markup[/bold]" in info
        assert "\x1b" not in info
        passages = str(app.query_one("#passages").render())
        # The markup as typed: Rich would have turned it into a link (and [/] into an error).
        assert "with [link=https://evil]rich link[/link], a stray [/] and [2J." in passages, \
            passages
        assert "\x1b" not in passages
        assert "[bold]" in app.title


async def passages_of(pilot, title: str) -> str:  # type: ignore[no-untyped-def]
    """The detail pane's prose for the topic, as the pane renders it."""
    app = pilot.app
    [topic] = app.reading_screen.reading.catalog.find_topics(title)
    app.reading_screen.topic_tree.select_topic(topic.id)
    await wait_for(pilot, lambda: app.reading_screen.topic_id == topic.id)
    await pilot.pause()
    passages = app.query_one("#passages")
    assert passages.display
    return str(passages.render())


async def test_the_detail_pane_shows_math_images_and_quotes_of_the_seed(
    seed_path: Path, tmp_path: Path, running_app: RunningApp,
) -> None:
    async with running_app(seed_path) as (app, pilot):
        # $$x^{t+1} = f_t(x^{t}),t\in [0,1,\cdots, T]$$ in the list: Unicode, no TeX left.
        numerical = await passages_of(pilot, "Numerical Analysis for Deep Learning")
        assert "x^(t+1) = f_t(x^t),t∈[0,1,⋯, T]" in numerical, numerical
        assert "\\" not in numerical and "$" not in numerical, numerical
        # <img src="http://www.mathcs.emory.edu/~lruthot/img/DeepLearning.png" ...>: a link.
        methods = await passages_of(pilot, "Differential Equations Motivated Deep Learning Methods")
        assert "image: " in methods
        assert "→ http://www.mathcs.emory.edu/~lruthot/img/DeepLearning.png" in methods, methods
        assert "<img" not in methods
        # A linked paragraph is a quote, with its source under it.
        assert ("“Many effective networks can be interpreted as different numerical "
                "discretizations of differential equations.") in methods, methods
        assert "\n  — https://web.stanford.edu/~yplu/proj/lm/" in methods, methods
        assert "∂Y(t)=σ(K(t) Y(t) + b(t)), Y(0)=Y_0, t∈[0, T]." in methods
        assert "\\" not in methods


async def test_narrow_terminal_stacks_the_panes_and_all_are_reachable(
    seed_path: Path, tmp_path: Path, running_app: RunningApp,
) -> None:
    async with running_app(seed_path, size=SMALL) as (app, pilot):
        assert app.screen.has_class("-narrow")
        main = app.reading_screen
        tree, items, detail = main.topic_tree, main.item_list, main.detail
        for widget in (tree, items, detail):
            region = widget.region
            assert region.height >= 3 and region.width >= 70, (widget, region)
        assert tree.region.y < items.region.y < detail.region.y
        await pilot.press("tab")
        assert app.focused is items
        await pilot.press("tab")
        assert app.focused is detail
        await pilot.resize_terminal(*BIG)
        await pilot.pause()
        assert not app.screen.has_class("-narrow")
        assert tree.region.x < items.region.x


def big_list(count: int) -> str:
    lines = ["# Big", "", "## Everything", ""]
    lines += [f"- [Paper number {n}](https://example.org/p/{n})" for n in range(count)]
    return "\n".join(lines) + "\n"


async def test_ten_thousand_rows_scroll_like_ten(tmp_path: Path, running_app: RunningApp) -> None:
    path = write_list(tmp_path, big_list(10_000))
    async with running_app(path) as (app, pilot):
        topic_id = app.reading_screen.reading.catalog.find_topics("Everything")[0].id
        app.reading_screen.topic_tree.select_topic(topic_id)
        await wait_for(pilot, lambda: len(app.reading_screen.item_list.item_ids) == 10_000)
        items = app.query_one(ItemList)
        items.focus()
        assert items.virtual_size.height == 10_000
        rendered: list[int] = []
        original = items.render_line

        def counting(y: int):  # type: ignore[no-untyped-def]
            rendered.append(y)
            return original(y)

        items.render_line = counting  # type: ignore[method-assign]
        started = time.perf_counter()
        for _ in range(40):
            await pilot.press("pagedown")
        await pilot.press("end")
        elapsed = time.perf_counter() - started
        assert items.cursor == 9_999
        assert items.scroll_offset.y >= 10_000 - items.size.height
        # Only visible rows are ever drawn: far fewer than the list's length.
        assert len(rendered) < 41 * items.size.height * 3
        assert elapsed < 10
        await pilot.press("space")
        assert app.reading_screen.reading.status(items.current_item_id) == "read"


async def test_the_empty_lists_message_wraps_in_a_narrow_pane(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path, "# L\n\n## Parent\n\n### Child\n\n- [A](https://a.org/)\n")
    async with running_app(path, size=(100, 30)) as (app, pilot):
        rs = app.reading_screen
        await pilot.press("down")  # Parent: no items of its own
        await wait_for(pilot, lambda: rs.item_list.item_ids == [] and
                       "directly" in rs.item_list.empty_message)
        pane = rs.item_list
        lines = [pane.render_line(y).text.strip() for y in range(4)]
        assert lines[1], lines  # the pane (60 cells) is narrower than the message
        assert " ".join(" ".join(lines).split()) == pane.empty_message
        assert all(pane.render_line(y).cell_length == pane.size.width for y in range(4))


async def test_a_long_topic_title_gives_way_to_its_counts_in_the_tree(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    long_title = "Top ML Papers of the Week (June 23 - June 29) - 2025, with a long tail"
    path = write_list(tmp_path, f"# L\n\n## {long_title}\n\n- [A](https://a.org/)\n")
    async with running_app(path, size=BIG) as (app, pilot):
        tree = app.reading_screen.topic_tree
        await wait_for(pilot, lambda: any("0/1 " in tree.render_line(y).text
                                          for y in range(3)))
        (row,) = [tree.render_line(y).text for y in range(3) if "Top ML" in
                  tree.render_line(y).text]
        assert "…  0/1 ──────" in row, row  # the title cut, its count and bar whole
        assert tree.render_line(1).cell_length == tree.size.width
        await pilot.press("z")  # zoomed, the tree is wide enough for the whole title
        await wait_for(pilot, lambda: app.reading_screen.maximized is tree)
        await wait_for(pilot, lambda: any(long_title in tree.render_line(y).text
                                          for y in range(3)))
