"""Drafts belong to one resource: found by a new user, a restored draft retargeted a form.

`W` on sdxl-turbo-ic offered the draft typed for another component; Ctrl+R set
InferenceComponentName to that one while the title still named sdxl-turbo-ic. Drafts are now
keyed by profile, region, operation and target, the target's fields are frozen, a sent form
forgets its draft, and month-old drafts go.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiobotocore.session import get_session

from smtui.emulator.server import EmulatorServer
from smtui.forms.drafts import DraftKey, load_draft, prune_drafts, save_draft
from smtui.ui.screens.confirm import ConfirmScreen, PreviewScreen
from smtui.ui.screens.form import FormScreen, run_action
from smtui.ui.screens.resource_list import ResourceListScreen
from smtui.ui.widgets.fields import FieldInput
from tests.app.helpers import make_app, wait_for
from tests.emulator.helpers import make_endpoint, make_ic

SMALL = (80, 24)
OP = "UpdateInferenceComponentRuntimeConfig"


@pytest.fixture(autouse=True)
def drafts_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr("smtui.forms.drafts.state_dir", lambda: tmp_path)
    yield tmp_path


async def two_components(emu: EmulatorServer) -> None:
    async with get_session().create_client(
        "sagemaker", region_name="us-east-1", endpoint_url=emu.url, aws_access_key_id="t", aws_secret_access_key="t"
    ) as sm:
        await make_endpoint(sm)
        await make_ic(sm, "sdxl-turbo-ic", copies=1)
        await make_ic(sm, "bge-embeddings-ic", copies=1)


def value_of(form: FormScreen, *path: Any) -> str:
    return next(w for w in form.query(FieldInput) if w.path == tuple(path) and w.role == "value").value


async def scale_form(pilot: Any, app: Any, name: str) -> tuple[FormScreen, Any]:
    screen = app.screen
    assert isinstance(screen, ResourceListScreen)
    row = next(r for r in screen.table.rows.values() if r.record["InferenceComponentName"] == name)
    worker = app.run_worker(
        run_action(app, app.service, screen.rtype, "scale", row.record, {}), group="action", exit_on_error=False
    )
    await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what=f"scale form of {name}")
    form = app.screen
    assert isinstance(form, FormScreen)
    # The form focuses its first field once its rows exist: only then does a test move focus.
    await wait_for(pilot, lambda: form.focused is not None, what="the form's first field focused")
    return form, worker


async def test_a_draft_of_one_component_is_never_offered_on_another(emu: EmulatorServer) -> None:
    await two_components(emu)
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SMALL) as pilot:
        listing = app.screen
        await wait_for(pilot, lambda: isinstance(listing, ResourceListScreen) and len(listing.table.rows) == 2)
        form, worker = await scale_form(pilot, app, "bge-embeddings-ic")
        editor = next(w for w in form.query(FieldInput) if w.path == ("DesiredRuntimeConfig", "CopyCount"))
        editor.focus()
        await pilot.press("ctrl+a", "ctrl+k", "3")
        await wait_for(pilot, lambda: form.model.changed, what="the edit reached the model")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: worker.is_finished)

        form, worker = await scale_form(pilot, app, "sdxl-turbo-ic")
        assert "sdxl-turbo-ic" in form.title_text
        assert form.draft is None  # bge's draft is bge's
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        assert value_of(form, "InferenceComponentName") == "sdxl-turbo-ic"
        # The target's name cannot be typed over either.
        name_box = next(w for w in form.query(FieldInput) if w.path == ("InferenceComponentName",))
        name_box.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"bge-embeddings-ic")
        await pilot.pause(0.1)
        assert form.model.request()["InferenceComponentName"] == "sdxl-turbo-ic"
        copies = next(w for w in form.query(FieldInput) if w.path == ("DesiredRuntimeConfig", "CopyCount"))
        copies.focus()
        await pilot.press("ctrl+a", "ctrl+k", "7")  # an update that changes nothing is not sent
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: worker.is_finished)
    counts = emu.faults.request_counts()["counts"]
    assert counts.get(OP) == 1


async def test_restoring_a_forged_draft_keeps_the_target(emu: EmulatorServer, drafts_home: Path) -> None:
    """Even a draft file that names another component cannot move the form."""
    await two_components(emu)
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SMALL) as pilot:
        listing = app.screen
        await wait_for(pilot, lambda: isinstance(listing, ResourceListScreen) and len(listing.table.rows) == 2)
        form, worker = await scale_form(pilot, app, "sdxl-turbo-ic")
        key = form.draft_key
        save_draft(key, {"InferenceComponentName": "bge-embeddings-ic", "DesiredRuntimeConfig": {"CopyCount": "7"}})
        await pilot.press("escape")
        await wait_for(pilot, lambda: worker.is_finished)
        form, worker = await scale_form(pilot, app, "sdxl-turbo-ic")
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        assert form.model.request() == {
            "InferenceComponentName": "sdxl-turbo-ic",
            "DesiredRuntimeConfig": {"CopyCount": 7},
        }
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: worker.is_finished)
        assert load_draft(key) is None  # sent: the draft is gone, so it is not offered again
        form, worker = await scale_form(pilot, app, "sdxl-turbo-ic")
        assert form.draft is None
        await pilot.press("escape")


def test_drafts_are_keyed_and_old_ones_pruned(tmp_path: Path) -> None:
    a = DraftKey(OP, profile="prod", region="us-east-1", target="InferenceComponentName=a")
    b = DraftKey(OP, profile="prod", region="us-east-1", target="InferenceComponentName=b")
    west = DraftKey(OP, profile="prod", region="eu-west-1", target="InferenceComponentName=a")
    path = save_draft(a, {"x": "1"}, base=tmp_path)
    assert load_draft(a, base=tmp_path) is not None
    assert load_draft(b, base=tmp_path) is None and load_draft(west, base=tmp_path) is None
    old = save_draft(b, {"x": "2"}, base=tmp_path)
    month_ago = time.time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    assert prune_drafts(base=tmp_path) == 1
    assert path.exists() and not old.exists()


def burst(app: Any, keys: list[str]) -> None:
    """Keys as a slow SSH link delivers them: all queued before the app handles the first."""
    from textual import events

    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


@pytest.mark.parametrize("held", [True, False], ids=["held", "control-without-the-hold"])
async def test_keys_typed_while_the_form_opens_land_in_order(
    emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch, held: bool
) -> None:
    """Found by a review: `W Tab Tab 77` in one burst lost the digits (or typed them into the
    locked name field) because the form was still being built."""
    if not held:  # prove the test can fail: without the hold the burst goes astray
        from smtui.ui.keyhold import KeyHold

        monkeypatch.setattr(KeyHold, "start", lambda self: None)
    await two_components(emu)
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SMALL) as pilot:
        listing = app.screen
        await wait_for(pilot, lambda: isinstance(listing, ResourceListScreen) and len(listing.table.rows) == 2)
        assert isinstance(listing, ResourceListScreen)
        # The form prefills the copies once the row is described (COPIES comes from Describe*):
        # wait for it, or the form may open before the count is known. A number reached by Tab
        # is replaced by what is typed (Tab 3 on a copy count of 1 once gave 13), held or
        # typed slowly alike.
        await wait_for(
            pilot, lambda: listing.table.cursor_row is not None and "RuntimeConfig" in listing.table.cursor_row.record
        )
        row = listing.table.cursor_row
        assert row is not None
        expected = "77"
        burst(app, ["W", "tab", "tab", "7", "7"])
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="the scale form")
        form = app.screen
        assert isinstance(form, FormScreen)
        if held:  # the replayed text reaches the model through Input.Changed: allow it time
            await wait_for(pilot, lambda: form.model.get(("DesiredRuntimeConfig", "CopyCount")) == expected, timeout=5)
        else:
            await pilot.pause(0.5)
        copies = form.model.get(("DesiredRuntimeConfig", "CopyCount"))
        name = form.model.get(("InferenceComponentName",))
        if held:
            assert copies == expected and form.model.locked["InferenceComponentName"] == name, (
                form.model.state,
                [str(n.message) for n in app._notifications],
            )
        else:
            assert copies != expected
        await pilot.press("escape")


async def test_a_burst_across_a_section_header_lands_in_the_field(emu: EmulatorServer) -> None:
    """Found replaying the huge-copy-count finding: `Tab Tab Ctrl+A Ctrl+K 999…` in one burst
    left Tab on the section header to the queue, so the keys after it went to the header and
    the count read "19". Tab now moves focus in typing order from a header too."""
    await two_components(emu)
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SMALL) as pilot:
        listing = app.screen
        await wait_for(pilot, lambda: isinstance(listing, ResourceListScreen) and len(listing.table.rows) == 2)
        form, _worker = await scale_form(pilot, app, "bge-embeddings-ic")
        burst(app, ["tab", "tab", "ctrl+a", "ctrl+k", *"99999999999999999999"])
        path = ("DesiredRuntimeConfig", "CopyCount")
        await wait_for(pilot, lambda: form.model.get(path) == "99999999999999999999", timeout=5)
        assert any("2147483647" in p.message for p in form.model.problems())  # the limit, named
        await pilot.press("escape")


async def test_esc_esc_closes_an_edited_form_and_keeps_its_draft(emu: EmulatorServer) -> None:
    # Esc Esc leaves every view; on an edited form the second Esc answered "no" and the user
    # stayed. The draft is saved before the question, so closing loses nothing.
    await two_components(emu)
    emu.faults.clear_requests()
    app = make_app(emu, start="inference-components")
    async with app.run_test(size=SMALL) as pilot:
        listing = app.screen
        await wait_for(pilot, lambda: isinstance(listing, ResourceListScreen) and len(listing.table.rows) == 2)
        form, worker = await scale_form(pilot, app, "sdxl-turbo-ic")
        editor = next(w for w in form.query(FieldInput) if w.path == ("DesiredRuntimeConfig", "CopyCount"))
        editor.focus()
        await pilot.press("ctrl+a", "ctrl+k", "5")
        await wait_for(pilot, lambda: form.model.changed, what="the edit reached the model")
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: worker.is_finished, what="the form to close")
        assert app.screen is listing
        key = form.draft_key
        # "n" on the question still keeps the form.
        form, worker = await scale_form(pilot, app, "sdxl-turbo-ic")
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        assert value_of(form, "DesiredRuntimeConfig", "CopyCount") == "5"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is form, what="the form kept")
    draft = load_draft(key)
    assert draft is not None and draft.values["DesiredRuntimeConfig"]["CopyCount"] in ("5", 5)
    assert emu.faults.request_counts()["mutating"] == 0
