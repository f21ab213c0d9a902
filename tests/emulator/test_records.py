"""The record families: Create/Describe/List/Delete round trips, their error codes, and
children that refuse a parent that does not exist."""

from __future__ import annotations

from typing import Any

import pytest
from botocore import xform_name
from botocore.exceptions import ClientError

from smtui.aws.model import operation
from smtui.aws.validation import validate
from smtui.catalog import default_catalog
from smtui.emulator.ext.families import HUB
from smtui.emulator.ext.records import add_record
from smtui.emulator.seed import seed_demo, state_of
from smtui.emulator.server import EmulatorServer
from tests.emulator.helpers import ROLE

BUCKET = "s3://sagemaker-us-east-1-123456789012"
SOURCE = {"SourceUri": f"{BUCKET}/data/", "SourceType": "S3"}

# (noun, create params, describe params): the key the Describe* and Delete* take comes from
# the create params, or from the Create* answer for types keyed by ARN.
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "Action",
        {"ActionName": "deploy-1", "Source": SOURCE, "ActionType": "ModelDeployment"},
        {"ActionName": "deploy-1"},
    ),
    ("Context", {"ContextName": "ctx-1", "Source": SOURCE, "ContextType": "Endpoint"}, {"ContextName": "ctx-1"}),
    ("Artifact", {"ArtifactName": "ds-1", "Source": {"SourceUri": f"{BUCKET}/data/"}, "ArtifactType": "DataSet"}, {}),
    ("AppImageConfig", {"AppImageConfigName": "aic-1"}, {"AppImageConfigName": "aic-1"}),
    (
        "StudioLifecycleConfig",
        {
            "StudioLifecycleConfigName": "lcc-1",
            "StudioLifecycleConfigContent": "ZWNobyBoaQ==",
            "StudioLifecycleConfigAppType": "JupyterLab",
        },
        {"StudioLifecycleConfigName": "lcc-1"},
    ),
    ("Image", {"ImageName": "img-1", "RoleArn": ROLE}, {"ImageName": "img-1"}),
    (
        "CodeRepository",
        {"CodeRepositoryName": "repo-1", "GitConfig": {"RepositoryUrl": "https://github.com/example/repo"}},
        {"CodeRepositoryName": "repo-1"},
    ),
    ("Hub", {"HubName": "hub-1", "HubDescription": "models"}, {"HubName": "hub-1"}),
    (
        "DeviceFleet",
        {"DeviceFleetName": "fleet-1", "OutputConfig": {"S3OutputLocation": f"{BUCKET}/edge"}},
        {"DeviceFleetName": "fleet-1"},
    ),
]


def _call(sm: Any, op: str) -> Any:
    return getattr(sm, xform_name(op))


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return str(err.value.response["Error"]["Code"])


def _declared(op: str, *codes: str) -> str:
    """The first of ``codes`` the operation declares, else ValidationException."""
    names = {e.name for e in operation(op).error_shapes}
    return next((c for c in codes if c in names), "ValidationException")


@pytest.mark.parametrize(("noun", "create", "key"), CASES, ids=[c[0] for c in CASES])
async def test_create_describe_list_delete(
    sm: Any, emu: EmulatorServer, noun: str, create: dict[str, Any], key: dict[str, Any]
) -> None:
    created = await _call(sm, f"Create{noun}")(**create)
    if not key:  # keyed by the ARN the create answered
        key = {f"{noun}Arn": created[f"{noun}Arn"]}
    described = await _call(sm, f"Describe{noun}")(**key)
    body = {k: v for k, v in described.items() if k != "ResponseMetadata"}
    assert validate(body, operation(f"Describe{noun}").output_shape) == []
    for member, value in create.items():
        if member in body:
            assert body[member] == value, member
    rtype = next(t for t in default_catalog().all() if t.describe_op == f"Describe{noun}")
    listed = await _call(sm, rtype.list_op)()
    items = listed[rtype.items_key]
    assert len(items) == 1

    if noun != "Artifact":  # an artifact's key is a fresh ARN: a second create is another artifact
        with pytest.raises(ClientError) as dup:
            await _call(sm, f"Create{noun}")(**create)
        assert _code(dup) == _declared(f"Create{noun}", "ResourceInUse")

    await _call(sm, f"Delete{noun}")(**key)
    with pytest.raises(ClientError) as gone:
        await _call(sm, f"Describe{noun}")(**key)
    assert _code(gone) == _declared(f"Describe{noun}", "ResourceNotFound")
    with pytest.raises(ClientError) as again:
        await _call(sm, f"Delete{noun}")(**key)
    assert _code(again) == _declared(f"Delete{noun}", "ResourceNotFound")


async def test_list_filters_sorts_and_pages(sm: Any, emu: EmulatorServer) -> None:
    for i in range(5):
        await sm.create_hub(HubName=f"hub-{i}", HubDescription="models")
    await sm.create_hub(HubName="other", HubDescription="models")
    pages = []
    params: dict[str, Any] = {"NameContains": "hub-", "SortBy": "HubName", "SortOrder": "Ascending", "MaxResults": 2}
    while True:
        page = await sm.list_hubs(**params)
        pages.append([h["HubName"] for h in page["HubSummaries"]])
        if not page.get("NextToken"):
            break
        params["NextToken"] = page["NextToken"]
    assert pages == [["hub-0", "hub-1"], ["hub-2", "hub-3"], ["hub-4"]]


@pytest.mark.parametrize(
    ("op", "params", "code"),
    [
        ("ListHubContents", {"HubName": "no-such-hub", "HubContentType": "Model"}, "ResourceNotFound"),
        ("ListImageVersions", {"ImageName": "no-such-image"}, "ResourceNotFound"),
        ("ListModelCardExportJobs", {"ModelCardName": "no-such-card"}, "ValidationException"),
    ],
)
async def test_child_list_refuses_a_missing_parent(
    sm: Any, emu: EmulatorServer, op: str, params: dict[str, Any], code: str
) -> None:
    seed_demo(emu)
    with pytest.raises(ClientError) as err:
        await _call(sm, op)(**params)
    assert _code(err) == code
    assert _declared(op, "ResourceNotFound") == code  # the code the model declares for this list


async def test_children_list_under_their_parent_only(sm: Any, emu: EmulatorServer) -> None:
    seed_demo(emu)
    versions = (await sm.list_image_versions(ImageName="ml-platform-pytorch"))["ImageVersions"]
    assert sorted(v["Version"] for v in versions) == [1, 2, 3]
    latest = await sm.describe_image_version(ImageName="ml-platform-pytorch")
    assert latest["Version"] == 3
    assert (await sm.describe_image_version(ImageName="ml-platform-pytorch", Version=1))["Version"] == 1
    await sm.create_image(ImageName="empty-image", RoleArn=ROLE)
    assert (await sm.list_image_versions(ImageName="empty-image"))["ImageVersions"] == []
    contents = await sm.list_hub_contents(HubName="genai-curated-models", HubContentType="Notebook")
    assert contents["HubContentSummaries"] == []
    models = await sm.list_hub_contents(HubName="genai-curated-models", HubContentType="Model")
    assert {c["HubContentName"] for c in models["HubContentSummaries"]} == {
        "meta-textgeneration-llama-3-8b",
        "huggingface-llm-mistral-7b-instruct",
    }


def test_a_seed_with_a_misspelt_member_is_refused(emu: EmulatorServer) -> None:
    with pytest.raises(ValueError, match=r"S3StorageConfig\.S3OutputUri"):
        add_record(state_of(emu), HUB, {"HubName": "h", "S3StorageConfig": {"S3OutputUri": "s3://b/x"}})
