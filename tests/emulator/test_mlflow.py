"""MLflow tracking servers and MLflow apps."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from smtui.emulator.server import EmulatorServer
from tests.emulator.helpers import ROLE


async def test_tracking_server_lifecycle(sm: Any, emu: EmulatorServer) -> None:
    await sm.create_mlflow_tracking_server(
        TrackingServerName="research",
        ArtifactStoreUri="s3://bucket/mlflow",
        RoleArn=ROLE,
        TrackingServerSize="Medium",
    )
    server = await sm.describe_mlflow_tracking_server(TrackingServerName="research")
    assert (server["TrackingServerStatus"], server["IsActive"]) == ("Created", "Active")
    assert server["TrackingServerSize"] == "Medium"
    url = await sm.create_presigned_mlflow_tracking_server_url(TrackingServerName="research")
    assert url["AuthorizedUrl"].startswith(server["TrackingServerUrl"])

    emu.set_pace("mlflow-tracking-server", {"progression": "manual", "times": 1})
    await sm.stop_mlflow_tracking_server(TrackingServerName="research")
    server = await sm.describe_mlflow_tracking_server(TrackingServerName="research")
    assert (server["TrackingServerStatus"], server["IsActive"]) == ("Stopped", "Inactive")
    with pytest.raises(ClientError, match="not active"):
        await sm.create_presigned_mlflow_tracking_server_url(TrackingServerName="research")
    with pytest.raises(ClientError, match="Cannot stop"):
        await sm.stop_mlflow_tracking_server(TrackingServerName="research")
    await sm.start_mlflow_tracking_server(TrackingServerName="research")
    summaries = (await sm.list_mlflow_tracking_servers())["TrackingServerSummaries"]
    assert summaries[0]["TrackingServerStatus"] == "Starting"
    assert (await sm.describe_mlflow_tracking_server(TrackingServerName="research"))["TrackingServerStatus"] == (
        "Started"
    )
    await sm.update_mlflow_tracking_server(TrackingServerName="research", TrackingServerSize="Large")
    server = await sm.describe_mlflow_tracking_server(TrackingServerName="research")
    assert (server["TrackingServerStatus"], server["TrackingServerSize"]) == ("Updated", "Large")
    await sm.delete_mlflow_tracking_server(TrackingServerName="research")
    listed = (await sm.list_mlflow_tracking_servers())["TrackingServerSummaries"]
    assert listed[0]["TrackingServerStatus"] == "Deleting"
    with pytest.raises(ClientError) as err:
        await sm.describe_mlflow_tracking_server(TrackingServerName="research")
    assert err.value.response["Error"]["Code"] == "ResourceNotFound"


async def test_list_tracking_servers_filters(sm: Any, emu: EmulatorServer) -> None:
    for name in ("a", "b", "c"):
        await sm.create_mlflow_tracking_server(TrackingServerName=name, ArtifactStoreUri="s3://b/x", RoleArn=ROLE)
    emu.fail("b", "Artifact store is not reachable")
    failed = (await sm.list_mlflow_tracking_servers(TrackingServerStatus="CreateFailed"))["TrackingServerSummaries"]
    assert [s["TrackingServerName"] for s in failed] == []  # failed after Created: a maintenance failure
    summaries = await sm.list_mlflow_tracking_servers(SortBy="Name", SortOrder="Ascending", MaxResults=2)
    assert [s["TrackingServerName"] for s in summaries["TrackingServerSummaries"]] == ["a", "b"]
    assert summaries["NextToken"]


async def test_tracking_server_fails_while_creating(sm: Any, emu: EmulatorServer) -> None:
    emu.set_pace("mlflow-tracking-server", {"progression": "manual", "times": 10})
    await sm.create_mlflow_tracking_server(TrackingServerName="x", ArtifactStoreUri="s3://b/x", RoleArn=ROLE)
    emu.fail("x", "Role cannot be assumed")
    server = await sm.describe_mlflow_tracking_server(TrackingServerName="x")
    assert server["TrackingServerStatus"] == "CreateFailed"


async def test_mlflow_app_round_trip(sm: Any) -> None:
    arn = (await sm.create_mlflow_app(Name="team-app", ArtifactStoreUri="s3://b/apps", RoleArn=ROLE))["Arn"]
    app = await sm.describe_mlflow_app(Arn=arn)
    assert (app["Name"], app["Status"]) == ("team-app", "Created")
    await sm.update_mlflow_app(Arn=arn, ArtifactStoreUri="s3://b/apps2")
    app = await sm.describe_mlflow_app(Arn=arn)
    assert (app["Status"], app["ArtifactStoreUri"]) == ("Updated", "s3://b/apps2")
    summaries = (await sm.list_mlflow_apps())["Summaries"]
    assert [s["Name"] for s in summaries] == ["team-app"]
    await sm.delete_mlflow_app(Arn=arn)
    assert (await sm.list_mlflow_apps())["Summaries"] == []
    with pytest.raises(ClientError) as err:
        await sm.describe_mlflow_app(Arn=arn)
    assert err.value.response["Error"]["Code"] == "ResourceNotFound"
