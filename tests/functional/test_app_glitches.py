"""Issue #12 item 12, in the app (pilot, real store, the seed list): no scrollbar band
after a resize, z zooms a pane, j/k scroll Details and the help, no old notice after the
editor. The same in the real terminal: tests/functional/test_e2e_glitches.py."""

from __future__ import annotations

from pathlib import Path

from app_harness import BIG, SMALL, loaded, make_app, wait_for
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
