"""Regenerate docs/screenshot.svg (the app's main screen on the seed list) and
docs/screenshot-queue.svg (the queue, ``Q``, over the same state).

    .venv/bin/python scripts/screenshot.py [--output docs/screenshot.svg]
        [--queue-output docs/screenshot-queue.svg]

The app runs headless (Textual's ``run_test``) over a fresh temporary store holding a
few read items and one note. Every date in it is fixed and no clock is drawn, so running
this twice gives the same file.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "docs" / "screenshot.svg"
DEFAULT_QUEUE_OUTPUT = ROOT / "docs" / "screenshot-queue.svg"
SIZE = (120, 36)
USER = "demo"
TOPIC = "Approximation Theory for Deep Learning"
# Fixed times: the detail pane shows the highlighted item's dates.
CREATED = "2025-03-02T09:15:00Z"
UPDATED = "2025-03-04T18:40:00Z"
NOTE = """\
Compositional functions: depth beats width exponentially.
Compare with the **lower bounds** in the first paper.
"""
# (position in the topic's list, status, priority, note)
DEMO_STATES: tuple[tuple[int, str, str, str], ...] = (
    (0, "read", "none", ""),
    (1, "read", "none", ""),
    (2, "read", "medium", ""),
    (3, "reading", "high", ""),
    (7, "unread", "high", NOTE),
    (9, "skipped", "none", ""),
)
HIGHLIGHTED = 7  # the noted item, so the detail pane shows a note


def isolate(home: Path) -> None:
    """Data, cache and config (theme) in a fresh directory: nothing of the user's shows."""
    for variable, name in (("DLREADER_DATA_DIR", "data"), ("DLREADER_CACHE_DIR", "cache"),
                           ("DLREADER_CONFIG_DIR", "config")):
        os.environ[variable] = str(home / name)


def seed_store(store_path: Path, list_path: Path) -> None:
    from dlreader.catalog.loader import load_catalog
    from dlreader.store.records import ItemState
    from dlreader.store.store import Store

    catalog = load_catalog(list_path)
    topic = catalog.find_topics(TOPIC)[0]
    ids = catalog.item_ids_under(topic.id)
    records = []
    for position, status, priority, note in DEMO_STATES:
        item = catalog.items[ids[position]]
        records.append(ItemState(
            item.id, item.url, item.title, status=status, priority=priority, note=note,
            created=CREATED, updated=UPDATED, read_at=UPDATED if status == "read" else None,
        ))
    Store.open(store_path).import_states(records, mode="merge")


async def capture(list_path: Path, store_path: Path, *, queue: bool = False) -> str:
    from dlreader.app import build_app
    from dlreader.store.store import Store

    app = build_app(list_path, Store.open(store_path), user=USER)
    async with app.run_test(size=SIZE) as pilot:
        while not app.reading_screen.catalog_loaded:
            await pilot.pause(0.02)
        assert app.reading_screen.reading is not None
        topic_id = app.reading_screen.reading.catalog.find_topics(TOPIC)[0].id
        app.reading_screen.topic_tree.select_topic(topic_id)
        while app.reading_screen.topic_id != topic_id:
            await pilot.pause(0.02)
        await pilot.press("tab")
        for _ in range(HIGHLIGHTED):
            await pilot.press("down")
        await pilot.pause()
        await pilot.pause()
        if queue:
            await pilot.press("Q")
            await pilot.pause()
            await pilot.pause()
        return app.export_screenshot(title="dlreader")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--queue-output", type=Path, default=DEFAULT_QUEUE_OUTPUT)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from dlreader.locations import default_list_path

    with tempfile.TemporaryDirectory(prefix="dlreader-screenshot-") as home:
        isolate(Path(home))
        list_path = default_list_path()
        store_path = Path(home) / "data" / f"{USER}.json"
        seed_store(store_path, list_path)
        shots = {args.output: asyncio.run(capture(list_path, store_path)),
                 args.queue_output: asyncio.run(capture(list_path, store_path, queue=True))}
    for output, svg in shots.items():
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(svg, encoding="utf-8")
        print(f"wrote {output} ({len(svg)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
