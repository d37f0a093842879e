"""``F``: a small dialog that sets any combination of the filter's facets
(dlreader.filters.ItemFilter); ``f`` cycles the presets instead."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Static

from dlreader.app.screens.dialog import DialogScreen
from dlreader.errors import UsageError
from dlreader.filters import ItemFilter
from dlreader.store.records import STATUSES, as_priority
from dlreader.tags import parse_tags

PRIORITY_CHOICES = (("none", "any priority"), ("low", "low or more"),
                    ("medium", "medium or more"), ("high", "high"))


class FilterDialog(DialogScreen[ItemFilter | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("ctrl+s", "apply", "Apply", priority=True),
    ]

    def __init__(self, current: ItemFilter) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        current = self.current
        with Vertical(id="filter-dialog", classes="dialog"):
            yield Static(Text("Show items that are …", style="bold"), markup=False)
            with Horizontal(classes="filter-row"):
                for status in STATUSES:
                    yield Checkbox(status, status in current.statuses, id=f"status-{status}")
            with RadioSet(id="priority"):
                for value, label in PRIORITY_CHOICES:
                    yield RadioButton(label, value == current.min_priority, id=f"at-{value}")
            with Horizontal(classes="filter-row"):
                yield Checkbox("noted", current.noted, id="noted")
                yield Checkbox("new", current.new, id="new")
                yield Checkbox("dead links", current.dead, id="dead")
            yield Input(" ".join(sorted(current.tags)), placeholder="tags (all of them)",
                        id="filter-tags")
            yield Static("", id="filter-preview", markup=False)
            yield Static("", id="filter-problem", markup=False)
            with Horizontal(id="filter-buttons"):
                yield Button("Apply (Ctrl+S)", id="apply", variant="primary")
                yield Button("Everything", id="clear")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        # At once (focus() would wait for the next idle): keys typed as soon as the
        # dialog shows must land in it.
        self.set_focus(self.query_one(f"#status-{STATUSES[0]}", Checkbox))
        self.query_one("#filter-problem", Static).update(
            Text("Space ticks, Tab moves on, Ctrl+S applies", style="dim"))
        self._preview()

    def chosen(self) -> ItemFilter:
        """The filter the dialog shows now; ``UsageError`` for a tag that cannot be one."""
        statuses = frozenset(s for s in STATUSES if self.query_one(f"#status-{s}",
                                                                   Checkbox).value)
        pressed = self.query_one(RadioSet).pressed_button
        priority = as_priority((pressed.id or "at-none").removeprefix("at-") if pressed else "none")
        return ItemFilter(
            statuses=statuses, min_priority=priority,
            noted=self.query_one("#noted", Checkbox).value,
            tags=frozenset(parse_tags(self.query_one("#filter-tags", Input).value)),
            new=self.query_one("#new", Checkbox).value,
            dead=self.query_one("#dead", Checkbox).value,
        )

    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    @on(Input.Changed)
    def _preview(self) -> None:
        """The filter in words as it is being set (what the list's header will say)."""
        try:
            words = self.chosen().describe()
        except UsageError as error:
            words = error.message
        self.query_one("#filter-preview", Static).update(Text(f"Shows: {words}", style="bold"))

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def action_apply(self) -> None:
        try:
            self.dismiss(self.chosen())
        except UsageError as error:
            self.query_one("#filter-problem", Static).update(Text(error.message, style="red"))

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss(ItemFilter())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
