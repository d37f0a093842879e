"""`dlreader next` (the queue) and `dlreader search` (ranked, labelled hits): issue #12."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cli_support import STATE_LIST as LIST
from cli_support import Run, ids_by_title

from dlreader.activity import streak, weekly_done
from dlreader.catalog.parser import parse_catalog
from dlreader.errors import EXIT_USAGE
from dlreader.reading_queue import queue_ids
from dlreader.store.records import ItemState


@pytest.fixture
def run(source: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    return Run(source, capsys)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "list.md"
    path.write_text(LIST + "\nA passage about lottery tickets and pruning.\n", encoding="utf-8")
    return path


def test_next_is_reading_first_then_unread_by_priority_never_done(run: Run) -> None:
    run("mark", "https://example.org/e", "--status", "reading")
    run("mark", "https://example.org/c", "--priority", "high")
    run("mark", "https://example.org/b", "--priority", "low")
    run("mark", "https://example.org/a", "--status", "read", "--priority", "high")
    run("mark", "https://example.org/d", "--status", "skipped")
    entries = run.json("next")
    assert isinstance(entries, list)
    assert [(e["title"], e["status"], e["priority"]) for e in entries] == [
        ("Paper E", "reading", "none"), ("Paper C", "unread", "high"),
        ("Paper B", "unread", "low")]
    assert set(entries[0]) == {"id", "url", "title", "status", "priority", "topics"}
    assert entries[1]["topics"] == ["Alpha Deep"] and entries[0]["url"] == "https://example.org/e"
    assert len(run.json("next", "-n", "1")) == 1  # type: ignore[arg-type]
    code, out, _err = run("next")
    assert code == 0 and out.splitlines()[0] == "▶ Paper E"
    assert "[high]" in out and "in Alpha Deep" in out
    assert run("next", "-n", "0")[0] == EXIT_USAGE


def test_next_says_when_nothing_is_left(run: Run) -> None:
    ids = ids_by_title(run)
    run("mark", *ids.values(), "--status", "read")
    code, out, err = run("next")
    assert code == 0 and out == "" and "nothing left to read" in err


def test_search_ranks_words_before_substrings_and_labels_each_hit(run: Run) -> None:
    run("mark", "https://example.org/b", "--note", "like wallpaper", "--tag", "deep-dive")
    hits = run.json("search", "paper")
    assert isinstance(hits, list)
    assert {"kind", "match", "field", "title", "text", "url", "topic"} <= set(hits[0])
    words = [h for h in hits if h["match"] == "word"]
    assert [h["title"] for h in words][:5] == ["Paper A", "Paper B", "Paper C", "Paper D",
                                              "Paper E"]
    assert hits[-1]["kind"] == "note" and hits[-1]["match"] == "substring"
    # Topic titles, passages and tags are searched too.
    (topic,) = run.json("search", "beta")  # type: ignore[misc]
    assert (topic["kind"], topic["match"], topic["title"]) == ("topic", "word", "Beta")
    passage = run.json("search", "lottery")[0]  # type: ignore[index]
    assert passage["kind"] == "passage" and passage["url"] is None
    tagged = run.json("search", "deep-dive")[0]  # type: ignore[index]
    assert (tagged["field"], tagged["title"]) == ("tag", "Paper B")
    # A word nowhere in the list gives nothing; a near spelling of a title is "fuzzy".
    assert run.json("search", "kubernetes") == []
    assert [h["match"] for h in run.json("search", "Papre A")][:1] == [  # type: ignore[union-attr]
        "fuzzy"]
    # Scoped to a topic.
    scoped = run.json("search", "paper", "--topic", "Beta")
    assert sorted(h["title"] for h in scoped) == ["Paper A", "Paper D"]  # type: ignore[union-attr]
    code, out, err = run("search", "paper")
    assert code == 0 and out.lstrip().startswith("word item    Paper A")
    assert run("search", "  ")[0] == EXIT_USAGE


def test_weeks_and_streak_count_read_and_skipped_days(seed_path: Path) -> None:
    catalog = parse_catalog(seed_path.read_text(encoding="utf-8"), str(seed_path))
    ids = list(catalog.items)
    today = dt.date(2026, 12, 2)  # a Wednesday

    def done(item_id: str, day: str, status: str = "read") -> ItemState:
        return ItemState(item_id, None, "t", status=status, updated=f"{day}T10:00:00Z",
                         read_at=f"{day}T10:00:00Z" if status == "read" else None)

    states = {ids[0]: done(ids[0], "2026-12-02"), ids[1]: done(ids[1], "2026-12-01", "skipped"),
              ids[2]: done(ids[2], "2026-11-30"), ids[3]: done(ids[3], "2026-11-28"),
              ids[4]: done(ids[4], "2026-09-01")}
    weeks = weekly_done(catalog, states, today)
    assert [w.done for w in weeks][-2:] == [1, 3] and weeks[-1].start == dt.date(2026, 11, 30)
    assert sum(w.done for w in weeks) == 4  # September is more than 12 weeks back
    assert streak(catalog, states, today) == 3  # 30 Nov, 1 and 2 Dec; 29 Nov had none
    assert streak(catalog, states, dt.date(2026, 12, 3)) == 3  # today not yet: still alive
    assert streak(catalog, states, dt.date(2026, 12, 4)) == 0
    assert queue_ids(catalog, states)[0] == ids[5]


def test_a_resume_point_round_trips_and_falls_back_to_neighbours() -> None:
    from dlreader.filters import ItemFilter
    from dlreader.resume import ResumePoint, nearest, nearest_topic

    point = ResumePoint("t3", ("t1", "t2"), "i9", 4, True,
                        ItemFilter(statuses=frozenset({"unread"}), noted=True), "priority",
                        "items")
    assert ResumePoint.from_dict(point.to_dict()) == point
    hostile = {"topic": 5, "parents": "x", "item_index": True, "recursive": "yes",
               "filter": {"statuses": ["gone"]}, "sort": "nope", "pane": ["x"]}
    assert ResumePoint.from_dict(hostile) == ResumePoint()
    assert ResumePoint.from_dict([1, 2]) == ResumePoint()
    assert nearest_topic(point, {"t1", "t2"}.__contains__) == "t2"
    assert nearest_topic(point, set().__contains__) is None
    assert nearest(["a", "b", "c"], "b", 0) == "b"
    assert nearest(["a", "b", "c"], "gone", 1) == "b"
    assert nearest(["a", "b"], "gone", 7) == "b" and nearest([], "a", 0) is None
