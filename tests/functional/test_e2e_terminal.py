"""End to end: the installed ``dlreader`` script in a real terminal (tmux), as a person uses it.

Each test starts its own tmux server (a private socket), sends real keys with
``send-keys`` and reads the screen with ``capture-pane``; what was done is then checked in
the store file with a fresh ``Store``, the way the next ``dlreader`` would see it.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from tmux_terminal import (
    DLREADER,
    FIRST_TOPIC,
    USER,
    TmuxTerminal,
    details_url,
    dlreader_env,
    find_on_screen,
    loaded_marker,
    needs_tmux,
    read_count,
    run_installed,
    seed_totals,
    stored_states,
    wait_for_details_url,
)

from dlreader.store.store import Store


def mark_read_and_quit(terminal: TmuxTerminal) -> None:
    """Space on the highlighted item, see the count say so, quit, exit code 0."""
    terminal.send("Space")
    screen = terminal.wait_for_text(read_count(1))
    terminal.send("q")
    assert terminal.wait_for_exit() == 0, screen


def assert_only_read(terminal: TmuxTerminal, url: str) -> None:
    """The store on disk holds exactly one record: ``url``, read."""
    states = stored_states(terminal)
    assert [(state.url, state.status) for state in states.values()] == [(url, "read")]


@pytest.mark.parametrize("size", [(160, 50), (80, 24)], ids=["160x50", "80x24"])
def test_tab_space_q_marks_the_highlighted_item_read(tmp_path: Path,
                                                      size: tuple[int, int]) -> None:
    needs_tmux()
    terminal = TmuxTerminal(tmp_path, *size)
    try:
        # Loaded, counted, and drawn over the whole pane (the footer reaches the right edge).
        terminal.wait_for(
            lambda s: loaded_marker() in s and read_count(0) in s
            and max(len(line) for line in s.splitlines()) == size[0],
            f"the loaded list drawn {size[0]} columns wide",
        )
        terminal.send("Tab")
        url = wait_for_details_url(terminal)
        terminal.send("Space")
        # The count, the row's read mark, and the same item still highlighted.
        screen = terminal.wait_for(
            lambda s: read_count(1) in s and "✓" in s and details_url(s) == url,
            f"{read_count(1)} with {url} marked ✓",
        )
        terminal.send("q")
        code = terminal.wait_for_exit()
        assert code == 0, f"exit code {code}; the screen:\n{screen}"
    finally:
        terminal.close()
    assert_only_read(terminal, url)


def test_a_note_typed_in_the_editor_is_in_the_store(tmp_path: Path) -> None:
    needs_tmux()
    note = "Read section 3 twice; the proof of Lemma 2 is the key."
    terminal = TmuxTerminal(tmp_path, 160, 50)
    try:
        terminal.wait_for_text(loaded_marker())
        terminal.send("Tab")
        url = wait_for_details_url(terminal)
        terminal.send("n")
        terminal.wait_for_text("Ctrl+S save")
        terminal.send(note, literal=True)
        terminal.wait_for_text(note)
        terminal.send("C-s")
        screen = terminal.wait_for(lambda s: "Ctrl+S save" not in s and note in s,
                                   "the editor to close and the note to show in Details")
        terminal.send("e")
        terminal.wait_for_text("Exported 1 note")
        terminal.send("q")
        code = terminal.wait_for_exit()
        assert code == 0, f"exit code {code}; the screen:\n{screen}"
    finally:
        terminal.close()
    states = stored_states(terminal)
    assert [(state.url, state.note) for state in states.values()] == [(url, note)]
    # With DLREADER_DATA_DIR set, `e` writes inside it (see export.default_export_path).
    exported = (terminal.data_dir / "exports" / f"dlreader-notes-{USER}.md").read_text()
    assert f"({url})" in exported and note in exported, exported


def test_without_a_terminal_it_exits_2_with_one_line_fast(tmp_path: Path) -> None:
    if not DLREADER.is_file():
        pytest.skip(f"the dlreader console script is not installed at {DLREADER}")
    started = time.monotonic()
    result = subprocess.run([str(DLREADER)], stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=20, cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert result.returncode == 2, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dlreader: needs a terminal"), lines
    assert elapsed < 1.0, f"took {elapsed:.2f} s"


def test_mouse_clicks_on_a_topic_and_a_row_then_space_marks_that_row(tmp_path: Path) -> None:
    needs_tmux()
    topic, title = "Interpretability of Neural Networks", "qszhang.com/index.php/publications"
    url = "http://qszhang.com/index.php/publications/"
    terminal = TmuxTerminal(tmp_path, 160, 50)
    try:
        screen = terminal.wait_for_text(loaded_marker())
        terminal.click(*find_on_screen(screen, topic))
        header = f"{topic}  {seed_totals()[topic]} items"
        screen = terminal.wait_for(lambda s: header in s and title in s,
                                   f"{header!r} and the row {title!r}")
        column, row = find_on_screen(screen, title)
        assert column > 60, f"{title!r} should be in the Links pane:\n{screen}"
        terminal.click(column, row)
        terminal.wait_for(lambda s: details_url(s) == url, f"{url} in the Details pane")
        mark_read_and_quit(terminal)
    finally:
        terminal.close()
    assert_only_read(terminal, url)


def test_resizing_the_terminal_relays_out_and_ctrl_c_does_not_kill(tmp_path: Path) -> None:
    needs_tmux()
    terminal = TmuxTerminal(tmp_path, 160, 50)

    def width(screen: str) -> int:
        return max(len(line) for line in screen.splitlines())

    try:
        screen = terminal.wait_for_text(loaded_marker())
        assert "╭─ Topics" in screen, screen  # side by side, each pane boxed
        terminal.resize(80, 24)
        terminal.wait_for(lambda s: "╭─ Topics" not in s and width(s) == 80 and "Details" in s
                          and "q Quit" in s, "the stacked layout at 80x24")
        terminal.resize(120, 40)
        terminal.wait_for(lambda s: "╭─ Topics" in s and width(s) == 120,
                          "the side-by-side layout at 120x40")
        terminal.send("C-c")
        screen = terminal.wait_for_text("to quit the app")
        assert not terminal.exit_file.exists(), f"Ctrl+C ended the app:\n{screen}"
        terminal.send("q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.close()


def test_a_cli_change_shows_in_the_open_app_and_u_undoes_it(tmp_path: Path) -> None:
    needs_tmux()
    terminal = TmuxTerminal(tmp_path, 160, 50)
    try:
        terminal.wait_for_text(loaded_marker())
        url = wait_for_details_url(terminal)
        marked = run_installed(tmp_path, "mark", url, "--status", "read")
        assert marked.returncode == 0, marked.stderr
        # The app reloads the store every 2 s.
        terminal.wait_for(lambda s: read_count(1) in s and "✓" in s, "the CLI's change")
        terminal.send("u")  # the journal is shared: the app undoes the CLI's step
        screen = terminal.wait_for(lambda s: read_count(0) in s and "Undone" in s,
                                   "the undo in the app")
        terminal.send("q")
        assert terminal.wait_for_exit() == 0, screen
    finally:
        terminal.close()
    assert stored_states(terminal) == {}
    listed = run_installed(tmp_path, "list", "--status", "read", "--format", "json")
    assert listed.returncode == 0 and json.loads(listed.stdout) == [], listed


def test_a_damaged_store_stops_with_exit_3_and_the_restore_command_works(
    tmp_path: Path,
) -> None:
    needs_tmux()
    url = "https://arxiv.org/abs/1905.13405"
    for status in ("reading", "read"):  # the second change backs up the first state
        assert run_installed(tmp_path, "mark", url, "--status", status).returncode == 0
    store_file = tmp_path / "data" / f"{USER}.json"
    store_file.write_text('{"half a file', encoding="utf-8")
    terminal = TmuxTerminal(tmp_path, 160, 50)
    try:
        assert terminal.wait_for_exit() == 3, terminal.screen()
        # -J joins the message's wrapped lines; -S - takes the history too (tmux scrolls
        # the pane by a line to say it is dead).
        screen = terminal._tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "app").stdout
    finally:
        terminal.close()
    assert "is damaged" in screen and "It was left as it is" in screen, screen
    assert "Unterminated string starting at line 1" in screen, screen  # not "at at"
    command = next((line.strip() for line in screen.splitlines()
                    if line.strip().startswith("dlreader ") and "state restore" in line), None)
    assert command is not None, f"no restore command on the screen:\n{screen}"
    words = shlex.split(command)
    restored = subprocess.run(
        [str(DLREADER), *words[1:]], capture_output=True, text=True, timeout=30,
        env={**os.environ, **dict(w.split("=", 1) for w in dlreader_env(tmp_path))},
    )
    assert restored.returncode == 0, restored.stderr
    assert list(tmp_path.joinpath("data").glob(f"{USER}.json.corrupt-*")), "damaged file kept"
    states = Store.open(store_file).states()
    assert [(state.url, state.status) for state in states.values()] == [(url, "reading")]


def test_search_jumps_to_an_item_deep_in_the_tree(tmp_path: Path) -> None:
    needs_tmux()
    title = "Unsupervised Generative Modeling Using Matrix Product States"
    url = "https://journals.aps.org/prx/abstract/10.1103/PhysRevX.8.031012#fulltext"
    terminal = TmuxTerminal(tmp_path, 160, 50)
    try:
        terminal.wait_for_text(loaded_marker())
        terminal.send("/")
        terminal.wait_for_text("search items, topics, tags, passages, notes")
        terminal.send("Matrix Product States", literal=True)
        terminal.wait_for_text("1 match")
        terminal.send("Enter")
        # The topic (under a collapsed parent) is listed and the item is highlighted.
        screen = terminal.wait_for(lambda s: "Born Machine  " in s and details_url(s) == url,
                                   f"Born Machine listed with {url} highlighted")
        assert title in screen
        mark_read_and_quit(terminal)
    finally:
        terminal.close()
    assert_only_read(terminal, url)


def test_another_list_opened_with_source(tmp_path: Path) -> None:
    needs_tmux()
    reading_list = tmp_path / "my-list.md"
    reading_list.write_text(
        "# My list\n\n## Optimisation\n\n"
        "- [Adam: A Method for Stochastic Optimization](https://arxiv.org/abs/1412.6980)\n"
        "- [Decoupled Weight Decay](https://arxiv.org/abs/1711.05101)\n\n"
        "## Scaling\n\n- [Scaling Laws for Neural Language Models](https://arxiv.org/abs/2001.08361)\n",
        encoding="utf-8",
    )
    terminal = TmuxTerminal(tmp_path, 120, 30, "--source", str(reading_list))
    try:
        terminal.wait_for(lambda s: "My list" in s and "Scaling  0/1" in s, "the other list")
        terminal.send("Down", "Tab")  # Optimisation, then its links
        terminal.wait_for(lambda s: details_url(s) == "https://arxiv.org/abs/1412.6980",
                          "Adam highlighted")
        terminal.send("Space")
        screen = terminal.wait_for_text("1/3 done")
        terminal.send("q")
        assert terminal.wait_for_exit() == 0, screen
    finally:
        terminal.close()
    listed = run_installed(tmp_path, "--source", str(reading_list), "list", "--status", "read",
                     "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert [item["url"] for item in json.loads(listed.stdout)] == [
        "https://arxiv.org/abs/1412.6980"]


def test_shift_e_hands_the_terminal_to_a_real_editor_and_takes_it_back(tmp_path: Path) -> None:
    """vi in the app's terminal: the app suspends, vi draws and reads keys, the app
    comes back and saves what was written."""
    needs_tmux()
    vi = shutil.which("vi")
    if vi is None:
        pytest.skip("vi not installed")
    note = "Written in vi"
    # -u NONE: no vimrc, no plugins, no swap-file questions from earlier runs.
    editor = f"{vi} -u NONE -i NONE -n" if Path(vi).resolve().name.startswith("vim") else vi
    terminal = TmuxTerminal(tmp_path, 160, 50, env={"EDITOR": editor, "VISUAL": editor})
    try:
        terminal.wait_for_text(loaded_marker())
        terminal.send("Tab")
        url = wait_for_details_url(terminal)
        terminal.send("E")
        # vi has the screen: the app's tree is gone, vi's empty-line markers show.
        terminal.wait_for(lambda s: FIRST_TOPIC not in s and "~" in s, "vi on the screen")
        terminal.send("i")
        terminal.send(note, literal=True)
        terminal.send("Escape")
        terminal.send(":wq", literal=True)
        terminal.send("Enter")
        screen = terminal.wait_for(
            lambda s: FIRST_TOPIC in s and "Note saved" in s and note in s,
            "the app back, with the note saved and shown in Details",
        )
        terminal.send("q")
        assert terminal.wait_for_exit() == 0, screen
    finally:
        terminal.close()
    states = stored_states(terminal)
    assert [(state.url, state.note.strip()) for state in states.values()] == [(url, note)]


def _child_pid(parent: int) -> int:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    assert children, f"no child process under the pane's shell {parent}"
    return int(children[0])


def _gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
        except FileNotFoundError:
            return True
        if state == "Z":  # exited; only its parent has not reaped it yet
            return True
        time.sleep(0.05)
    return False


def test_closing_the_terminal_ends_dlreader_and_keeps_the_change(tmp_path: Path) -> None:
    """The terminal window closes (SIGHUP, the pty gone): dlreader must not linger (Textual
    could block for ever writing to the dead terminal), and the change is on disk."""
    needs_tmux()
    for attempt in range(3):  # the hang was a race: give it several chances to show
        terminal = TmuxTerminal(tmp_path / f"run{attempt}", 120, 40)
        try:
            terminal.wait_for_text(loaded_marker())
            shell = int(terminal._tmux("display-message", "-p", "-t", "app",
                                       "#{pane_pid}").stdout.strip())
            pid = _child_pid(shell)
            terminal.send("Tab")
            url = wait_for_details_url(terminal)
            terminal.send("Space")
            terminal.wait_for_text(read_count(1))
        finally:
            terminal.close()  # kills the server: the pty goes away, dlreader gets SIGHUP
        assert _gone(pid, timeout=15), f"dlreader (pid {pid}) still runs after its terminal closed"
        states = stored_states(terminal)
        assert [state.status for state in states.values() if state.url == url] == ["read"]


WIDE_LIST = """\
# Wide ❤️ things

