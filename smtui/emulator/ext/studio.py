"""Families moto lacks, kept as plain records: Studio spaces, user profiles and apps,
monitoring schedules and projects.  One generic create/describe/list/update/delete path
serves them all, because they differ only in keys, status names and list filters.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from smtui.emulator.ext.base import ActionResult, EmptyResult, ExtBase, ResourceNotFound, ValidationError
from smtui.emulator.ext.state import (
    ExtState,
    Record,
    fail_tag,
    filter_sort,
    page,
    public,
    record_lifecycle,
    register_finder,
    store_finder,
    utcnow,
)
from smtui.emulator.lifecycle import GONE


@dataclass(frozen=True)
class Family:
    """How one record-only resource family behaves."""

    kind: str
    name_key: str
    status_key: str
    arn_key: str
    arn_resource: str
    creating: str
    ready: str
    updating: str | None
    deleted: str = GONE
    failed: Callable[[str], str] = field(default=lambda current: "Failed")


def _studio_failed(current: str) -> str:
    return {"Updating": "Update_Failed", "Deleting": "Delete_Failed"}.get(current, "Failed")


def _project_failed(current: str) -> str:
    return {"UpdateInProgress": "UpdateFailed", "DeleteInProgress": "DeleteFailed"}.get(current, "CreateFailed")


SPACE = Family(
    "space",
    "SpaceName",
    "Status",
    "SpaceArn",
    "space",
    "Pending",
    "InService",
    "Updating",
    failed=_studio_failed,
)
USER = Family(
    "user-profile",
    "UserProfileName",
    "Status",
    "UserProfileArn",
    "user-profile",
    "Pending",
    "InService",
    "Updating",
    failed=_studio_failed,
)
APP = Family("app", "AppName", "Status", "AppArn", "app", "Pending", "InService", None, deleted="Deleted")
SCHEDULE = Family(
    "monitoring-schedule",
    "MonitoringScheduleName",
    "MonitoringScheduleStatus",
    "MonitoringScheduleArn",
    "monitoring-schedule",
    "Pending",
    "Scheduled",
    "Pending",
)
PROJECT = Family(
    "project",
    "ProjectName",
    "ProjectStatus",
    "ProjectArn",
    "project",
    "CreateInProgress",
    "CreateCompleted",
    "UpdateInProgress",
    failed=_project_failed,
)

for _fam in (SPACE, USER, APP, SCHEDULE, PROJECT):
    register_finder(store_finder(_fam.kind, _fam.status_key, _fam.failed))


def _move(state: ExtState, fam: Family, key: str, initial: str, fail_reason: str | None = None) -> None:
    if initial == "Deleting" or initial == "DeleteInProgress":
        steps = {initial: fam.deleted}
    elif initial == fam.updating and fam.kind == "project":
        steps = {initial: "UpdateCompleted"}
    else:
        steps = {initial: fam.ready}
    record_lifecycle(state, fam.kind, key, fam.status_key, steps, initial, failed=fam.failed, fail_reason=fail_reason)


def create_record(
    state: ExtState,
    fam: Family,
    key: str,
    name: str,
    fields: Mapping[str, Any],
    *,
    arn_path: str | None = None,
    tags: list[dict[str, str]] | None = None,
) -> Record:
    """Create a record of a family in process (used by the handlers and by seeds)."""
    store = state.store(fam.kind)
    if key in store and store[key].get(fam.status_key) != "Deleted":
        raise ValidationError(message=f"Resource already exists: {fam.kind} {name}.")
    now = utcnow()
    store[key] = {
        fam.name_key: name,
        fam.arn_key: state.arn(fam.arn_resource, arn_path or name),
        fam.status_key: fam.creating,
        "CreationTime": now,
        "LastModifiedTime": now,
        **{k: v for k, v in fields.items() if v is not None},
        "_tags": list(tags or []),
    }
    _move(state, fam, key, fam.creating, fail_tag(tags))
    return store[key]


class StudioMixin(ExtBase):
    """Spaces, user profiles, apps, monitoring schedules and projects."""

    def _st_get(self, fam: Family, key: str, label: str) -> Record:
        rec = self.ext.store(fam.kind).get(key)
        if rec is None:
            raise ResourceNotFound(message=f"{label} does not exist.")
        return rec

    def _st_describe(self, fam: Family, key: str, label: str) -> ActionResult:
        self._st_get(fam, key, label)
        self.ext.touch(fam.kind, key)
        return ActionResult(public(self._st_get(fam, key, label)))

    def _st_list(self, fam: Family, out_key: str, equals: Mapping[str, str], contains: str | None) -> ActionResult:
        params: dict[str, Any] = dict(self.params)
        if contains and params.get(contains):
            params["NameContains"] = params[contains]
        records = filter_sort(
            self.ext.store(fam.kind).values(),
            params,
            name_key=fam.name_key,
            status_key=fam.status_key,
            equals=equals,
        )
        items, token = page(records, params)
        return ActionResult({out_key: [public(r) for r in items], "NextToken": token})

    def _st_delete(self, fam: Family, key: str, label: str) -> None:
        rec = self._st_get(fam, key, label)
        deleting = "DeleteInProgress" if fam.kind == "project" else "Deleting"
        rec[fam.status_key] = deleting
        _move(self.ext, fam, key, deleting)

    def _st_update(self, fam: Family, key: str, label: str, fields: Mapping[str, Any]) -> Record:
        rec = self._st_get(fam, key, label)
        if fam.updating is None:
            raise ValidationError(message=f"{label} cannot be updated.")
        rec.update({k: v for k, v in fields.items() if v is not None})
        _move(self.ext, fam, key, fam.updating)
        return rec

    def _st_domain(self) -> str:
        domain_id = str(self.p("DomainId"))
        if domain_id not in self.backend.domains:
            raise ResourceNotFound(message=f"Domain {domain_id} does not exist.")
        return domain_id

    # ------------------------------------------------------------------ spaces

    def _space_key(self) -> str:
        return f"{self.p('DomainId')}/{self.p('SpaceName')}"

    def create_space(self) -> ActionResult:
        domain = self._st_domain()
        name = self.p("SpaceName")
        fields = {
            k: self.p(k) for k in ("SpaceSettings", "OwnershipSettings", "SpaceSharingSettings", "SpaceDisplayName")
        }
        fields.update(DomainId=domain, Url=f"https://{domain}.studio.{self.region}.sagemaker.aws/jupyter/{name}")
        rec = create_record(
            self.ext, SPACE, self._space_key(), name, fields, arn_path=f"{domain}/{name}", tags=self.p("Tags")
        )
        return ActionResult({"SpaceArn": rec["SpaceArn"]})

    def describe_space(self) -> ActionResult:
        return self._st_describe(SPACE, self._space_key(), f"Space {self.p('SpaceName')}")

    def list_spaces(self) -> ActionResult:
        return self._st_list(SPACE, "Spaces", {"DomainIdEquals": "DomainId"}, "SpaceNameContains")

    def update_space(self) -> ActionResult:
        fields = {k: self.p(k) for k in ("SpaceSettings", "SpaceDisplayName")}
        rec = self._st_update(SPACE, self._space_key(), f"Space {self.p('SpaceName')}", fields)
        return ActionResult({"SpaceArn": rec["SpaceArn"]})

    def delete_space(self) -> EmptyResult:
        self._st_delete(SPACE, self._space_key(), f"Space {self.p('SpaceName')}")
        return EmptyResult()

    # ------------------------------------------------------------------ user profiles

    def _user_key(self) -> str:
        return f"{self.p('DomainId')}/{self.p('UserProfileName')}"

    def create_user_profile(self) -> ActionResult:
        domain = self._st_domain()
        name = self.p("UserProfileName")
        fields = {k: self.p(k) for k in ("SingleSignOnUserIdentifier", "SingleSignOnUserValue", "UserSettings")}
        fields.update(DomainId=domain, HomeEfsFileSystemUid=str(200000 + secrets.randbelow(99999)))
        rec = create_record(
            self.ext, USER, self._user_key(), name, fields, arn_path=f"{domain}/{name}", tags=self.p("Tags")
        )
        return ActionResult({"UserProfileArn": rec["UserProfileArn"]})

    def describe_user_profile(self) -> ActionResult:
        return self._st_describe(USER, self._user_key(), f"User profile {self.p('UserProfileName')}")

    def list_user_profiles(self) -> ActionResult:
        return self._st_list(USER, "UserProfiles", {"DomainIdEquals": "DomainId"}, "UserProfileNameContains")

    def update_user_profile(self) -> ActionResult:
        rec = self._st_update(
            USER,
            self._user_key(),
            f"User profile {self.p('UserProfileName')}",
            {"UserSettings": self.p("UserSettings")},
        )
        return ActionResult({"UserProfileArn": rec["UserProfileArn"]})

    def delete_user_profile(self) -> EmptyResult:
        self._st_delete(USER, self._user_key(), f"User profile {self.p('UserProfileName')}")
        return EmptyResult()

    # ------------------------------------------------------------------ apps

    def _app_key(self) -> str:
        owner = self.p("UserProfileName") or self.p("SpaceName")
        return f"{self.p('DomainId')}/{owner}/{self.p('AppType')}/{self.p('AppName')}"

    def create_app(self) -> ActionResult:
        domain = self._st_domain()
        if not (self.p("UserProfileName") or self.p("SpaceName")):
            raise ValidationError(message="Either UserProfileName or SpaceName must be specified.")
        fields = {k: self.p(k) for k in ("UserProfileName", "SpaceName", "AppType", "ResourceSpec", "RecoveryMode")}
        fields["DomainId"] = domain
        owner = self.p("UserProfileName") or self.p("SpaceName")
        path = f"{domain}/{owner}/{str(self.p('AppType')).lower()}/{self.p('AppName')}"
        rec = create_record(
            self.ext, APP, self._app_key(), self.p("AppName"), fields, arn_path=path, tags=self.p("Tags")
        )
        return ActionResult({"AppArn": rec["AppArn"]})

    def describe_app(self) -> ActionResult:
        return self._st_describe(APP, self._app_key(), f"App {self.p('AppName')}")

    def list_apps(self) -> ActionResult:
        equals = {
            "DomainIdEquals": "DomainId",
            "UserProfileNameEquals": "UserProfileName",
            "SpaceNameEquals": "SpaceName",
        }
        return self._st_list(APP, "Apps", equals, None)

    def delete_app(self) -> EmptyResult:
        self._st_delete(APP, self._app_key(), f"App {self.p('AppName')}")
        return EmptyResult()

    # ------------------------------------------------------------------ monitoring schedules

    def create_monitoring_schedule(self) -> ActionResult:
        name = self.p("MonitoringScheduleName")
        config = self.p("MonitoringScheduleConfig")
        fields = {
            "MonitoringScheduleConfig": config,
            "MonitoringType": config.get("MonitoringType", "DataQuality"),
            "EndpointName": (config.get("MonitoringJobDefinition") or {})
            .get("MonitoringInputs", [{}])[0]
            .get("EndpointInput", {})
            .get("EndpointName"),
            "MonitoringJobDefinitionName": config.get("MonitoringJobDefinitionName"),
        }
        rec = create_record(self.ext, SCHEDULE, name, name, fields, tags=self.p("Tags"))
        return ActionResult({"MonitoringScheduleArn": rec["MonitoringScheduleArn"]})

    def describe_monitoring_schedule(self) -> ActionResult:
        name = self.p("MonitoringScheduleName")
        return self._st_describe(SCHEDULE, name, f"Monitoring schedule {name}")

    def list_monitoring_schedules(self) -> ActionResult:
        equals = {
            "EndpointName": "EndpointName",
            "MonitoringTypeEquals": "MonitoringType",
            "MonitoringJobDefinitionName": "MonitoringJobDefinitionName",
        }
        return self._st_list(SCHEDULE, "MonitoringScheduleSummaries", equals, None)

    def update_monitoring_schedule(self) -> ActionResult:
        name = self.p("MonitoringScheduleName")
        rec = self._st_update(
            SCHEDULE,
            name,
            f"Monitoring schedule {name}",
            {"MonitoringScheduleConfig": self.p("MonitoringScheduleConfig")},
        )
        return ActionResult({"MonitoringScheduleArn": rec["MonitoringScheduleArn"]})

    def delete_monitoring_schedule(self) -> EmptyResult:
        name = self.p("MonitoringScheduleName")
        self._st_get(SCHEDULE, name, f"Monitoring schedule {name}")
        self.ext.untrack(SCHEDULE.kind, name)
        self.ext.store(SCHEDULE.kind).pop(name, None)
        return EmptyResult()

    def start_monitoring_schedule(self) -> EmptyResult:
        name = self.p("MonitoringScheduleName")
        self._st_get(SCHEDULE, name, f"Monitoring schedule {name}")
        _move(self.ext, SCHEDULE, name, "Pending")
        return EmptyResult()

    def stop_monitoring_schedule(self) -> EmptyResult:
        name = self.p("MonitoringScheduleName")
        rec = self._st_get(SCHEDULE, name, f"Monitoring schedule {name}")
        self.ext.untrack(SCHEDULE.kind, name)
        rec["MonitoringScheduleStatus"] = "Stopped"
        rec["LastModifiedTime"] = utcnow()
        return EmptyResult()

    # ------------------------------------------------------------------ projects

    def create_project(self) -> ActionResult:
        name = self.p("ProjectName")
        project_id = f"p-{secrets.token_hex(6)}"
        fields = {k: self.p(k) for k in ("ProjectDescription", "ServiceCatalogProvisioningDetails")}
        fields.update(ProjectId=project_id, CreatedBy={"UserProfileName": "smtui"})
        rec = create_record(self.ext, PROJECT, name, name, fields, tags=self.p("Tags"))
        return ActionResult({"ProjectArn": rec["ProjectArn"], "ProjectId": project_id})

    def describe_project(self) -> ActionResult:
        name = self.p("ProjectName")
        return self._st_describe(PROJECT, name, f"Project {name}")

    def list_projects(self) -> ActionResult:
        return self._st_list(PROJECT, "ProjectSummaryList", {}, None)

    def update_project(self) -> ActionResult:
        name = self.p("ProjectName")
        rec = self._st_update(PROJECT, name, f"Project {name}", {"ProjectDescription": self.p("ProjectDescription")})
        return ActionResult({"ProjectArn": rec["ProjectArn"]})

    def delete_project(self) -> EmptyResult:
        name = self.p("ProjectName")
        self._st_delete(PROJECT, name, f"Project {name}")
        return EmptyResult()
