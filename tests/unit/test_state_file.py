"""The state export format: every field round-trips; anything not ours is refused whole."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlreader.errors import EXIT_USAGE, UsageError
from dlreader.state_file import FORMAT, SCHEMA_VERSION, dump_state, parse_state
from dlreader.store.records import PRIORITIES, STATUSES, ItemState


def record(item_id: str = "abc", **fields: Any) -> ItemState:
    values: dict[str, Any] = {
        "url": f"https://{item_id}.org/",
        "title": f"Title {item_id}",
        "status": "read",
        "priority": "high",
        "note": "a *note*\n\n```\ncode\n```\n中文 🧠",
        "created": "2026-01-02T03:04:05Z",
        "updated": "2026-02-03T04:05:06Z",
        "read_at": "2026-02-03T04:05:06Z",
    }
    values.update(fields)
    return ItemState(item_id=item_id, **values)


def document(**overrides: Any) -> dict[str, Any]:
    doc = json.loads(dump_state("alice", [record("a"), record("b", url=None, read_at=None)]))
    doc.update(overrides)
    return doc


def test_dump_then_parse_keeps_every_field_of_every_record() -> None:
    records = [record("b", url=None, read_at=None, note=""), record("a")]

    parsed = parse_state(dump_state("alice", records))

    assert parsed == sorted(records, key=lambda r: r.item_id)


def test_dump_takes_a_stores_states_mapping_and_is_deterministic() -> None:
    states = {"z": record("z"), "a": record("a")}
    backwards = dict(reversed(list(states.items())))

    text = dump_state("alice", states)

    assert text == dump_state("alice", backwards)
    doc = json.loads(text)
    assert (doc["format"], doc["schema"], doc["user"]) == (FORMAT, SCHEMA_VERSION, "alice")
    assert [r["item_id"] for r in doc["records"]] == ["a", "z"]
    assert "中文 🧠" in text  # readable, not \\u-escaped


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("2026-02-03T04:05:06Z", "2026-02-03T04:05:06Z"),
        ("2026-02-03T04:05:06+00:00", "2026-02-03T04:05:06Z"),
        ("2026-02-03T06:05:06.999+02:00", "2026-02-03T04:05:06Z"),
        ("2026-02-03T04:05:06", "2026-02-03T04:05:06Z"),
        ("2026-02-03", "2026-02-03T00:00:00Z"),
    ],
)
def test_times_come_back_in_the_stores_one_form_so_merge_compares_them_right(
    written: str, read: str
) -> None:
    doc = document()
    doc["records"][0].update(created=written, updated=written, read_at=written)

    parsed = parse_state(json.dumps(doc))[0]

    assert (parsed.created, parsed.updated, parsed.read_at) == (read, read, read)


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_state("\ufeff" + dump_state("u", [record()])) == [record()]


# What the store may hold: any text but control characters (newline and tab allowed).
STORE_TEXT = st.characters(exclude_categories=("Cc", "Cs")) | st.sampled_from("\n\t")


@given(st.lists(
    st.builds(
        ItemState,
        item_id=st.text(STORE_TEXT, min_size=1, max_size=12),
        url=st.none() | st.text(STORE_TEXT, max_size=20),
        title=st.text(STORE_TEXT, max_size=20),
        status=st.sampled_from(STATUSES),
        priority=st.sampled_from(PRIORITIES),
        note=st.text(STORE_TEXT, max_size=60),
        created=st.just("2026-01-01T00:00:00Z"),
        updated=st.just("2026-01-01T00:00:01Z"),
        read_at=st.none() | st.just("2026-01-01T00:00:02Z"),
    ),
    max_size=5,
    unique_by=lambda r: r.item_id,
))
def test_any_records_round_trip(records: list[ItemState]) -> None:
    assert parse_state(dump_state("u", records)) == sorted(records, key=lambda r: r.item_id)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not JSON"),
        ("{not json", "not JSON"),
        ("[]", "not a dlreader state export"),
        ('{"records": []}', "not a dlreader state export"),
        ('{"format": "something-else", "schema": 1, "records": []}', "not a dlreader state"),
        ("[" * 100_000, "not JSON"),
    ],
)
def test_a_file_that_is_not_ours_is_refused(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        parse_state(text)
    assert caught.value.exit_code == EXIT_USAGE
    assert "\n" not in caught.value.message


def test_a_newer_schema_is_refused_with_a_hint_to_upgrade() -> None:
    text = json.dumps(document(schema=SCHEMA_VERSION + 1))

    with pytest.raises(UsageError, match="newer than this dlreader reads"):
        parse_state(text)


@pytest.mark.parametrize("schema", [0, -1, "1", 1.0, True, None])
def test_a_schema_that_is_not_a_positive_integer_is_refused(schema: Any) -> None:
    with pytest.raises(UsageError, match="schema"):
        parse_state(json.dumps(document(schema=schema)))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.pop("note"), "missing note"),
        (lambda r: r.update(extra=1), "unknown field 'extra'"),
        (lambda r: r.update(status="done"), "status 'done'"),
        (lambda r: r.update(priority="urgent"), "priority 'urgent'"),
        (lambda r: r.update(note=None), "note must be a string"),
        (lambda r: r.update(title=3), "title must be a string"),
        (lambda r: r.update(item_id=""), "empty item_id"),
        (lambda r: r.update(updated="yesterday"), "updated 'yesterday' is not an ISO"),
        (lambda r: r.update(read_at=17), "read_at must be a string"),
    ],
)
def test_one_malformed_record_refuses_the_whole_file(change: Any, message: str) -> None:
    doc = document()
    change(doc["records"][1])

    with pytest.raises(UsageError, match=f"record 2: {message}"):
        parse_state(json.dumps(doc))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"records": {}}, '"records" must be a list'),
        ({"records": [1]}, "record 1: not an object"),
        ({"user": None}, '"user" must be a string'),
    ],
)
def test_a_malformed_document_is_refused(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_state(json.dumps(document(**overrides)))


def test_the_same_item_twice_is_refused() -> None:
    doc = document()
    doc["records"][1]["item_id"] = doc["records"][0]["item_id"]

    with pytest.raises(UsageError, match="appears twice"):
        parse_state(json.dumps(doc))