## ⭐ Stars 中文

- [❤️ Love ⭐ the 中文 title](https://wide.example/a) - 🧙‍♂️ a wizard :black_small_square: 👍🏽 说明
- [Plain](https://wide.example/b) - ✔️ done ([Demo ❤️](https://wide.example/demo))
"""


def columns(text: str) -> int:
    """Cells a terminal gives the text: East Asian wide and fullwidth characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def test_emoji_vs16_and_cjk_never_push_a_border(tmp_path: Path) -> None:
    needs_tmux()
    reading_list = tmp_path / "wide.md"
    reading_list.write_text(WIDE_LIST, encoding="utf-8")
    terminal = TmuxTerminal(tmp_path, 100, 30, "--source", str(reading_list))
    try:
        terminal.wait_for_text("Stars")
        terminal.send("Down", "Tab")
        screen = terminal.wait_for(lambda s: "https://wide.example/a" in s, "the details")
        # Every row of the panes ends with the right pane's border: a cell the terminal
        # drew wider than Rich measured would push it off the 100 columns; and the tree's
        # right border is in one column on every row (wide characters count two).
        boxed = [line for line in screen.splitlines() if line.startswith(("│", "╰"))]
        assert len(boxed) > 20, screen
        assert all(line.rstrip().endswith(("│", "╮", "╯")) for line in boxed), screen
        tree_border = {columns(line[: line.index("│", 1)]) for line in boxed if "│" in line[1:]}
        assert len(tree_border) == 1, screen
        assert "Love" in screen and "wizard" in screen and "Demo" in screen
        terminal.send("q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.close()
