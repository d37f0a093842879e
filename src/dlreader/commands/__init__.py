"""The CLI's commands. Pure core: nothing here imports Textual."""

from __future__ import annotations

import gc
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from msgspec import Struct, field

from dlreader import locations
from dlreader.textsafe import TerminalWriter

if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace

    from dlreader.catalog.model import Catalog
    from dlreader.linkhealth.records import LinkBook
    from dlreader.sources.opening import OpenedList
    from dlreader.store.records import ItemState, ListRecord
    from dlreader.store.store import Store


class Context(Struct, dict=True):  # dict: for the cached properties
    """What every command needs: where the list and the user's store are."""

    source_arg: str | None  # what --source said: a path, a URL, github:owner/repo, a name
    user: str
    data_dir: Path
    # Through the one terminal sanitiser: nothing printed can carry an escape sequence.
    stdout: TextIO = field(default_factory=lambda: cast(TextIO, TerminalWriter(sys.stdout)))
    stderr: TextIO = field(default_factory=lambda: cast(TextIO, TerminalWriter(sys.stderr)))
    #: Commands that read the list refresh a remote copy older than a day; the app does
    #: that in the background instead (the first paint never waits on the network).
    refresh_stale: bool = True

    @classmethod
    def from_args(cls, args: argparse.Namespace | SimpleNamespace) -> Context:
        # Only an absent --user means the login name: an empty one is a mistake to report.
        given = getattr(args, "user", None)
        user = locations.check_user_name(locations.default_user() if given is None else given)
        return cls(
            source_arg=getattr(args, "source", None) or None,
            user=user,
            data_dir=locations.data_dir(getattr(args, "data_dir", None)),
        )

    @cached_property
    def opened(self) -> OpenedList:
        """The list, resolved on first use (a remote one may be downloaded then)."""
        from dlreader.sources.opening import open_source

        source = self.source_arg
        if source is None:  # config.toml's default_list, when it sets one
            from dlreader.config import load_config

            config = load_config()
            if config.problem:
                print(f"dlreader: warning: {config.problem}", file=self.stderr)
            source = config.default_list
        opened = open_source(source, self.data_dir, refresh_stale=self.refresh_stale,
                             lookup=self._library_source)
        if opened.notice:
            print(f"dlreader: {opened.notice}", file=self.stderr)
        return opened

    @property
    def source(self) -> Path:
        """The local file the list is read from (a remote list's kept copy)."""
        return self.opened.path

    @property
    def store_path(self) -> Path:
        return self.data_dir / f"{self.user}.json"

    def load_catalog(self) -> Catalog:
        from dlreader.catalog.loader import load_catalog

        # A command runs no thread of its own: its parse workers may be forked. The parse
        # makes no cyclic garbage worth a pass (its tokens are freed by reference counts),
        # and the catalog grows under the collector's full passes: it is off meanwhile.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            catalog = load_catalog(self.source, base_url=self.opened.base_url, fork=True)
        finally:
            if gc_was_enabled:
                gc.enable()
        # The catalog lives until the command ends and holds no cycles: out of the cyclic
        # collector's sight, whose full passes over it (x100: 200,000 objects) were half
        # of `dlreader search`'s index build. Reference counting still frees it.
        gc.freeze()
        for warning in catalog.warnings:
            print(f"dlreader: warning: {warning}", file=self.stderr)
        return catalog

    def open_store(self) -> Store:
        from dlreader.store.store import Store

        return Store.open(self.store_path)

    def _library_source(self, name: str) -> str | None:
        """What the library list called ``name`` opens, or None (no store, no such name)."""
        if not self.store_path.exists():
            return None
        with self.open_store() as store:
            found = [record for record in store.lists() if record.name == name]
        return found[0].source if found else None

    @property
    def list_key(self) -> str:
        return self.opened.key

    def remember_list(self, store: Store, catalog: Catalog, *,
                      wait: bool = True) -> ListRecord | None:
        """This list's library record, added the first time (best effort: a store that
        cannot be written still lets a command read; ``wait=False``, a command that only
        reads, does not wait for another process's write: a later command adds it)."""
        from dlreader.errors import StoreBusy, StoreWriteError

        opened = self.opened
        try:
            return store.remember_list(opened.key, opened.name, opened.source,
                                       list(catalog.items), wait=wait)
        except (StoreBusy, StoreWriteError):
            return store.list_record(opened.key)

    def list_states(self, catalog: Catalog) -> dict[str, ItemState]:
        """The records this list shows: of its items, and of items it once had (orphans).

        Reading state belongs to an item's URL, so an item read in another list shows read
        here; but another list's items are never this list's orphans.
        """
        from dlreader.library import states_of_list

        with self.open_store() as store:
            record = self.remember_list(store, catalog, wait=False)
            return states_of_list(store.states(), catalog, record)

    def new_item_ids(self, catalog: Catalog) -> list[str]:
        """The list's items added since the user last saw it (none the first time)."""
        from dlreader.library import new_item_ids

        with self.open_store() as store:
            return new_item_ids(catalog, self.remember_list(store, catalog, wait=False))

    def link_book(self) -> LinkBook:
        """What ``dlreader check`` found about the links (a damaged file is set aside)."""
        from dlreader.linkhealth.records import load_link_book

        book = load_link_book(self.data_dir)
        if book.set_aside is not None:
            say(self, f"{book.path} was damaged: kept as {book.set_aside.name}; "
                      "starting a new one")
        return book

    def read_states(self) -> dict[str, ItemState]:
        """The user's records, read once (the store is closed again)."""
        with self.open_store() as store:
            return store.states()


def say(context: Context, message: str) -> None:
    """A status line for people: stderr, so stdout stays data."""
    print(f"dlreader: {message}", file=context.stderr)
