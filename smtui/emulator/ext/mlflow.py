"""MLflow tracking servers and MLflow apps (moto has neither)."""

from __future__ import annotations

import secrets
from typing import Any

from smtui.emulator.ext.base import ActionResult, ConflictException, ExtBase, ResourceNotFound, ValidationError
from smtui.emulator.ext.state import (
    ExtState,
    Record,
    filter_sort,
    page,
    public,
    record_lifecycle,
    register_finder,
    store_finder,
    utcnow,
)
from smtui.emulator.lifecycle import GONE

TS = "mlflow-tracking-server"
APP = "mlflow-app"

_FAILED = {
    "Creating": "CreateFailed",
    "Updating": "UpdateFailed",
    "Stopping": "StopFailed",
    "Starting": "StartFailed",
    "Deleting": "DeleteFailed",
}
_SETTLED = ("Created", "Updated", "Started", "MaintenanceComplete")


def failed_status(current: str) -> str:
    """The failed status AWS shows for a failure while in ``current``."""
    return _FAILED.get(current, "CreateFailed" if current not in _SETTLED else "MaintenanceFailed")


def _ts_missing(name: str) -> Exception:
    return ResourceNotFound(message=f"Tracking server '{name}' does not exist.")


def _set_active(rec: Record, status: str) -> None:
    rec["IsActive"] = "Inactive" if status in ("Stopped", "Stopping", "Deleting") else "Active"


def move_server(state: ExtState, name: str, initial: str, fail_reason: str | None = None) -> None:
    """Start a tracking server's walk from a transitional status."""
    final = {"Creating": "Created", "Updating": "Updated", "Stopping": "Stopped", "Starting": "Started"}
    steps = {"Deleting": GONE} if initial == "Deleting" else {initial: final[initial]}
    record_lifecycle(
        state,
        TS,
        name,
        "TrackingServerStatus",
        steps,
        initial,
        failed=failed_status,
        on_status=_set_active,
        fail_reason=fail_reason,
    )


def create_tracking_server(
    state: ExtState,
    name: str,
    *,
    artifact_store_uri: str,
    role_arn: str,
    size: str = "Small",
    version: str = "2.16.2",
    extra: dict[str, Any] | None = None,
    fail_reason: str | None = None,
) -> Record:
    """Create a tracking server in process (used by the handler and by seeds)."""
    store = state.store(TS)
    if name in store:
        raise ValidationError(message=f"Tracking server {name} already exists.")
    now = utcnow()
    user = {"UserProfileName": "smtui", "DomainId": "d-demo"}
    store[name] = {
        "TrackingServerArn": state.arn("mlflow-tracking-server", name),
        "TrackingServerName": name,
        "ArtifactStoreUri": artifact_store_uri,
        "TrackingServerSize": size,
        "MlflowVersion": version,
        "RoleArn": role_arn,
        "TrackingServerStatus": "Creating",
        "IsActive": "Active",
        "TrackingServerUrl": f"https://t-{secrets.token_hex(6)}.{state.region}.experiments.sagemaker.aws",
        "WeeklyMaintenanceWindowStart": "Tue:03:30",
        "AutomaticModelRegistration": False,
        "CreationTime": now,
        "CreatedBy": user,
        "LastModifiedTime": now,
        "LastModifiedBy": user,
        **(extra or {}),
    }
    move_server(state, name, "Creating", fail_reason)
    return store[name]


def _app_missing(arn: str) -> Exception:
    return ResourceNotFound(message=f"MLflow app '{arn}' does not exist.")


def create_mlflow_app(
    state: ExtState,
    name: str,
    *,
    artifact_store_uri: str,
    role_arn: str,
    extra: dict[str, Any] | None = None,
    fail_reason: str | None = None,
) -> Record:
    """Create an MLflow app in process (used by the handler and by seeds)."""
    store = state.store(APP)
    if name in store:
        raise ValidationError(message=f"MLflow app {name} already exists.")
    now = utcnow()
    store[name] = {
        "Arn": state.arn("mlflow-app", name),
        "Name": name,
        "ArtifactStoreUri": artifact_store_uri,
        "MlflowVersion": "3.0",
        "RoleArn": role_arn,
        "Status": "Creating",
        "ModelRegistrationMode": "AutoModelRegistrationDisabled",
        "AccountDefaultStatus": "DISABLED",
        "CreationTime": now,
        "LastModifiedTime": now,
        "WeeklyMaintenanceWindowStart": "Sun:02:00",
        **(extra or {}),
    }
    move_app(state, name, "Creating", fail_reason)
    return store[name]


