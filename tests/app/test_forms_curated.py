"""Curated forms driven through the real UI, key by key, against the demo account.

Each test selects a row, presses the action key, types into the form, previews with Ctrl+S,
submits with Enter (or types the name a dangerous action asks for), and then waits for the
list itself to show the change: the list screen asks its poller for a poll after every
successful action, so no test presses ``r``.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.validate import validate_parameters
from textual import events
from textual.pilot import Pilot

from smtui.aws.model import operation
from smtui.emulator.seed import BUCKET, ROLE, add_cluster, seed_demo, state_of
from smtui.emulator.server import EmulatorServer
from smtui.forms.actions import ACTION_KEYS
from smtui.forms.fields import PathPart
from smtui.ui.screens.confirm import ConfirmScreen, PreviewScreen
from smtui.ui.screens.form import FormScreen
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.chrome import ContextBar
from smtui.ui.widgets.fields import FieldInput
from tests.app.helpers import SIZE, loaded, make_app, screen_text, wait_for

FROZEN = {"progression": "manual", "times": 1_000_000}


@pytest.fixture(autouse=True)
def drafts_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Drafts go to a temporary state directory, never the developer's own."""
    monkeypatch.setattr("smtui.forms.drafts.state_dir", lambda: tmp_path)
    yield tmp_path


# ---------------------------------------------------------------------------- driving the app


async def select(pilot: Pilot[Any], listing: ResourceListScreen, key: str) -> None:
    await wait_for(pilot, lambda: key in listing.table.rows, what=f"{key} listed")
    assert listing.table.move_cursor_to_key(key)


async def open_form(pilot: Pilot[Any], verb: str) -> FormScreen:
    await pilot.press(ACTION_KEYS[verb])
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormScreen), what=f"the {verb} form")
    form = pilot.app.screen
    assert isinstance(form, FormScreen)
    await pilot.pause(0.05)
    return form


def field_input(form: FormScreen, *path: PathPart) -> FieldInput:
    return next(w for w in form.query(FieldInput) if w.path == tuple(path) and w.role == "value")


async def type_into(pilot: Pilot[Any], form: FormScreen, path: tuple[PathPart, ...], text: str) -> None:
    """Focus the field, clear it, and type ``text`` key by key."""
    field_input(form, *path).focus()
    await pilot.press("ctrl+a", "ctrl+k", *text)


async def paste_into(pilot: Pilot[Any], form: FormScreen, path: tuple[PathPart, ...], text: str) -> None:
    """Set a field as a paste does (long ARNs typed key by key only make a test slow)."""
    widget = field_input(form, *path)
    widget.focus()
    widget.value = text  # posts Input.Changed, exactly like typing
    await pilot.pause()


async def preview_and_submit(pilot: Pilot[Any], form: FormScreen, sub_command: str) -> None:
    """Ctrl+S shows the preview; its CLI command is valid AWS CLI input; Enter sends it."""
    assert form.model.problems() == []
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PreviewScreen), what="the preview")
    preview = pilot.app.screen
    assert isinstance(preview, PreviewScreen)
    assert f"aws sagemaker {sub_command} --cli-input-json" in await screen_text(pilot)
    words = shlex.split(preview.cli)
    assert words[:3] == ["aws", "sagemaker", sub_command]
    body = json.loads(words[words.index("--cli-input-json") + 1])
    assert body == json.loads(preview.request_json)
    validate_parameters(body, operation(form.model.op).input_shape)
    await pilot.press("enter")


def status_of(listing: ResourceListScreen, key: str) -> str | None:
    row = listing.table.rows.get(key)
    return None if row is None else listing.rtype.status_of(row.record)


def sent(emu: EmulatorServer, op: str) -> int:
    return int(emu.faults.request_counts()["counts"].get(op, 0))


