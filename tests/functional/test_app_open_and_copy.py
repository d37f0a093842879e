"""o and c: the URL to the browser ($BROWSER, never a text browser) and to the clipboard
(a system tool, else the terminal's OSC 52, within a time limit, in one short line)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from app_harness import (
    RunningApp,
    open_topic_list,
    recording_browser,
    shown_notice,
    write_list,
)


async def test_o_opens_the_url_with_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running_app: RunningApp,
) -> None:
    script, record = recording_browser(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot)
        await pilot.press("o")
        deadline = time.monotonic() + 5
        while not record.exists() and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert record.read_text().split() == ["https://example.org/first"]
        await shown_notice(pilot, lambda text: "Opened in fake-browser" in text)


async def test_o_never_starts_a_text_browser_and_shows_the_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running_app: RunningApp,
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "lynx-ran"
    lynx = bin_dir / "lynx"
    lynx.write_text(f"#!/bin/sh\ntouch {marker}\n")
    lynx.chmod(0o755)
    monkeypatch.setenv("BROWSER", "lynx")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot)
        await pilot.press("o")
        await pilot.pause(0.2)
        assert not marker.exists()
        await shown_notice(pilot, lambda text: "No browser" in text)
        await shown_notice(pilot, lambda text: "https://example.org/first" in text)


async def test_o_and_c_on_an_item_without_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running_app: RunningApp,
) -> None:
    script, record = recording_browser(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot)
        await pilot.press("down", "down", "o")
        await shown_notice(pilot, lambda text: text == "This item has no link.")
        app.clear_notifications()  # the next notice is c's own
        await pilot.press("c")
        await shown_notice(pilot, lambda text: text == "This item has no link.")
    assert not record.exists()


def without_any_clipboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No display and no clipboard tool on PATH: pyperclip has nothing to use."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


async def test_c_without_any_clipboard_falls_back_to_osc52(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running_app: RunningApp,
) -> None:
    without_any_clipboard(tmp_path, monkeypatch)
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot)
        started = time.monotonic()
        await pilot.press("c")
        await shown_notice(pilot, lambda text: "Copied" in text, timeout=5)
        assert time.monotonic() - started < 3
        await shown_notice(pilot, lambda text: "OSC 52" in text)
        assert app.clipboard == "https://example.org/first"


def fake_clipboard_tools(tmp_path: Path, xclip_body: str) -> str:
    """A PATH with ``which`` and a fake ``xclip`` (pyperclip's choice when DISPLAY is set)."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    which = shutil.which("which")
    if which is None:
        pytest.skip("which not installed")
    (bin_dir / "which").symlink_to(which)
    xclip = bin_dir / "xclip"
    xclip.write_text(f"#!/bin/sh\n{xclip_body}\n")
    xclip.chmod(0o755)
    return str(bin_dir)


def test_clipboard_tool_errors_never_reach_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from dlreader.app.clipboard import copy_with_pyperclip

    monkeypatch.setenv("DISPLAY", ":199")
    monkeypatch.setenv("PATH", fake_clipboard_tools(
        tmp_path, "echo \"Error: Can't open display\" >&2; exit 1"))
    reason = copy_with_pyperclip("https://example.org/x")
    # The tool's own complaint, at once (not "did not keep the text" after the retries).
    assert reason == "Error: Can't open display"
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""  # the app's screen stays clean


def test_a_hanging_clipboard_tool_is_abandoned_within_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dlreader.app.clipboard import copy_with_pyperclip

    monkeypatch.setenv("DISPLAY", ":199")
    sleep = shutil.which("sleep") or "/bin/sleep"
    monkeypatch.setenv("PATH", fake_clipboard_tools(tmp_path, f"exec {sleep} 30"))
    started = time.monotonic()
    reason = copy_with_pyperclip("https://example.org/x", timeout=1.0)
    assert time.monotonic() - started < 2.5
    assert reason == "the clipboard tool did not answer within 1 s"


def slow_xclip(tmp_path: Path, delay: float) -> str:
    """A PATH whose ``xclip`` behaves like the real one on a busy X server: the copy
    returns at once and the text becomes readable ``delay`` seconds later."""
    selection = tmp_path / "selection.txt"
    sleep = shutil.which("sleep") or "/bin/sleep"
    cat = shutil.which("cat") or "/bin/cat"
    mv = shutil.which("mv") or "/bin/mv"
    return fake_clipboard_tools(tmp_path, f"""\
case "$*" in
  *-o*) [ -f {selection} ] && exec {cat} {selection}; exit 0 ;;
esac
{cat} > {selection}.new
( {sleep} {delay}; {mv} {selection}.new {selection} ) </dev/null >/dev/null 2>&1 &
exit 0""")


@pytest.mark.parametrize(("delay", "problem"), [
    (0.3, None),  # a copy that shows up a moment later counts
    (30, "the clipboard did not keep the text"),  # one that never does fails in time
], ids=["late copy counts", "lost copy fails in time"])
def test_a_slow_clipboard_is_waited_for_within_a_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delay: float, problem: str | None
) -> None:
    from dlreader.app.clipboard import copy_with_pyperclip

    monkeypatch.setenv("DISPLAY", ":199")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("PATH", slow_xclip(tmp_path, delay))
    started = time.monotonic()
    assert copy_with_pyperclip("https://example.org/slow") == problem
    assert time.monotonic() - started < 2
    if problem is None:
        assert (tmp_path / "selection.txt").read_text() == "https://example.org/slow"


def test_the_reason_for_a_fallback_is_one_short_line() -> None:
    from dlreader.app.clipboard import short_reason

    pyperclip_says = (
        "PyperclipException: Pyperclip could not find a copy/paste mechanism for your "
        "system. For more information, please visit https://pyperclip.readthedocs.io/en/"
        "latest/index.html#not-implemented-error\nOn Linux, you can run `sudo apt-get "
        "install xclip`, `sudo apt-get install xselect` (on X11) or `sudo apt-get install "
        "wl-clipboard` (on Wayland) to install a copy/paste mechanism.")
    assert short_reason(pyperclip_says) == (
        "Pyperclip could not find a copy/paste mechanism for your system")
    assert short_reason("\n\n  OSError: first line\nsecond line") == "OSError: first line"
    long = short_reason("x" * 200)
    assert len(long) == 80 and long.endswith("…")
    assert short_reason("") == "failed"


async def test_the_osc52_notice_is_one_short_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running_app: RunningApp,
) -> None:
    # No display and no tool: pyperclip raises its long, multi-line install advice.
    without_any_clipboard(tmp_path, monkeypatch)
    async with running_app() as (app, pilot):
        await open_topic_list(pilot)
        await pilot.press("c")
        notice = await shown_notice(pilot, lambda text: "Copied" in text, timeout=5)
        assert "\n" not in notice, notice
        assert "sudo" not in notice and "apt-get" not in notice, notice
        assert notice == ("Copied https://example.org/first through the terminal (OSC 52; no "
                          "system clipboard: Pyperclip could not find a copy/paste mechanism "
                          "for your system).")
