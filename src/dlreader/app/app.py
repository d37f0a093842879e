"""The reading app: a small Textual App around one ``ReadingScreen``.

The App owns what outlives a screen: the store writer's thread, the reload timer, the
signal handlers, the theme, the user's keymap, the command palette and the crash report.
Everything about the list on screen is ``app/screens/reading.py``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from dlreader import settings
from dlreader.app import keys
from dlreader.app.messages import SwitchList
from dlreader.app.screens.reading import NARROW_WIDTH, ReadingScreen
from dlreader.app.writer import StoreWriter
from dlreader.config import UserConfig, load_config

if TYPE_CHECKING:

    from dlreader.catalog.loader import BackgroundLoad
    from dlreader.catalog.model import Catalog
    from dlreader.sources.opening import OpenedList
    from dlreader.store.store import Store

RELOAD_SECONDS = 2.0
# After SIGTERM/SIGHUP: how long the writer may take to drain, and how long Textual then
# gets to leave by itself before the process ends anyway.
EXIT_FLUSH_SECONDS = 30.0
EXIT_GRACE_SECONDS = 3.0


class DlreaderApp(App[int]):
    # Absolute, so subclasses defined elsewhere (tests) find it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "dlreader"
    ENABLE_COMMAND_PALETTE = True
    # The screen gets "-narrow" below 100 columns (the CSS stacks the panes) and "-wide"
    # from there on; Textual re-evaluates it on every resize.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_WIDTH, "-wide")]
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        *keys.bindings(app_level=True)]

    def __init__(
        self,
        catalog_path: Path,
        store: Store,
        *,
        user: str,
        catalog: Catalog | None = None,
        reload_seconds: float = RELOAD_SECONDS,
        handle_signals: bool = False,
        opened: OpenedList | None = None,
        config: UserConfig | None = None,
        loading: BackgroundLoad | None = None,
    ) -> None:
        super().__init__()
        self.opened = opened
        self.handle_signals = handle_signals
        self.catalog_path = Path(catalog_path)
        self.store = store
        self.user = user
        self.reload_seconds = reload_seconds
        self.config = config if config is not None else load_config()
        self.keymap_in_force, self._keymap_problem = keys.resolve_keymap(self.config)
        self.set_keymap(self.keymap_in_force)
        self.writer = StoreWriter(
            store, lambda report: self.reading_screen.post_message(report),
            list_key=opened.key if opened else None)
        #: Set by the list switcher: the source the launcher opens next, after this exits.
        self.switch_to: str | None = None
        self._theme_restored = False
        self._quitting = False
        self._link_stop = threading.Event()  # ends a background link check on exit
        self.reading_screen = ReadingScreen(
            self.catalog_path, store, self.writer, user=user, opened=opened, catalog=catalog,
            link_stop=self._link_stop, quitting=lambda: self._quitting,
            keymap=self.keymap_in_force, loading=loading,
        )

    def get_default_screen(self) -> Screen[Any]:
        return self.reading_screen

    def on_mount(self) -> None:
        self._restore_theme()
        self.run_worker(self.writer.run, thread=True, group="writer", exit_on_error=False,
                        name="store writer")
        self.set_interval(self.reload_seconds, self.writer.reload, name="store reload")
        if self.handle_signals:
            self._install_signal_handlers()
        problem = self.config.problem or self._keymap_problem
        if problem:
            self.notify(problem, severity="error", timeout=30, markup=False)

    def _install_signal_handlers(self) -> None:
        """SIGTERM / SIGHUP leave through the normal exit (the writer then drains)."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None:
                loop.add_signal_handler(number, self._exit_on_signal)

    def _exit_on_signal(self) -> None:
        self._quitting = True
        self._save_resume_point()
        self.exit()
        # When the terminal is gone (SIGHUP), Textual can block for ever closing it (its
        # output thread's queue): once every change is written, do not outlive it.
        threading.Thread(target=self._end_if_stuck, name="exit watchdog", daemon=True).start()

    def _end_if_stuck(self) -> None:
        self.writer.stop()  # the writer finishes everything queued before it stops
        if self.writer.wait_stopped(EXIT_FLUSH_SECONDS):
            time.sleep(EXIT_GRACE_SECONDS)
            os._exit(0)

    def on_unmount(self) -> None:
        # The writer finishes what is queued, then its thread ends.
        self.writer.stop()
        self._link_stop.set()

    def _save_resume_point(self) -> None:
        """Where the user is in the list, for the next start (issue #12 item 1)."""
        if self.reading_screen.is_attached:
            self.reading_screen.stamp_library()
            self.reading_screen.save_resume_point()

    async def action_quit(self) -> None:
        self._quitting = True
        self._save_resume_point()
        await self.flush_writes()
        self.exit(0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Once quitting, nothing but quit (the palette, ctrl+q) may start.
        return action == "quit" or not self._quitting

    async def flush_writes(self, timeout: float = 30.0) -> bool:
        """Wait (off the UI thread) until every submitted change is on disk."""
        import asyncio

        return await asyncio.to_thread(self.writer.flush, timeout)

    @on(SwitchList)
    def _switch_list(self, message: SwitchList) -> None:
        self.switch_to = message.source
        self.reading_screen.stamp_library()
        self.exit()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """A background task that raised: say so, keep running (workers never exit us)."""
        error = event.worker.error
        if event.state == WorkerState.ERROR and error is not None:
            what = event.worker.name or "a background task"
            self.notify(f"{what} failed: {type(error).__name__}: {error}", severity="error",
                        timeout=15, markup=False)

    # -- theme, palette, notifications, crashes -----------------------------------------

    def _restore_theme(self) -> None:
        # config.toml's theme (the user wrote it) wins over the one last chosen.
        for saved in (self.config.theme, settings.load_theme()):
            if saved and saved in self.available_themes:
                self.theme = saved
                break
        self._theme_restored = True

    def watch_theme(self, theme: str) -> None:
        if not self._theme_restored or theme == settings.load_theme():
            return
        try:
            settings.save_theme(theme)
        except OSError as error:
            self.notify(f"Could not remember the theme: {error}", severity="warning",
                        markup=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's "Keys" panel would be a second help entry beside ours (? lists every
        # key): one help entry in the palette (issue #12 item 9); and on the reading screen
        # its Maximize/Minimize are our zoom (z), listed below.
        ours = {"Keys", "Maximize", "Minimize"} if isinstance(screen, ReadingScreen) else {"Keys"}
        for command in super().get_system_commands(screen):
            if command.title not in ours:
                yield command
        if not isinstance(screen, ReadingScreen):
            return
        for entry in keys.KEYS:
            shown = keys.keys_in_force(entry, self.keymap_in_force)
            where = f" ({', '.join(keys.display_key(k) for k in shown)})" if shown else ""
            help_text = entry.description[0].upper() + entry.description[1:] + where
            yield SystemCommand(entry.command, help_text,
                                partial(self.run_action, entry.action,
                                        self if entry.app_level else screen))

    def _fatal_error(self) -> None:
        """Textual's crash report, without local variables: they would print notes."""
        import rich
        from rich.traceback import Traceback

        self.bell()
        self.panic(Traceback(show_locals=False, width=None, suppress=[rich]))
