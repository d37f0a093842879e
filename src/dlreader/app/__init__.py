"""The reading app (Textual). Only this package imports Textual.

``build_app`` is the one way to make the app: the launcher, the pilot tests and the
snapshot tests all use it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dlreader.app.app import DlreaderApp
    from dlreader.catalog.loader import BackgroundLoad
    from dlreader.catalog.model import Catalog
    from dlreader.sources.opening import OpenedList
    from dlreader.store.store import Store


def build_app(
    catalog_path: Path,
    store: Store,
    *,
    user: str,
    catalog: Catalog | None = None,
    reload_seconds: float = 2.0,
    handle_signals: bool = False,
    opened: OpenedList | None = None,
    loading: BackgroundLoad | None = None,
) -> DlreaderApp:
    """The app over the list at ``catalog_path`` and the user's open ``store``.

    ``catalog`` skips loading (tests with a hand-built catalog); otherwise the tree is
    painted from a heading scan and the full catalog loads in a thread. The launcher
    passes ``handle_signals=True`` so SIGTERM/SIGHUP exit cleanly. ``opened`` says which
    list of the library this is (its changes and undo are per list). ``loading``: the
    catalog's load, already begun by the launcher (``catalog.loader.prefetch``).
    """
    from dlreader.app.app import DlreaderApp

    return DlreaderApp(Path(catalog_path), store, user=user, catalog=catalog,
                       reload_seconds=reload_seconds, handle_signals=handle_signals,
                       opened=opened, loading=loading)


__all__ = ["build_app"]
