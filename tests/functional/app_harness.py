"""Shared set-up for the app's pilot tests (tests/conftest.py's ``running_app`` uses it).

Every app comes from ``build_app`` over a real ``Store`` in tmp_path and a real list file
(the seed, or a small list written to tmp_path); the catalog loads the way it does in
use (outline first, full parse in a thread).
"""

from __future__ import annotations

import asyncio
import stat
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from cli_support import USER
from store_support import user_store
from textual.pilot import Pilot

from dlreader.app import build_app
from dlreader.app.app import DlreaderApp
from dlreader.store.records import ItemState
from dlreader.store.store import Store

SMALL_LIST = """\
# Reading

Some prose before the first topic.

## Alpha

> A block quote about alpha.

- [First paper](https://example.org/first)
- [Second paper](https://example.com/second)
- [Not a web link](ftp://files.example.net/x)

### Alpha child

- [Child item](https://child.example.net/c)
- [First paper](https://example.org/first)

## Beta

- [Beta one](https://beta.example/one) about $\\alpha$ and more
- [Beta two](https://beta.example/two)
"""

BIG = (160, 50)
SMALL = (80, 24)


def write_list(tmp_path: Path, text: str = SMALL_LIST, name: str = "list.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def app_data_dir(tmp_path: Path) -> Path:
    """Where the harness's apps keep their stores (``user_store(app_data_dir(tmp_path), USER)``)."""
    return tmp_path / "state"


def make_app(list_path: Path, tmp_path: Path, *, user: str = USER,
             reload_seconds: float = 2.0, store: Store | None = None) -> DlreaderApp:
    store = store or user_store(app_data_dir(tmp_path), user)
    return build_app(list_path, store, user=user, reload_seconds=reload_seconds)


def app_with_library(list_path: Path, tmp_path: Path) -> DlreaderApp:
    """An app opened as the launcher opens it: the list in the user's library."""
    from dlreader.sources.opening import open_source

    opened = open_source(str(list_path), tmp_path / "state", refresh_stale=False)
    return build_app(list_path, user_store(app_data_dir(tmp_path), USER), user=USER, opened=opened)


async def wait_for(pilot: Pilot[object], condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Let the app run until ``condition()`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)
    await pilot.pause()


def notices(app: DlreaderApp) -> list[str]:
    """The text of every notification on screen now, oldest first (Textual's toasts)."""
    return [toast.render().plain for toast in app.screen.query("Toast")]


async def shown_notice(pilot: Pilot[object], matches: Callable[[str], bool],
                       timeout: float = 20.0) -> str:
    """Wait until a notification on screen matches; its text (what the user read)."""
    app = pilot.app
    assert isinstance(app, DlreaderApp)
    found: list[str] = []

    def shown() -> bool:
        found[:] = [text for text in notices(app) if matches(text)]
        return bool(found)

    try:
        await wait_for(pilot, shown, timeout)
    except AssertionError:
        raise AssertionError(f"no such notification; on screen: {notices(app)!r}") from None
    return found[-1]


async def loaded(pilot: Pilot[object]) -> DlreaderApp:
    app = pilot.app
    assert isinstance(app, DlreaderApp)
    await wait_for(pilot, lambda: app.reading_screen.catalog_loaded)
    return app


async def settle(pilot: Pilot[object]) -> None:
    """Wait until every change is written and its report handled."""
    app = pilot.app
    assert isinstance(app, DlreaderApp)
    assert await app.flush_writes()
    await pilot.pause()
    await pilot.pause()


def on_disk(tmp_path: Path, user: str = USER) -> dict[str, ItemState]:
    """The states as a fresh reader of the store file sees them."""
    return user_store(app_data_dir(tmp_path), user).states()


async def focus_list(pilot: Pilot[object]) -> None:
    await pilot.press("tab")
    app = pilot.app
    assert isinstance(app, DlreaderApp)
    assert app.focused is app.reading_screen.item_list


async def open_topic_list(pilot: Pilot[object], title: str = "Alpha") -> str | None:
    """Highlight the topic in the tree, focus its link list; the highlighted item's id."""
    app = pilot.app
    assert isinstance(app, DlreaderApp) and app.reading_screen.reading is not None
    topic_id = app.reading_screen.reading.catalog.find_topics(title)[0].id
    app.reading_screen.topic_tree.focus()
    app.reading_screen.topic_tree.select_topic(topic_id)
    await wait_for(pilot, lambda: app.reading_screen.topic_id == topic_id)
    await focus_list(pilot)
    return app.reading_screen.item_list.current_item_id


RunningApp = Callable[..., AbstractAsyncContextManager[tuple[DlreaderApp, Pilot[object]]]]


@asynccontextmanager
async def run_app(tmp_path: Path, list_path: Path | None = None, *,
                  size: tuple[int, int] = BIG, **options: Any,
                  ) -> AsyncIterator[tuple[DlreaderApp, Pilot[object]]]:
    """The app over ``list_path`` (default: SMALL_LIST in tmp_path), running and loaded;
    notifications on, as in the real app (tests read them: ``shown_notice``)."""
    app = make_app(list_path or write_list(tmp_path), tmp_path, **options)
    async with app.run_test(size=size, notifications=True) as pilot:
        await loaded(pilot)
        yield app, pilot


def recording_browser(tmp_path: Path) -> tuple[Path, Path]:
    """A $BROWSER script that appends each URL it is given to a file: (script, file)."""
    record = tmp_path / "opened.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> {record}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, record
