"""When something goes wrong: no terminal (one line, exit 2, Textual not imported), a
crash (the report shows no locals), a background task that fails (shown, not fatal)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from app_harness import (
    BIG,
    USER,
    RunningApp,
    app_data_dir,
    loaded,
    shown_notice,
    write_list,
)
from cli_support import run_fresh
from rich.console import Console
from store_support import user_store

from dlreader.app.app import DlreaderApp

ROOT = Path(__file__).resolve().parents[2]


def test_no_terminal_one_line_exit_2_fast(tmp_path: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "dlreader"], stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=20, cwd=ROOT,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 2
    assert result.stderr.startswith("dlreader: needs a terminal")
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert elapsed < 1.5  # includes the interpreter's own start


def test_no_terminal_does_not_import_textual() -> None:
    code = (
        "import io, sys\n"
        "from dlreader.commands import Context\n"
        "from dlreader.commands.launch import launch_app\n"
        "from pathlib import Path\n"
        "ctx = Context(source_arg='x', user='u', data_dir=Path('.'), stderr=io.StringIO())\n"
        "code = launch_app(ctx)\n"
        "assert code == 2, code\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    assert run_fresh(code) == "False"


async def test_a_crash_report_does_not_show_locals(tmp_path: Path) -> None:
    from textual.binding import Binding

    class Crashing(DlreaderApp):
        # A key no screen binds (the reading screen's own bindings come first).
        BINDINGS = [Binding("f9", "crash", "Crash")]
        report: list[object] = []

        def action_crash(self) -> None:
            # A local the report must not show (built at run time: the source is shown).
            secret_note = "-".join(["TOP", "SECRET", "NOTE"])  # noqa: F841
            raise RuntimeError("boom")

        def _print_error_renderables(self) -> None:
            Crashing.report.extend(self._exit_renderables)
            super()._print_error_renderables()

    store = user_store(app_data_dir(tmp_path), USER)
    app = Crashing(write_list(tmp_path), store, user=USER)
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=BIG, notifications=True) as pilot:
            await loaded(pilot)
            await pilot.press("f9")
            await pilot.pause()
    console = Console(record=True, width=120, file=open(os.devnull, "w"))  # noqa: SIM115
    for renderable in Crashing.report:
        console.print(renderable)
    report = console.export_text()
    assert "boom" in report
    assert "TOP-SECRET-NOTE" not in report


async def test_a_failing_background_task_is_shown_not_fatal(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):

        def explode() -> None:
            raise OSError("disk on fire")

        app.run_worker(explode, thread=True, name="export", exit_on_error=False)
        await shown_notice(pilot, lambda text: "disk on fire" in text)
        await shown_notice(pilot, lambda text: text.startswith("export failed: OSError"))
        assert app.is_running
