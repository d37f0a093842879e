"""The stats screen (``S``): progress per topic, items done per week for the last 12
weeks (Textual's Sparkline) and the current streak — dlreader.activity's numbers, the
same as `dlreader stats`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Sparkline, Static

from dlreader import activity
from dlreader.app.screens.dialog import DialogScreen
from dlreader.progress import filled_cells, percent
from dlreader.textsafe import display_line

if TYPE_CHECKING:
    from dlreader.reading import ReadingState

BAR = 20


def progress_table(view: ReadingState) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, max_width=44)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    states = view.states()
    for row in activity.topic_progress(view.catalog, states):
        filled = filled_cells(row.done, row.total, BAR)
        bar = Text("━" * filled, style="green" if row.done == row.total else "yellow")
        bar.append("─" * (BAR - filled), style="grey35")
        table.add_row(Text(display_line(row.title) or "(untitled)", overflow="ellipsis"),
                      f"{row.done}/{row.total}", bar)
    return table


class StatsScreen(DialogScreen[None]):
    BINDINGS = [Binding("escape,q,S", "dismiss", "Close")]

    def __init__(self, view: ReadingState, today: dt.date | None = None) -> None:
        super().__init__()
        self.view = view
        self.today = today or dt.datetime.now(dt.UTC).date()

    def compose(self) -> ComposeResult:
        view, states = self.view, self.view.states()
        done, total = view.overall()
        weeks = activity.weekly_done(view.catalog, states, self.today)
        streak = activity.streak(view.catalog, states, self.today)
        with VerticalScroll(id="stats", classes="dialog"):
            yield Static(Text(f"{display_line(view.catalog.name)}: {done}/{total} done "
                              f"({percent(done, total)}%, read or skipped)", style="bold"),
                         markup=False)
            yield Static(progress_table(view), id="stats-topics")
            yield Static(Text(f"Done per week, last {len(weeks)} (oldest first): "
                              f"{' '.join(str(w.done) for w in weeks)}"), markup=False)
            yield Sparkline([w.done for w in weeks], id="stats-weeks")
            yield Static(Text(f"Current streak: {streak} day{'' if streak == 1 else 's'} "
                              "in a row", style="bold"), id="stats-streak", markup=False)
            yield Static(Text("Esc closes", style="dim"), markup=False)
