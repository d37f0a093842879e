"""The CLI's commands. Pure core: nothing here imports Textual."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from dlreader import locations

if TYPE_CHECKING:
    from dlreader.catalog.model import Catalog
    from dlreader.store.records import ItemState
    from dlreader.store.store import Store


@dataclass
class Context:
    """What every command needs: where the list and the user's store are."""

    source: Path
    user: str
    data_dir: Path
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        # Only an absent --user means the login name: an empty one is a mistake to report.
        given = getattr(args, "user", None)
        user = locations.check_user_name(locations.default_user() if given is None else given)
        source = getattr(args, "source", None)
        return cls(
            source=Path(source).expanduser() if source else locations.default_list_path(),
            user=user,
            data_dir=locations.data_dir(getattr(args, "data_dir", None)),
        )

    @property
    def store_path(self) -> Path:
        return self.data_dir / f"{self.user}.json"

    def load_catalog(self) -> Catalog:
        from dlreader.catalog.loader import load_catalog

        catalog = load_catalog(self.source)
        for warning in catalog.warnings:
            print(f"dlreader: warning: {warning}", file=self.stderr)
        return catalog

    def open_store(self) -> Store:
        from dlreader.store.store import Store

        return Store.open(self.store_path)

    def read_states(self) -> dict[str, ItemState]:
        """The user's records, read once (the store is closed again)."""
        store = self.open_store()
        try:
            return store.states()
        finally:
            store.close()


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
