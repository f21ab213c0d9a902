"""The request preview (JSON and AWS CLI), drafts on disk, curated definitions and action keys."""

from __future__ import annotations

import datetime as dt
import json
import shlex
import stat
from pathlib import Path
from typing import Any

import pytest
from botocore.validate import validate_parameters

from smtui.aws.model import operation
from smtui.catalog import default_catalog
from smtui.forms.actions import ACTION_KEYS, actions_for, batch_ids, chunked, confirm_name, merge_responses
from smtui.forms.curated import CURATED, form_def
from smtui.forms.drafts import draft_path, load_draft, save_draft
from smtui.forms.fields import root_field
from smtui.forms.model import FormModel
from smtui.forms.preview import cli_command, cli_name, request_json

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"


def _cli_json(command: str) -> Any:
    words = shlex.split(command)
    assert words[:3] == ["aws", "sagemaker", words[2]]
    return json.loads(words[words.index("--cli-input-json") + 1])


# ------------------------------------------------------------------ preview
def test_cli_command_runs_unchanged_and_passes_botocore_validation() -> None:
    params = {
        "TrialComponentName": "it's-a-trial",  # a quote the shell must not see
        "StartTime": dt.datetime(2025, 1, 31, 12, 0, tzinfo=dt.UTC),
        "Parameters": {"lr": {"NumberValue": 0.1}},
        "Tags": [{"Key": "team", "Value": "ml ops; rm -rf /"}],
    }
    command = cli_command("CreateTrialComponent", params, region="eu-west-1")
    words = shlex.split(command)
    assert words[:3] == ["aws", "sagemaker", "create-trial-component"]
    assert words[-2:] == ["--region", "eu-west-1"]
    body = _cli_json(command)
    assert body["StartTime"] == "2025-01-31T12:00:00Z"
    validate_parameters(body, operation("CreateTrialComponent").input_shape)  # raises if invalid


def test_a_curated_form_request_previews_as_valid_cli_input() -> None:
    model = FormModel("CreateInferenceComponent")
    model.prefill(None)
    model.set(("InferenceComponentName",), "ic-1")
    model.set(("EndpointName",), "ep")
    model.set(("Specification", "ModelName"), "m")
    assert model.problems() == []
    body = _cli_json(cli_command(model.op, model.request()))
    assert body == json.loads(request_json(model.request()))
    validate_parameters(body, operation(model.op).input_shape)


@pytest.mark.parametrize(
    ("op", "name"),
    [
        ("CreateMlflowTrackingServer", "create-mlflow-tracking-server"),
        ("UpdateInferenceComponentRuntimeConfig", "update-inference-component-runtime-config"),
        ("BatchRebootClusterNodes", "batch-reboot-cluster-nodes"),
    ],
)
def test_cli_names_are_the_aws_cli_sub_commands(op: str, name: str) -> None:
    assert cli_name(op) == name


# ------------------------------------------------------------------ drafts
def test_drafts_round_trip_with_private_file_modes(tmp_path: Path) -> None:
    state = {
        "TrackingServerName": "mlflow",
        "Tags": [{"Key": "a", "Value": ""}],
        "AutomaticModelRegistration": True,
    }
    path = save_draft("CreateMlflowTrackingServer", state, context="mlflow", base=tmp_path)
    assert path == tmp_path / "drafts" / "CreateMlflowTrackingServer.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    draft = load_draft("CreateMlflowTrackingServer", base=tmp_path)
    assert draft is not None
    assert (draft.values, draft.context) == (state, "mlflow")
    model = FormModel("CreateMlflowTrackingServer")
    model.load(draft.values)
    assert model.request()["TrackingServerName"] == "mlflow"


def test_a_later_draft_replaces_the_earlier_one(tmp_path: Path) -> None:
    save_draft("CreateEndpoint", {"EndpointName": "one"}, base=tmp_path)
    save_draft("CreateEndpoint", {"EndpointName": "two"}, base=tmp_path)
    draft = load_draft("CreateEndpoint", base=tmp_path)
    assert draft is not None and draft.values == {"EndpointName": "two"}
    assert sorted(p.name for p in (tmp_path / "drafts").iterdir()) == ["CreateEndpoint.json"]


