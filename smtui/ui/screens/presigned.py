"""Open MLflow UI: a presigned URL, shown masked with a countdown, copied over OSC 52.

The URL is a bearer credential (whoever has it is signed in with the caller's role), so it is
never painted whole, never put in a notification and never logged (the service noted it for
by-value redaction as it arrived). ``c`` copies it to the local clipboard over OSC 52, which
works over SSH; ``r`` mints a new one once it has expired; Esc closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from smtui.aws.errors import AwsError
from smtui.catalog import ResourceType
from smtui.service import PresignedUrl, Service
from smtui.text import printable


def _clock(seconds: float) -> str:
    whole = int(seconds + 0.999)  # 0.2 s left still reads 0:01, not 0:00
    return f"{whole // 60}:{whole % 60:02d}"


class PresignedUrlScreen(ModalScreen[None]):
    """The masked URL of one MLflow tracking server or app, and how long it still works."""

    DEFAULT_CSS = """
    PresignedUrlScreen { align: center middle; }
    PresignedUrlScreen > Vertical { width: 90%; max-width: 100; height: auto; border: round $accent;
        padding: 0 1; background: $surface; }
    PresignedUrlScreen .title { text-style: bold; }
    PresignedUrlScreen #url { color: $text-muted; }
    """
    BINDINGS = [
        Binding("c", "copy", "Copy link", id="presigned.copy"),
        Binding("r", "renew", "New link", id="presigned.renew"),
        Binding("escape", "dismiss", "Close", id="presigned.close"),
    ]

    def __init__(self, service: Service, rtype: ResourceType, op: str, record: Mapping[str, Any], name: str) -> None:
        super().__init__()
        self.service, self.rtype, self.op, self.record = service, rtype, op, dict(record)
        self.resource_name = name
        self.link: PresignedUrl | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Open MLflow UI · {printable(self.resource_name)}", classes="title", markup=False)
            yield Static("asking SageMaker for a link…", id="url", markup=False)
            yield Static("", id="expiry", markup=False)
            yield Static(
                "c copies the link to your clipboard (OSC 52, works over SSH); paste it in a browser.",
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick, name="presigned-countdown")
        self.mint()

    @work(group="presigned", exclusive=True, exit_on_error=False)
    async def mint(self) -> None:
        self.link = None
        self.query_one("#url", Static).update("asking SageMaker for a link…")
        self.query_one("#expiry", Static).update("")
        try:
            link = await self.service.presigned_url(self.rtype, self.op, self.record)
        except AwsError as error:
            # The message only: the hints are worded for forms ("fix the highlighted value").
            hint = "start it first (T on the list), then r" if error.kind == "validation" else "r tries again"
            self.query_one("#url", Static).update(f"✖ {error.message}\n  → {hint}")
            return
        self.link = link
        self.query_one("#url", Static).update(printable(link.masked))
        self.tick()

    def tick(self) -> None:
        link = self.link
        if link is None:
            return
        left = link.seconds_left()
        minutes = link.session_seconds // 60
        text = (
            f"the link works for {_clock(left)} more; once opened, the session lasts {minutes} min"
            if left > 0
            else "the link has expired: r asks for a new one"
        )
        self.query_one("#expiry", Static).update(text)

    def action_copy(self) -> None:
        link = self.link
        if link is None or link.seconds_left() <= 0:
            self.notify("no working link to copy: r asks for a new one", severity="warning")
            return
        self.app.copy_to_clipboard(link.url)
        # Never the URL itself: a notification is painted, and screens are shared.
        self.notify(f"copied the MLflow UI link (it works for {_clock(link.seconds_left())} more)")

    def action_renew(self) -> None:
        if self.link is not None and self.link.seconds_left() > 0:
            self.notify("the link still works: c copies it")
            return
        self.mint()


async def open_presigned(
    app: App[Any], service: Service, rtype: ResourceType, op: str, record: Mapping[str, Any] | None, name: str
) -> None:
    """Show the presigned-URL screen of ``record`` (the action key's flow, instead of a form)."""
    if not record:
        app.notify("nothing selected", severity="warning")
        return
    await app.push_screen_wait(PresignedUrlScreen(service, rtype, op, record, name))
