"""Forms in the real app against the emulator: create, server rejection, drafts, delete, batch, read-only."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.worker import Worker

from smtui.aws.target import Target
from smtui.catalog import default_catalog
from smtui.emulator.seed import add_cluster, state_of
from smtui.emulator.server import EmulatorServer
from smtui.forms.actions import actions_for
from smtui.ui.app import SmtuiApp
from smtui.ui.screens.confirm import ConfirmScreen, PreviewScreen
from smtui.ui.screens.form import FormScreen, run_action
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.fields import EnumPicker, FieldInput, FieldRow, SectionRow, TriState
from tests.app.helpers import make_app, screen_text, wait_for

CATALOG = default_catalog()
SMALL = (80, 24)  # the terminal of an on-call laptop over SSH
ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"
SERVER = {"TrackingServerName": "mlflow-1", "ArtifactStoreUri": "s3://bucket/mlflow", "RoleArn": ROLE}


@pytest.fixture(autouse=True)
def drafts_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Drafts go to a temporary state directory, never the developer's own."""
    monkeypatch.setattr("smtui.forms.drafts.state_dir", lambda: tmp_path)
    yield tmp_path


def start(app: SmtuiApp, verb: str, record: Any = None, params: Any = None, marked: Any = ()) -> Worker[Any]:
    screen = app.screen
    assert isinstance(screen, ResourceListScreen)
    work = run_action(app, app.service, screen.rtype, verb, record, params, marked)
    return app.run_worker(work, group="action", exit_on_error=False)


async def open_list(pilot: Pilot[Any]) -> ResourceListScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ResourceListScreen)
    await wait_for(pilot, lambda: screen.complete, what="list loaded")
    return screen


def field_input(form: FormScreen, *path: Any) -> FieldInput:
    return next(w for w in form.query(FieldInput) if w.path == tuple(path) and w.role == "value")


async def type_into(pilot: Pilot[Any], form: FormScreen, path: tuple[Any, ...], text: str) -> None:
    widget = field_input(form, *path)
    widget.focus()
    await pilot.press("ctrl+a", "ctrl+k", *text)


async def paste_into(pilot: Pilot[Any], form: FormScreen, path: tuple[Any, ...], text: str) -> None:
    """Set a field as a paste would (key-by-key typing of long ARNs only makes tests slow)."""
    widget = field_input(form, *path)
    widget.focus()
    widget.value = text  # posts Input.Changed, exactly like typing
    await pilot.pause()


async def fill_server_form(pilot: Pilot[Any]) -> FormScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormScreen), what="the form")
    form = pilot.app.screen
    assert isinstance(form, FormScreen)
    await type_into(pilot, form, ("TrackingServerName",), SERVER["TrackingServerName"])
    for name in ("ArtifactStoreUri", "RoleArn"):
        await paste_into(pilot, form, (name,), SERVER[name])
    return form


def problems_shown(form: FormScreen, *path: Any) -> str:
    row = next(r for r in form.query(FieldRow) if r.path == tuple(path))
    return str(row.query_one(".problem").render())


async def test_create_form_submits_and_the_tracking_server_then_appears(emu: EmulatorServer) -> None:
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        listing = await open_list(pilot)
        worker = start(app, "create")
        form = await fill_server_form(pilot)
        assert field_input(form, "TrackingServerSize").value == "Small"  # a curated default
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen), what="the preview")
        text = await screen_text(pilot)
        assert "aws sagemaker create-mlflow-tracking-server --cli-input-json" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: worker.is_finished, what="the submit")
        assert worker.result is not None and "TrackingServerArn" in worker.result
        assert app.screen is listing
        await pilot.press("r")
        await wait_for(pilot, lambda: "mlflow-1" in listing.table.rows, what="the new server in the list")


async def test_client_problems_show_as_you_type_and_block_submit(emu: EmulatorServer) -> None:
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        start(app, "create")
        form = await fill_server_form(pilot)
        await type_into(pilot, form, ("TrackingServerName",), "-bad")
        await pilot.pause(0.05)
        assert "must match the pattern" in problems_shown(form, "TrackingServerName")
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert app.screen is form  # no preview while a problem remains
        assert emu.faults.request_counts()["mutating"] == 0