def move_app(state: ExtState, name: str, initial: str, fail_reason: str | None = None) -> None:
    """Start an MLflow app's walk from a transitional status."""
    steps = {"Deleting": GONE} if initial == "Deleting" else {initial: initial.replace("ing", "ed")}
    record_lifecycle(state, APP, name, "Status", steps, initial, failed=failed_status, fail_reason=fail_reason)


register_finder(store_finder(TS, "TrackingServerStatus", failed_status))
register_finder(store_finder(APP, "Status", failed_status))


class MlflowMixin(ExtBase):
    """Create/Describe/List/Update/Start/Stop/Delete for tracking servers, and MLflow apps."""

    def _ml_server(self) -> tuple[str, Record]:
        name = self.p("TrackingServerName")
        return name, self.record(TS, name, _ts_missing)

    def _ml_require(self, rec: Record, allowed: tuple[str, ...], verb: str) -> None:
        status = rec["TrackingServerStatus"]
        if status not in allowed:
            raise ConflictException(f"Cannot {verb} tracking server {rec['TrackingServerName']} in status {status}.")

    def create_mlflow_tracking_server(self) -> ActionResult:
        extra = {
            k: self.p(k)
            for k in (
                "AutomaticModelRegistration",
                "WeeklyMaintenanceWindowStart",
                "S3BucketOwnerAccountId",
                "S3BucketOwnerVerification",
            )
            if self.p(k) is not None
        }
        extra["_tags"] = self.p("Tags", [])
        rec = create_tracking_server(
            self.ext,
            self.p("TrackingServerName"),
            artifact_store_uri=self.p("ArtifactStoreUri"),
            role_arn=self.p("RoleArn"),
            size=self.p("TrackingServerSize", "Small"),
            version=self.p("MlflowVersion", "2.16.2"),
            extra=extra,
            fail_reason=self.fail_reason,
        )
        return ActionResult({"TrackingServerArn": rec["TrackingServerArn"]})

    def describe_mlflow_tracking_server(self) -> ActionResult:
        return self.describe_record(TS, self.p("TrackingServerName"), _ts_missing)

    def list_mlflow_tracking_servers(self) -> ActionResult:
        params: dict[str, Any] = dict(self.params)
        records = filter_sort(
            self.ext.store(TS).values(),
            params,
            name_key="TrackingServerName",
            status_key="TrackingServerStatus",
            status_param="TrackingServerStatus",
            time_params=("CreatedAfter", "CreatedBefore"),
            equals={"MlflowVersion": "MlflowVersion"},
        )
        items, token = page(records, params)
        return ActionResult({"TrackingServerSummaries": [public(r) for r in items], "NextToken": token})

    def update_mlflow_tracking_server(self) -> ActionResult:
        name, rec = self._ml_server()
        self._ml_require(rec, (*_SETTLED, "Stopped", "UpdateFailed"), "update")
        for key in (
            "ArtifactStoreUri",
            "TrackingServerSize",
            "AutomaticModelRegistration",
            "WeeklyMaintenanceWindowStart",
            "S3BucketOwnerAccountId",
            "S3BucketOwnerVerification",
        ):
            if self.p(key) is not None:
                rec[key] = self.p(key)
        move_server(self.ext, name, "Updating")
        return ActionResult({"TrackingServerArn": rec["TrackingServerArn"]})

    def start_mlflow_tracking_server(self) -> ActionResult:
        name, rec = self._ml_server()
        self._ml_require(rec, ("Stopped", "StartFailed"), "start")
        move_server(self.ext, name, "Starting")
        return ActionResult({"TrackingServerArn": rec["TrackingServerArn"]})

    def stop_mlflow_tracking_server(self) -> ActionResult:
        name, rec = self._ml_server()
        self._ml_require(rec, (*_SETTLED, "StopFailed"), "stop")
        move_server(self.ext, name, "Stopping")
        return ActionResult({"TrackingServerArn": rec["TrackingServerArn"]})

    def delete_mlflow_tracking_server(self) -> ActionResult:
        name, rec = self._ml_server()
        move_server(self.ext, name, "Deleting")
        return ActionResult({"TrackingServerArn": rec["TrackingServerArn"]})

    def create_presigned_mlflow_tracking_server_url(self) -> ActionResult:
        _, rec = self._ml_server()
        if rec["IsActive"] != "Active":
            raise ValidationError(message=f"Tracking server {rec['TrackingServerName']} is not active.")
        token = secrets.token_urlsafe(24)
        return ActionResult({"AuthorizedUrl": f"{rec['TrackingServerUrl']}/auth?authToken={token}"})

    # ------------------------------------------------------------------ MLflow apps

    def _ml_app(self) -> tuple[str, Record]:
        arn = str(self.p("Arn"))
        for name, rec in self.ext.store(APP).items():
            if rec["Arn"] == arn:
                return name, rec
        raise _app_missing(arn)

    def create_mlflow_app(self) -> ActionResult:
        extra = {
            k: self.p(k)
            for k in (
                "KmsKeyId",
                "ModelRegistrationMode",
                "WeeklyMaintenanceWindowStart",
                "AccountDefaultStatus",
                "DefaultDomainIdList",
            )
            if self.p(k) is not None
        }
        extra["_tags"] = self.p("Tags", [])
        rec = create_mlflow_app(
            self.ext,
            self.p("Name"),
            artifact_store_uri=self.p("ArtifactStoreUri"),
            role_arn=self.p("RoleArn"),
            extra=extra,
            fail_reason=self.fail_reason,
        )
        return ActionResult({"Arn": rec["Arn"]})

    def describe_mlflow_app(self) -> ActionResult:
        name, _ = self._ml_app()
        self.ext.touch(APP, name)
        return ActionResult(public(self._ml_app()[1]))

    def list_mlflow_apps(self) -> ActionResult:
        params: dict[str, Any] = dict(self.params)
        records = [
            r
            for r in self.ext.store(APP).values()
            if not params.get("DefaultForDomainId") or params["DefaultForDomainId"] in r.get("DefaultDomainIdList", [])
        ]
        records = [
            dict(r)
            for r in filter_sort(
                records,
                params,
                name_key="Name",
                status_key="Status",
                status_param="Status",
                time_params=("CreatedAfter", "CreatedBefore"),
                equals={"MlflowVersion": "MlflowVersion", "AccountDefaultStatus": "AccountDefaultStatus"},
            )
        ]
        items, token = page(records, params)
        return ActionResult({"Summaries": [public(r) for r in items], "NextToken": token})

    def update_mlflow_app(self) -> ActionResult:
        name, rec = self._ml_app()
        if rec["Status"] in ("Creating", "Updating", "Deleting"):
            raise ConflictException(f"Cannot update MLflow app {name} in status {rec['Status']}.")
        for key in (
            "Name",
            "ArtifactStoreUri",
            "ModelRegistrationMode",
            "WeeklyMaintenanceWindowStart",
            "DefaultDomainIdList",
            "AccountDefaultStatus",
        ):
            if self.p(key) is not None and key != "Name":
                rec[key] = self.p(key)
        move_app(self.ext, name, "Updating")
        return ActionResult({"Arn": rec["Arn"]})

    def delete_mlflow_app(self) -> ActionResult:
        name, rec = self._ml_app()
        move_app(self.ext, name, "Deleting")
        return ActionResult({"Arn": rec["Arn"]})

    def create_presigned_mlflow_app_url(self) -> ActionResult:
        name, rec = self._ml_app()
        if rec["Status"] not in ("Created", "Updated", "InService"):
            raise ValidationError(message=f"MLflow app {name} is not ready (status {rec['Status']}).")
        token = secrets.token_urlsafe(24)
        host = f"app-{name}.{self.ext.region}.experiments.sagemaker.aws"
        return ActionResult({"AuthorizedUrl": f"https://{host}/auth?authToken={token}"})