# ---------------------------------------------------------------------------- the flows
async def test_create_inference_component_on_the_endpoint_it_was_opened_from(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        endpoints = await loaded(pilot, "endpoints")
        await select(pilot, endpoints, "genai-shared-g5")
        await pilot.press("i")  # the endpoint's inference components
        ics = await loaded(pilot, "inference-components")
        form = await open_form(pilot, "create")
        assert field_input(form, "EndpointName").value == "genai-shared-g5"  # from the list it was opened on
        assert field_input(form, "RuntimeConfig", "CopyCount").value == "1"  # curated defaults
        # An optional section, shown open because the curated default put a value in it.
        memory = ("Specification", "ComputeResourceRequirements", "MinMemoryRequiredInMb")
        assert field_input(form, *memory).value == "1024"
        await type_into(pilot, form, ("Specification", "ComputeResourceRequirements", "MinMemoryRequiredInMb"), "16384")
        await type_into(pilot, form, ("InferenceComponentName",), "qwen-7b-ic")
        await paste_into(pilot, form, ("Specification", "ModelName"), "mistral-7b-v03")
        await type_into(pilot, form, ("RuntimeConfig", "CopyCount"), "2")
        await preview_and_submit(pilot, form, "create-inference-component")
        await wait_for(pilot, lambda: "qwen-7b-ic" in ics.table.rows, what="the new component in the list")
        assert app.screen is ics
        record = ics.table.rows["qwen-7b-ic"].record
        assert record["EndpointName"] == "genai-shared-g5"
        await wait_for(pilot, lambda: ics.table.rows["qwen-7b-ic"].record.get("RuntimeConfig"), what="copies")
        assert ics.table.rows["qwen-7b-ic"].record["RuntimeConfig"]["DesiredCopyCount"] == 2
        created = await app.service.sagemaker.call(
            "DescribeInferenceComponent", {"InferenceComponentName": "qwen-7b-ic"}
        )
        assert created["Specification"]["ComputeResourceRequirements"] == {"MinMemoryRequiredInMb": 16384}
        assert created["VariantName"] == "AllTraffic"
        assert sent(emu, "CreateInferenceComponent") == 1


async def test_scale_an_inference_component_and_the_list_shows_the_new_copy_count(emu: EmulatorServer) -> None:
    seed_demo(emu)
    # One step per describe, so the list sees it Updating (and describes it) on its way.
    emu.set_pace("inference-component", {"progression": "manual", "times": 1})
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SIZE) as pilot:
        ics = await loaded(pilot, "inference-components")
        await select(pilot, ics, "bge-embeddings-ic")

        def copies() -> Any:
            row = ics.table.rows["bge-embeddings-ic"]
            return (row.record.get("RuntimeConfig") or {}).get("DesiredCopyCount")

        await wait_for(pilot, lambda: copies() == 1, what="the copy count column")
        form = await open_form(pilot, "scale")
        assert form.model.op == "UpdateInferenceComponentRuntimeConfig"
        assert field_input(form, "DesiredRuntimeConfig", "CopyCount").value == "1"  # prefilled from the row
        await type_into(pilot, form, ("DesiredRuntimeConfig", "CopyCount"), "3")
        await preview_and_submit(pilot, form, "update-inference-component-runtime-config")
        await wait_for(pilot, lambda: copies() == 3, what="the new copy count in the list")
        await wait_for(pilot, lambda: status_of(ics, "bge-embeddings-ic") == "InService", what="InService again")
        assert sent(emu, "UpdateInferenceComponentRuntimeConfig") == 1


async def test_a_number_reached_by_tab_is_replaced_by_what_is_typed(emu: EmulatorServer) -> None:
    # Tab to a copy count of 1 and type 3: the form held 13, a scale-up nobody asked for.
    seed_demo(emu)
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SIZE) as pilot:
        ics = await loaded(pilot, "inference-components")
        await select(pilot, ics, "bge-embeddings-ic")
        form = await open_form(pilot, "scale")
        copies = field_input(form, "DesiredRuntimeConfig", "CopyCount")
        await wait_for(pilot, lambda: copies.value == "1", what="the prefilled copy count")
        for _ in range(6):
            if app.focused is copies:
                break
            await pilot.press("tab")
        assert app.focused is copies
        await pilot.press("3")
        assert copies.value == "3"
        await pilot.press("2")  # the selection is gone once typing starts
        assert copies.value == "32"
        name = field_input(form, "InferenceComponentName")
        assert not name.select_on_focus  # text fields are edited in place


async def test_w_tab_and_a_number_in_one_burst_replace_the_copy_count(emu: EmulatorServer) -> None:
    # The same, as tmux or SSH delivers it: "W", Tab, "3" in one read. The Tab lands on the
    # DesiredRuntimeConfig header, which passes the typing to CopyCount, and it appended: 13.
    seed_demo(emu)
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SIZE) as pilot:
        ics = await loaded(pilot, "inference-components")
        await select(pilot, ics, "sdxl-turbo-ic")
        for key, character in (("W", "W"), ("tab", None), ("3", "3"), ("2", "2")):
            app.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="the form")
        form = app.screen
        assert isinstance(form, FormScreen)
        await wait_for(pilot, lambda: form.model.get(["DesiredRuntimeConfig", "CopyCount"]) is not None)
        await pilot.pause(0.5)
        assert str(form.model.get(["DesiredRuntimeConfig", "CopyCount"])) == "32"
        assert emu.faults.request_counts()["mutating"] == 0


