"""A keyed, virtual table that stays fast at 50,000 rows.

Textual's DataTable re-measures and re-lays-out as it grows, so appending a page costs more the
bigger the table is. This widget keeps rows in a dict keyed by ARN/name plus an index list of
what is visible (filtered and sorted) and paints only the lines on screen (the Line API). So:

- painting costs in proportion to the rows on screen;
- appending a page costs in proportion to the page (plus an O(log n) insert per row when sorted);
- updating a row rewrites only that row's changed cells and remembers when each cell changed,
  so the live views can highlight it.
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from smtui.text import CONTROL as _CONTROL
from smtui.ui.format import age
from smtui.ui.theme import ROLES, role_css

HIGHLIGHT_SECONDS = 3.0
REGEX_TIMEOUT_SECONDS = 0.05
"""How long one row's regex search may take before the filter is declared too slow."""
SLOW_REGEX_MESSAGE = "regex too slow on these rows (catastrophic backtracking?); simplify it"
CHANGED_WIDTH = 9
NARROWEST = 12
"""A column about to be hidden is cut to fit instead while this many cells are left of it."""
MAX_COLUMN_WIDTH = 40
"""Columns grow to fit their content up to this; longer text ends in '…' (Describe shows all)."""
"""The last column: how long ago a live update last changed the row."""


@dataclass
class TableColumn:
    """One column. ``key`` names it (the catalogue's source path): sort keys, number keys and
    the status line address columns by key, never by position, because the across-parents
    view adds a column and narrow terminals hide some.

    ``drop`` orders the columns that may be hidden when the terminal is too narrow: the
    highest drops first; None never drops (NAME, STATUS, AGE)."""

    title: str
    width: int
    min_width: int = 4
    numeric: bool = False
    # Cells hold an ISO timestamp and are painted as an age ("3m"), so the text of a row does
    # not change every second and a poll never mistakes the passing of time for a change.
    age: bool = False
    key: str = ""
    drop: int | None = None

    def __post_init__(self) -> None:
        if not self.key:
            self.key = self.title


@dataclass
class TableRow:
    key: str
    cells: list[str]
    styles: list[str]  # per cell, a role of smtui.ui.theme.ROLES ("failed", "muted", …) or ""
    record: Any = None
    sort_values: list[Any] = field(default_factory=list)
    changed_at: list[float] = field(default_factory=list)
    last_change: float = 0.0
    marked: bool = False
    text: str = ""  # lower-cased row text, for filtering

    def refresh_text(self) -> None:
        self.text = " ".join(self.cells).lower()


class RowFilter:
    """A filter expression as typed after ``/``: substring, ``/regex/``-ish, or inverted with ``!``.

    A string with regex metacharacters is compiled as a regex; an invalid one raises
    ``ValueError`` with a message to show next to the input. Regexes run on the ``regex``
    module with a per-row time limit: a pattern that backtracks catastrophically (``(a+)+$``)
    must not freeze the console, so a search that runs out of time counts as no match and
    sets ``too_slow`` (see :meth:`ResourceTable.set_filter`).
    """

    _META = re.compile(r"[\\^$.|?*+()\[\]{}]")
    _known_slow: dict[str, None] = {}  # patterns that already ran out of time (a bounded, ordered set)

    def __init__(self, expression: str) -> None:
        raw = expression.strip()
        self.expression = raw
        self.inverted = raw.startswith("!")
        body = raw[1:].strip() if self.inverted else raw
        self.body = body
        self.regex: Any = None
        self.too_slow = False
        if body in RowFilter._known_slow:
            raise ValueError(SLOW_REGEX_MESSAGE)
        if self._META.search(body):
            try:
                self.regex = regex.compile(body, regex.IGNORECASE | regex.V0)
            except (regex.error, OverflowError, ValueError, RecursionError) as exc:
                # re/regex report some patterns (a{99999999999}) with other types than error.
                raise ValueError(f"invalid regex: {exc}") from None
        self.needle = body.lower()

    def matches(self, text: str, cells: Sequence[str] = ()) -> bool:
        """Whether a row passes: a substring of the row's text; a regex of any one cell, so
        ``oom$`` finds the name that ends in "oom" (the row's text ends with its last cell)."""
        if self.regex is None:
            hit = self.needle in text
        elif self.too_slow:
            hit = False
        else:
            try:
                hit = any(bool(self.regex.search(t, timeout=REGEX_TIMEOUT_SECONDS)) for t in (cells or (text,)))
            except TimeoutError:
                self.too_slow, hit = True, False
                RowFilter._known_slow[self.body] = None
                while len(RowFilter._known_slow) > 64:
                    del RowFilter._known_slow[next(iter(RowFilter._known_slow))]
        return hit != self.inverted

    @property
    def empty(self) -> bool:
        return not self.body


