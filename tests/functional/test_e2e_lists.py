"""End to end in tmux: the installed app with several lists, NEW marks and remote lists.

The remote list is served by a real HTTP server on 127.0.0.1 that the test starts.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from store_support import user_store
from tmux_terminal import USER, TmuxTerminal, needs_tmux, run_installed

from dlreader.sources.kept import copy_path, facts_path

V1 = """\
# Tools

## Editors
- [Vim](https://www.vim.org/)
- [Emacs](https://www.gnu.org/software/emacs/)

## Shells
- [Bash](https://www.gnu.org/software/bash/)
"""
ADDED = "- [Helix](https://helix-editor.com/)\n- [Kakoune](https://kakoune.org/)\n"
V2 = V1.replace("## Shells", ADDED + "\n## Shells")


def quit_cleanly(terminal: TmuxTerminal) -> None:
    terminal.send("q")
    assert terminal.wait_for_exit() == 0, terminal.screen()


def library(home: Path) -> dict[str, dict[str, object]]:
    listed = run_installed(home, "lists", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    return {row["name"]: row for row in json.loads(listed.stdout)}


def test_items_added_since_the_last_open_show_new_until_seen(tmp_path: Path) -> None:
    needs_tmux()
    tools = tmp_path / "tools.md"
    tools.write_text(V1, encoding="utf-8")
    terminal = TmuxTerminal(tmp_path, 120, 30, "--source", str(tools))
    try:
        terminal.wait_for_text("Editors  0/2")
        quit_cleanly(terminal)
    finally:
        terminal.close()
    tools.write_text(V2, encoding="utf-8")  # the list changed on disk between two opens
    terminal = TmuxTerminal(tmp_path, 120, 30, "--source", str(tools))
    try:
        screen = terminal.wait_for(lambda s: "Editors  0/4" in s and "2 new" in s,
                                   "the tree saying 2 new")
        terminal.send("Down")  # Editors: its rows, two of them NEW
        screen = terminal.wait_for(lambda s: s.count("NEW") == 2, "two NEW rows")
        assert "Helix" in screen and "Kakoune" in screen
        terminal.send("Tab", "Down", "Down")  # highlight Helix: seen
        terminal.wait_for(lambda s: "1 new" in s and s.count("NEW") == 1, "Helix seen")
        terminal.send("N")  # the rest acknowledged
        terminal.wait_for(lambda s: " new" not in s.split("Links")[0] and "NEW" not in s,
                          "no NEW left")
        quit_cleanly(terminal)
    finally:
        terminal.close()
    assert library(tmp_path)["tools"]["new"] == 0


def test_l_switches_to_another_list_with_its_progress(tmp_path: Path) -> None:
    needs_tmux()
    first, second = tmp_path / "first.md", tmp_path / "second.md"
    first.write_text(V1.replace("# Tools", "# First list"), encoding="utf-8")
    second.write_text(V2.replace("# Tools", "# Second list"), encoding="utf-8")
    marked = run_installed(tmp_path, "--source", str(second), "mark", "https://kakoune.org/",
                     "--status", "read")
    assert marked.returncode == 0, marked.stderr
    terminal = TmuxTerminal(tmp_path, 120, 30, "--source", str(first))
    try:
        terminal.wait_for_text("Editors  0/2")
        terminal.send("L")
        screen = terminal.wait_for(lambda s: "Your lists" in s and "1/5 done" in s
                                   and "0/3 done" in s, "the lists with their progress")
        assert "second" in screen and "first" in screen
        terminal.send("Up")  # second was added first: the top row
        terminal.send("Enter")
        terminal.wait_for(lambda s: "Second list" in s and "Editors  1/4" in s,
                          "the second list open")
        quit_cleanly(terminal)
    finally:
        terminal.close()
    rows = library(tmp_path)
    assert rows["second"]["opened"] and rows["first"]["opened"]


def test_a_remote_list_downloads_then_refreshes_in_the_background(
    tmp_path: Path, list_server
) -> None:
    needs_tmux()
    list_server.serve_list("/tools.md", V1, etag='"v1"')
    url = list_server.url("/tools.md")
    terminal = TmuxTerminal(tmp_path, 120, 30, "--source", url)
    try:
        terminal.wait_for_text("Editors  0/2")
        quit_cleanly(terminal)
    finally:
        terminal.close()
    copy = copy_path(tmp_path / "data", url)
    facts = json.loads(facts_path(copy).read_text())
    facts["checked"] = time.time() - 2 * 86400  # a copy older than a day
    facts_path(copy).write_text(json.dumps(facts))
    list_server.serve_list("/tools.md", V2, etag='"v2"')
    terminal = TmuxTerminal(tmp_path, 120, 30, "--source", url)
    try:
        terminal.wait_for(lambda s: "Editors  0/4" in s and "2 new" in s,
                          "the newer version, its items new")
        terminal.wait_for_text("2 new items")  # the notice says what changed
        quit_cleanly(terminal)
    finally:
        terminal.close()
    requests = [headers.get("if-none-match") for _, headers in list_server.requests]
    assert requests == [None, '"v1"']
    assert user_store(tmp_path / "data", USER).list_record(url) is not None


def big_real_list() -> Path:
    """awesome-go (0.4 MB: the app loads it in the background), for a test in tmux."""
    needs_tmux()
    from conftest import SHARED_LISTS

    source = SHARED_LISTS / "avelino--awesome-go.md"
    if not source.is_file():
        pytest.skip(f"{source} not found (shared/ must sit beside the repo)")
    return source


def children_of(pid: int) -> list[int]:
    """The child processes of ``pid`` (zombies included: a child not reaped is listed)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def test_a_big_cold_list_shows_its_tree_its_first_links_then_all_of_it(tmp_path: Path) -> None:
    # With no parse cache: the tree and the first topic's links come from the launcher's
    # head start (a forked child on Linux), the rest from the workers.
    from dlreader.catalog.loader import load_catalog

    source = big_real_list()
    catalog = load_catalog(source, use_cache=False)
    first = next(topic for topic in catalog.topics if topic.items)
    last = catalog.topics[-1]
    whole = len(set(catalog.item_ids_under(first.id, recursive=True)))
    terminal = TmuxTerminal(tmp_path, 160, 50, "--source", str(source))
    try:
        terminal.wait_for(lambda s: catalog.items[first.items[0]].title in s
                          and first.title in s, "the first topic's first link")
        # Loaded: the tree counts the whole list, and its last topic is there to go to.
        terminal.wait_for_text(f"{first.title}  0/{whole}")
        terminal.send("End")
        terminal.wait_for_text(last.title)
        app = children_of(int(terminal._tmux("display-message", "-p", "-t", "app",
                                             "#{pane_pid}").stdout))
        assert len(app) == 1
        assert children_of(app[0]) == []  # the head start's child and the workers: reaped
        quit_cleanly(terminal)
    finally:
        terminal.close()


def test_q_while_a_big_cold_list_is_parsed_exits_cleanly(tmp_path: Path) -> None:
    # The parse of the rest is abandoned, not waited for (it was: 1-3 s after q).
    terminal = TmuxTerminal(tmp_path, 160, 50, "--source", str(big_real_list()))
    try:
        terminal.wait_for_text("Golang Bridge")  # the first link, from the preview
        quit_cleanly(terminal)
    finally:
        terminal.close()