async def test_an_update_previews_current_against_new_and_says_what_it_changed(emu: EmulatorServer) -> None:
    """Ctrl+S on an untouched update form sends nothing; the preview lists only what changes;
    while the request is in flight the context bar names it; the success says what changed."""
    seed_demo(emu)
    emu.faults.add({"op": "UpdateInferenceComponentRuntimeConfig", "latency_ms": 1500})
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SIZE) as pilot:
        ics = await loaded(pilot, "inference-components")
        await select(pilot, ics, "bge-embeddings-ic")
        await wait_for(
            pilot, lambda: ics.table.rows["bge-embeddings-ic"].record.get("RuntimeConfig"), what="the copy count"
        )
        form = await open_form(pilot, "scale")
        await pilot.press("ctrl+s")  # nothing differs from the component's current values
        await pilot.pause(0.2)
        assert app.screen is form, "an update that changes nothing has no preview to show"
        assert any("nothing to submit" in str(n.message) for n in app._notifications)
        await type_into(pilot, form, ("DesiredRuntimeConfig", "CopyCount"), "3")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen), what="the preview")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        assert preview.changes == ["DesiredRuntimeConfig.CopyCount: 1 → 3"]  # only what changes
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is ics, what="back on the list")
        bar = ics.query_one(ContextBar)
        await wait_for(pilot, lambda: "UpdateInferenceComponentRuntimeConfig" in bar.in_flight, what="in flight")
        await wait_for(pilot, lambda: bar.in_flight == "", what="the answer", timeout=10)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "accepted: bge-embeddings-ic" in said and "1 → 3" in said and ":ic shows" in said
        assert sent(emu, "UpdateInferenceComponentRuntimeConfig") == 1


async def test_delete_endpoint_asks_for_its_name_typed(emu: EmulatorServer) -> None:
    seed_demo(emu)
    app = make_app(emu, start="endpoints")
    async with app.run_test(size=SIZE) as pilot:
        endpoints = await loaded(pilot, "endpoints")
        await select(pilot, endpoints, "churn-scoring-staging")
        await pilot.press(ACTION_KEYS["delete"])
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the typed confirmation")
        text = await screen_text(pilot)
        assert "Type churn-scoring-staging to confirm" in text
        assert "Inference components on this endpoint stop serving" in text  # the curated warning
        await pilot.press(*"churn-scoring", "enter")  # not the name: nothing is sent
        await pilot.pause(0.1)
        assert "that is not churn-scoring-staging" in await screen_text(pilot)
        assert sent(emu, "DeleteEndpoint") == 0
        await pilot.press(*"-staging", "enter")
        await wait_for(pilot, lambda: "churn-scoring-staging" not in endpoints.table.rows, what="the endpoint gone")
        assert app.screen is endpoints
        assert sent(emu, "DeleteEndpoint") == 1
        assert "genai-shared-g5" in endpoints.table.rows  # only that one


async def test_create_mlflow_tracking_server_from_the_c_key(emu: EmulatorServer) -> None:
    seed_demo(emu)
    emu.set_pace("mlflow-tracking-server", FROZEN)  # stays Creating: the list shows what was started
    app = make_app(emu, start="mlflow-tracking-servers")
    async with app.run_test(size=SIZE) as pilot:
        servers = await loaded(pilot, "mlflow-tracking-servers")
        form = await open_form(pilot, "create")
        assert field_input(form, "TrackingServerSize").value == "Small"
        await type_into(pilot, form, ("TrackingServerName",), "mlflow-team-b")
        await paste_into(pilot, form, ("ArtifactStoreUri",), f"{BUCKET}/mlflow/team-b")
        await paste_into(pilot, form, ("RoleArn",), ROLE)
        await preview_and_submit(pilot, form, "create-mlflow-tracking-server")
        await wait_for(pilot, lambda: "mlflow-team-b" in servers.table.rows, what="the new server in the list")
        assert status_of(servers, "mlflow-team-b") == "Creating"
        assert "mlflow-team-b" in await screen_text(pilot)


async def test_reboot_marked_nodes_in_chunks_of_25(emu: EmulatorServer) -> None:
    seed_demo(emu)
    add_cluster(state_of(emu), "batch-train", [("workers", "ml.g5.xlarge", 30)])
    emu.set_pace("cluster-node", FROZEN)  # rebooted nodes stay Pending
    app = make_app(emu, start="clusters")
    async with app.run_test(size=SIZE) as pilot:
        clusters = await loaded(pilot, "clusters")
        await select(pilot, clusters, "batch-train")
        await pilot.press("n")
        nodes = await loaded(pilot, "cluster-nodes")
        assert len(nodes.table.rows) == 30
        await pilot.press("g")
        await pilot.press(*["space"] * 27)  # Space marks a row and moves down
        marked = [row.key for row in nodes.table.marked_rows()]
        assert len(marked) == 27
        untouched = set(nodes.table.rows) - set(marked)
        await pilot.press(ACTION_KEYS["reboot"])
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the typed confirmation")
        text = await screen_text(pilot)
        assert "27 node(s)" in text and "2 request(s)" in text
        await pilot.press(*"batch-train", "enter")
        await wait_for(
            pilot,
            lambda: all(status_of(nodes, key) == "Pending" for key in marked),
            what="the marked nodes rebooting in the list",
        )
        assert all(status_of(nodes, key) == "Running" for key in untouched)
        assert nodes.table.marked_rows() == []  # marks are cleared once the action went through
        assert sent(emu, "BatchRebootClusterNodes") == 2