class ResourceTable(ScrollView, can_focus=True):
    """The list of resources. Keys: arrows/jk, PgUp/PgDn, g/G, Space to mark, Enter to open."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home,g", "edge(0)", "Top", show=False, id="table.top"),
        Binding("end,G", "edge(1)", "Bottom", show=False, id="table.bottom"),
        Binding("left,h", "scroll_cols(-8)", "Left", show=False, id="table.left"),
        Binding("right,l", "scroll_cols(8)", "Right", show=False, id="table.right"),
        Binding("space", "toggle_mark", "Mark", show=False, id="table.mark"),
        Binding("enter", "select", "Describe", show=False, id="table.select"),
    ]

    # The table paints its rows itself, so its colours are component classes: the theme (and
    # styles/smtui.tcss) reach them like any widget's. A cell's style names a role of
    # smtui.ui.theme.ROLES ("failed", "muted", …); each role is a class here.
    COMPONENT_CLASSES = {
        "resource-table--header",
        "resource-table--cursor",
        "resource-table--marked",
        "resource-table--changed",
        *(f"resource-table--{role}" for role in ROLES),
    }

    DEFAULT_CSS = """
    ResourceTable { height: 1fr; scrollbar-size-vertical: 1; scrollbar-size-horizontal: 0; }
    ResourceTable > .resource-table--header { background: $panel; color: $foreground; text-style: bold; }
    ResourceTable > .resource-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    ResourceTable > .resource-table--marked { color: $text-secondary; text-style: bold; }
    ResourceTable > .resource-table--changed { background: $warning; color: auto 90%; }
    """ + role_css("ResourceTable > .resource-table--")

    class Selected(Message):
        def __init__(self, table: ResourceTable, row: TableRow) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class CursorMoved(Message):
        def __init__(self, table: ResourceTable, row: TableRow | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

    def __init__(self, columns: Sequence[TableColumn] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.columns: list[TableColumn] = list(columns)
        self.shown: list[int] = list(range(len(self.columns)))
        """Indexes of the columns on screen (all of them unless the terminal is too narrow)."""
        self.show_changed = True
        self.narrowed: dict[int, int] = {}
        """Columns painted narrower than their content (index -> width) to fit the terminal."""
        self.rows: dict[str, TableRow] = {}
        self.order: list[str] = []
        self.view: list[str] = []
        self._view_sort: list[Any] = []
        self.cursor = 0
        self.marked: set[str] = set()
        self.row_filter: RowFilter | None = None
        self.predicate: Callable[[TableRow], bool] | None = None
        self.sort_column: int | None = None
        self.sort_reverse = False
        self.status_styles: dict[str, str] = {}
        # Rich styles of the component classes, composed per (role, cursor, changed, marked):
        # a handful of entries however many rows, resolved once per theme (notify_style_update).
        self._styles: dict[tuple[str, bool, bool, bool], Style] = {}
        # screen line -> the ages painted on it, and whether a changed cell was highlighted
        self._painted_times: dict[int, tuple[tuple[str, ...], bool]] = {}
        self.painted_lines = 0  # for tests and benchmarks: how many lines were rendered
        self.cells_rewritten = 0

    def on_mount(self) -> None:
        # Ages ("42s", "3m") and CHANGED ("5s ago") are painted from the time: each second the
        # lines whose age text moved on are repainted, and only those. A tick is not a change.
        self.set_interval(1.0, self.tick_ages, name="table-ages")

    def _times_of(self, row: TableRow) -> tuple[str, ...]:
        ages = tuple(age(row.cells[i]) for i in self.shown if self.columns[i].age and i < len(row.cells))
        return (*ages, age(row.last_change)) if self.show_changed and row.last_change else ages

    @staticmethod
    def _highlighted(row: TableRow, now: float) -> bool:
        return any(now - at < HIGHLIGHT_SECONDS for at in row.changed_at if at)

    def _time_spans(self) -> list[tuple[int, int]]:
        """Where the age cells sit on a line, as (x, width) in content columns, in the order
        of :meth:`_times_of` (CHANGED last)."""
        spans: list[tuple[int, int]] = []
        x = 2  # the mark gutter
        for i in self.shown:
            width = self._col_width(i)
            if self.columns[i].age:
                spans.append((x, width))
            x += width + 2
        if self.show_changed:
            spans.append((x, CHANGED_WIDTH))
        return spans

    def tick_ages(self) -> int:
        """Repaint what time changed on screen since it was painted; returns how many lines.

        An age that moved on ("58s" -> "1m") repaints its cell only, not its line, so a tick
        sends a few characters per row to the terminal rather than whole rows (bytes over a
        slow SSH link). A line whose change highlight has faded is repainted whole."""
        top, left = int(self.scroll_y), int(self.scroll_x)
        width = self.scrollable_content_region.width
        spans = self._time_spans()
        clock = time.monotonic()
        count = 0
        for y, (painted, was_highlighted) in list(self._painted_times.items()):
            index = top + y - 1
            if not 0 <= index < len(self.view):
                continue
            row = self.rows[self.view[index]]
            now = self._times_of(row)
            faded = was_highlighted and not self._highlighted(row, clock)
            if now == painted and not faded:
                continue
            count += 1
            if faded or len(now) != len(painted):  # CHANGED appeared: new text, not a tick
                self.refresh(Region(0, y, width, 1))
                continue
            for (x, w), a, b in zip(spans, now, painted, strict=False):
                if a != b and x + w > left and x < left + width:
                    self.refresh(Region(x - left, y, w, 1))
        return count

    # ---------------------------------------------------------------- data
    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        self.columns = list(columns)
        self._fit_to_width()
        self._resize_virtual()
        self.refresh()

    def column_index(self, key: str) -> int | None:
        """The index (in ``columns`` and in every row's cells) of the column named ``key``."""
        return next((i for i, col in enumerate(self.columns) if col.key == key), None)

    @property
    def sort_key(self) -> str | None:
        """The key of the column the view is sorted by."""
        return None if self.sort_column is None else self.columns[self.sort_column].key

    def shown_keys(self) -> list[str]:
        """The keys of the columns on screen, left to right (what the number keys address)."""
        return [self.columns[i].key for i in self.shown]

    def clear(self) -> None:
        self.marked.clear()
        self.rows.clear()
        self.order.clear()
        self.view.clear()
        self._view_sort.clear()
        self.cursor = 0
        self._resize_virtual()
        self.refresh()

    def _sort_key(self, row: TableRow) -> Any:
        assert self.sort_column is not None
        value = row.sort_values[self.sort_column] if row.sort_values else row.cells[self.sort_column]
        # Mixed types (None next to numbers) must still compare; group by type name first.
        return (value is None, type(value).__name__, value if value is not None else 0, row.key)

    def _visible(self, row: TableRow) -> bool:
        if self.predicate is not None and not self.predicate(row):
            return False
        return self.row_filter is None or self.row_filter.empty or self.row_filter.matches(row.text, row.cells)

    def set_predicate(self, predicate: Callable[[TableRow], bool] | None) -> None:
        """A second, programmatic filter (faults only) that composes with the typed one."""
        self.predicate = predicate
        self._rebuild_view()

    def append(self, rows: Iterable[TableRow]) -> int:
        """Add rows (or replace rows with the same key). Costs O(page), not O(table).

        The table is repainted only when a new row lands inside the window; otherwise only
        the scrollbar changes, so a page arriving below the screen costs no frame.
        """
        added = 0
        cursor_key = self.cursor_key
        first_new = len(self.view)  # smallest view index that changed
        for row in rows:
            row.refresh_text()
            if row.key in self.rows:
                self.update_row(row)
                continue
            self.rows[row.key] = row
            self.order.append(row.key)
            added += 1
            if not self._visible(row):
                continue
            if self.sort_column is None:
                self.view.append(row.key)
                first_new = min(first_new, len(self.view) - 1)
            else:
                # _view_sort is kept ascending; a descending view is its mirror image.
                sort_key = self._sort_key(row)
                idx = bisect.bisect_left(self._view_sort, sort_key)
                self._view_sort.insert(idx, sort_key)
                at = len(self.view) - idx if self.sort_reverse else idx
                self.view.insert(at, row.key)
                first_new = min(first_new, at)
        grew = self._fit_columns_to(rows=None)
        self._restore_cursor(cursor_key)
        self._resize_virtual()
        if grew or first_new <= int(self.scroll_y) + self.size.height:
            self.refresh()
        return added

    def insert_before(self, row: TableRow, before: str | None) -> None:
        """Add a new ``row`` in server order, just above the row ``before`` (at the end for None).

        A poll that finds a new resource knows where the server lists it (newest first, for
        most types): appended, a server created a moment ago sat at the bottom of its list
        until the next reload moved it to the top.
        """
        if self.sort_column is not None or row.key in self.rows or before not in self.rows:
            self.append([row])
            return
        cursor_key = self.cursor_key
        row.refresh_text()
        self.rows[row.key] = row
        self.order.insert(self.order.index(before), row.key)
        self._fit_columns_to([row])
        self._rebuild_view(cursor_key)

    def update_row(self, new: TableRow) -> list[int]:
        """Rewrite only the cells of ``new.key`` that changed; returns their column indexes."""
        old = self.rows.get(new.key)
        if old is None:
            self.append([new])
            return list(range(len(new.cells)))
        now = time.monotonic()
        changed = [i for i, (a, b) in enumerate(zip(old.cells, new.cells, strict=False)) if a != b]
        if len(old.cells) != len(new.cells):
            changed = list(range(len(new.cells)))
        old.record = new.record
        if not changed:
            return []
        if len(old.changed_at) != len(new.cells):
            old.changed_at = [0.0] * len(new.cells)
        # A cell filled in for the first time (a describe-only column arriving) is not news;
        # only a value that changed is highlighted and dates the row.
        news = [i for i in changed if i < len(old.cells) and old.cells[i] != ""]
        for i in news:
            old.changed_at[i] = now
        old.cells = new.cells
        old.styles = new.styles
        old.sort_values = new.sort_values
        if news:
            old.last_change = time.time()
        old.refresh_text()
        self._fit_columns_to([old])
        self.cells_rewritten += len(changed)
        visible_now = self._visible(old)
        in_view = new.key in self.view
        if visible_now != in_view or (self.sort_column in changed):
            self._rebuild_view()
        else:
            try:
                y = self.view.index(new.key)
            except ValueError:
                y = -1
            if y >= 0:
                self.refresh_line(y + 1)
        return changed

    def remove_rows(self, keys: Iterable[str]) -> None:
        gone = set(keys) & self.rows.keys()
        if not gone:
            return
        cursor_key = self.cursor_key
        for key in gone:
            del self.rows[key]
        self.marked -= gone
        self.order = [k for k in self.order if k not in gone]
        self._rebuild_view(cursor_key)

    def _rebuild_view(self, cursor_key: str | None = None) -> None:
        cursor_key = cursor_key if cursor_key is not None else self.cursor_key
        rows = self.rows
        if self.predicate is None and (self.row_filter is None or self.row_filter.empty):
            keys = list(self.order)
        else:
            keys = [k for k in self.order if self._visible(rows[k])]
        if self.sort_column is not None:
            sort_key = self._sort_key
            # Each sort key ends with the row key, so sorting the keys alone is enough.
            self._view_sort = sorted(sort_key(rows[k]) for k in keys)
            ordered = [s[-1] for s in self._view_sort]
            self.view = ordered[::-1] if self.sort_reverse else ordered
        else:
            self.view = keys
            self._view_sort = []
        self._restore_cursor(cursor_key)
        self._resize_virtual()
        self.refresh()

    def set_filter(self, expression: str) -> None:
        """Apply a filter; raises ValueError (invalid or too slow a regex) without changing anything."""
        new = RowFilter(expression) if expression.strip() else None
        old = self.row_filter
        self.row_filter = new
        self._rebuild_view()
        if new is not None and new.too_slow:
            self.row_filter = old
            self._rebuild_view()
            raise ValueError(SLOW_REGEX_MESSAGE)
        self.post_message(self.CursorMoved(self, self.cursor_row))

    def sort_by(self, column: int | str, reverse: bool | None = None) -> None:
        """Sort by a column, named by its key (or its index in ``columns``)."""
        if isinstance(column, str):
            found = self.column_index(column)
            if found is None:
                return
            column = found
        if self.sort_column == column and reverse is None:
            # Same column again: the view is the mirror image, no need to sort anything.
            cursor_key = self.cursor_key
            self.sort_reverse = not self.sort_reverse
            self.view.reverse()
            self._restore_cursor(cursor_key)
            self.refresh()
            return
        self.sort_column = column
        # An age column sorts by age: the first press puts the youngest on top (its times
        # descending). "A" gave "AGE ▲" with the oldest first, the reverse of what it read.
        self.sort_reverse = self.columns[column].age if reverse is None else bool(reverse)
        self._rebuild_view()

    @property
    def sort_arrow(self) -> str:
        """▲ when the column's values read ascending down the table, ▼ when descending. An age
        column shows ages (12s, 3m, 2d), so its newest-first order reads ascending."""
        descending = self.sort_reverse != (self.sort_column is not None and self.columns[self.sort_column].age)
        return "▼" if descending else "▲"

    # --------------------------------------------------------------- cursor
    @property
    def cursor_row(self) -> TableRow | None:
        if 0 <= self.cursor < len(self.view):
            return self.rows[self.view[self.cursor]]
        return None

    @property
    def cursor_key(self) -> str | None:
        row = self.cursor_row
        return row.key if row else None

    def _restore_cursor(self, key: str | None) -> None:
        if key is not None and key in self.rows:
            try:
                self.cursor = self.view.index(key)
                return
            except ValueError:
                pass
        self.cursor = max(0, min(self.cursor, len(self.view) - 1))

    def move_cursor_to_key(self, key: str) -> bool:
        try:
            self.cursor = self.view.index(key)
        except ValueError:
            return False
        self._scroll_cursor_into_view()
        self.refresh()
        return True

    def _scroll_cursor_into_view(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def _move(self, to: int) -> None:
        if not self.view:
            return
        to = max(0, min(to, len(self.view) - 1))
        if to != self.cursor:
            self.cursor = to
            self._scroll_cursor_into_view()
            self.refresh()
            self.post_message(self.CursorMoved(self, self.cursor_row))

    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move(self.cursor + direction * max(1, self.scrollable_content_region.height - 2))

    def action_edge(self, end: int) -> None:
        self._move(len(self.view) - 1 if end else 0)

    def action_scroll_cols(self, delta: int) -> None:
        self.scroll_to(x=max(0, self.scroll_x + delta), animate=False)

    def action_toggle_mark(self) -> None:
        row = self.cursor_row
        if row is not None:
            row.marked = not row.marked
            if row.marked:
                self.marked.add(row.key)
            else:
                self.marked.discard(row.key)
            self.refresh()
            self._move(self.cursor + 1)
            self.post_message(self.CursorMoved(self, self.cursor_row))

    def marked_rows(self) -> list[TableRow]:
        return [self.rows[k] for k in self.order if k in self.marked]

    def clear_marks(self) -> None:
        for key in self.marked:
            if key in self.rows:
                self.rows[key].marked = False
        self.marked.clear()
        self.refresh()

    def action_select(self) -> None:
        row = self.cursor_row
        if row is not None:
            self.post_message(self.Selected(self, row))

    # --------------------------------------------------------------- layout
    def _fit_columns_to(self, rows: Sequence[TableRow] | None) -> bool:
        """Grow column widths to fit content seen so far (bounded; never re-measures everything)."""
        sample = self.view[-120:] if rows is None else [r.key for r in rows]
        grew = False
        for key in sample:
            row = self.rows.get(key)
            if row is None:
                continue
            for i, cell in enumerate(row.cells[: len(self.columns)]):
                col = self.columns[i]
                if col.age:
                    continue
                want = min(cell_len(cell), MAX_COLUMN_WIDTH)
                if want > col.width:
                    col.width = want
                    grew = True
        if grew:
            self._fit_to_width()
            self._resize_virtual()
            self.refresh()
        return grew

    def _width_of(self, shown: Sequence[int], changed: bool) -> int:
        return sum(self._col_width(i) + 2 for i in shown) + 2 + (CHANGED_WIDTH if changed else 0)

    def _col_width(self, index: int) -> int:
        return self.narrowed.get(index, self.columns[index].width)

    def _fit_to_width(self) -> None:
        """Hide the lowest-priority columns until the rest fit the width (responsive columns):
        CHANGED first, then each column by its ``drop`` rank; a wide text column that would
        drop is narrowed instead while it keeps NARROWEST cells. NAME, STATUS and AGE never
        drop; whatever is hidden or cut is whole in Describe."""
        width = self.scrollable_content_region.width or self.size.width
        shown = list(range(len(self.columns)))
        changed = True
        self.narrowed = {}
        if width > 0:
            droppable = sorted(
                (i for i, col in enumerate(self.columns) if col.drop is not None),
                key=lambda i: (self.columns[i].drop or 0, i),
                reverse=True,
            )
            if self._width_of(shown, changed) > width:
                changed = False
            for index in droppable:
                over = self._width_of(shown, changed) - width
                if over <= 0:
                    break
                if self.columns[index].width - over >= NARROWEST:
                    self.narrowed[index] = self.columns[index].width - over
                    break
                shown.remove(index)
        if shown != self.shown or changed != self.show_changed:
            self.shown, self.show_changed = shown, changed
        self.refresh()

    def on_resize(self) -> None:
        self._fit_to_width()
        self._resize_virtual()

    @property
    def total_width(self) -> int:
        return self._width_of(self.shown, self.show_changed)

    def _resize_virtual(self) -> None:
        size = Size(self.total_width, len(self.view) + 1)
        old = self.virtual_size
        if size == old:
            return
        height = self.size.height
        if self.is_mounted and size.width == old.width and min(old.height, size.height) > height:
            # Taller only, and the vertical scrollbar was and stays shown: nothing else on the
            # screen moves, so no layout. Set as a reactive, virtual_size lays out the whole
            # screen, and a streaming list did that once per page (about half of its frame
            # time at 20,000 rows). The scrollbar is updated as a layout would have.
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)
            return
        self.virtual_size = size

    # --------------------------------------------------------------- paint
    def notify_style_update(self) -> None:
        """The theme or the CSS changed: compose the styles again on the next paint."""
        super().notify_style_update()
        self._styles.clear()

    def _component(self, name: str, partial: bool = True) -> Style:
        try:
            return self.get_component_rich_style(f"resource-table--{name}", partial=partial)
        except KeyError:  # not mounted yet (no stylesheet applied): paint plain, never fail
            return Style()

    def _style(self, role: str, is_cursor: bool = False, changed: bool = False, marked: bool = False) -> Style:
        """The Rich style of a cell: ``role`` is one of ROLES, "" (plain text), "header" or "mark"
        (the mark column)."""
        key = (role, is_cursor, changed, marked)
        style = self._styles.get(key)
        if style is None:
            composed = self._compose_style(*key)
            # Equal styles are one object, so painting can tell neighbours apart with `is`.
            style = self._styles[key] = next((s for s in self._styles.values() if s == composed), composed)
        return style

    def _compose_style(self, role: str, is_cursor: bool, changed: bool, marked: bool) -> Style:
        if role == "header":
            return self._component("header", partial=False)
        # Plain text is the widget's own colours (the theme's), not the terminal's default.
        style = self.rich_style
        if role == "mark":
            style += self._component("marked")
        elif role in ROLES:
            style += self._component(role)
        if is_cursor:
            # On the cursor bar the bar's colours win: a status colour on it is unreadable in
            # some themes (green on a yellow bar), and the bar must read as one line.
            style += self._component("cursor", partial=False)
        if changed:
            style += self._component("changed", partial=False)
        if marked and not is_cursor:
            style += self._component("marked")
        return style

    def render_line(self, y: int) -> Strip:
        self.painted_lines += 1
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = int(self.scroll_x), int(self.scroll_y)
        if y == 0:
            strip = self._header_strip()
            fill = self._style("header")
        else:
            index = scroll_y + y - 1
            if index >= len(self.view):
                return Strip.blank(width, self.rich_style)
            is_cursor = index == self.cursor
            row = self.rows[self.view[index]]
            strip = self._row_strip(row, is_cursor)
            self._painted_times[y] = (self._times_of(row), self._highlighted(row, time.monotonic()))
            fill = self._style("", is_cursor)
        # Header and cursor bars run the full width, however narrow the columns are.
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, fill)

    def _header_strip(self) -> Strip:
        titles = ["  "]
        for i in self.shown:
            col = self.columns[i]
            title, width = col.title, self._col_width(i)
            if self.sort_column == i:
                # The arrow says which column sorts: in a narrow column it stays, and the
                # title gives way ("STARTED ▼" in 7 cells was "STARTE…", with no arrow).
                arrow = self.sort_arrow
                title = f"{title} {arrow}" if len(title) + 2 <= width else set_cell_size(title, width - 1) + arrow
            titles.append(_fit(title, width) + "  ")
        if self.show_changed:
            titles.append(_fit("CHANGED", CHANGED_WIDTH))
        return Strip([Segment("".join(titles), self._style("header"))])

    def _row_strip(self, row: TableRow, is_cursor: bool) -> Strip:
        # Every cell carries the theme's colours, so neighbours of one style are painted as one
        # segment: each segment costs a colour sequence in the terminal output (bytes over SSH).
        now = time.monotonic()
        style_of = self._style
        marked = row.marked
        base = style_of("", is_cursor)
        segments: list[Segment] = []
        texts = ["▌ " if marked else "  "]
        run_style = style_of("mark", is_cursor) if marked else base
        changed_at = row.changed_at
        columns, narrowed = self.columns, self.narrowed
        for i in self.shown:
            col = columns[i]
            cell = row.cells[i] if i < len(row.cells) else ""
            role = row.styles[i] if i < len(row.styles) else ""
            changed = bool(changed_at) and i < len(changed_at) and now - changed_at[i] < HIGHLIGHT_SECONDS
            if col.age:
                cell = age(cell)
            style = style_of(role, is_cursor, changed, marked)
            if style is not run_style:
                segments.append(Segment("".join(texts), run_style))
                texts, run_style = [], style
            texts.append(_fit(cell, narrowed.get(i, col.width), col.numeric))
            if base is not run_style:
                segments.append(Segment("".join(texts), run_style))
                texts, run_style = [], base
            texts.append("  ")
        if not self.show_changed:
            segments.append(Segment("".join(texts), run_style))
            return Strip(segments)
        since = f"{age(row.last_change)} ago" if row.last_change else ""
        style = style_of("accent", is_cursor) if since else base
        if style is not run_style:
            segments.append(Segment("".join(texts), run_style))
            texts, run_style = [], style
        texts.append(_fit(since, CHANGED_WIDTH))
        segments.append(Segment("".join(texts), run_style))
        return Strip(segments)


def _fit(text: str, width: int, right: bool = False) -> str:
    """Pad or cut ``text`` to exactly ``width`` terminal cells (wide and control characters included)."""
    text = _CONTROL.sub("?", text)
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, max(0, width - 1)) + "…"
    pad = " " * (width - length)
    return pad + text if right else text + pad


__all__ = ["ResourceTable", "RowFilter", "TableColumn", "TableRow"]
