"""The logs view: one resource's CloudWatch logs, followed, filtered, searched, taken elsewhere.

Everything it reads comes from ``Service.logs`` (:mod:`smtui.service.logs`); its errors stay
here (an AccessDenied on ``logs:`` shows in this view's banner and nowhere else).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from smtui.aws.errors import AwsError
from smtui.catalog import Catalog, ResourceType
from smtui.config import state_dir
from smtui.live import Pacer
from smtui.service import Service
from smtui.service.logs import TIME_RANGES, LogFilter, LogTail, LogTarget, short_stream
from smtui.text import printable
from smtui.ui.messages import GoBack
from smtui.ui.screens.base import ResourceScreen
from smtui.ui.widgets.chrome import ErrorBanner, StatusLine, view_header
from smtui.ui.widgets.log_pane import LogPane

RANGE_LABELS = {"5m": "last 5 minutes", "1h": "last hour", "start": "since it started"}
PROMPTS = {
    "search": "search (Enter: find, n/N: next/previous, Esc: close)",
    "include": "show only lines containing… (empty: all; sent to CloudWatch as a filter pattern)",
    "exclude": "hide lines containing… (e.g. /ping; sent to CloudWatch as a filter pattern)",
    "save": "save the lines shown to (mode 0600, secrets redacted):",
}


class PromptInput(Input, can_focus=False):
    """The logs view's one-line prompt. It never takes focus: the view types into it.

    Over SSH ``x/ping⏎f`` arrives as one burst, and Textual hands each key to whatever had
    focus when the key was read, while bindings and focus changes land later. With every key
    going through the view's ``on_key`` in order, the prompt opens, fills and closes exactly
    where the user's keys say, and the keys after Enter reach the view.
    """


class StreamPicker(ModalScreen[str | None]):
    """Pick one stream, or all of them interleaved ("")."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="logs.streams_close")]

    def __init__(self, streams: list[str], prefix: str, current: str) -> None:
        super().__init__()
        self.streams, self.prefix, self.current = streams, prefix, current

    def compose(self) -> ComposeResult:
        options = [Option("all streams, interleaved by time", id="")]
        options += [Option(printable(short_stream(s, self.prefix)), id=s) for s in self.streams]
        with Vertical(id="stream-box"):
            yield Static("Streams (Enter: pick, Esc: close)", id="stream-title")
            yield OptionList(*options, id="stream-list")

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        ids = ["", *self.streams]
        picker.highlighted = ids.index(self.current) if self.current in ids else 0
        picker.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")


