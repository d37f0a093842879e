"""The link check in the app: marks, details, the dead-links filter, L, o and w."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from app_harness import (
    RunningApp,
    open_topic_list,
    recording_browser,
    shown_notice,
    wait_for,
)
from link_server import link_server

from dlreader.app.components.detail_pane import item_details
from dlreader.app.components.item_list import item_row
from dlreader.app.screens.confirm import ConfirmScreen
from dlreader.linkhealth.records import LinkBook, LinkRecord

LIST = """\
# Links

## Alpha

- [Dead paper](https://dead.example/paper)
- [Moved paper](https://moved.example/old)
- https://bare.example/page
- [Fine paper](https://fine.example/)
"""


def rows(app, width: int = 120) -> dict[str, str]:  # type: ignore[no-untyped-def]
    view = app.reading_screen.reading
    return {view.catalog.items[i].url: item_row(view, i, width).plain
            for i in app.reading_screen.item_list.item_ids}


def seed_links(tmp_path: Path) -> None:
    book = LinkBook(tmp_path / "state" / "links.json")
    book.update([
        LinkRecord("https://dead.example/paper", "dead", "2026-11-20T10:00:00Z", code=404,
                   reason="HTTP 404", first_seen="2026-03-04T10:00:00Z"),
        LinkRecord("https://moved.example/old", "moved", "2026-11-20T10:00:00Z", code=200,
                   moved_to="https://moved.example/new"),
        LinkRecord("https://bare.example/page", "ok", "2026-11-20T10:00:00Z", code=200,
                   title="[red]A real[/] title"),
    ])
    book.save()


async def wait_for_file(pilot, record: Path, lines: int) -> list[str]:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if record.exists() and len(record.read_text().split()) >= lines:
            break
        await pilot.pause(0.05)
    return record.read_text().split()


async def test_known_links_are_marked_and_dead_ones_open_their_archived_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running_app: RunningApp,
) -> None:
    seed_links(tmp_path)
    script, record = recording_browser(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    path = tmp_path / "list.md"
    path.write_text(LIST, encoding="utf-8")
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot)
        await wait_for(pilot, lambda: "dead" in rows(app)["https://dead.example/paper"])
        shown = rows(app)
        assert "✗ dead" in shown["https://dead.example/paper"]
        assert "↪ moved" in shown["https://moved.example/old"]
        assert "~[red]A real[/] title" in shown["https://bare.example/page"]  # literal
        assert "dead" not in shown["https://fine.example/"]
        dead_id = app.reading_screen.item_list.current_item_id
        assert dead_id is not None
        details = item_details(app.reading_screen.reading, dead_id).plain
        archive = "https://web.archive.org/web/20260304/https://dead.example/paper"
        assert "link dead (404) HTTP 404   checked 2026-11-20" in details
        assert f"archived copy {archive}" in details
        # o on a dead link asks; y opens the archived copy, n the link itself.
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for_file(pilot, record, 1) == [archive]
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        assert (await wait_for_file(pilot, record, 2))[1] == "https://dead.example/paper"
        # w opens the archived copy of any link, no question asked.
        await pilot.press("down", "w")
        opened = await wait_for_file(pilot, record, 3)
        assert opened[2].startswith("https://web.archive.org/web/")
        assert opened[2].endswith("/https://moved.example/old")
        # The filter cycle gained "dead links".
        while app.reading_screen.filter != "dead links":
            await pilot.press("f")
        await wait_for(pilot, lambda: len(app.reading_screen.item_list.item_ids) == 1)
        assert list(rows(app)) == ["https://dead.example/paper"]


async def test_C_checks_in_the_background_and_marks_the_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running_app: RunningApp,
) -> None:
    with link_server() as (base, served):
        path = tmp_path / "list.md"
        path.write_text(
            f"# Links\n\n## Alpha\n\n- [Gone]({base}/missing)\n- [Moved]({base}/moved)\n"
            f"- {base}/ok-bare\n- [Slow]({base}/limited-once)\n", encoding="utf-8")
        async with running_app(path) as (app, pilot):
            await open_topic_list(pilot)
            await pilot.press("C")
            # The UI answers while the check runs (Retry-After: 1 keeps it going a second).
            first = app.reading_screen.item_list.current_item_id
            await pilot.press("down")
            assert app.reading_screen.item_list.current_item_id != first
            assert app.reading_screen._checking_links
            await shown_notice(pilot, lambda text: text.startswith("Checked"), timeout=30)
            await shown_notice(pilot, lambda text: "1 dead" in text and "1 moved" in text)
            shown = rows(app)
            assert "✗ dead" in shown[f"{base}/missing"]
            assert "↪ moved" in shown[f"{base}/moved"]
            assert "~Page /ok-bare" in shown[f"{base}/ok-bare"]
        assert (tmp_path / "state" / "links.json").is_file()
        assert served.hits["/missing"] == 1
