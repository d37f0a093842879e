"""What the start leaves behind: the launcher pauses the cyclic GC for the start
(commands/launch.py); the screen turns it on again once the first links are shown."""

from __future__ import annotations

import gc
from pathlib import Path

from app_harness import RunningApp, wait_for


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
