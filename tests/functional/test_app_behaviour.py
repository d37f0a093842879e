"""Pilot tests: writes that fail, the CLI writing meanwhile, literal text, links, layout."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from app_harness import (
    BIG,
    SMALL,
    RunningApp,
    loaded,
    on_disk,
    open_topic_list,
    settle,
    shown_notice,
    store_path,
    wait_for,
    write_list,
)
from rich.console import Console

from dlreader.app.app import DlreaderApp
from dlreader.app.components.item_list import ItemList, item_row
from dlreader.store.records import ItemUpdate
from dlreader.store.store import Store

ROOT = Path(__file__).resolve().parents[2]


# -- the store ------------------------------------------------------------------------------


async def test_a_failed_write_reverts_the_screen_and_says_why(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        item_id = await open_topic_list(pilot)
        # The state directory becomes a plain file: every write now fails (even as root).
        state_dir = store_path(tmp_path).parent
        shutil.rmtree(state_dir, ignore_errors=True)
        state_dir.write_text("not a directory")
        await pilot.press("space")
        await settle(pilot)
        await wait_for(pilot, lambda: app.reading_screen.reading.status(item_id) == "unread")
        await shown_notice(pilot, lambda text: text.startswith("Not saved:"))
        assert app.is_running  # not fatal


async def test_changes_from_the_cli_show_up_and_neither_side_is_lost(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path, reload_seconds=0.1) as (app, pilot):
        mine = await open_topic_list(pilot)
        await pilot.press("space")
        await settle(pilot)
        # Another process (the CLI) marks a different item through its own Store.
        other_id = next(i for i in app.reading_screen.reading.catalog.items if i != mine)
        item = app.reading_screen.reading.catalog.items[other_id]
        cli = Store.open(store_path(tmp_path))
        cli.apply([ItemUpdate(other_id, item.url, item.title, status="read", note="from cli")])
        await wait_for(pilot, lambda: app.reading_screen.reading.status(other_id) == "read")
        assert app.reading_screen.reading.note(other_id) == "from cli"
        await pilot.press("1")
        await settle(pilot)
    states = on_disk(tmp_path)
    assert states[mine].status == "read" and states[mine].priority == "high"
    assert states[other_id].note == "from cli"


# -- literal text ---------------------------------------------------------------------------

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
        labels = {key: str(node.label) for key, node in main.topic_tree._topic_nodes.items()}
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


# -- the seed list's prose ------------------------------------------------------------------


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


# -- links ----------------------------------------------------------------------------------


def recording_browser(tmp_path: Path) -> tuple[Path, Path]:
    record = tmp_path / "opened.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> {record}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, record


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


async def test_c_without_any_clipboard_falls_back_to_osc52(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running_app: RunningApp,
) -> None:
    # No display and no clipboard tool on PATH: pyperclip has nothing to use.
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        await open_topic_list(pilot)
        started = time.monotonic()
        await pilot.press("c")
        await shown_notice(pilot, lambda text: "Copied" in text, timeout=5)
        assert time.monotonic() - started < 3
        await shown_notice(pilot, lambda text: "OSC 52" in text)
        assert app.clipboard == "https://example.org/first"


# -- $EDITOR --------------------------------------------------------------------------------


def test_external_editor_round_trip(tmp_path: Path) -> None:
    from dlreader.app.external_editor import EditorError, edit_in_editor

    editor = tmp_path / "editor"
    editor.write_text('#!/bin/sh\nprintf \'%s\\n\' "appended" >> "$1"\n')
    editor.chmod(0o755)
    assert edit_in_editor("first line\n", {"EDITOR": str(editor)}) == "first line\nappended\n"
    assert edit_in_editor("", {"VISUAL": str(editor), "EDITOR": "false"}) == "appended"
    failing = tmp_path / "failing"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    with pytest.raises(EditorError, match="exited with 3"):
        edit_in_editor("kept", {"EDITOR": str(failing)})
    with pytest.raises(EditorError, match="could not start"):
        edit_in_editor("kept", {"EDITOR": str(tmp_path / "missing")})


async def test_shift_e_without_a_real_terminal_says_so(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path) as (app, pilot):
        item_id = await open_topic_list(pilot)
        await pilot.press("E")
        await shown_notice(pilot, lambda text: "$EDITOR" in text)
        assert app.reading_screen.reading.note(item_id) == ""


# -- layout and scale -----------------------------------------------------------------------


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


# -- process behaviour ----------------------------------------------------------------------


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
    result = subprocess.run([sys.executable, "-c", code], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=20, check=True)
    assert result.stdout.strip() == "False"


async def test_a_crash_report_does_not_show_locals(tmp_path: Path) -> None:
    from textual.binding import Binding

    class Crashing(DlreaderApp):
        BINDINGS = [Binding("z", "crash", "Crash")]
        report: list[object] = []

        def action_crash(self) -> None:
            # A local the report must not show (built at run time: the source is shown).
            secret_note = "-".join(["TOP", "SECRET", "NOTE"])  # noqa: F841
            raise RuntimeError("boom")

        def _print_error_renderables(self) -> None:
            Crashing.report.extend(self._exit_renderables)
            super()._print_error_renderables()

    store = Store.open(store_path(tmp_path))
    app = Crashing(write_list(tmp_path), store, user="tester")
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=BIG, notifications=True) as pilot:
            await loaded(pilot)
            await pilot.press("z")
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


def test_a_copy_that_shows_up_a_moment_later_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dlreader.app.clipboard import copy_with_pyperclip

    monkeypatch.setenv("DISPLAY", ":199")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("PATH", slow_xclip(tmp_path, 0.3))
    started = time.monotonic()
    assert copy_with_pyperclip("https://example.org/late") is None
    assert time.monotonic() - started < 2
    assert (tmp_path / "selection.txt").read_text() == "https://example.org/late"


def test_a_copy_that_never_shows_up_fails_within_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dlreader.app.clipboard import copy_with_pyperclip

    monkeypatch.setenv("DISPLAY", ":199")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("PATH", slow_xclip(tmp_path, 30))
    started = time.monotonic()
    assert copy_with_pyperclip("https://example.org/never") == (
        "the clipboard did not keep the text")
    assert time.monotonic() - started < 2


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
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    async with running_app() as (app, pilot):
        await open_topic_list(pilot)
        await pilot.press("c")
        notice = await shown_notice(pilot, lambda text: "Copied" in text, timeout=5)
        assert "\n" not in notice, notice
        assert "sudo" not in notice and "apt-get" not in notice, notice
        assert notice == ("Copied https://example.org/first through the terminal (OSC 52; no "
                          "system clipboard: Pyperclip could not find a copy/paste mechanism "
                          "for your system).")


async def test_store_reports_arriving_under_a_dialog_update_the_main_screen(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    path = write_list(tmp_path)
    async with running_app(path, reload_seconds=0.1) as (app, pilot):
        item_id = await open_topic_list(pilot)
        await pilot.press("space", "question_mark")
        await settle(pilot)
        other = next(i for i in app.reading_screen.reading.catalog.items if i != item_id)
        item = app.reading_screen.reading.catalog.items[other]
        Store.open(store_path(tmp_path)).apply(
            [ItemUpdate(other, item.url, item.title, status="read")])
        await wait_for(pilot, lambda: app.reading_screen.reading.status(other) == "read")
        assert app.screen.__class__.__name__ == "HelpScreen"
        assert app.reading_screen.reading.state(item_id).read_at
        assert "2/6 done" in app.sub_title


async def test_factory_builds_an_app_over_a_real_store(
    tmp_path: Path, running_app: RunningApp,
) -> None:
    async with running_app() as (app, pilot):
        assert app.reading_screen.reading is not None
        assert app.reading_screen.reading.overall() == (0, 6)
