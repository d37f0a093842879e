"""The reading screen's actions on the highlighted item's note and link, the link check
and the export: mixed into ``ReadingScreen`` (app/screens/reading.py), which holds the
state they use. Message handlers here go by name (``on_links_loaded``): Textual finds
those through the class's bases.
"""

from __future__ import annotations

import datetime as _dt
import os
import threading
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from dlreader.app import loading
from dlreader.app.components.loading_bar import loading_bar, stop_loading_bar
from dlreader.app.link_check import LinkProgress, LinksLoaded, check_links
from dlreader.catalog.model import Catalog, item_urls
from dlreader.linkhealth.records import LinkRecord
from dlreader.store.records import ItemState
from dlreader.textsafe import plural

if TYPE_CHECKING:
    from textual.screen import Screen

    from dlreader.app.components.item_list import ItemList
    from dlreader.reading import Change, ReadingState
    from dlreader.store.store import Store

    class _ReadingScreenPart(Screen[None]):
        """What these actions use of the reading screen."""

        reading: ReadingState | None
        store: Store
        user: str
        catalog_path: Path
        _link_stop: threading.Event
        _checking_links: bool
        _link_item: str | None
        _link_index: int

        @property
        def item_list(self) -> ItemList: ...
        def _current_item(self, verb: str) -> str | None: ...
        def _set(self, item_id: str, label: str, **fields: str) -> None: ...
        def _refresh_change(self, change: Change) -> None: ...
        def _show_detail(self) -> None: ...
        def _notify(self, message: str, *, severity: Any = "information",
                    timeout: float | None = None, markup: bool = False) -> None: ...
else:
    _ReadingScreenPart = object


def copy_notice(url: str, problem: str, *, inside_tmux: bool) -> str:
    """What the user is told when the copy went through the terminal: in plain words (the
    clipboard library's own text only as the reason), with tmux's setting inside tmux."""
    reason = problem.splitlines()[0][:80] if problem else "none found"
    notice = f"Copied {url} through the terminal (OSC 52; no system clipboard: {reason})."
    if inside_tmux:
        notice += " In tmux, `set -g set-clipboard on` lets it reach your clipboard."
    return notice