def test_missing_or_corrupt_drafts_load_as_none(tmp_path: Path) -> None:
    assert load_draft("CreateEndpoint", base=tmp_path) is None
    draft_path("CreateEndpoint", tmp_path).write_text("{not json")
    assert load_draft("CreateEndpoint", base=tmp_path) is None


def test_draft_names_cannot_escape_the_drafts_directory(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        draft_path("../../etc/passwd", tmp_path)


# ------------------------------------------------------------------ curated definitions
@pytest.mark.parametrize("op", sorted(CURATED))
def test_curated_definitions_name_real_fields_and_valid_defaults(op: str) -> None:
    definition = CURATED[op]
    root = root_field(op)
    names = {c.name for c in root.children}
    assert set(definition.order) <= names, op
    assert set(definition.expand) <= names, op
    for target, _ in definition.prefill:
        parts = target.replace("[]", ".0").split(".")
        assert root.at(tuple(int(p) if p.isdigit() else p for p in parts)) is not None, target
    model = FormModel(op)
    model.prefill(None)
    defaulted = {p for p in model.problems() if p.path[0] in definition.defaults and p.kind != "required"}
    assert not defaulted, defaulted


def test_dangerous_operations_ask_for_the_typed_name() -> None:
    for op in ("DeleteEndpoint", "StopTrainingJob", "BatchReplaceClusterNodes", "DeleteMlflowApp"):
        assert form_def(op).danger == "type-name", op
    assert form_def("CreateEndpoint").danger == "none"
    assert "wipe" in form_def("BatchReplaceClusterNodes").warning.lower()


def test_the_confirmation_name_is_the_resource_name_not_its_arn() -> None:
    catalog = default_catalog()
    apps = catalog.get("mlflow-apps")
    record = {"Arn": "arn:aws:sagemaker:us-east-1:123456789012:mlflow-app/app-1", "Name": "team-app"}
    assert confirm_name(apps, form_def("DeleteMlflowApp"), record, None) == "team-app"
    nodes = catalog.get("cluster-nodes")
    node = {"InstanceId": "i-1"}
    assert confirm_name(nodes, form_def("BatchReplaceClusterNodes"), node, {"ClusterName": "train"}) == "train"


# ------------------------------------------------------------------ actions and keys
def test_read_only_offers_no_actions() -> None:
    for rtype in default_catalog().all():
        assert actions_for(rtype, read_only=True) == []


def test_action_keys_avoid_the_list_screen_and_jump_keys() -> None:
    taken = set("jkgGhldrynNAS/: ?") | {str(n) for n in range(1, 10)} | {"space", "enter", "escape"}
    jump_keys = {j.key for rtype in default_catalog().all() for j in rtype.jumps}
    for key in set(ACTION_KEYS.values()):
        assert key not in taken | jump_keys, key


def test_endpoint_actions_have_keys() -> None:
    offered = actions_for(default_catalog().get("endpoints"), read_only=False)
    assert ("C", "Create", "CreateEndpoint") in offered
    assert ("ctrl+d", "Delete", "DeleteEndpoint") in offered


def test_batch_node_ids_are_sent_in_chunks_of_at_most_25() -> None:
    rows = [{"InstanceId": f"i-{n:03}"} for n in range(60)] + [{"InstanceId": "i-000"}]
    ids = batch_ids(rows, "InstanceId")
    assert len(ids) == 60
    assert [len(c) for c in chunked(ids, 25)] == [25, 25, 10]
    merged = merge_responses([{"Successful": ["a"], "Failed": []}, {"Successful": ["b"], "Failed": [{"NodeId": "c"}]}])
    assert merged == {"Successful": ["a", "b"], "Failed": [{"NodeId": "c"}]}
