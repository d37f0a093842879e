"""The per-user reading-state store: TinyDB on an atomic storage, under a file lock.

Every change runs as one transaction: take the lock, reload if another process replaced
the file, change the tables (items, journal, meta) in memory, write the file once. If the
write fails, the storage forgets its cache and the store reloads from the disk, so what
the caller sees is what the disk holds.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from tinydb import TinyDB
from tinydb.table import Table

from dlreader.errors import (
    StoreDamaged,
    StoreError,
    StoreTooNew,
    UsageError,
    describe,
)
from dlreader.fsutil import NotRegularFile
from dlreader.store import backups as backup_files
from dlreader.store import journal
from dlreader.store.changes import (
    ImportOutcome,
    Records,
    changed_records,
    check_update,
    free_name,
    imported_records,
)
from dlreader.store.journal import (
    apply_changes,
    field_changes,
    holds_changes,
    step_from_doc,
    step_to_doc,
    utc_now,
)
from dlreader.store.lock import StoreLock
from dlreader.store.messages import (
    damaged_message,
    not_regular_message,
    too_new_message,
    write_error,
)
from dlreader.store.records import (
    FieldChanges,
    ItemState,
    ItemUpdate,
    ListRecord,
    Step,
)
from dlreader.store.schema import (
    ITEMS,
    JOURNAL,
    LISTS,
    META,
    SCHEMA_VERSION,
    SchemaTooNew,
    check_store,
    migrate,
    new_meta,
    schema_of,
)
from dlreader.store.storage import (
    AtomicJSONStorage,
    StorageDamaged,
    StorageWriteFailed,
    Tables,
    remove_stale_temp_files,
)

# An import changing more records than this is not journaled (see import_states).
IMPORT_STEP_LIMIT = 2000


class Store:
    """One user's reading state. Open with ``Store.open(path)``."""

    def __init__(self, path: Path, *, lock_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self._lock = StoreLock(self.path, lock_timeout)
        self._mutex = threading.RLock()
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        storage = self._db.storage
        assert isinstance(storage, AtomicJSONStorage)
        self._storage = storage
        storage.validate = check_store
        self._doc_ids: dict[str, int] = {}
        self._make_tables()
        #: Why the last hourly backup could not be made (the change itself went through).
        self.backup_error: str | None = None

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, lock_timeout: float = 10.0) -> Store:
        """Load the store; a missing file is an empty store, created on the first write."""
        store = cls(Path(path), lock_timeout=lock_timeout)
        with store._mutex:
            version = store._load()
            if version < SCHEMA_VERSION:
                with store._lock.held():
                    store._bring_up_to_date(store._load())
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading ----------------------------------------------------------------------

    def states(self) -> dict[str, ItemState]:
        """Every record, copied, keyed by item id."""
        with self._mutex:
            # Records are checked to hold exactly ItemState's fields when loaded.
            raw = self._raw_table(ITEMS)
            return {
                item_id: ItemState(**raw[key])
                for item_id, doc_id in self._doc_ids.items()
                if (key := str(doc_id)) in raw
            }

    def get(self, item_id: str) -> ItemState | None:
        with self._mutex:
            return self._state(item_id)

    def __len__(self) -> int:
        return len(self._doc_ids)

    def reload_if_changed(self) -> bool:
        """Reload if another process replaced the file; True if it did."""
        with self._mutex:
            if not self._storage.changed_on_disk():
                return False
            version = self._load()
            if version < SCHEMA_VERSION:
                with self._lock.held():
                    self._bring_up_to_date(self._load())
            return True

    def history(self) -> list[Step]:
        """The journal, oldest first (undone steps included)."""
        with self._mutex:
            docs = sorted(self._raw_table(JOURNAL).values(), key=lambda doc: doc["seq"])
            return [step_from_doc(doc) for doc in docs]

    def can_undo(self, list_key: str | None = None) -> bool:
        with self._mutex:
            return self._journal_doc(undone=False, newest=True, list_key=list_key) is not None

    def can_redo(self, list_key: str | None = None) -> bool:
        with self._mutex:
            return self._journal_doc(undone=True, newest=False, list_key=list_key) is not None

    # -- the library of lists -----------------------------------------------------------

    def lists(self) -> list[ListRecord]:
        """The user's lists, in the order they were added."""
        with self._mutex:
            docs = sorted(self._raw_table(LISTS).items(), key=lambda pair: int(pair[0]))
            return [ListRecord(**dict(doc, known=list(doc["known"]))) for _, doc in docs]

    def list_record(self, key: str) -> ListRecord | None:
        with self._mutex:
            found = self._list_doc(key)
            return None if found is None else ListRecord(**dict(found[1],
                                                                 known=list(found[1]["known"])))

    def remember_list(
        self, key: str, name: str, source: str, item_ids: Sequence[str], *, opened: bool = False,
        wait: bool = True,
    ) -> ListRecord:
        """Add the list to the library (everything it has now counts as seen); with
        ``opened``, stamp it as opened now. Not an undo step; no write when nothing changes.
        ``wait=False``: StoreBusy at once rather than waiting for another writer.
        """
        with self._mutex:
            found = self._list_doc(key)
            if found is not None and not opened and found[1]["source"] == source:
                return ListRecord(**dict(found[1], known=list(found[1]["known"])))
        with self._transaction(wait=wait) as now:
            found = self._list_doc(key)
            if found is None:
                self._ensure_meta()
                taken = {doc["name"] for doc in self._raw_table(LISTS).values()}
                record = ListRecord(key, free_name(name, taken), source, added=now,
                                    opened=now if opened else "", known=list(item_ids))
                self._lists.insert(record.to_dict())
                return record
            doc_id, doc = found
            changes: dict[str, Any] = {"source": source}
            if opened:
                changes["opened"] = now
            self._lists.update(changes, doc_ids=[doc_id])
            return ListRecord(**dict(doc, known=list(doc["known"]), **changes))

    def mark_seen(self, key: str, item_ids: Sequence[str]) -> int:
        """Count the items as seen in the list (they are no longer new); how many were new."""
        with self._mutex:
            found = self._list_doc(key)
            if found is None or not set(item_ids) - set(found[1]["known"]):
                return 0
        with self._transaction():
            return self._add_known(key, item_ids)

    def set_resume(self, key: str, resume: dict[str, Any]) -> bool:
        """Keep where the user left the list (not an undo step); False if the list is not
        in the library. No write when nothing changed."""
        with self._mutex:
            found = self._list_doc(key)
            if found is None:
                return False
            if found[1].get("resume") == resume:
                return True
        with self._transaction():
            found = self._list_doc(key)
            if found is None:
                return False
            self._lists.update({"resume": dict(resume)}, doc_ids=[found[0]])
            return True

    def forget_list(self, key: str) -> bool:
        """Remove the list from the library (the items' states stay); False if unknown."""
        with self._transaction():
            found = self._list_doc(key)
            if found is None:
                return False
            self._lists.remove(doc_ids=[found[0]])
            return True

    # -- changing ---------------------------------------------------------------------

    def apply(
        self, updates: Sequence[ItemUpdate], label: str = "", *, list_key: str | None = None
    ) -> Step | None:
        """Apply the updates as one undo step; None when nothing changed."""
        steps = self.apply_batch([(updates, label)], list_key=list_key)
        return steps[0] if steps else None

    def apply_batch(
        self,
        batches: Sequence[tuple[Sequence[ItemUpdate], str]],
        *,
        list_key: str | None = None,
    ) -> list[Step]:
        """Several undo steps, one lock and one write.

        ``list_key`` names the list the changes were made in: its undo takes them back, and
        the items count as seen in it.
        """
        for updates, _label in batches:
            for update in updates:
                check_update(update)
        with self._transaction() as now:
            steps = []
            for updates, label in batches:
                before, after = changed_records(updates, now, self._state)
                if after:
                    self._write_records(after)
                    steps.append(self._journal_step(before, after, label, now, list_key))
            if list_key is not None and steps:
                self._add_known(list_key, [item_id for step in steps for item_id in step.after])
            return steps

    def undo(self, list_key: str | None = None) -> Step | None:
        """Put back what the newest step (of ``list_key``'s list) replaced; None when there
        is nothing to undo. An item changed since by another list's step keeps that change."""
        with self._transaction():
            found = self._journal_doc(undone=False, newest=True, list_key=list_key)
            if found is None:
                return None
            doc_id, doc = found
            step = step_from_doc(doc)
            self._write_records(self._put_back(step.before, step.after))
            self._journal.update({"undone": True}, doc_ids=[doc_id])
            return step

    def redo(self, list_key: str | None = None) -> Step | None:
        """Re-apply the oldest undone step (of ``list_key``'s list); None when there is none."""
        with self._transaction():
            found = self._journal_doc(undone=True, newest=False, list_key=list_key)
            if found is None:
                return None
            doc_id, doc = found
            step = step_from_doc(doc)
            self._write_records(self._put_back(step.after, step.before))
            self._journal.update({"undone": False}, doc_ids=[doc_id])
            return step

    def _put_back(
        self, target: dict[str, FieldChanges | None], expected: dict[str, FieldChanges | None]
    ) -> Records:
        """``target``'s fields over the items still as ``expected`` left them: with lists
        that share items, another list's later change to one of them is never overwritten."""
        records: Records = {}
        for item_id, changes in target.items():
            current = self._state(item_id)
            if holds_changes(current, expected.get(item_id)):
                records[item_id] = apply_changes(current, item_id, changes)
        return records

    def import_states(
        self, records: Sequence[ItemState], mode: Literal["merge", "replace"]
    ) -> ImportOutcome:
        """Merge (the newer ``updated`` wins per item) or replace all state, after a backup.

        One undo step when it changes at most ``IMPORT_STEP_LIMIT`` records; a bigger
        import ends the undo history instead (it would double the file for 200 steps), and
        the backup made first is the way back. Says how many records the file changed and
        how many ``replace`` removed, counted under the lock on the data actually written.
        """
        if mode not in ("merge", "replace"):
            raise UsageError(f"unknown import mode {mode!r}")
        for record in records:
            check_update(ItemUpdate(record.item_id, record.url, record.title,
                                    record.status, record.priority, record.note,
                                    add_tags=tuple(record.tags), own_title=record.own_title))
        with self._transaction(backup_first=True) as now:
            after, outcome = imported_records(records, mode, self._state, self._doc_ids)
            if not after:
                return outcome
            before: Records = {item_id: self._state(item_id) for item_id in after}
            self._write_records(after)
            if len(after) <= IMPORT_STEP_LIMIT:
                self._journal_step(before, after, f"import ({mode})", now, None)
            else:
                self._clear_journal()
            return outcome

    # -- backups ----------------------------------------------------------------------

    def backup(self) -> Path:
        """A verified copy of the store file under backups/."""
        with self._mutex, self._lock.held():
            try:
                return backup_files.make_backup(self.path)
            except FileNotFoundError:
                raise StoreError(f"nothing to back up: {self.path} does not exist yet") from None
            except StorageDamaged as error:
                raise StoreDamaged(damaged_message(self.path, error.reason)) from None
            except SchemaTooNew as error:
                raise StoreTooNew(too_new_message(self.path, error.version)) from None
            except OSError as error:
                raise write_error(backup_files.backups_dir(self.path), error) from error

    def backups(self) -> list[Path]:
        """This user's backups, newest first."""
        return backup_files.list_backups(self.path)

    # -- internals: loading -----------------------------------------------------------

    def _make_tables(self) -> None:
        # Fresh Table objects forget TinyDB's cached next document id, which another
        # process's inserts would otherwise collide with.
        self._meta = Table(self._storage, META, cache_size=0)
        self._items = Table(self._storage, ITEMS, cache_size=0)
        self._journal = Table(self._storage, JOURNAL, cache_size=0)
        self._lists = Table(self._storage, LISTS, cache_size=0)

    def _load(self) -> int:
        """Read the file afresh and index it; returns its schema version.

        On a damaged or newer file the error is raised and the store keeps what it had
        loaded before (the storage keeps its cache), so readers never see half of either.
        An older file is cached but not indexed until ``_bring_up_to_date`` migrates it.
        """
        try:
            data = self._storage.reload()
        except StorageDamaged as error:
            raise StoreDamaged(damaged_message(self.path, error.reason)) from None
        except SchemaTooNew as error:
            raise StoreTooNew(too_new_message(self.path, error.version)) from None
        except NotRegularFile as error:
            raise UsageError(not_regular_message(self.path, error.kind)) from None
        except OSError as error:
            raise StoreError(f"cannot read {self.path}: {describe(error)}") from None
        version = SCHEMA_VERSION if data is None else schema_of(data)
        if version == SCHEMA_VERSION:
            self._index(data)
        else:
            self._doc_ids = {}
            self._make_tables()
        return version

    def _bring_up_to_date(self, version: int) -> None:
        """Back up and migrate an older store (lock held)."""
        if version >= SCHEMA_VERSION:
            return
        try:
            backup_files.make_backup(self.path)
        except OSError as error:
            raise write_error(backup_files.backups_dir(self.path), error) from error
        data = self._storage.read()
        assert data is not None
        migrate(data, version)
        try:
            self._storage.write(data)
        except StorageWriteFailed as error:
            raise write_error(self.path, error.error) from error
        self._index(data)

    def _index(self, data: Tables | None) -> None:
        # Only item id -> document id: records stay as TinyDB holds them and become
        # ItemState objects when asked for, so opening a 60k store builds no 60k objects.
        items = (data or {}).get(ITEMS, {})
        self._doc_ids = {record["item_id"]: int(doc_id) for doc_id, record in items.items()}
        self._make_tables()

    def _state(self, item_id: str) -> ItemState | None:
        doc_id = self._doc_ids.get(item_id)
        if doc_id is None:
            return None
        record = self._raw_table(ITEMS).get(str(doc_id))
        return None if record is None else ItemState(**record)

    # -- internals: writing -----------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self, *, backup_first: bool = False, wait: bool = True) -> Iterator[str]:
        """Lock, catch up with the disk, collect the table writes, write once."""
        with self._mutex, self._lock.held(wait=wait):
            remove_stale_temp_files(self.path)
            if self._storage.changed_on_disk():
                self._bring_up_to_date(self._load())
            if backup_first:
                self._backup_before_import()
            else:
                self._hourly_backup()
            try:
                with self._storage.deferred():
                    yield utc_now()
            except StorageWriteFailed as error:
                self._recover()
                raise write_error(self.path, error.error) from error
            except BaseException:
                self._recover()
                raise

    def _recover(self) -> None:
        """After a failed change: drop what memory holds and take the disk's word again."""
        self._storage.forget()
        try:
            self._load()
        except StoreError:
            self._doc_ids = {}
            self._make_tables()

    def _hourly_backup(self) -> None:
        if not self.path.exists():
            return
        age = backup_files.seconds_since_newest_backup(self.path)
        if age is not None and 0 <= age < backup_files.HOURLY_SECONDS:
            return
        try:
            backup_files.make_backup(self.path)
            self.backup_error = None
        except (OSError, StorageDamaged, SchemaTooNew) as error:
            # The safety net failed, not the change: say so, keep going, retry next time.
            self.backup_error = str(error)

    def _backup_before_import(self) -> None:
        if not self.path.exists():
            return
        try:
            backup_files.make_backup(self.path)
        except OSError as error:
            raise write_error(backup_files.backups_dir(self.path), error) from error

    def _raw_table(self, name: str) -> dict[str, Any]:
        # Never storage.read() here: it would pick up another process's file behind the
        # back of the id index. Reloads happen in _load, under the store's own control.
        return (self._storage.snapshot() or {}).get(name, {})

    def _write_records(self, records: Records) -> None:
        """Make the items table hold ``records`` (None deletes), by document id."""
        replacements: dict[str, dict[str, Any]] = {}
        inserts: list[ItemState] = []
        removals: list[str] = []
        for item_id, state in records.items():
            doc_id = self._doc_ids.get(item_id)
            if state is None:
                if doc_id is not None:
                    removals.append(item_id)
            elif doc_id is None:
                inserts.append(state)
            else:
                replacements[item_id] = state.to_dict()
        if replacements:
            def replace_doc(doc: dict[str, Any]) -> None:
                new = replacements[doc["item_id"]]
                doc.clear()
                doc.update(new)

            update_doc: Callable[[dict[str, Any]], None] = replace_doc
            self._items.update(
                update_doc,  # type: ignore[arg-type]
                doc_ids=[self._doc_ids[item_id] for item_id in replacements],
            )
        if inserts:
            doc_ids = self._items.insert_multiple([state.to_dict() for state in inserts])
            self._doc_ids.update(zip((s.item_id for s in inserts), doc_ids, strict=True))
        if removals:
            self._items.remove(doc_ids=[self._doc_ids.pop(item_id) for item_id in removals])

    def _journal_step(
        self, before: Records, after: Records, label: str, now: str, list_key: str | None
    ) -> Step:
        """Record one step: drop undone steps (a new change ends redo), trim to the limit.

        Per list: a change ends the redo of its own list, and of any undone step that
        touches the same items (redoing it would overwrite this change).
        """
        self._ensure_meta()
        meta_id, meta = next(iter(self._raw_table(META).items()))
        step = Step(seq=meta["next_seq"], time=now, label=label, list_key=list_key)
        for item_id in after:
            step.before[item_id], step.after[item_id] = field_changes(
                before.get(item_id), after[item_id]
            )
        ended = journal.ended_redos(self._raw_table(JOURNAL), after.keys(), list_key)
        if ended:
            self._journal.remove(doc_ids=ended)
        self._journal.insert(step_to_doc(step))
        drop = journal.over_bounds(self._raw_table(JOURNAL))
        if drop:
            self._journal.remove(doc_ids=drop)
        self._meta.update({"next_seq": step.seq + 1}, doc_ids=[int(meta_id)])
        return step

    def _ensure_meta(self) -> None:
        if not self._raw_table(META):  # the first change to a new store
            self._meta.insert(new_meta())

    def _clear_journal(self) -> None:
        self._ensure_meta()
        doc_ids = [int(doc_id) for doc_id in self._raw_table(JOURNAL)]
        if doc_ids:
            self._journal.remove(doc_ids=doc_ids)

    def _journal_doc(
        self, *, undone: bool, newest: bool, list_key: str | None = None
    ) -> tuple[int, dict[str, Any]] | None:
        known: set[str] | None = None
        if list_key is not None:
            found = self._list_doc(list_key)
            known = set(found[1]["known"]) if found else set()
        return journal.pick_step(self._raw_table(JOURNAL), undone=undone, newest=newest,
                                 list_key=list_key, known=known)

    def _list_doc(self, key: str) -> tuple[int, dict[str, Any]] | None:
        for doc_id, doc in self._raw_table(LISTS).items():
            if doc["key"] == key:
                return int(doc_id), doc
        return None

    def _add_known(self, key: str, item_ids: Sequence[str]) -> int:
        found = self._list_doc(key)
        if found is None:
            return 0
        doc_id, doc = found
        known = list(doc["known"])
        have = set(known)
        added = [item_id for item_id in dict.fromkeys(item_ids) if item_id not in have]
        if added:
            self._lists.update({"known": known + added}, doc_ids=[doc_id])
        return len(added)
