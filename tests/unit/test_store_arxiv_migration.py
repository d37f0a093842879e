"""Schema 1 -> 2: one arXiv paper is one item. A store written by dlreader before the
change (tests/unit/data/store-schema1-arxiv.json, made with `dlreader mark` on the seed:
a note on a PDF-link item, a paper marked through both its PDF and its abstract page)
is backed up, then every state it holds is carried over to the new item ids."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from dlreader.catalog.parser import parse_catalog
from dlreader.reading import ReadingState
from dlreader.store import Store
from dlreader.store.schema import SCHEMA_VERSION

OLD_STORE = Path(__file__).resolve().parent / "data" / "store-schema1-arxiv.json"


def test_a_schema_1_store_keeps_every_state_under_the_papers_new_ids(
    tmp_path: Path, seed_path: Path
) -> None:
    path = tmp_path / "ana.json"
    shutil.copyfile(OLD_STORE, path)
    raw = OLD_STORE.read_bytes()
    old_items = json.loads(raw)["items"]
    assert json.loads(raw)["meta"]["1"]["schema"] == 1

    store = Store.open(path)
    (backup,) = store.backups()
    assert backup.read_bytes() == raw  # the backup is the file as it was
    assert json.loads(path.read_text())["meta"]["1"]["schema"] == SCHEMA_VERSION

    catalog = parse_catalog(seed_path.read_text(encoding="utf-8"), str(seed_path))
    view = ReadingState(catalog, store.states())
    # Every state belongs to an item of the list (none orphaned by the new ids).
    assert set(store.states()) <= set(catalog.items)

    pdf_note = catalog.find_item("https://arxiv.org/pdf/1804.04272.pdf")
    assert pdf_note is not None and pdf_note.url == "https://arxiv.org/abs/1804.04272"
    assert view.status(pdf_note.id) == "reading"
    assert view.note(pdf_note.id) == "pdf-link item note"

    # Marked read through its PDF, then given a priority and a note through its abstract.
    both = catalog.find_item("https://arxiv.org/abs/1905.13405")
    assert both is not None
    assert catalog.find_item("https://arxiv.org/pdf/1905.13405.pdf") is both
    state = store.get(both.id)
    assert state is not None
    assert (state.status, state.priority) == ("read", "high")
    assert state.read_at is not None
    assert state.note == "Read the PDF on the train.\n\nAbstract: compare with 1906.02768."

    quote = catalog.find_item("https://arxiv.org/pdf/1906.02768.pdf")
    assert quote is not None and view.priority(quote.id) == "medium"
    plain = catalog.find_item("https://nthu-datalab.github.io/ml/index.html")
    assert plain is not None and view.status(plain.id) == "read"
    assert len(store.states()) == len(old_items) - 1  # two records of one paper are one

    # The journal moved too: undo still works on the new ids.
    assert store.undo() is not None
    store.close()
    assert Store.open(path).backups() == [backup]  # migrated once, not again


def test_an_old_state_export_imports_onto_the_papers_ids(tmp_path: Path) -> None:
    from dlreader.state_file import dump_state, parse_state
    from dlreader.store import ItemState

    old = [ItemState("i-d11dcce1b403", "https://arxiv.org/pdf/1905.13405.pdf", "pdf",
                     status="read", note="from the pdf", updated="2026-01-01T00:00:00Z"),
           ItemState("i-e5e4b23f2fb1", "https://arxiv.org/abs/1905.13405", "abs",
                     priority="low", updated="2026-01-02T00:00:00Z")]
    (record,) = parse_state(dump_state("ana", old))
    assert record.url == "https://arxiv.org/abs/1905.13405" and record.item_id == "i-e5e4b23f2fb1"
    assert (record.status, record.priority, record.note) == ("read", "low", "from the pdf")


def test_schema_2_lists_count_the_paper_as_seen_under_its_new_id() -> None:
    from dlreader.store.schema import migrate

    record = json.loads(OLD_STORE.read_text())["items"]["3"]  # the PDF-link item's record
    data = {"meta": {"1": {"schema": 2, "app": "dlreader", "next_seq": 1}},
            "items": {"1": record}, "journal": {},
            "lists": {"1": {"key": "bundled", "name": "Seed", "source": "", "added": "",
                            "opened": "", "known": [record["item_id"], "i-other"]}}}
    migrate(data, 2)
    (moved,) = data["items"].values()
    assert moved["url"] == "https://arxiv.org/abs/1804.04272"
    assert data["lists"]["1"]["known"] == [moved["item_id"], "i-other"]
