"""End to end (issue #12): the installed ``dlreader`` in tmux — resume after a relaunch,
the queue, search, combined filters and tags, checked on screen and in the store file."""

from __future__ import annotations

import json
from pathlib import Path

from tmux_terminal import TmuxTerminal, details_url, needs_tmux, run_installed, stored_states

LIST = """\
# Day list

## Optimisation

- [Adam: A Method for Stochastic Optimization](https://arxiv.org/abs/1412.6980)
- [Decoupled Weight Decay](https://arxiv.org/abs/1711.05101)
- [Lookahead Optimizer](https://arxiv.org/abs/1907.08610)

## Lottery tickets

The lottery ticket hypothesis, in a passage.

- [The Lottery Ticket Hypothesis](https://arxiv.org/abs/1803.03635)
- [Stabilizing the Lottery Ticket Hypothesis](https://arxiv.org/abs/1903.01611)

## Scaling

- [Scaling Laws for Neural Language Models](https://arxiv.org/abs/2001.08361)
"""


def write(tmp_path: Path) -> Path:
    path = tmp_path / "day.md"
    path.write_text(LIST, encoding="utf-8")
    return path


def start(tmp_path: Path, source: Path) -> TmuxTerminal:
    terminal = TmuxTerminal(tmp_path, 140, 40, "--source", str(source))
    terminal.wait_for(lambda s: "Scaling  0/1" in s, "the list loaded")
    return terminal


def quit_cleanly(terminal: TmuxTerminal) -> None:
    terminal.send("q")
    assert terminal.wait_for_exit() == 0, terminal.screen()


def test_relaunch_resumes_topic_item_and_scope(tmp_path: Path) -> None:
    needs_tmux()
    source = write(tmp_path)
    terminal = start(tmp_path, source)
    try:
        terminal.send("Down", "Down", "Tab")  # Lottery tickets, its items
        terminal.wait_for(lambda s: details_url(s) == "https://arxiv.org/abs/1803.03635",
                          "the first lottery paper highlighted")
        terminal.send("Down")
        terminal.wait_for(lambda s: details_url(s) == "https://arxiv.org/abs/1903.01611",
                          "the second lottery paper highlighted")
        quit_cleanly(terminal)
    finally:
        terminal.close()
    terminal = start(tmp_path, source)
    try:
        screen = terminal.wait_for(
            lambda s: details_url(s) == "https://arxiv.org/abs/1903.01611",
            "the same item highlighted after the relaunch")
        assert "Lottery tickets" in screen
        terminal.send("Space")  # the list has the focus again: Space marks the item
        terminal.wait_for_text("1/6 done")
        quit_cleanly(terminal)
    finally:
        terminal.close()
    assert [s.url for s in stored_states(terminal).values() if s.status == "read"] == [
        "https://arxiv.org/abs/1903.01611"]


def test_queue_shows_reading_first_and_O_marks_reading(tmp_path: Path) -> None:
    needs_tmux()
    source = write(tmp_path)
    assert run_installed(tmp_path, "--source", str(source), "mark", "https://arxiv.org/abs/2001.08361",
                   "--priority", "high").returncode == 0
    assert run_installed(tmp_path, "--source", str(source), "mark", "https://arxiv.org/abs/1711.05101",
                   "--status", "reading").returncode == 0
    terminal = TmuxTerminal(tmp_path, 140, 40, "--source", str(source),
                            env={"BROWSER": "true"})
    try:
        terminal.wait_for(lambda s: "Scaling  0/1" in s, "the list loaded")
        terminal.send("Q")
        screen = terminal.wait_for_text("Queue: 1 reading")
        assert "▶ Decoupled Weight Decay" in screen, screen
        order = [screen.index(t) for t in ("Decoupled", "Scaling Laws", "Adam", "Lookahead")]
        assert order == sorted(order), screen
        assert "in Scaling" in screen
        terminal.send("Down", "O")  # Scaling Laws: opened and marked reading
        terminal.wait_for(lambda s: "Queue:" not in s and "Opened in" in s, "opened")
        quit_cleanly(terminal)
    finally:
        terminal.close()
    states = {s.url: s.status for s in stored_states(terminal).values()}
    assert states["https://arxiv.org/abs/2001.08361"] == "reading"


def test_search_ranks_the_word_and_tags_are_searchable(tmp_path: Path) -> None:
    needs_tmux()
    source = write(tmp_path)
    terminal = start(tmp_path, source)
    try:
        terminal.send("Down", "Tab")  # Optimisation's items: Adam
        terminal.wait_for(lambda s: details_url(s) == "https://arxiv.org/abs/1412.6980",
                          "Adam highlighted")
        terminal.send("t")
        terminal.wait_for_text("Tags for")
        terminal.send("optim classic", literal=True)
        terminal.send("Enter")
        terminal.wait_for_text("#optim #classic")
        terminal.send("/")
        terminal.wait_for_text("search items")
        terminal.send("lottery", literal=True)
        screen = terminal.wait_for_text("word topic")
        assert screen.index("Lottery tickets") < screen.index("Stabilizing"), screen
        terminal.send("Enter")  # the topic, the best hit
        terminal.wait_for(lambda s: "Lottery tickets  2 items" in s, "the topic listed")
        quit_cleanly(terminal)
    finally:
        terminal.close()
    listed = run_installed(tmp_path, "--source", str(source), "list", "--tag", "classic")
    assert "Adam" in listed.stdout, listed.stderr
    found = run_installed(tmp_path, "--source", str(source), "search", "classic",
                          "--format", "json")
    hits = json.loads(found.stdout)
    assert (hits[0]["field"], hits[0]["url"]) == ("tag", "https://arxiv.org/abs/1412.6980")


def test_combined_filters_from_the_dialog(tmp_path: Path) -> None:
    needs_tmux()
    source = write(tmp_path)
    for url, status in (("https://arxiv.org/abs/1412.6980", "read"),
                        ("https://arxiv.org/abs/1711.05101", "reading")):
        assert run_installed(tmp_path, "--source", str(source), "mark", url,
                       "--status", status).returncode == 0
    terminal = start(tmp_path, source)
    try:
        terminal.send("Down", "F")
        terminal.wait_for_text("Space ticks")
        terminal.wait_for_text("Shows: all")
        terminal.send("Tab", "Space")  # reading
        terminal.wait_for_text("Shows: reading")
        terminal.send("Tab", "Space")  # and read
        terminal.wait_for_text("Shows: reading or read")
        terminal.send("C-s")
        screen = terminal.wait_for_text("filter: reading or read")
        links = screen.partition("Links")[2].partition("Details")[0]
        assert "Adam" in links and "Decoupled" in links, screen
        assert "Lookahead" not in links, screen
        quit_cleanly(terminal)
    finally:
        terminal.close()