async def test_the_problem_count_names_every_problem_it_counts(emu: EmulatorServer) -> None:
    """Found by a new user: a form said "2 problem(s)" and listed one."""
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        start(app, "create")
        form = await fill_server_form(pilot)
        await type_into(pilot, form, ("TrackingServerName",), "-bad")
        await paste_into(pilot, form, ("RoleArn",), "")
        await pilot.pause(0.1)
        summary = str(form.query_one("#form-summary").render())
        count = int(summary.split(" ", 1)[0])
        assert count == 2 and summary.startswith("2 problems · "), summary
        assert "TrackingServerName: " in summary and "RoleArn: " in summary
        assert summary.count(": ") == count  # one message per problem counted
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert any(str(n.message) == "2 problems to fix before submitting" for n in app._notifications)
        assert emu.faults.request_counts()["mutating"] == 0


def burst(app: Any, keys: list[str]) -> None:
    """Keys as a slow SSH link delivers them: all queued before the app handles the first."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_fifty_keys_in_one_burst_apply_in_the_order_typed(emu: EmulatorServer) -> None:
    """Found by a new user: `abc` Tab `def` in one burst typed all six letters into one field."""
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        start(app, "create")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="the form")
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.pause(0.2)
        keys = [
            *"mlflow-a", "backspace", *"prod", "tab",
            *"s3://bucket/x", "tab",
            *"arn:aws:iam::1:role/r", "shift+tab", "Z", "tab", "tab",
        ]  # fmt: skip
        assert len(keys) >= 50
        burst(app, keys)
        await wait_for(pilot, lambda: form.model.get(("RoleArn",)), what="the burst applied")
        await pilot.pause(0.3)
        assert form.model.get(("TrackingServerName",)) == "mlflow-prod"
        assert form.model.get(("ArtifactStoreUri",)) == "s3://bucket/xZ"  # Shift+Tab went back one
        assert form.model.get(("RoleArn",)) == "arn:aws:iam::1:role/r"
        assert getattr(form.focused, "path", None) == ("TrackingServerSize",)
        assert emu.faults.request_counts()["mutating"] == 0


async def test_the_last_keys_of_a_burst_are_in_the_previewed_request(emu: EmulatorServer) -> None:
    """Found by the pty test: `x` then Ctrl+S in one burst previewed (or refused as
    unchanged) the form without the x, whose Changed message was still queued."""
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        start(app, "create")
        form = await fill_server_form(pilot)
        field_input(form, "TrackingServerName").focus()
        await pilot.pause(0.1)
        burst(app, ["end", *"-b", "ctrl+s"])
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen), what="the preview")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        assert json.loads(preview.request_json)["TrackingServerName"] == SERVER["TrackingServerName"] + "-b"


async def test_typing_after_shift_tab_is_never_dropped_silently(emu: EmulatorServer) -> None:
    """Found by a new user: `first` Shift+Tab `LOST` Tab `X` gave `firstX` and no word of LOST.
    The scroll area took focus; now Shift+Tab wraps to the last field, and text typed on a
    toggle is reported there, and text typed on a section header goes into its first field."""
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        start(app, "create")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="the form")
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.pause(0.2)
        await pilot.press(*"first", "shift+tab")
        landed = form.focused
        assert isinstance(landed, TriState | SectionRow | FieldInput), landed  # a field, not the scroll area
        await pilot.press(*"LOST", "tab", "X")
        await pilot.pause(0.5)
        said = " ".join(str(n.message) for n in app._notifications)
        if isinstance(landed, TriState):
            assert "'LOST' was not typed anywhere" in said
        else:
            assert "LOST" in json.dumps(form.model.state)
        tags = next(w for w in form.query(SectionRow) if w.path == ("Tags",))
        tags.focus()
        await pilot.press(*"team", "tab", *"ml")
        await wait_for(pilot, lambda: form.model.get(("Tags",)) == [{"Key": "team", "Value": "ml"}], what="a tag")


async def test_a_server_rejection_shows_in_the_form_and_every_value_survives(emu: EmulatorServer) -> None:
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        await app.service.sagemaker.call("CreateMlflowTrackingServer", SERVER)  # the name is taken
        worker = start(app, "create")
        form = await fill_server_form(pilot)
        await type_into(pilot, form, ("MlflowVersion",), "2.16.2")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen) and app.screen is not form)
        again = app.screen
        assert isinstance(again, FormScreen)
        await pilot.pause(0.1)
        print(
            "DBG",
            again.model.server_error,
            again.model.server_problems,
            repr(problems_shown(again, "TrackingServerName")),
        )
        assert "already exists" in problems_shown(again, "TrackingServerName")
        assert "already exists" in await screen_text(pilot)
        for name, value in {**SERVER, "MlflowVersion": "2.16.2"}.items():
            assert field_input(again, name).value == value
        await type_into(pilot, again, ("TrackingServerName",), "mlflow-2")
        await pilot.pause(0.05)
        assert problems_shown(again, "TrackingServerName") == ""  # editing clears the server's complaint
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: worker.is_finished)
        assert worker.result is not None


async def test_access_denied_is_shown_in_the_form(emu: EmulatorServer) -> None:
    emu.faults.set([{"op": "CreateMlflowTrackingServer", "error": "AccessDeniedException", "status": 400}])
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        start(app, "create")
        form = await fill_server_form(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen) and app.screen is not form)
        assert "access denied to CreateMlflowTrackingServer" in await screen_text(pilot)


async def test_escape_asks_before_discarding_and_the_draft_survives_a_restart(
    emu: EmulatorServer, drafts_home: Path
) -> None:
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        worker = start(app, "create")
        await fill_server_form(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the discard question")
        await pilot.press("n")
        assert isinstance(app.screen, FormScreen)  # "no" keeps the form
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: worker.is_finished)
        assert worker.result is None
    (draft,) = (drafts_home / "drafts").glob("CreateMlflowTrackingServer.*.json")
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600

    restarted = make_app(emu, start="mlflow-tracking-servers")
    async with restarted.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        start(restarted, "create")
        await wait_for(pilot, lambda: isinstance(restarted.screen, FormScreen))
        form = restarted.screen
        assert isinstance(form, FormScreen)
        assert "Ctrl+R restores" in await screen_text(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        assert field_input(form, "TrackingServerName").value == "mlflow-1"
        assert field_input(form, "RoleArn").value == ROLE


async def test_delete_asks_for_the_typed_name(emu: EmulatorServer) -> None:
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        await app.service.sagemaker.call("CreateMlflowTrackingServer", SERVER)
        record = await app.service.sagemaker.call("DescribeMlflowTrackingServer", {"TrackingServerName": "mlflow-1"})
        worker = start(app, "delete", record)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the typed confirmation")
        await pilot.press(*"mlflow", "enter")  # not the name: nothing happens
        await pilot.pause(0.05)
        assert isinstance(app.screen, ConfirmScreen)
        assert emu.faults.request_counts()["counts"].get("DeleteMlflowTrackingServer", 0) == 0
        await pilot.press(*"-1", "enter")
        await wait_for(pilot, lambda: worker.is_finished)
        assert emu.faults.request_counts()["counts"]["DeleteMlflowTrackingServer"] == 1


async def test_reboot_of_marked_nodes_goes_in_chunks_of_25(emu: EmulatorServer) -> None:
    add_cluster(state_of(emu), "train", [("workers", "ml.g5.xlarge", 30)])
    node_ids = sorted(emu.backend().clusters["train"].nodes)
    app = make_app(emu, start="clusters")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        nodes = app.catalog.get("cluster-nodes")
        marked = [{"InstanceId": node_id} for node_id in node_ids]
        work = run_action(app, app.service, nodes, "reboot", marked[0], {"ClusterName": "train"}, marked)
        worker = app.run_worker(work, group="action", exit_on_error=False)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "30 node(s)" in await screen_text(pilot)
        await pilot.press(*"train", "enter")
        await wait_for(pilot, lambda: worker.is_finished)
        assert worker.result is not None and len(worker.result["Successful"]) == 30
        assert emu.faults.request_counts()["counts"]["BatchRebootClusterNodes"] == 2


async def test_read_only_mode_offers_no_action_and_sends_no_mutating_request(emu: EmulatorServer) -> None:
    app = make_app(emu, start="mlflow-tracking-servers", read_only=True)
    async with app.run_test(size=SMALL) as pilot:
        listing = await open_list(pilot)
        assert actions_for(listing.rtype, app.target.read_only) == []
        for verb in ("create", "delete", "CreateMlflowTrackingServer", "menu"):
            worker = start(app, verb, {"TrackingServerName": "x"})
            await wait_for(pilot, lambda w=worker: w.is_finished)  # type: ignore[misc]
            assert worker.result is None
            assert app.screen is listing  # no form, no confirmation
        assert emu.faults.request_counts()["mutating"] == 0


async def test_enum_picker_and_tag_rows_work_from_the_keyboard(emu: EmulatorServer) -> None:
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        start(app, "create")
        form = await fill_server_form(pilot)
        field_input(form, "TrackingServerSize").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EnumPicker), what="the enum picker")
        await pilot.press(*"med", "enter")
        await wait_for(pilot, lambda: app.screen is form)
        assert form.model.request()["TrackingServerSize"] == "Medium"
        tags = next(s for s in form.query(SectionRow) if s.path == ("Tags",))
        tags.focus()
        await pilot.press("plus")
        await pilot.pause(0.1)
        assert isinstance(app.focused, FieldInput) and app.focused.path == ("Tags", 0, "Key")
        await pilot.press(*"team", "tab", *"ml")
        assert form.model.request()["Tags"] == [{"Key": "team", "Value": "ml"}]
        assert form.model.problems() == []


async def test_quitting_with_a_half_typed_form_keeps_the_draft(emu: EmulatorServer, drafts_home: Path) -> None:
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        start(app, "create")
        form = await fill_server_form(pilot)
        form.model.set(("TrackingServerName",), "typed-just-now")  # newer than any timed save
        await pilot.press("ctrl+c")  # quit at once, as a dropped session would
    (draft,) = (drafts_home / "drafts").glob("CreateMlflowTrackingServer.*.json")
    assert "typed-just-now" in draft.read_text()


async def test_read_only_action_keys_say_why_and_help_marks_them(emu: EmulatorServer) -> None:
    """Found by a new user: in --read-only the action keys did nothing, with no message."""
    app = make_app(emu, start="mlflow-tracking-servers", read_only=True)
    async with app.run_test(size=SMALL) as pilot:
        await app.service.sagemaker.writer()  # the guard is in place on the write client too
        listing = await open_list(pilot)
        for key, label in (("C", "Create"), ("ctrl+d", "Delete"), ("ctrl+x", "Actions")):
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause(0.1)
            said = [n.message for n in app._notifications]
            assert any(f"read-only: {label} is off because smtui was started with --read-only" in m for m in said), said
            assert app.screen is listing
        assert emu.faults.request_counts()["mutating"] == 0
    tall = make_app(emu, start="mlflow-tracking-servers", read_only=True)
    async with tall.run_test(size=(120, 70)) as pilot:
        listing = await open_list(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: tall.screen is not listing)
        shown = await screen_text(pilot)
        # One row per action of the type, and the action menu's.
        rows = len(actions_for(listing.rtype, False)) + 1
        assert rows >= 5 and shown.count("unavailable: smtui was started with --read-only") == rows, shown


async def test_a_late_failure_never_pushes_its_form_over_where_the_user_went(emu: EmulatorServer) -> None:
    """Found by a new user: a late failure reopened its stale form over the describe view."""
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SMALL) as pilot:
        listing = await open_list(pilot)
        await app.service.sagemaker.call("CreateMlflowTrackingServer", SERVER)  # the name is taken
        await pilot.press("r")
        await wait_for(pilot, lambda: listing.complete and len(listing.table.rows) == 1)
        emu.faults.set([{"op": "CreateMlflowTrackingServer", "latency_ms": 1500}])
        worker = start(app, "create")
        form = await fill_server_form(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is listing, what="back on the list while it is sent")
        await pilot.press("enter")  # the user moves on to the describe view
        await wait_for(pilot, lambda: app.screen is not listing, what="describe opened")
        described = app.screen
        await wait_for(pilot, lambda: worker.is_finished, timeout=10, what="the submit finished")
        emu.faults.clear()
        await pilot.pause(0.2)
        assert app.screen is described and not isinstance(app.screen, FormScreen)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "SageMaker refused CreateMlflowTrackingServer" in said and "press Ctrl+R" in said
        assert form.model.server_error is not None  # the values and the error are kept for later
        assert emu.faults.request_counts()["counts"]["CreateMlflowTrackingServer"] == 2  # set-up + one submit


async def test_a_newer_submit_supersedes_an_older_ones_failure(emu: EmulatorServer) -> None:
    from smtui.service import Service

    target = Target(region="us-east-1", endpoint_url=emu.url, static_credentials=("testing", "testing"))
    service = Service(target, catalog=CATALOG)
    servers = CATALOG.get("mlflow-tracking-servers")
    emu.faults.set(
        [{"op": "UpdateMlflowTrackingServer", "latency_ms": 700, "error": "ValidationException", "first": 1}]
    )
    try:
        await service.submit("CreateMlflowTrackingServer", SERVER, "mlflow-1", rtype=servers)
        update = {"TrackingServerName": "mlflow-1", "TrackingServerSize": "Medium"}
        older = asyncio.ensure_future(service.submit("UpdateMlflowTrackingServer", update, "mlflow-1", rtype=servers))
        await asyncio.sleep(0.2)
        newer = await service.submit("UpdateMlflowTrackingServer", update, "mlflow-1", rtype=servers)
        first = await older
    finally:
        emu.faults.clear()
        await service.close()
    assert newer.ok and not newer.superseded
    assert not first.ok and first.superseded
