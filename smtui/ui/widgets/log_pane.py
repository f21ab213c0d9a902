"""The logs view's pane: log lines painted row by row, only those on screen.

Following a stream that writes 200 lines a second must cost the same at minute 60 as at
minute 1, so the pane keeps at most ``capacity`` lines (the service's ring size) and paints
only the visible rows (``render_line``); nothing is laid out per line. Wrap is a hard wrap at
the pane's width, so a row is a slice of its line and the row count is arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from smtui.service.logs import LogLine, format_time, short_stream
from smtui.ui.theme import ROLES, role_css

STREAM_WIDTH = 22


class LogPane(ScrollView, can_focus=True):
    """Log lines, newest at the bottom; follows the end while ``follow`` is on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "scroll_up", "Up", show=False, id="logs.up"),
        Binding("j", "scroll_down", "Down", show=False, id="logs.down"),
        Binding("g", "scroll_home", "Top", show=False, id="logs.top"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "log-pane--muted",
        "log-pane--accent",
        "log-pane--current",
        "log-pane--error",
    }
    DEFAULT_CSS = """
    LogPane { height: 1fr; scrollbar-size-vertical: 1; }
    LogPane > .log-pane--current { text-style: bold reverse; }
    """ + role_css("LogPane > .log-pane--", {role: ROLES[role] for role in ("muted", "accent", "error")})

    def __init__(self, capacity: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.capacity = capacity
        self.lines: list[LogLine] = []
        self.wrap = False
        self.timestamps = True
        self.show_streams = True
        self.prefix = ""
        self.search = ""
        self.current = -1  # the line of the current search match
        self.follow = True
        self._widest = 0
        self._label_width = 0  # the widest stream label shown, up to STREAM_WIDTH
        self._starts: list[int] = []  # wrap mode: first row of each line
        self.painted_rows = 0

    # ---------------------------------------------------------------- content
    def set_lines(self, lines: Iterable[LogLine]) -> None:
        self.lines = list(lines)[-self.capacity :]
        self._widest = self._label_width = 0
        self._measure_labels(self.lines)
        self._relayout()

    def _measure_labels(self, lines: list[LogLine]) -> None:
        widest = max((len(short_stream(line.stream, self.prefix)) for line in lines), default=0)
        self._label_width = min(STREAM_WIDTH, max(self._label_width, widest))

    def append(self, lines: list[LogLine]) -> None:
        """Add new lines at the end (oldest dropped past ``capacity``)."""
        if not lines:
            return
        self.lines.extend(lines)
        before = self._label_width
        self._measure_labels(lines)
        excess = len(self.lines) - self.capacity
        if excess > 0:
            # Trim in chunks so a full ring does not shift the list on every append.
            cut = max(excess, self.capacity // 20)
            del self.lines[:cut]
            if self.current >= 0:
                self.current = max(-1, self.current - cut)
            self._relayout()
        elif before != self._label_width:
            self._relayout()
        else:
            self._extend_layout(lines)
        if self.follow:
            self.scroll_end(animate=False, immediate=False, x_axis=False)

    def clear(self) -> None:
        self.set_lines([])

    # ---------------------------------------------------------------- layout
    def _gutter(self) -> int:
        width = 0
        if self.timestamps:
            width += 14
        if self.show_streams:
            width += self._label_width + 2
        return width

    def _line_width(self, line: LogLine) -> int:
        return self._gutter() + cell_len(line.message)

    def _row_count(self, line: LogLine, width: int) -> int:
        return max(1, -(-self._line_width(line) // width))

    def _width(self) -> int:
        return max(10, self.scrollable_content_region.width or self.size.width or 80)

    def _relayout(self) -> None:
        width = self._width()
        if self.wrap:
            self._starts = []
            total = 0
            for line in self.lines:
                self._starts.append(total)
                total += self._row_count(line, width)
            self.virtual_size = Size(width, total)
        else:
            self._widest = max((self._line_width(line) for line in self.lines), default=0)
            self.virtual_size = Size(self._widest, len(self.lines))
        self.refresh()

    def _extend_layout(self, lines: list[LogLine]) -> None:
        if self.wrap:
            width = self._width()
            total = self.virtual_size.height
            for line in lines:
                self._starts.append(total)
                total += self._row_count(line, width)
            self.virtual_size = Size(width, total)
        else:
            self._widest = max(self._widest, max(self._line_width(line) for line in lines))
            self.virtual_size = Size(self._widest, len(self.lines))
        self.refresh()

    def on_resize(self) -> None:
        if self.wrap:
            self._relayout()

    def relayout(self) -> None:
        """After a toggle (wrap, timestamps, streams): lay out again, keeping the end in view."""
        self._relayout()
        if self.follow:
            self.scroll_end(animate=False, immediate=False, x_axis=False)

    # ---------------------------------------------------------------- search
    def matches(self) -> list[int]:
        if not self.search:
            return []
        return [i for i, line in enumerate(self.lines) if self.search in line.message]

    def goto_line(self, index: int) -> None:
        """Scroll so line ``index`` is in view (and pause following: the user is reading)."""
        self.current = index
        self.follow = False
        row = self._starts[index] if self.wrap and index < len(self._starts) else index
        self.scroll_to(y=max(0, row - self.size.height // 2), animate=False)
        self.refresh()

    # ---------------------------------------------------------------- painting
    def _style(self, name: str) -> Style:
        try:
            return self.get_component_rich_style(f"log-pane--{name}", partial=True)
        except KeyError:  # not mounted yet: paint plain, never fail
            return Style()

    def _line_strip(self, index: int) -> Strip:
        line = self.lines[index]
        segments: list[Segment] = []
        if self.timestamps:
            segments.append(Segment(format_time(line.timestamp)[11:] + "  ", self._style("muted")))
        if self.show_streams:
            label, width = short_stream(line.stream, self.prefix), self._label_width
            if len(label) > width:  # the last path part tells streams apart (the instance id)
                tail = label.rsplit("/", 1)[-1]
                label = tail if len(tail) <= width else "…" + tail[-(width - 1) :]
            segments.append(Segment(label.ljust(width) + "  ", self._style("accent")))
        segments.extend(self._message(line.message, index == self.current))
        return Strip(segments)

    def _message(self, text: str, current: bool) -> list[Segment]:
        term = self.search
        if not term or term not in text:
            return [Segment(text)]
        mark = self._style("current" if current else "error")
        out: list[Segment] = []
        start = 0
        while (found := text.find(term, start)) >= 0:
            if found > start:
                out.append(Segment(text[start:found]))
            out.append(Segment(term, mark))
            start = found + len(term)
        if start < len(text):
            out.append(Segment(text[start:]))
        return out

    def _row_at(self, row: int) -> tuple[int, int] | None:
        """(line index, slice of that line) of virtual row ``row``."""
        if not self.wrap:
            return (row, 0) if 0 <= row < len(self.lines) else None
        starts = self._starts
        if not starts or row < 0 or row >= self.virtual_size.height:
            return None
        lo, hi = 0, len(starts) - 1
        while lo < hi:  # the last line starting at or before row
            mid = (lo + hi + 1) // 2
            if starts[mid] <= row:
                lo = mid
            else:
                hi = mid - 1
        return lo, row - starts[lo]

    def render_line(self, y: int) -> Strip:
        self.painted_rows += 1
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = int(self.scroll_x), int(self.scroll_y)
        where = self._row_at(scroll_y + y)
        if where is None:
            return Strip.blank(width, self.rich_style)
        index, part = where
        strip = self._line_strip(index)
        if self.wrap:
            return strip.crop(part * width, (part + 1) * width).extend_cell_length(width)
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width)