class ItemActions(_ReadingScreenPart):
    # -- notes --------------------------------------------------------------------------

    def action_edit_note(self) -> None:
        item_id = self._current_item("annotate")
        if item_id is None or self.reading is None:
            return
        from dlreader.app.screens.note_editor import NoteEditor

        view = self.reading
        original = view.note(item_id)

        def saved(note: str | None) -> None:
            if note is not None and note != view.note(item_id):
                self._set(item_id, "edit note", note=note)
                self._notify("Note saved." if note.strip() else "Note cleared.")

        self.app.push_screen(NoteEditor(view.catalog.items[item_id].title, original), saved)

    def action_edit_note_external(self) -> None:
        item_id = self._current_item("annotate")
        if item_id is None or self.reading is None:
            return
        from textual.app import SuspendNotSupported

        from dlreader.app.external_editor import EditorError, edit_in_editor, fit_for_store

        original = self.reading.note(item_id)
        self._drop_notices()
        try:
            with self.app.suspend():
                note, removed = fit_for_store(edit_in_editor(original, os.environ))
        except SuspendNotSupported:
            self._notify("This terminal cannot hand over to $EDITOR; use n.", severity="warning")
            return
        except EditorError as error:
            self._notify(str(error), severity="error", markup=False)
            return
        self.app.refresh()
        if note != original:
            self._set(item_id, "edit note", note=note)
            # An editor can save anything; what would reach the terminal is not kept.
            self._notify("Note saved; control characters were removed from it." if removed
                         else "Note saved.")

    def _drop_notices(self) -> None:
        """Every notice off the screen before the editor takes the terminal: Textual's
        timers cannot run meanwhile, so a notice shown then came back on return, long
        after its time (the rack is hidden at once; the clear removes its toasts)."""
        self.app.clear_notifications()
        for rack in self.app.screen.query("ToastRack"):
            rack.display = False

    # -- the link -----------------------------------------------------------------------

    def _current_url(self) -> str | None:
        """The chosen link of the highlighted item (] cycles through its links)."""
        item_id = self._current_item("use")
        if item_id is None or self.reading is None:
            return None
        urls = item_urls(self.reading.catalog.items[item_id])
        url = urls[self._link_index % len(urls)] if urls and item_id == self._link_item else \
            (urls[0] if urls else None)
        if not url:
            self._notify("This item has no link.", severity="warning")
        return url

    def action_next_link(self) -> None:
        item_id = self._current_item("use")
        if item_id is None or self.reading is None:
            return
        urls = item_urls(self.reading.catalog.items[item_id])
        if len(urls) < 2:
            self._notify("This item has no other link.", severity="information")
            return
        self._link_item = item_id
        self._link_index = (self._link_index + 1) % len(urls)
        self._show_detail()

    def action_open_url(self) -> None:
        url = self._current_url()
        if url is None or self.reading is None:
            return
        item_id = self.item_list.current_item_id
        archive = self._archived_copy(item_id) if item_id else None
        if archive is None:
            self._open(url)
            return
        from dlreader.app.screens.confirm import ConfirmScreen

        record = self.reading.link(item_id) if item_id else None
        code = f" (HTTP {record.code})" if record is not None and record.code else ""

        def answered(archived: bool | None) -> None:
            self._open(archive if archived else url)

        self.app.push_screen(ConfirmScreen(
            f"This link was dead when checked{code}. Open the archived copy instead?\n{archive}",
            yes="Archived copy", no="The link itself",
        ), answered)

    def action_open_archived(self) -> None:
        url = self._current_url()
        if url is None or self.reading is None or self.item_list.current_item_id is None:
            return
        from dlreader.linkhealth.display import archive_day
        from dlreader.linkhealth.records import archive_url

        record = self.reading.link(self.item_list.current_item_id)
        self._open(archive_url(url, archive_day(record, self.catalog_path)))

    def _archived_copy(self, item_id: str) -> str | None:
        from dlreader.linkhealth.display import archived_copy

        assert self.reading is not None
        item = self.reading.catalog.items[item_id]
        return archived_copy(item, self.reading.link(item_id), self.catalog_path)

    def _open(self, url: str) -> None:
        from dlreader.app.browser import open_url

        result = open_url(url)
        if result.opened:
            self._notify(f"Opened in {result.detail}: {url}", markup=False)
        elif result.detail == "not an http(s) URL":
            self._notify(f"Not opened (only http and https links open): {url}",
                         severity="warning", markup=False)
        else:
            self._notify(f"No browser to open it with. The link: {url}", severity="warning",
                         timeout=20, markup=False)

    def action_copy_url(self) -> None:
        url = self._current_url()
        if url is not None:
            self._copy(url)

    @work(thread=True, group="clipboard", exit_on_error=False)
    def _copy(self, url: str) -> None:
        from dlreader.app.clipboard import copy_with_pyperclip

        problem = copy_with_pyperclip(url)
        self.app.call_from_thread(self._copied, url, problem)

    def _copied(self, url: str, problem: str | None) -> None:
        if problem is None:
            self._notify(f"Copied to the clipboard: {url}", markup=False)
        else:
            self.app.copy_to_clipboard(url)
            self._notify(copy_notice(url, problem, inside_tmux="TMUX" in os.environ),
                         markup=False)

    # -- link check ---------------------------------------------------------------------

    def action_check_links(self) -> None:
        if self.reading is None:
            self._notify("The list is still loading.", severity="warning")
            return
        if self._checking_links:
            self._notify("The links are being checked already.")
            return
        self._checking_links = True
        loading_bar(self).start("Checking links")
        self._notify("Checking the links in the background…", timeout=3)
        self.run_worker(
            partial(check_links, self.reading.catalog, self.store.path.parent,
                    self._link_stop, self.post_message),
            thread=True, group="links", exit_on_error=False, name="link check",
        )

    def on_link_progress(self, message: LinkProgress) -> None:
        loading_bar(self).fraction = message.fraction

    def on_links_loaded(self, message: LinksLoaded) -> None:
        if message.from_check:
            stop_loading_bar(self)
            self._checking_links = False
        if message.notice:
            self._notify(message.notice, severity=message.severity, timeout=10)
        if self.reading is not None and message.records:
            self._refresh_change(self.reading.set_links(message.records))

    # -- export -----------------------------------------------------------------------

    def action_export_notes(self) -> None:
        if self.reading is None:
            self._notify("The list is still loading.", severity="warning")
            return
        self._export(self.reading.catalog, self.reading.states(), self.reading.links())

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, catalog: Catalog, states: dict[str, ItemState],
                links: dict[str, LinkRecord]) -> None:
        from dlreader.export import build_export, default_export_path, write_atomically

        try:
            export = build_export(catalog, states, user=self.user, date=_dt.date.today(),
                                  links=links)
            path = default_export_path(self.user)
            write_atomically(path, export.text)
        except Exception as error:
            self.app.call_from_thread(self._notify,
                                      f"Export failed: {loading.error_text(error)}",
                                      severity="error", markup=False)
            return
        notes = plural(export.notes, "note")
        self.app.call_from_thread(self._notify, f"Exported {notes} to {path}", markup=False,
                                  timeout=10)
