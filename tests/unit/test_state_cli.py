"""The reading-state commands end to end: ``cli.main`` on a real list and real store files."""

from __future__ import annotations

import io
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_support import STATE_LIST as LIST
from cli_support import Run, ids_by_title
from store_support import user_store

from dlreader import cli
from dlreader.errors import EXIT_BUSY, EXIT_DAMAGED, EXIT_USAGE
from dlreader.store import ItemUpdate


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "list.md"
    path.write_text(LIST, encoding="utf-8")
    return path


@pytest.fixture
def data_dir(isolated_dirs: Path) -> Path:
    return isolated_dirs / "data"


@pytest.fixture
def run(source: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    return Run(source, capsys)


# -- mark ----------------------------------------------------------------------------------


def test_mark_by_url_and_by_id(run: Run, data_dir: Path) -> None:
    code, _out, err = run("mark", "https://EXAMPLE.org/a", "--status", "read")
    assert code == 0, err
    ids = ids_by_title(run)
    note = "# why\n\nbecause"
    code, _out, err = run("mark", ids["Paper B"], "--priority", "high", "--note", note)
    assert code == 0, err
    states = user_store(data_dir).states()
    assert states[ids["Paper A"]].status == "read"
    assert states[ids["Paper A"]].url == "https://example.org/a"
    assert states[ids["Paper B"]].priority == "high"
    assert states[ids["Paper B"]].note == "# why\n\nbecause"


def test_unknown_item_changes_nothing(run: Run, data_dir: Path) -> None:
    run("mark", "https://example.org/a", "--status", "reading")
    before = (data_dir / "alice.json").read_bytes()
    code, _out, err = run("mark", "https://example.org/a", "https://nowhere.example/x",
                          "--status", "read")
    assert code == EXIT_USAGE
    assert "https://nowhere.example/x" in err and "nothing was changed" in err
    assert (data_dir / "alice.json").read_bytes() == before


def test_mark_usage_errors(run: Run, data_dir: Path) -> None:
    assert run("mark", "https://example.org/a")[0] == EXIT_USAGE  # nothing to set
    assert run("mark", "--status", "read")[0] == EXIT_USAGE  # nothing to mark
    assert run("mark", "--topic", "Beta", "--status", "read")[0] == EXIT_USAGE  # no --all
    assert run("mark", "--all", "--status", "read")[0] == EXIT_USAGE  # no --topic
    assert run("mark", "https://example.org/a", "--status", "done")[0] == EXIT_USAGE
    assert not (data_dir / "alice.json").exists()


def test_note_clear_file_and_stdin(
    run: Run, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note_file = tmp_path / "note.md"
    note_file.write_text("from a *file* ✓\n", encoding="utf-8")
    assert run("mark", "https://example.org/a", "--note-file", str(note_file))[0] == 0
    item = ids_by_title(run)["Paper A"]
    assert user_store(data_dir).get(item).note == "from a *file* ✓"  # type: ignore[union-attr]
    monkeypatch.setattr(sys, "stdin", io.StringIO("from stdin\n"))
    assert run("mark", "https://example.org/a", "--note-file", "-")[0] == 0
    assert user_store(data_dir).get(item).note == "from stdin"  # type: ignore[union-attr]
    assert run("mark", "https://example.org/a", "--note", "")[0] == 0
    assert user_store(data_dir).get(item).note == ""  # type: ignore[union-attr]
    assert run("mark", "https://example.org/a", "--note-file", str(tmp_path / "no"))[0] == 2


def test_mark_whole_topic(run: Run, data_dir: Path) -> None:
    code, _out, err = run("mark", "--topic", "alpha  deep", "--all", "--status", "read")
    assert code == 0, err
    ids = ids_by_title(run)
    assert set(user_store(data_dir).states()) == {ids["Paper C"]}

    code, _out, err = run("mark", "--topic", "Alpha", "--all", "--status", "skipped")
    assert code == EXIT_USAGE
    alphas = [t for t in run.json("topics")[0]["children"] if t["title"] == "Alpha"]  # type: ignore[index]
    assert len(alphas) == 2 and all(topic["id"] in err for topic in alphas)

    code, _out, err = run("mark", "--topic", alphas[0]["id"], "--all", "--status", "skipped")
    assert code == 0, err
    states = user_store(data_dir).states()
    # Recursive: Alpha's own items and Alpha Deep's.
    assert {ids["Paper A"], ids["Paper B"], ids["Paper C"]} == set(states)
    assert all(state.status == "skipped" for state in states.values())
    assert run("undo")[0] == 0
    assert user_store(data_dir).get(ids["Paper C"]).status == "read"  # type: ignore[union-attr]

    code, _out, err = run("mark", "--topic", "Gamma", "--all", "--status", "read")
    assert code == EXIT_USAGE and "no topic" in err


def test_marking_a_topic_leaves_skipped_items_unless_asked_and_says_the_counts(
        run: Run, data_dir: Path) -> None:
    ids = ids_by_title(run)
    alpha = [t for t in run.json("topics")[0]["children"] if t["title"] == "Alpha"][0]["id"]  # type: ignore[index]
    run("mark", "https://example.org/c", "--status", "skipped")
    run("mark", "https://example.org/b", "--status", "reading")
    code, _out, err = run("mark", "--topic", alpha, "--all", "--status", "read")
    assert code == 0, err
    assert err.splitlines() == [
        "dlreader: status read: 2 items (`dlreader undo` reverts)",
        "dlreader: under “Alpha”: 1 unread, 1 reading became read; 1 skipped stays skipped "
        "(--include-skipped marks skipped items too)"]
    states = user_store(data_dir).states()  # a fresh reader of the file
    assert {title: states[ids[title]].status for title in ("Paper A", "Paper B", "Paper C")} == {
        "Paper A": "read", "Paper B": "read", "Paper C": "skipped"}
    # Other fields still reach a skipped item; its status stays.
    code, _out, err = run("mark", "--topic", alpha, "--all", "--status", "unread",
                          "--priority", "low")
    assert code == 0 and "2 read became unread; 1 skipped stays skipped" in err, err
    c = user_store(data_dir).get(ids["Paper C"])
    assert c is not None and (c.status, c.priority) == ("skipped", "low")
    # Asked: the skipped one too; one undo step takes the whole topic back.
    code, _out, err = run("mark", "--topic", alpha, "--all", "--status", "read",
                          "--include-skipped")
    assert code == 0 and err.splitlines()[-1] == \
        "dlreader: under “Alpha”: 2 unread, 1 skipped became read", err
    assert all(s.status == "read" for s in user_store(data_dir).states().values()
               if s.item_id in {ids["Paper A"], ids["Paper B"], ids["Paper C"]})
    assert run("undo")[0] == 0
    assert user_store(data_dir).get(ids["Paper C"]).status == "skipped"  # type: ignore[union-attr]
    # Nothing left to mark: nothing changes (the file is not even written), and it says why.
    run("mark", "https://example.org/a", "https://example.org/b", "--status", "read")
    before = (data_dir / "alice.json").read_bytes()
    code, _out, err = run("mark", "--topic", alpha, "--all", "--status", "read")
    assert code == 0 and err.splitlines() == [
        "dlreader: nothing changed: 2 items already had status read",
        "dlreader: under “Alpha”: 2 already read; 1 skipped stays skipped "
        "(--include-skipped marks skipped items too)"], err
    assert (data_dir / "alice.json").read_bytes() == before
    # A named item is asked for: it is marked whatever its status.
    code, _out, err = run("mark", "https://example.org/c", "--status", "read")
    assert code == 0 and user_store(data_dir).get(ids["Paper C"]).status == "read"  # type: ignore[union-attr]
    code, _out, err = run("mark", "https://example.org/c", "--status", "read",
                          "--include-skipped")
    assert code == EXIT_USAGE and "--include-skipped goes with --topic" in err
    assert len(err.strip().splitlines()) == 1
    # A topic of skipped items only: nothing to do.
    assert run("mark", "--topic", "alpha deep", "--all", "--status", "skipped")[0] == 0
    code, _out, err = run("mark", "--topic", "alpha deep", "--all", "--status", "read")
    assert code == 0 and err.splitlines() == [
        "dlreader: nothing changed",
        "dlreader: under “Alpha Deep”: 1 skipped stays skipped "
        "(--include-skipped marks skipped items too)"], err


# -- list, topics, stats -------------------------------------------------------------------


def test_list_json_shape_order_and_filters(run: Run) -> None:
    run("mark", "https://example.org/d", "--status", "reading", "--note", "n")
    rows = run.json("list")
    assert isinstance(rows, list)
    assert [row["title"] for row in rows] == ["Paper A", "Paper B", "Paper C", "Paper D", "Paper E"]
    assert set(rows[0]) == {"id", "url", "title", "list_title", "topics", "status", "priority",
                            "note", "tags", "updated", "link", "page_title"}
    assert rows[0]["link"]["status"] == "unchecked"  # no `dlreader check` has run
    assert rows[0]["topics"] == ["Alpha", "Beta"]
    assert rows[0]["status"] == "unread" and rows[0]["updated"] is None
    d = rows[3]
    assert (d["status"], d["note"], d["url"]) == ("reading", "n", "https://example.org/d")
    assert d["updated"].endswith("Z")

    assert [r["title"] for r in run.json("list", "--status", "reading")] == ["Paper D"]  # type: ignore[union-attr]
    assert [r["title"] for r in run.json("list", "--noted")] == ["Paper D"]  # type: ignore[union-attr]
    assert run.json("list", "--priority", "high") == []
    assert [r["title"] for r in run.json("list", "--topic", "Beta")] == ["Paper D", "Paper A"]  # type: ignore[union-attr]


def test_list_filters_combine_like_the_app(run: Run) -> None:
    run("mark", "https://example.org/a", "--status", "reading", "--priority", "low")
    run("mark", "https://example.org/b", "--status", "read", "--priority", "high", "--note", "x")
    run("mark", "https://example.org/c", "--priority", "medium")

    def titles(*options: str) -> list[str]:
        return [r["title"] for r in run.json("list", *options)]  # type: ignore[union-attr]

    assert titles("--status", "unread", "--status", "reading") == ["Paper A", "Paper C",
                                                                    "Paper D", "Paper E"]
    # --priority is "at least": medium or high.
    assert titles("--priority", "medium") == ["Paper B", "Paper C"]
    assert titles("--status", "unread", "--status", "reading", "--priority", "low") == [
        "Paper A", "Paper C"]
    assert titles("--noted", "--priority", "high") == ["Paper B"]
    assert titles("--noted", "--status", "unread") == []


def test_tags_and_own_titles_from_mark(run: Run) -> None:
    code, _out, err = run("mark", "https://example.org/a", "https://example.org/b",
                          "--tag", "ml", "--tag", "to  print")
    assert code == 0 and "tagged ml, to print" in err
    run("mark", "https://example.org/b", "--untag", "ml", "--title", "My own B")
    rows = {r["url"]: r for r in run.json("list")}  # type: ignore[union-attr]
    assert rows["https://example.org/a"]["tags"] == ["ml", "to print"]
    assert rows["https://example.org/b"]["tags"] == ["to print"]
    assert rows["https://example.org/b"]["title"] == "My own B"
    assert rows["https://example.org/b"]["list_title"] == "Paper B"
    assert [r["url"] for r in run.json("list", "--tag", "ml")] == [  # type: ignore[union-attr]
        "https://example.org/a"]
    code, out, _err = run("list", "--tag", "to print")
    assert "My own B" in out and "Paper A" in out
    # Bad input is a message and exit 2, nothing changed.
    assert run("mark", "https://example.org/a", "--tag", "x\x1b]0;t\x07")[0] == EXIT_USAGE
    assert run("mark", "https://example.org/a", "--tag", "  ")[0] == EXIT_USAGE
    assert run("mark", "https://example.org/a", "--tag", "x", "--untag", "x")[0] == EXIT_USAGE
    code, _out, err = run("mark", "https://example.org/a", "https://example.org/b",
                          "--title", "Both")
    assert code == EXIT_USAGE and "one item" in err
    assert run("undo")[0] == 0  # takes back the retitle
    rows = {r["url"]: r for r in run.json("list")}  # type: ignore[union-attr]
    assert rows["https://example.org/b"]["title"] == "Paper B"
    assert rows["https://example.org/b"]["tags"] == ["ml", "to print"]


def test_list_text_is_aligned(run: Run) -> None:
    run("mark", "https://example.org/b", "--status", "read", "--priority", "medium")
    code, out, _err = run("list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("STATUS") and len(lines) == 6
    column = lines[0].index("TITLE")
    assert all(line[column:].startswith("Paper") for line in lines[1:])
    assert "read     medium" in lines[2]


def test_orphans_keep_their_saved_title_and_url(run: Run, source: Path) -> None:
    run("mark", "https://example.org/e", "--status", "read", "--note", "still mine")
    source.write_text(LIST.replace("- [Paper E](https://example.org/e)\n", ""), encoding="utf-8")
    assert all(row["title"] != "Paper E" for row in run.json("list"))  # type: ignore[union-attr]
    orphans = run.json("list", "--orphans")
    assert isinstance(orphans, list) and len(orphans) == 1
    assert orphans[0]["title"] == "Paper E" and orphans[0]["url"] == "https://example.org/e"
    assert orphans[0]["note"] == "still mine" and orphans[0]["topics"] == []
    code, out, _err = run("list", "--orphans")
    assert code == 0 and "Paper E" in out
    assert run.json("stats")["orphans"] == 1  # type: ignore[index]


def test_topics_count_done_as_read_or_skipped_with_bars_rounded_down(run: Run) -> None:
    run("mark", "https://example.org/a", "--status", "skipped")
    (root,) = run.json("topics")  # type: ignore[misc]
    assert (root["read"], root["done"], root["total"]) == (0, 1, 5)
    alpha = root["children"][0]
    assert (alpha["done"], alpha["total"]) == (1, 3)
    code, out, _err = run("topics")
    # 1/3 of 10 cells is 3 (never rounded up to look further along).
    assert any(line.startswith("  Alpha ") and line.endswith("1/3  ███░░░░░░░")
               for line in out.splitlines()), out


def test_topics_roll_up_read_and_total(run: Run) -> None:
    run("mark", "https://example.org/c", "https://example.org/a", "--status", "read")
    (root,) = run.json("topics")  # type: ignore[misc]
    assert (root["title"], root["read"], root["total"]) == ("Reading", 2, 5)
    alpha, beta, alpha2 = root["children"]
    assert (alpha["read"], alpha["total"]) == (2, 3)
    assert (alpha["children"][0]["read"], alpha["children"][0]["total"]) == (1, 1)
    assert (beta["read"], beta["total"]) == (1, 2)
    assert (alpha2["read"], alpha2["total"]) == (0, 1)
    code, out, _err = run("topics")
    assert code == 0 and "    Alpha Deep" in out and "2/5" in out


def test_stats_json_shape_and_text_bars(run: Run) -> None:
    run("mark", "https://example.org/a", "https://example.org/b", "--status", "read")
    run("mark", "https://example.org/c", "--priority", "high", "--note", "x")
    run("mark", "https://example.org/d", "--status", "skipped")
    figures = run.json("stats")
    assert isinstance(figures, dict)
    weeks, streak, by_topic = figures.pop("weeks"), figures.pop("streak"), figures.pop("by_topic")
    assert figures == {
        "items": 5,
        "topics": 5,
        "done": 3,
        "status": {"unread": 2, "reading": 0, "read": 2, "skipped": 1},
        "priority": {"none": 4, "low": 0, "medium": 0, "high": 1},
        "noted": 1,
        "orphans": 0,
    }
    # Done today: this week counts 3 (read and skipped), a streak of one day.
    assert len(weeks) == 12 and weeks[-1]["done"] == 3 and streak == 1
    assert [(row["title"], row["done"], row["total"]) for row in by_topic] == [
        ("Alpha", 2, 3), ("Beta", 2, 2), ("Alpha", 0, 1)]
    code, out, _err = run("stats")
    assert code == 0 and "█" in out and "40.0%" in out
    assert "done 3/5 (60%, read or skipped)" in out and "streak: 1 day in a row" in out


# -- undo, users, damage, busy -------------------------------------------------------------


def test_undo_reverts_the_apps_last_change(run: Run, data_dir: Path, source: Path) -> None:
    from dlreader.sources.opening import local_key

    run("mark", "https://example.org/a", "--status", "read")
    app_store = user_store(data_dir)  # the app, marking through the same journal, same list
    app_store.apply([ItemUpdate("i-x", None, "X", status="skipped")], "app mark",
                    list_key=local_key(source))
    code, _out, err = run("undo")
    assert code == 0 and "app mark" in err
    assert "i-x" not in user_store(data_dir).states()
    code, _out, err = run("redo")
    assert code == 0 and "app mark" in err
    assert app_store.reload_if_changed() and "i-x" in app_store.states()
    run("undo"), run("undo")
    code, _out, err = run("undo")
    assert code == 0 and "nothing to undo" in err


def test_users_are_separate(run: Run, data_dir: Path) -> None:
    run("mark", "https://example.org/a", "--status", "read", user="bob")
    assert [r["status"] for r in run.json("list", user="alice")][0] == "unread"  # type: ignore[index]
    assert [r["status"] for r in run.json("list", user="bob")][0] == "read"  # type: ignore[index]
    assert (data_dir / "bob.json").exists()
    # alice's read remembered the list in her library, with no state of bob's.
    assert user_store(data_dir, "alice").states() == {}
    assert run("list", user="../etc/passwd")[0] == EXIT_USAGE


def test_damaged_store_exit_3_then_the_printed_command_restores_it(
    run: Run, data_dir: Path
) -> None:
    run("mark", "https://example.org/a", "--status", "read")
    run("mark", "https://example.org/b", "--status", "read")  # the first backup
    store_path = data_dir / "alice.json"
    store_path.write_bytes(store_path.read_bytes()[:40])
    for argv in (["list"], ["stats"], ["mark", "https://example.org/c", "--status", "read"]):
        code, _out, err = run(*argv)
        assert code == EXIT_DAMAGED
        assert str(store_path) in err and "state restore" in err
    assert len(store_path.read_bytes()) == 40

    command = shlex.split(err.strip().splitlines()[-1])
    assert command[0] == "dlreader" and "--user" in command
    code, _out, err = run(*command[1:])
    assert code == 0, err
    assert "corrupt" in err
    assert [p.name for p in data_dir.glob("alice.json.corrupt-*")]
    rows = run.json("list")
    assert [r["status"] for r in rows][:2] == ["read", "unread"]  # type: ignore[index]
    code, out, _err = run("state", "backups")
    assert code == 0 and "record" in out


def test_newer_store_exit_3(run: Run, data_dir: Path) -> None:
    run("mark", "https://example.org/a", "--status", "read")
    path = data_dir / "alice.json"
    data = json.loads(path.read_text())
    data["meta"]["1"]["schema"] = 99
    path.write_text(json.dumps(data))
    code, _out, err = run("mark", "https://example.org/b", "--status", "read")
    assert code == EXIT_DAMAGED and "newer dlreader" in err


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for line in ("2  bad usage", "3  the state file is damaged", "4  the state file is busy"):
        assert line in out


HOLDER = """
import sys, time
from pathlib import Path
from dlreader.store.lock import StoreLock
with StoreLock(Path(sys.argv[1]), 5).held():
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_cli_waits_for_a_short_holder(run: Run, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    holder = _hold_lock(data_dir / "alice.json", 1.5)
    try:
        code, _out, err = run("mark", "https://example.org/a", "--status", "read")
        assert code == 0, err
    finally:
        holder.wait(timeout=10)


@pytest.mark.skipif(os.environ.get("DLREADER_FAST_TESTS") == "1", reason="waits 10 s")
def test_cli_gives_up_after_10_s_naming_the_holder(run: Run, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    holder = _hold_lock(data_dir / "alice.json", 30)
    try:
        started = time.monotonic()
        code, _out, err = run("mark", "https://example.org/a", "--status", "read")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert code == EXIT_BUSY
    assert 9.5 < waited < 15
    assert f"pid {holder.pid}" in err and "busy" in err


def test_a_reading_command_does_not_wait_for_another_writer(
    run: Run, data_dir: Path, source: Path
) -> None:
    """Seeing a list the first time adds it to the library, but a command that only reads
    does not wait for the lock for that (best effort): a later command adds it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    holder = _hold_lock(data_dir / "alice.json", 30)
    try:
        started = time.monotonic()
        for command in ("list", "topics", "next", "stats"):
            code, out, err = run(command)
            assert code == 0, err
            assert out and "busy" not in err
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert waited < 5  # each would have waited 10 s for the lock
    assert user_store(data_dir).lists() == []
    code, _out, err = run("list")
    assert code == 0, err
    assert [record.source for record in user_store(data_dir).lists()] == [str(source)]
