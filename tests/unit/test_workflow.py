"""The write workflow's order, without Textual: a scripted presenter against the emulator.

Each test drives :func:`smtui.service.workflow.run_write` as a user would (type into the
form, confirm or decline, move to another view) and counts what reached the server, so the
rules a screen used to enforce (one send per submit, drafts per target, failures where the
user started) are checked below the UI.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from smtui.aws.target import Target
from smtui.catalog import Catalog, default_catalog
from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.forms.drafts import Draft, load_draft, save_draft
from smtui.service import ActionPlan, Refusal, Service
from smtui.service.actions import Severity
from smtui.service.workflow import run_write

CATALOG: Catalog = default_catalog()
IC = "sdxl-turbo-ic"


@dataclass
class Script:
    """A user, as a list of what they do at each form and confirmation."""

    edits: list[Callable[[ActionPlan, Draft | None], dict[str, Any] | None]] = field(default_factory=list)
    answers: list[bool] = field(default_factory=list)
    move_on_after_submit: bool = False
    said: list[tuple[str, Severity]] = field(default_factory=list)
    flights: list[tuple[str, bool]] = field(default_factory=list)
    drafts_seen: list[Draft | None] = field(default_factory=list)
    view: object = field(default_factory=object)

    async def edit(self, plan: ActionPlan, draft: Draft | None) -> dict[str, Any] | None:
        self.drafts_seen.append(draft)
        if not self.edits:
            return None  # the user closes the form
        return self.edits.pop(0)(plan, draft)

    async def confirm(self, plan: ActionPlan, params: Mapping[str, Any]) -> bool:
        return self.answers.pop(0) if self.answers else True

    async def confirm_batch(self, plan: ActionPlan) -> bool:
        return self.answers.pop(0) if self.answers else True

    def sending(self, label: str, *, done: bool) -> None:
        self.flights.append((label, done))
        if not done and self.move_on_after_submit:
            self.view = object()  # the user went to another view while it was in flight

    def say(self, message: str, severity: Severity = "information", timeout: float | None = None) -> None:
        self.said.append((message, severity))

    def here(self) -> object:
        return self.view


def copies(n: str) -> Callable[[ActionPlan, Draft | None], dict[str, Any]]:
    def typed(plan: ActionPlan, draft: Draft | None) -> dict[str, Any]:
        plan.model.set(("DesiredRuntimeConfig", "CopyCount"), n)
        return plan.model.request()

    return typed


@pytest.fixture
async def service(emu: EmulatorServer) -> AsyncIterator[Service]:
    seed_demo(emu)
    emu.faults.clear_requests()
    svc = Service(
        Target(region="us-east-1", endpoint_url=emu.url, static_credentials=("testing", "testing")), catalog=CATALOG
    )
    try:
        yield svc
    finally:
        await svc.close()


async def scale_plan(service: Service, emu: EmulatorServer) -> ActionPlan:
    ics = CATALOG.get("inference-components")
    row = {"InferenceComponentName": IC, "EndpointName": "genai-shared-prod"}
    plan = await service.plan_detailed(ics, "scale", row, {})
    assert isinstance(plan, ActionPlan), plan
    emu.faults.clear_requests()
    return plan


def sent(emu: EmulatorServer) -> dict[str, int]:
    counts: dict[str, int] = emu.faults.request_counts()["counts"]
    return {op: n for op, n in counts.items() if op.startswith(("Update", "Delete", "Create", "Batch", "Stop"))}


async def test_a_submit_is_sent_once_shown_in_flight_and_its_draft_discarded(
    service: Service, emu: EmulatorServer
) -> None:
    plan = await scale_plan(service, emu)
    save_draft(plan.draft_key, {"DesiredRuntimeConfig": {"CopyCount": "3"}})  # as the form does on submit
    script = Script(edits=[copies("3")])
    outcome = await run_write(service, plan, script)
    assert outcome is not None and outcome.ok, outcome
    assert script.drafts_seen[0] is not None  # the form was offered it
    assert sent(emu) == {"UpdateInferenceComponentRuntimeConfig": 1}
    label = f"UpdateInferenceComponentRuntimeConfig {IC}"
    assert script.flights == [(label, False), (label, True)]
    assert script.said[-1][0].startswith(f"UpdateInferenceComponentRuntimeConfig accepted: {IC}")
    assert load_draft(plan.draft_key) is None  # offering it again would invite a second send


async def test_declining_the_confirmation_returns_to_the_form_with_the_values_kept(
    service: Service, emu: EmulatorServer
) -> None:
    plan = await scale_plan(service, emu)
    kept: list[Any] = []

    def look(plan: ActionPlan, draft: Draft | None) -> None:
        kept.append(plan.model.get(("DesiredRuntimeConfig", "CopyCount")))
        return None

    script = Script(edits=[copies("7"), look], answers=[False])
    assert await run_write(service, plan, script) is None
    assert kept == ["7"]
    assert sent(emu) == {}


async def test_a_refusal_stays_in_the_form_that_sent_it_with_a_draft_for_this_target(
    service: Service, emu: EmulatorServer
) -> None:
    plan = await scale_plan(service, emu)
    emu.faults.set([{"op": "UpdateInferenceComponentRuntimeConfig", "error": "ValidationException", "status": 400}])
    try:
        script = Script(edits=[copies("5")])  # the second form is closed by the user
        outcome = await run_write(service, plan, script)
    finally:
        emu.faults.clear()
    assert outcome is not None and not outcome.ok and outcome.state == "refused"
    assert sent(emu) == {"UpdateInferenceComponentRuntimeConfig": 1}
    assert len(script.drafts_seen) == 2  # the form reopened where the user was
    draft = script.drafts_seen[1]
    assert draft is not None and draft.values["DesiredRuntimeConfig"]["CopyCount"] == "5"
    assert plan.draft_key.target == f"InferenceComponentName={IC}"  # this component, no other
    assert any(severity == "error" and "SageMaker refused" in text for text, severity in script.said)


async def test_a_failure_after_the_user_moved_on_is_a_notification_not_a_form(
    service: Service, emu: EmulatorServer
) -> None:
    plan = await scale_plan(service, emu)
    emu.faults.set([{"op": "UpdateInferenceComponentRuntimeConfig", "error": "ValidationException", "status": 400}])
    try:
        script = Script(edits=[copies("6")], move_on_after_submit=True)
        outcome = await run_write(service, plan, script)
    finally:
        emu.faults.clear()
    assert outcome is not None and not outcome.ok
    assert len(script.drafts_seen) == 1  # never a stale form over the view they went to
    text, severity = script.said[-1]
    assert severity == "error" and "Ctrl+R" in text
    draft = load_draft(plan.draft_key)
    assert draft is not None and draft.values["DesiredRuntimeConfig"]["CopyCount"] == "6"
    assert sent(emu) == {"UpdateInferenceComponentRuntimeConfig": 1}


async def test_a_timed_out_submit_is_sent_once_and_its_fate_checked(service: Service, emu: EmulatorServer) -> None:
    plan = await scale_plan(service, emu)
    emu.faults.set([{"op": "UpdateInferenceComponentRuntimeConfig", "status": 503, "first": 5}])
    try:
        script = Script(edits=[copies("2")])
        outcome = await run_write(service, plan, script)
    finally:
        emu.faults.clear()
    assert outcome is not None and outcome.state == "unknown"
    # No idempotency token on this input: a resend could apply it twice, so there is none.
    assert sent(emu) == {"UpdateInferenceComponentRuntimeConfig": 1}
    assert any("not known whether UpdateInferenceComponentRuntimeConfig was applied" in t for t, _ in script.said)
    assert emu.faults.request_counts()["counts"].get("DescribeInferenceComponent", 0) >= 1


async def test_read_only_is_said_and_nothing_is_sent(emu: EmulatorServer) -> None:
    seed_demo(emu)
    svc = Service(
        Target(region="us-east-1", endpoint_url=emu.url, static_credentials=("testing", "testing"), read_only=True),
        catalog=CATALOG,
    )
    try:
        ics = CATALOG.get("inference-components")
        plan = await svc.plan_detailed(ics, "scale", {"InferenceComponentName": IC}, {})
        assert isinstance(plan, Refusal)
        emu.faults.clear_requests()
        script = Script(edits=[copies("9")])
        assert await run_write(svc, plan, script) is None
    finally:
        await svc.close()
    assert script.drafts_seen == []  # no form opened
    assert script.said and "read-only" in script.said[0][0]
    assert emu.faults.request_counts()["total"] == 0


async def test_a_plain_delete_asks_and_a_no_sends_nothing(service: Service, emu: EmulatorServer) -> None:
    endpoints = CATALOG.get("endpoints")
    plan = service.plan(endpoints, "delete", {"EndpointName": "fraud-detector-v7-prod"}, {})
    assert isinstance(plan, ActionPlan) and not plan.show_form
    emu.faults.clear_requests()
    assert await run_write(service, plan, Script(answers=[False])) is None
    assert sent(emu) == {}
    outcome = await run_write(service, plan, Script(answers=[True]))
    assert outcome is not None and outcome.ok
    assert sent(emu) == {"DeleteEndpoint": 1}


async def test_a_batch_is_confirmed_once_then_sent_in_chunks(service: Service, emu: EmulatorServer) -> None:
    nodes = CATALOG.get("cluster-nodes")
    cluster = (await service.sagemaker.call("ListClusters"))["ClusterSummaries"][0]["ClusterName"]
    listed = (await service.sagemaker.call("ListClusterNodes", {"ClusterName": cluster}))["ClusterNodeSummaries"]
    plan = service.plan(nodes, "reboot", listed[0], {"ClusterName": cluster}, listed)
    assert isinstance(plan, ActionPlan) and plan.is_batch
    emu.faults.clear_requests()
    assert await run_write(service, plan, Script(answers=[False])) is None
    assert sent(emu) == {}
    outcome = await run_write(service, plan, Script(answers=[True]))
    assert outcome is not None and outcome.ok
    assert sent(emu) == {"BatchRebootClusterNodes": len(plan.batch_requests())}


async def test_stop_on_a_run_that_has_ended_is_refused_before_anything_is_sent(
    service: Service, emu: EmulatorServer
) -> None:
    # Ctrl+X on a Failed job offered Stop; SageMaker refuses it after a confirmation.
    jobs = CATALOG.get("training-jobs")
    rows = [row async for batch in service.stream(jobs, {}) for row in batch.items]
    by_status = {row["TrainingJobStatus"]: row for row in rows}
    failed, running = by_status["Failed"], by_status["InProgress"]
    emu.faults.clear_requests()
    plan = service.plan(jobs, "StopTrainingJob", failed, {})
    assert isinstance(plan, Refusal)
    assert failed["TrainingJobName"] in plan.message and "Failed" in plan.message
    script = Script()
    assert await run_write(service, plan, script) is None
    assert script.said and "only applies while it runs" in script.said[0][0]
    assert emu.faults.request_counts()["total"] == 0
    assert service.unavailable_actions(jobs, failed) == {"StopTrainingJob": plan.message.split(": ", 1)[1]}
    # A running job may still be stopped, and the menu offers it.
    assert service.unavailable_actions(jobs, running) == {}
    live = service.plan(jobs, "StopTrainingJob", running, {})
    assert isinstance(live, ActionPlan)
    assert await run_write(service, live, Script(answers=[True])) is not None
    assert sent(emu) == {"StopTrainingJob": 1}
