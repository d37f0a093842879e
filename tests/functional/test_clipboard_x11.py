"""The `c` key against a REAL X clipboard (Xvfb + xclip), and without one.

The app copies through pyperclip in a child process, which inherits the test's DISPLAY
and PATH: each test sets those and the real detection runs under them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_harness import BIG, focus_list, loaded, make_app, shown_notice, wait_for, write_list
from tmux_terminal import TmuxTerminal, loaded_marker, needs_tmux, wait_for_details_url

from dlreader.app.app import DlreaderApp

FIRST_URL = "https://example.org/first"  # the first item under "Alpha" in the small list
X_SOCKETS = Path("/tmp/.X11-unix")


def display_is_free(number: int) -> bool:
    return not (Path(f"/tmp/.X{number}-lock").exists() or (X_SOCKETS / f"X{number}").exists())


def lock_owner(number: int) -> int | None:
    """The pid in the display's lock file (the server that holds it), if any."""
    try:
        return int(Path(f"/tmp/.X{number}-lock").read_text().strip())
    except (OSError, ValueError):
        return None


def start_xvfb() -> tuple[subprocess.Popen[bytes], int]:
    """Xvfb on the first free display from :90.

    Another test run may pick the same number at the same moment: the display is ours
    only once its lock file names our server (the loser of the race exits; try the next).
    """
    for number in range(90, 140):
        if not display_is_free(number):
            continue
        server = subprocess.Popen(
            ["Xvfb", f":{number}", "-nolisten", "tcp", "-screen", "0", "320x240x24"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while server.poll() is None and time.monotonic() < deadline:
            if lock_owner(number) == server.pid and (X_SOCKETS / f"X{number}").exists():
                if answers(number, deadline):
                    return server, number
                break
            time.sleep(0.02)
        stop(server)
    raise RuntimeError("no free X display between :90 and :139")


def answers(number: int, deadline: float) -> bool:
    """Whether the server on ``:number`` answers a client before ``deadline``.

    Its socket exists before it serves requests: on a busy machine a client that comes
    at once waits seconds for its first reply, which the copy's time limit then counts.
    """
    env = dict(os.environ, DISPLAY=f":{number}")
    while time.monotonic() < deadline:
        try:
            reply = subprocess.run(["xclip", "-selection", "clipboard", "-o"], env=env,
                                   capture_output=True, text=True,
                                   timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return False
        # An empty clipboard is an answer too ("target STRING not available").
        if "Can't open display" not in reply.stderr:
            return True
        time.sleep(0.02)
    return False


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture
def x_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A running Xvfb as $DISPLAY, with xclip on PATH; the server is killed afterwards."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb not installed: apt-get install xvfb")
    if shutil.which("xclip") is None:
        pytest.skip("xclip not installed: apt-get install xclip")
    server, number = start_xvfb()
    try:
        display = f":{number}"
        monkeypatch.setenv("DISPLAY", display)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        yield display
    finally:
        stop(server)


def dead_display() -> str:
    """A display number no server listens on."""
    return f":{next(n for n in range(170, 250) if display_is_free(n))}"


def path_with_only(tmp_path: Path, *tools: str) -> str:
    """A PATH holding just these tools (``which`` too: pyperclip looks tools up with it)."""
    bin_dir = tmp_path / "only-bin"
    bin_dir.mkdir()
    for tool in ("which", *tools):
        found = shutil.which(tool)
        if found is None:
            pytest.skip(f"{tool} not installed")
        (bin_dir / tool).symlink_to(found)
    return str(bin_dir)


def x_clipboard(display: str) -> str:
    result = subprocess.run(["xclip", "-selection", "clipboard", "-o"], capture_output=True,
                            text=True, timeout=5, env=dict(os.environ, DISPLAY=display))
    assert result.returncode == 0, result.stderr
    return result.stdout


async def press_c_on_the_first_alpha_item(app: DlreaderApp, pilot) -> tuple[float, str]:  # type: ignore[no-untyped-def]
    """Highlight the first item under Alpha, press c, wait for the notice; the seconds
    taken and the notice (a second wait for it could find it timed out, on a busy machine)."""
    await loaded(pilot)
    topic_id = app.reading_screen.reading.catalog.find_topics("Alpha")[0].id
    app.reading_screen.topic_tree.select_topic(topic_id)
    await wait_for(pilot, lambda: app.reading_screen.topic_id == topic_id)
    await focus_list(pilot)
    item_id = app.reading_screen.item_list.current_item_id
    assert app.reading_screen.reading.catalog.items[item_id].url == FIRST_URL
    app.clear_notifications()  # the notice waited for below is this copy's
    started = time.monotonic()
    await pilot.press("c")
    notice = await shown_notice(pilot, lambda text: "Copied" in text, timeout=10)
    return time.monotonic() - started, notice


async def test_c_puts_the_url_on_the_real_x_clipboard(tmp_path: Path, x_display: str) -> None:
    app = make_app(write_list(tmp_path), tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        _, notice = await press_c_on_the_first_alpha_item(app, pilot)
        assert notice == f"Copied to the clipboard: {FIRST_URL}"
    assert x_clipboard(x_display) == FIRST_URL


def test_c_in_the_installed_app_in_tmux_fills_the_x_clipboard(tmp_path: Path,
                                                              x_display: str) -> None:
    """The whole path: a real terminal, the installed script, the key, the X server."""
    needs_tmux()
    terminal = TmuxTerminal(tmp_path, 160, 50, env={"DISPLAY": x_display})
    try:
        terminal.wait_for_text(loaded_marker())
        terminal.send("Tab")
        url = wait_for_details_url(terminal)
        terminal.send("c")
        screen = terminal.wait_for_text("Copied")
        assert "Copied to the clipboard" in screen, f"not the system clipboard:\n{screen}"
        terminal.send("q")
        assert terminal.wait_for_exit() == 0, screen
    finally:
        terminal.close()
    assert x_clipboard(x_display) == url


async def test_a_dead_display_without_tools_falls_back_to_osc52_fast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", dead_display())
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("PATH", path_with_only(tmp_path))
    app = make_app(write_list(tmp_path), tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        seconds, _ = await press_c_on_the_first_alpha_item(app, pilot)
        assert seconds < 2, f"took {seconds:.2f} s"
        await shown_notice(
            pilot, lambda text: text.startswith(f"Copied {FIRST_URL} through the terminal"))
        assert app.clipboard == FIRST_URL


async def test_a_dead_display_with_xclip_installed_falls_back_to_osc52(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("xclip") is None:
        pytest.skip("xclip not installed: apt-get install xclip")
    monkeypatch.setenv("DISPLAY", dead_display())
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("PATH", path_with_only(tmp_path, "xclip"))
    app = make_app(write_list(tmp_path), tmp_path)
    async with app.run_test(size=BIG, notifications=True) as pilot:
        # xclip runs, cannot reach a display and exits 1: not a copy, whatever pyperclip says.
        seconds, _ = await press_c_on_the_first_alpha_item(app, pilot)
        assert seconds < 2, f"took {seconds:.2f} s"
        await shown_notice(
            pilot, lambda text: text.startswith(f"Copied {FIRST_URL} through the terminal"))
        assert app.clipboard == FIRST_URL