class LogsScreen(ResourceScreen):
    """One resource's logs. f: pause/follow; G: end; /: search; i/x: include/exclude."""

    help_section = "Logs (l from a list, a describe view or :burning)"
    BINDINGS = [
        Binding("escape", "back", "Back", id="logs.back"),
        Binding("f", "toggle_follow", "Pause/follow", id="logs.follow"),
        Binding("G,end", "jump_end", "End", id="logs.end"),
        Binding("slash", "prompt('search')", "Search", id="logs.search"),
        Binding("n", "next_match(1)", "Next", show=False, id="logs.next"),
        Binding("N", "next_match(-1)", "Prev", show=False, id="logs.prev"),
        Binding("i", "prompt('include')", "Include", show=False, id="logs.include"),
        Binding("x", "prompt('exclude')", "Exclude", id="logs.exclude"),
        Binding("s", "pick_stream", "Streams", id="logs.streams"),
        Binding("R", "cycle_range", "Range", id="logs.range"),
        Binding("w", "toggle_wrap", "Wrap", show=False, id="logs.wrap"),
        Binding("t", "toggle_times", "Times", show=False, id="logs.times"),
        Binding("ctrl+y", "copy_tail", "Copy tail cmd", show=False, id="logs.copy_tail"),
        Binding("ctrl+u", "copy_url", "Copy console URL", show=False, id="logs.copy_url"),
        Binding("ctrl+s", "prompt('save')", "Save", show=False, id="logs.save"),
        Binding("r", "reload", "Reload", show=False, id="logs.reload"),
    ]

    def __init__(
        self,
        service: Service,
        catalog: Catalog,
        rtype: ResourceType,
        record: Mapping[str, Any],
        list_params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(service, catalog, rtype, record, list_params)
        self.target: LogTarget | None = None
        self.tail: LogTail | None = None
        self.filter = LogFilter()
        self.stream = ""
        self.range = "1h"
        self.following = True
        self.mode = ""
        self.matches: list[int] = []
        self.match_index = -1
        self.pacer = Pacer(service.poll_settings, transitional=True)
        self._wake = asyncio.Event()
        self.polls = 0
        self.last_poll_ms = 0.0

    @property
    def crumb(self) -> str:
        # An app belongs to a user profile or a space: its key leaves the other one empty,
        # and the crumb read "d-ml-platform//alice-jupyterlab/JupyterLab/default".
        parts = self.rtype.key_of(self.record, self.list_params).split("/")
        return "logs: " + "/".join(part for part in parts if part)

    def compose(self) -> ComposeResult:
        yield from view_header()
        yield Static(id="logs-head")
        yield LogPane(self.service.logs.capacity, id="logs-pane")
        yield Static(id="logs-empty")
        yield PromptInput(id="logs-input")
        yield StatusLine(id="status")
        yield Footer(show_command_palette=False)

    @property
    def pane(self) -> LogPane:
        return self.query_one(LogPane)

    def on_mount(self) -> None:
        super().on_mount()
        for selector in ("#error", "#logs-input", "#logs-empty"):
            self.query_one(selector).display = False
        self.pane.focus()
        self.query_one(StatusLine).update("finding the log group…")
        self.follow_loop()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self._wake.set()

    # ---------------------------------------------------------------- reading
    def _new_tail(self) -> LogTail:
        assert self.target is not None
        start = self.service.logs.range_start(self.range, self.target)
        old = self.tail
        self.tail = self.service.logs.tail(self.target, start_ms=start, flt=self.filter, stream=self.stream)
        if old is not None:
            self.tail.streams = list(old.streams)  # the picker has them before the first poll
        self.pane.clear()
        self.pane.prefix = self.target.prefix
        self.pane.show_streams = not self.stream
        self._wake.set()
        return self.tail

    @work(group="logs", exclusive=True, exit_on_error=False)
    async def follow_loop(self) -> None:
        """Locate, then poll at the live pace while following; a new tail restarts cleanly."""
        banner = self.query_one(ErrorBanner)
        while self.target is None:
            try:
                self.target = await self.service.logs.locate(self.rtype, self.record, self.list_params)
            except AwsError as error:
                banner.show_error(error)
                self.query_one(StatusLine).update("press r to try again")
                self._wake.clear()
                await self._sleep(None)
                continue
            self.following = self.target.follow
            self.pane.follow = self.following
            # A job's whole run is what one reads; an endpoint may have run for months.
            source = self.rtype.logs
            job = source is not None and not source.serving
            self.range = "start" if job and self.target.started_ms is not None else "1h"
            self._new_tail()
        while True:
            self._wake.clear()
            assert self.tail is not None
            await self.poll_once(self.tail)
            timeout = None
            if self.following:
                due = self.pacer.delay()
                # Logs read better at a brisker pace than lists; a backoff still wins.
                timeout = due if self.pacer.backing_off else min(due if due is not None else 2.0, 2.0)
            await self._sleep(timeout)

    async def _sleep(self, timeout: float | None) -> None:
        """Until the pace says, or a key wakes the loop (a new tail, r, f, G)."""
        if timeout is None:
            await self._wake.wait()
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=max(timeout, 0.2))

    async def poll_once(self, tail: LogTail) -> None:
        banner = self.query_one(ErrorBanner)
        began = time.perf_counter()
        try:
            new = await tail.poll()
        except AwsError as error:
            self.pacer.failure(error)
            banner.show_error(error)
            self.show_head()
            return
        if tail is not self.tail:
            return  # the stream, filter or range changed while this poll was out
        banner.clear()
        self.pacer.success(True)
        self.polls += 1
        labels = not self.stream and len(tail.streams) > 1  # a label only tells streams apart
        if labels != self.pane.show_streams:
            self.pane.show_streams = labels
            self.pane.relayout()
        self.pane.append(new)
        if self.polls == 1:
            # The newest lines first, even paused (a failed job's traceback is at the end).
            # After the refresh: the pane's new height is known only once it is laid out.
            self.pane.scroll_end(animate=False, x_axis=False)
            self.call_after_refresh(self.pane.scroll_end, animate=False, x_axis=False)
        self.last_poll_ms = (time.perf_counter() - began) * 1000
        self.show_empty()
        self.show_head()

    def show_empty(self) -> None:
        empty = self.query_one("#logs-empty", Static)
        tail, target = self.tail, self.target
        if tail is None or target is None or self.pane.lines:
            empty.display = False
            return
        if not tail.streams:
            why = target.empty
        elif self.filter:
            why = "no line matches the filter in this time range (i / x to change it)"
        else:
            why = f"no lines {RANGE_LABELS[self.range]} (R: a longer range)"
        empty.update(printable(why))
        empty.display = True

    def show_head(self) -> None:
        target, tail = self.target, self.tail
        if target is None or tail is None:
            return
        where = target.group + (f"  {short_stream(self.stream, target.prefix)}" if self.stream else "")
        # A resource that has stopped writing (a finished job) is not "paused": nothing is
        # coming, and f follows anyway.
        ended = not self.following and not target.follow
        parts = [
            "FOLLOWING" if self.following else ("ENDED" if ended else "PAUSED"),
            RANGE_LABELS[self.range],
            "1 stream" if self.stream or len(tail.streams) == 1 else f"{len(tail.streams)} streams",
        ]
        if self.filter.include:
            parts.append(f"+{self.filter.include!r}")
        if self.filter.exclude:
            parts.append(f"-{self.filter.exclude!r}")
        if self.filter:
            parts.append("filtered by CloudWatch" if tail.pushed else "filtered here (cannot be a filter pattern)")
        self.query_one("#logs-head", Static).update(printable(where) + "\n" + printable(" · ".join(parts)))
        lines = len(self.pane.lines)
        dropped = f" · {tail.dropped:,} older dropped (buffer {tail.capacity:,})" if tail.dropped else ""
        search = f" · match {self.match_index + 1}/{len(self.matches)}" if self.matches else ""
        if not self.following:
            pace = f"{'ended' if ended else 'paused'}: f follows, G jumps to the end"
        elif self.pacer.backing_off or self.pacer.waiting_for_user:
            pace = self.pacer.status_text()
        else:
            pace = f"following · every {min(self.pacer.normal_interval(True), 2.0):g}s"
        self.query_one(StatusLine).update(f"{lines:,} lines{dropped}{search} · {pace}")

    # ---------------------------------------------------------------- keys
    def action_toggle_follow(self) -> None:
        self.following = not self.following
        self.pane.follow = self.following
        if self.following:
            self.pane.scroll_end(animate=False)
        self._wake.set()
        self.show_head()

    def action_jump_end(self) -> None:
        self.pane.current = -1
        self.following = self.pane.follow = True
        self.pane.scroll_end(animate=False)
        self._wake.set()
        self.show_head()

    def action_prompt(self, mode: str) -> None:
        box = self.query_one("#logs-input", Input)
        self.mode = mode
        box.placeholder = PROMPTS[mode]
        box.value = {
            "search": self.pane.search,
            "include": self.filter.include,
            "exclude": self.filter.exclude,
            "save": str(self._default_path()),
        }[mode]
        box.display = True
        box.cursor_position = len(box.value)
        self.query_one(StatusLine).update(PROMPTS[mode])  # the placeholder hides under a value

    def _default_path(self) -> Path:
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in self.crumb.removeprefix("logs: "))
        return state_dir() / "logs" / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.log"

    def submit_prompt(self, value: str) -> None:
        """Apply what was typed at the prompt (search, include, exclude, save) and close it."""
        mode = self.mode
        if not mode:
            return
        if mode == "search":
            self.pane.search = value
            self.matches = self.pane.matches()
            self.match_index = -1
            if value and not self.matches:
                self.notify(f"no line contains {value!r}", severity="warning")
            self.action_next_match(1)
        elif mode in ("include", "exclude"):
            self.filter = LogFilter(
                include=value if mode == "include" else self.filter.include,
                exclude=value if mode == "exclude" else self.filter.exclude,
            )
            if self.target is not None:
                self._new_tail()
        elif mode == "save":
            self.save(value)
        self._close_prompt()
        self.pane.refresh()
        self.show_head()

    def _close_prompt(self) -> None:
        self.query_one("#logs-input", Input).display = False
        self.mode = ""

    def action_next_match(self, step: int) -> None:
        if not self.pane.search:
            return
        self.matches = self.pane.matches()
        if not self.matches:
            self.show_head()
            return
        self.match_index = (self.match_index + step) % len(self.matches)
        self.pane.goto_line(self.matches[self.match_index])
        self.following = False
        self.show_head()

    def action_pick_stream(self) -> None:
        if self.tail is None or self.target is None:
            return
        target = self.target

        def picked(stream: str | None) -> None:
            if stream is not None and stream != self.stream:
                self.stream = stream
                self._new_tail()

        self.app.push_screen(StreamPicker(self.tail.streams, target.prefix, self.stream), picked)

    def action_cycle_range(self) -> None:
        names = [name for name, _ in TIME_RANGES]
        if self.target is not None and self.target.started_ms is None:
            names.remove("start")
        self.range = names[(names.index(self.range) + 1) % len(names)] if self.range in names else names[0]
        if self.target is not None:
            self._new_tail()
        self.show_head()

    def action_toggle_wrap(self) -> None:
        self.pane.wrap = not self.pane.wrap
        self.pane.relayout()
        self.notify("wrap on" if self.pane.wrap else "wrap off")

    def action_toggle_times(self) -> None:
        self.pane.timestamps = not self.pane.timestamps
        self.pane.relayout()

    def action_copy_tail(self) -> None:
        if self.target is not None:
            since = {"5m": "5m", "1h": "1h"}.get(self.range, "")
            self.copy_text(
                self.service.logs.tail_command(self.target, stream=self.stream, flt=self.filter, since=since)
            )

    def action_copy_url(self) -> None:
        if self.target is not None:
            self.copy_text(self.service.logs.console_url(self.target, self.stream))

    def save(self, where: str) -> None:
        try:
            path = self.service.logs.save(
                self.pane.lines, Path(where), timestamps=self.pane.timestamps, streams=not self.stream
            )
        except OSError as exc:
            self.notify(f"could not save: {exc}", severity="error", markup=False)
            return
        self.notify(f"saved {len(self.pane.lines):,} lines to {path}", markup=False)

    def action_reload(self) -> None:
        self.pacer.refresh()
        if self.target is not None:
            self._new_tail()
        else:
            self._wake.set()

    def on_key(self, event: Any) -> None:
        """The prompt's keys (see :class:`PromptInput`), and the keys that open it: a binding
        would fire only after the rest of the burst had gone by."""
        box = self.query_one("#logs-input", Input)
        if not self.mode:
            for binding in self._bindings.key_to_bindings.get(event.key, []):
                if binding.action.startswith("prompt("):
                    event.stop()
                    event.prevent_default()
                    self.action_prompt(binding.action[len("prompt('") : -len("')")])
                    return
            return
        keys = {
            "backspace": box.action_delete_left,
            "delete": box.action_delete_right,
            "left": box.action_cursor_left,
            "right": box.action_cursor_right,
            "home": box.action_home,
            "end": box.action_end,
            "ctrl+u": box.action_delete_left_all,
        }
        if event.key == "enter":
            self.submit_prompt(box.value)
        elif event.key == "escape":
            self._close_prompt()
        elif event.key in keys:
            keys[event.key]()
        elif event.is_printable and event.character:
            box.insert_text_at_cursor(event.character)
        else:
            return
        event.stop()
        event.prevent_default()

    def action_back(self) -> None:
        if self.query_one("#logs-input", Input).display:
            self._close_prompt()
            return
        self.post_message(GoBack(self))
