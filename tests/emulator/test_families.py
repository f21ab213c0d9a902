"""Families moto lacks: spaces, user profiles, apps, monitoring schedules, projects."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from smtui.emulator.server import EmulatorServer
from tests.emulator.helpers import ROLE


async def _domain(sm: Any) -> str:
    await sm.create_domain(
        DomainName="studio",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE},
        SubnetIds=["subnet-0a1b2c3d"],
        VpcId="vpc-0a1b2c3d",
    )
    domains = (await sm.list_domains())["Domains"]
    return str(domains[0]["DomainId"])


async def test_user_profiles_spaces_and_apps(sm: Any, emu: EmulatorServer) -> None:
    domain = await _domain(sm)
    await sm.create_user_profile(DomainId=domain, UserProfileName="alice")
    profile = await sm.describe_user_profile(DomainId=domain, UserProfileName="alice")
    assert profile["Status"] == "InService"
    await sm.create_space(DomainId=domain, SpaceName="lab", OwnershipSettings={"OwnerUserProfileName": "alice"})
    spaces = (await sm.list_spaces(DomainIdEquals=domain))["Spaces"]
    assert [s["SpaceName"] for s in spaces] == ["lab"]
    await sm.update_space(DomainId=domain, SpaceName="lab", SpaceDisplayName="Lab")
    assert (await sm.describe_space(DomainId=domain, SpaceName="lab"))["SpaceDisplayName"] == "Lab"
    await sm.create_app(
        DomainId=domain,
        SpaceName="lab",
        AppType="JupyterLab",
        AppName="default",
        ResourceSpec={"InstanceType": "ml.t3.medium"},
    )
    apps = (await sm.list_apps(DomainIdEquals=domain, SpaceNameEquals="lab"))["Apps"]
    assert [(a["AppName"], a["Status"]) for a in apps] == [("default", "InService")]
    await sm.delete_app(DomainId=domain, SpaceName="lab", AppType="JupyterLab", AppName="default")
    app = await sm.describe_app(DomainId=domain, SpaceName="lab", AppType="JupyterLab", AppName="default")
    assert app["Status"] == "Deleted"
    await sm.delete_space(DomainId=domain, SpaceName="lab")
    await sm.delete_user_profile(DomainId=domain, UserProfileName="alice")
    assert (await sm.list_user_profiles())["UserProfiles"] == []
    with pytest.raises(ClientError) as err:
        await sm.describe_space(DomainId=domain, SpaceName="lab")
    assert err.value.response["Error"]["Code"] == "ResourceNotFound"


async def test_space_needs_domain(sm: Any) -> None:
    with pytest.raises(ClientError, match="Domain d-nope does not exist"):
        await sm.create_space(DomainId="d-nope", SpaceName="lab")


async def test_monitoring_schedules(sm: Any, emu: EmulatorServer) -> None:
    config = {
        "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
        "MonitoringJobDefinitionName": "dq",
        "MonitoringType": "DataQuality",
    }
    await sm.create_monitoring_schedule(MonitoringScheduleName="hourly", MonitoringScheduleConfig=config)
    schedule = await sm.describe_monitoring_schedule(MonitoringScheduleName="hourly")
    assert schedule["MonitoringScheduleStatus"] == "Scheduled"
    await sm.stop_monitoring_schedule(MonitoringScheduleName="hourly")
    listed = (await sm.list_monitoring_schedules(MonitoringTypeEquals="DataQuality"))["MonitoringScheduleSummaries"]
    assert listed[0]["MonitoringScheduleStatus"] == "Stopped"
    await sm.start_monitoring_schedule(MonitoringScheduleName="hourly")
    assert (await sm.describe_monitoring_schedule(MonitoringScheduleName="hourly"))[
        "MonitoringScheduleStatus"
    ] == "Scheduled"
    await sm.delete_monitoring_schedule(MonitoringScheduleName="hourly")
    assert (await sm.list_monitoring_schedules())["MonitoringScheduleSummaries"] == []


async def test_projects(sm: Any, emu: EmulatorServer) -> None:
    created = await sm.create_project(ProjectName="fraud-mlops", ProjectDescription="demo")
    assert created["ProjectId"].startswith("p-")
    assert (await sm.describe_project(ProjectName="fraud-mlops"))["ProjectStatus"] == "CreateCompleted"
    await sm.update_project(ProjectName="fraud-mlops", ProjectDescription="v2")
    project = await sm.describe_project(ProjectName="fraud-mlops")
    assert (project["ProjectStatus"], project["ProjectDescription"]) == ("UpdateCompleted", "v2")
    emu.fail("fraud-mlops", "Service Catalog product failed")
    assert (await sm.list_projects())["ProjectSummaryList"][0]["ProjectStatus"] == "CreateFailed"
    await sm.delete_project(ProjectName="fraud-mlops")
    assert (await sm.list_projects())["ProjectSummaryList"] == []
