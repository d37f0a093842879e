"""The library of lists and state per list: real lists on disk, a real store in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run_cli
from store_support import user_store

from dlreader.errors import EXIT_USAGE
from dlreader.locations import store_path
from dlreader.store import Store
from dlreader.store.schema import SCHEMA_VERSION

# Two lists that share one URL (shared.org).
LIST_A = "# List A\n\n## One\n- [Shared](https://shared.org/)\n- [Only A](https://a.org/1)\n"
LIST_B = "# List B\n\n## Two\n- [Shared too](https://shared.org/)\n- [Only B](https://b.org/1)\n"


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    code, out, err = run_cli(capsys, *argv, "--format", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def lists(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "awesome-a.md", tmp_path / "awesome-b.md"
    a.write_text(LIST_A, encoding="utf-8")
    b.write_text(LIST_B, encoding="utf-8")
    return a, b


@pytest.fixture(autouse=True)
def user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("LOGNAME", "tester")


def test_state_belongs_to_the_url_but_orphans_are_per_list(lists, capsys) -> None:
    a, b = lists
    for url, status in (("https://shared.org/", "read"), ("https://a.org/1", "reading")):
        assert run_cli(capsys, "--source", str(a), "mark", url, "--status", status)[0] == 0
    rows = as_json(capsys, "--source", str(b), "list")
    assert {row["url"]: row["status"] for row in rows} == {
        "https://shared.org/": "read", "https://b.org/1": "unread"}
    # A's own item is not B's orphan.
    assert as_json(capsys, "--source", str(b), "list", "--orphans") == []
    assert as_json(capsys, "--source", str(b), "stats")["orphans"] == 0
    # Removed from A: it is A's orphan, still not B's.
    a.write_text(LIST_A.replace("- [Only A](https://a.org/1)\n", ""), encoding="utf-8")
    orphans = as_json(capsys, "--source", str(a), "list", "--orphans")
    assert [row["url"] for row in orphans] == ["https://a.org/1"]
    assert orphans[0]["status"] == "reading"  # the state is kept
    assert as_json(capsys, "--source", str(b), "list", "--orphans") == []


def test_undo_and_redo_are_per_list(lists, capsys) -> None:
    a, b = lists
    run_cli(capsys, "--source", str(a), "mark", "https://a.org/1", "--status", "read")
    run_cli(capsys, "--source", str(b), "mark", "https://b.org/1", "--status", "skipped")
    code, _, err = run_cli(capsys, "--source", str(a), "undo")
    assert code == 0 and "Only A" in err
    states = user_store(user="tester").states()
    assert [s.url for s in states.values()] == ["https://b.org/1"]  # B's change stands
    code, _, err = run_cli(capsys, "--source", str(a), "undo")
    assert "nothing to undo" in err
    code, _, err = run_cli(capsys, "--source", str(b), "undo")
    assert "Only B" in err
    assert user_store(user="tester").states() == {}
    run_cli(capsys, "--source", str(a), "redo")
    assert [s.url for s in user_store(user="tester").states().values()] == ["https://a.org/1"]
    code, _, err = run_cli(capsys, "--source", str(a), "redo")
    assert "nothing to redo" in err


def test_undo_in_one_list_keeps_a_later_change_made_in_another(lists, capsys) -> None:
    a, b = lists
    run_cli(capsys, "--source", str(a), "mark", "https://shared.org/", "--status", "reading")
    run_cli(capsys, "--source", str(b), "mark", "https://shared.org/", "--status", "read")
    run_cli(capsys, "--source", str(a), "undo")
    (state,) = user_store(user="tester").states().values()
    assert state.status == "read"


def test_a_list_changed_on_disk_between_two_opens_has_new_items(lists, capsys) -> None:
    a, _ = lists
    assert as_json(capsys, "--source", str(a), "list", "--new") == []  # first open: all seen
    a.write_text(LIST_A + "- [Fresh](https://a.org/fresh)\n- [Fresher](https://a.org/2)\n",
                 encoding="utf-8")
    new = as_json(capsys, "--source", str(a), "list", "--new")
    assert [row["title"] for row in new] == ["Fresh", "Fresher"]
    (row,) = [r for r in as_json(capsys, "lists") if r["name"] == "awesome-a"]
    assert row["new"] == 2 and row["items"] == 4
    # Marking one in this list counts it as seen.
    run_cli(capsys, "--source", str(a), "mark", "https://a.org/fresh", "--status", "read")
    assert [r["title"] for r in as_json(capsys, "--source", str(a), "list", "--new")] == [
        "Fresher"]


def test_lists_shows_every_list_opened_and_a_name_opens_it(lists, capsys) -> None:
    a, b = lists
    run_cli(capsys, "--source", str(a), "mark", "https://a.org/1", "--status", "read")
    run_cli(capsys, "--source", str(b), "topics")
    rows = as_json(capsys, "lists")
    assert [(r["name"], r["source"], r["items"], r["done"], r["new"]) for r in rows] == [
        ("awesome-a", str(a.resolve()), 2, 1, 0), ("awesome-b", str(b.resolve()), 2, 0, 0)]
    assert set(rows[0]) == {"name", "source", "items", "done", "new", "opened"}
    code, out, _ = run_cli(capsys, "lists")
    assert code == 0 and out.splitlines()[0].split()[:4] == ["NAME", "ITEMS", "DONE", "NEW"]
    listed = as_json(capsys, "--source", "awesome-a", "list", "--status", "read")
    assert [row["url"] for row in listed] == ["https://a.org/1"]
    code, _, err = run_cli(capsys, "lists", "--forget", "awesome-a")
    assert code == 0 and "forgot awesome-a" in err
    assert [r["name"] for r in as_json(capsys, "lists")] == ["awesome-b"]
    assert len(user_store(user="tester").states()) == 1  # its state stays
    code, _, err = run_cli(capsys, "lists", "--forget", "nope")
    assert code == EXIT_USAGE and "no list named 'nope'" in err


def test_two_lists_with_the_same_file_name_get_two_names(tmp_path, capsys) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "README.md").write_text(LIST_A, encoding="utf-8")
        run_cli(capsys, "--source", str(tmp_path / folder / "README.md"), "stats")
    assert [r["name"] for r in as_json(capsys, "lists")] == ["README", "README-2"]


def test_update_all_updates_every_remote_list(list_server, capsys) -> None:
    list_server.serve_list("/a.md", LIST_A, etag='"a1"')
    list_server.serve_list("/b.md", LIST_B, etag='"b1"')
    for path in ("/a.md", "/b.md"):
        assert run_cli(capsys, "--source", list_server.url(path), "stats")[0] == 0
    list_server.serve_list("/a.md", LIST_A + "- [New](https://a.org/new)\n", etag='"a2"')
    code, _, err = run_cli(capsys, "update", "--all")
    assert code == 0, err
    assert "a.md: downloaded a newer version (1 new item)" in err
    assert "b.md: already up to date" in err
    (row,) = [r for r in as_json(capsys, "lists") if r["name"] == "a"]
    assert row["new"] == 1
    code, _, err = run_cli(capsys, "update", "b")
    assert code == 0 and "already up to date" in err


def test_a_schema_1_store_is_backed_up_and_its_steps_undo_in_the_list_that_has_them(
    lists, capsys
) -> None:
    a, b = lists
    path = store_path("tester")
    path.parent.mkdir(parents=True, exist_ok=True)
    from dlreader.catalog.urls import item_id_for_url

    item = item_id_for_url("https://a.org/1")
    record = {"item_id": item, "url": "https://a.org/1", "title": "Only A", "status": "read",
              "priority": "none", "note": "", "created": "2026-01-01T00:00:00Z",
              "updated": "2026-01-01T00:00:00Z", "read_at": "2026-01-01T00:00:00Z"}
    old = {
        "meta": {"1": {"schema": 1, "app": "dlreader", "next_seq": 2}},
        "items": {"1": record},
        "journal": {"1": {"seq": 1, "time": "2026-01-01T00:00:00Z", "label": "status read",
                          "undone": False, "before": {item: None}, "after": {item: record}}},
    }
    raw = json.dumps(old).encode()
    path.write_bytes(raw)
    code, _, err = run_cli(capsys, "--source", str(b), "undo")
    assert "nothing to undo" in err  # B never had the item
    data = json.loads(path.read_text())
    assert data["meta"]["1"]["schema"] == SCHEMA_VERSION
    assert data["journal"]["1"]["list"] is None
    backups = sorted((path.parent / "backups").iterdir())
    assert backups and backups[0].read_bytes() == raw
    code, _, err = run_cli(capsys, "--source", str(a), "undo")
    assert code == 0 and "undid 'status read'" in err
    assert Store.open(path).states() == {}


def test_undo_works_when_the_list_file_is_gone(lists, capsys) -> None:
    a, _ = lists
    run_cli(capsys, "--source", str(a), "mark", "https://a.org/1", "--status", "read")
    a.unlink()
    code, _, err = run_cli(capsys, "--source", str(a), "undo")
    assert code == 0 and "undid" in err
    assert user_store(user="tester").states() == {}
