"""Hand-off keys shared by the list and describe screens: take the resource elsewhere.

Ctrl+O copies its SageMaker console URL, Ctrl+T the ``aws ssm start-session`` command of a
HyperPod node, Ctrl+S writes the incident bundle (describe, timeline, metrics, logs) and
shows its path. Copies go out as OSC 52, which reaches the local clipboard over SSH.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import work
from textual.binding import Binding
from textual.notifications import SeverityLevel

from smtui.aws.errors import AwsError
from smtui.catalog import ResourceType
from smtui.service import Service
from smtui.ui.screens.base import ViewScreen

HANDOFF_BINDINGS: list[Binding] = [
    Binding("ctrl+o", "copy_console", "Console URL", show=False, id="handoff.console"),
    Binding("ctrl+t", "copy_ssm", "SSM command", show=False, id="handoff.ssm"),
    Binding("ctrl+s", "bundle", "Incident bundle", show=False, id="handoff.bundle"),
]

SSM_TYPES = frozenset({"cluster-nodes"})


class HandoffScreen(ViewScreen):
    """A view with the hand-off keys. It says what they act on (:meth:`handoff_subject`)."""

    def handoff_subject(self) -> tuple[ResourceType, dict[str, Any], dict[str, Any]] | None:
        """(type, record, list parameters) of the resource in focus, or None."""
        raise NotImplementedError

    def subject_service(self) -> Service:
        """The service of the resource in focus (its own region in a list across regions)."""
        return self.service

    def check_handoff(self, action: str) -> bool:
        """Ctrl+T only where there is a node to open a session on."""
        if action == "copy_ssm":
            subject = self.handoff_subject()
            return subject is not None and subject[0].name in SSM_TYPES
        return True

    def _say(self, text: str, severity: SeverityLevel = "information") -> None:
        self.notify(text, severity=severity, markup=False)

    def action_copy_console(self) -> None:
        subject = self.handoff_subject()
        if subject is None:
            self._say("nothing selected", "warning")
            return
        link = self.subject_service().console_url(*subject)
        self.copy_text(link.url)
        if not link.exact:
            self._say(f"the console has no page for {subject[0].title}: copied the SageMaker home", "warning")

    def action_copy_ssm(self) -> None:
        subject = self.handoff_subject()
        if subject is None or subject[0].name not in SSM_TYPES:
            self._say("Ctrl+T works on a HyperPod node", "warning")
            return
        self.copy_ssm(subject[1], subject[2], self.subject_service())

    @work(group="handoff", exclusive=True, exit_on_error=False)
    async def copy_ssm(self, record: Mapping[str, Any], list_params: Mapping[str, Any], service: Service) -> None:
        try:
            command = await service.ssm_command(record, list_params)
        except (AwsError, ValueError) as error:
            self._say(f"no SSM command: {error}", "error")
            return
        self.copy_text(command)

    def action_bundle(self) -> None:
        subject = self.handoff_subject()
        if subject is None:
            self._say("nothing selected", "warning")
            return
        self.write_bundle(*subject, self.subject_service())

    @work(group="bundle", exclusive=True, exit_on_error=False)
    async def write_bundle(
        self, rtype: ResourceType, record: dict[str, Any], list_params: dict[str, Any], service: Service
    ) -> None:
        self._say(f"writing the incident bundle of {rtype.key_of(record, list_params)}…")
        try:
            # The service gathers the last 200 lines of each log stream itself.
            path = await service.write_bundle(rtype, record, list_params)
        except (AwsError, OSError) as error:
            self._say(f"incident bundle not written: {error}", "error")
            return
        self.notify(f"incident bundle written (0600): {path}", timeout=15, markup=False)
