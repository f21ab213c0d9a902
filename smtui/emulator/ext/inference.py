"""Endpoints with moving statuses, UpdateEndpoint, and inference components (moto has none)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from smtui.emulator.ext.base import ActionResult, EmptyResult, ExtBase, ValidationError
from smtui.emulator.ext.state import (
    ExtState,
    Failer,
    Record,
    filter_sort,
    listed,
    moto_page,
    page,
    public,
    register_finder,
    store_finder,
    utcnow,
)
from smtui.emulator.lifecycle import GONE

IC = "inference-component"
EP = "endpoint"


MAX_COPY_STEPS = 8
"""A scale walks in at most this many steps: a copy count of 2**31 - 1 must not allocate a
step (or anything else) per copy."""


def copy_stride(current: int, desired: int) -> int:
    """How many copies each step moves (1 up to :data:`MAX_COPY_STEPS` copies away)."""
    distance = abs(desired - current)
    return max(1, -(-distance // MAX_COPY_STEPS))


def copy_steps(status: str, current: int, desired: int, final: str = "InService") -> tuple[dict[str, str], str]:
    """A chain of labels ``Status.k`` so each step moves the copy count toward ``desired``.

    The label suffix is dropped when the status is shown; it only lets one status repeat.
    """
    distance = abs(desired - current)
    if distance == 0:
        return {f"{status}.0": final}, f"{status}.0"
    count = -(-distance // copy_stride(current, desired))
    labels = [f"{status}.{k}" for k in range(count, 0, -1)]
    steps = {labels[i]: labels[i + 1] for i in range(len(labels) - 1)}
    steps[labels[-1]] = final
    return steps, labels[0]


def _ic_missing(name: str) -> Exception:
    return ValidationError(message=f"Could not find inference component '{name}'.")


def track_ic(state: ExtState, name: str, status: str, desired: int, fail_reason: str | None = None) -> None:
    """Walk an inference component from ``status`` to InService, one copy per step."""
    rec = state.store(IC)[name]
    runtime = rec.setdefault("RuntimeConfig", {"DesiredCopyCount": desired, "CurrentCopyCount": 0})
    runtime["DesiredCopyCount"] = desired
    steps, initial = copy_steps(status, int(runtime.get("CurrentCopyCount", 0)), desired)
    stride = copy_stride(int(runtime.get("CurrentCopyCount", 0)), desired)

    def apply(label: str) -> None:
        current = state.store(IC).get(name)
        if current is None:
            return
        shown = label.split(".")[0]
        rt = current["RuntimeConfig"]
        if label != initial:
            # Every step after the first one moves the copy count once toward the target.
            cur, want = int(rt["CurrentCopyCount"]), int(rt["DesiredCopyCount"])
            move = min(stride, abs(want - cur))
            rt["CurrentCopyCount"] = cur + (move if want > cur else -move)
        current["InferenceComponentStatus"] = shown
        current["LastModifiedTime"] = utcnow()

    def fail(reason: str) -> None:
        current = state.store(IC).get(name)
        if current is not None:
            current["InferenceComponentStatus"] = "Failed"
            current["FailureReason"] = reason
            current["LastModifiedTime"] = utcnow()
        state.untrack(IC, name)

    state.track(IC, name, steps, initial, apply, fail=fail, fail_reason=fail_reason, success={"InService"})


def create_ic(
    state: ExtState,
    name: str,
    endpoint_name: str,
    *,
    variant: str | None = None,
    spec: dict[str, Any] | None = None,
    copies: int = 1,
    tags: list[dict[str, str]] | None = None,
    fail_reason: str | None = None,
) -> Record:
    """Create an inference component in process (used by the handler and by seeds)."""
    endpoint = state.backend.endpoints.get(endpoint_name)
    if endpoint is None:
        raise ValidationError(message=f"Could not find endpoint '{state.arn('endpoint', endpoint_name)}'.")
    store = state.store(IC)
    arn = state.arn("inference-component", name)
    if name in store:
        raise ValidationError(message=f'Cannot create already existing inference component "{arn}".')
    variants = endpoint.production_variants or [{"VariantName": "AllTraffic"}]
    now = utcnow()
    store[name] = {
        "InferenceComponentName": name,
        "InferenceComponentArn": arn,
        "EndpointName": endpoint_name,
        "EndpointArn": endpoint.arn,
        "VariantName": variant or variants[0]["VariantName"],
        "Specification": copy.deepcopy(spec or {}),
        "RuntimeConfig": {"DesiredCopyCount": copies, "CurrentCopyCount": 0},
        "CreationTime": now,
        "LastModifiedTime": now,
        "InferenceComponentStatus": "Creating",
        "_tags": list(tags or []),
    }
    track_ic(state, name, "Creating", copies, fail_reason)
    return store[name]


def scale_ic(state: ExtState, name: str, desired: int) -> Record:
    """Start moving an inference component's copy count toward ``desired``."""
    rec = state.store(IC).get(name)
    if rec is None:
        raise _ic_missing(name)
    if rec["InferenceComponentStatus"] in ("Creating", "Updating", "Deleting"):
        raise ValidationError(
            message=f"Inference component {rec['InferenceComponentArn']} is in "
            f"{rec['InferenceComponentStatus']} status and cannot be updated."
        )
    track_ic(state, name, "Updating", desired)
    return rec


PENDING = "smtui_pending"
"""Attribute of moto's endpoint object: the deployment an UpdateEndpoint is rolling out."""


def pending_summary(
    config_name: str, variants: list[dict[str, Any]], started: Any, current: list[dict[str, Any]]
) -> dict[str, Any]:
    """A PendingDeploymentSummary for the variants of ``config_name`` being deployed over the
    ``current`` ones (a variant of the same name is Updating, a new one Creating)."""
    now = {v["VariantName"]: v for v in current}
    summaries = []
    for variant in variants:
        summary: dict[str, Any] = {"VariantName": variant["VariantName"]}
        old = now.get(variant["VariantName"], {})
        if variant.get("InitialInstanceCount") is not None:
            summary.update(
                CurrentInstanceCount=int(old.get("CurrentInstanceCount", 0)),
                DesiredInstanceCount=variant["InitialInstanceCount"],
            )
        if variant.get("InitialVariantWeight") is not None:
            summary["DesiredWeight"] = variant["InitialVariantWeight"]
        if variant.get("InstanceType"):
            summary["InstanceType"] = variant["InstanceType"]
        summary["VariantStatus"] = [
            {
                "Status": "Updating" if old else "Creating",
                "StatusMessage": f"Deploying {config_name}",
                "StartTime": started,
            }
        ]
        summaries.append(summary)
    return {"EndpointConfigName": config_name, "ProductionVariants": summaries, "StartTime": started}


def track_endpoint(state: ExtState, name: str, initial: str, fail_reason: str | None = None) -> None:
    """Move an endpoint from Creating/Updating to InService, or from Deleting to gone.

    An update's new configuration becomes current only when it reaches InService; until
    then DescribeEndpoint shows it as the PendingDeploymentSummary."""
    backend = state.backend

    def apply(status: str) -> None:
        endpoint = backend.endpoints.get(name)
        if endpoint is None:
            return
        if status == GONE:
            del backend.endpoints[name]
            for ic_name, rec in list(state.store(IC).items()):
                if rec["EndpointName"] == name:
                    state.store(IC).pop(ic_name, None)
            return
        pending = endpoint.__dict__.get(PENDING)
        if status == "InService" and pending is not None and endpoint.endpoint_status == "Updating":
            endpoint.endpoint_config_name = pending["config"]
            endpoint.production_variants = endpoint._process_production_variants(pending["variants"])
        if status != "Updating":
            endpoint.__dict__.pop(PENDING, None)
        endpoint.endpoint_status = status
        endpoint.last_modified_time = utcnow()

    steps = {"Deleting": GONE} if initial == "Deleting" else {initial: "InService"}
    if initial == "RollingBack":
        steps = {"RollingBack": "InService"}
    state.track(EP, name, steps, initial, apply, fail=_endpoint_failer(state, name), fail_reason=fail_reason)


def _endpoint_failer(state: ExtState, name: str) -> Failer:
    def fail(reason: str) -> None:
        endpoint = state.backend.endpoints.get(name)
        if endpoint is None:
            state.untrack(EP, name)
            return
        endpoint.failure_reason = reason
        endpoint.last_modified_time = utcnow()
        if endpoint.__dict__.get(PENDING) is not None and endpoint.endpoint_status == "Updating":
            # A failed update rolls back: the endpoint keeps serving its current configuration.
            track_endpoint(state, name, "RollingBack")
            tracked = state.tracked.get((EP, name))
            if tracked is not None:
                tracked.fail_reason = None  # failed once: the rollback itself succeeds
            return
        endpoint.endpoint_status = "Failed"
        state.untrack(EP, name)

    return fail


@register_finder
def _find_endpoint(state: ExtState, name: str) -> Failer | None:
    return _endpoint_failer(state, name) if name in state.backend.endpoints else None


register_finder(store_finder(IC, "InferenceComponentStatus"))


_ENDPOINT_ATTRS = {
    "EndpointName": "endpoint_name",
    "EndpointStatus": "endpoint_status",
    "CreationTime": "creation_time",
    "LastModifiedTime": "last_modified_time",
}
_MODEL_ATTRS = {"ModelName": "model_name", "CreationTime": "creation_time"}


def _reader(attrs: dict[str, str]) -> Callable[[Any, str], Any]:
    def get(item: Any, key: str) -> Any:
        attr = attrs.get(key)
        return None if attr is None else getattr(item, attr, None)

    return get


def _endpoint_order(values: list[Any], query: Mapping[str, Any]) -> list[Any]:
    """moto's ListEndpoints filter and sort: NameContains is case-sensitive there."""
    contains = query.get("NameContains")
    if contains:
        values = [e for e in values if contains in e.endpoint_name]
    rest = {k: v for k, v in query.items() if k != "NameContains"}
    return filter_sort(values, rest, name_key="EndpointName", status_key="EndpointStatus", get=_reader(_ENDPOINT_ATTRS))


def _model_order(values: list[Any], query: Mapping[str, Any]) -> list[Any]:
    return filter_sort(values, query, name_key="ModelName", get=_reader(_MODEL_ATTRS))


class InferenceMixin(ExtBase):
    """Endpoint overlays and the InferenceComponent operations."""

    def list_endpoints(self) -> ActionResult:
        # moto's answer, without sorting every endpoint for every page.
        params: dict[str, Any] = dict(self.params)
        # Newest first unless asked otherwise, as SageMaker lists them (moto listed oldest
        # first, so an endpoint created a moment ago sat at the bottom of the list).
        query = {k: v for k, v in params.items() if v is not None}
        endpoints = listed(self.ext, EP, self.backend.endpoints, query, _endpoint_order)
        items, token = moto_page(endpoints, params)
        return ActionResult({"Endpoints": [e.summary() for e in items], "NextToken": token})

    def list_models(self) -> ActionResult:
        # moto answers every model at once, ignoring the request; this is SageMaker's ListModels
        # (newest first, pages of at most 100, the default kept large enough for what moto gave).
        params: dict[str, Any] = dict(self.params)
        models = listed(self.ext, "model", self.backend._models, params, _model_order)
        items, token = moto_page(models, params)
        summaries = [{"ModelName": m.model_name, "ModelArn": m.arn, "CreationTime": m.creation_time} for m in items]
        return ActionResult({"Models": summaries, "NextToken": token})

    def create_endpoint_config(self) -> Any:
        variants = self.p("ProductionVariants", [])
        role = self.p("ExecutionRoleArn")
        if any(not v.get("ModelName") for v in variants) and not role:
            # An endpoint for inference components has variants without a model, and
            # SageMaker then needs the role it deploys them with.
            raise ValidationError(
                message="ExecutionRoleArn is required when a production variant has no ModelName "
                "(an endpoint that hosts inference components)."
            )
        result = super().create_endpoint_config()
        config = self.backend.endpoint_configs[self.p("EndpointConfigName")]
        if role:
            config.execution_role_arn = role  # moto drops it; DescribeEndpointConfig shows it
        return result

    def create_endpoint(self) -> Any:
        result = super().create_endpoint()
        track_endpoint(self.ext, self.p("EndpointName"), "Creating", self.fail_reason)
        return result

    def describe_endpoint(self) -> Any:
        self.ext.touch(EP, self.p("EndpointName"))
        answer = super().describe_endpoint()
        endpoint = self.backend.endpoints.get(self.p("EndpointName"))
        pending = None if endpoint is None else endpoint.__dict__.get(PENDING)
        body = getattr(answer, "result", None)
        if pending is not None and isinstance(body, dict):
            body["PendingDeploymentSummary"] = pending_summary(
                pending["config"], pending["variants"], pending["started"], endpoint.production_variants or []
            )
        return answer

    def delete_endpoint(self) -> Any:
        name = self.p("EndpointName")
        if name not in self.backend.endpoints:
            return super().delete_endpoint()
        track_endpoint(self.ext, name, "Deleting")
        return EmptyResult()

    def update_endpoint(self) -> ActionResult:
        name, config_name = self.p("EndpointName"), self.p("EndpointConfigName")
        endpoint = self.backend.endpoints.get(name)
        if endpoint is None:
            raise ValidationError(message=f"Could not find endpoint '{self.ext.arn('endpoint', name)}'.")
        config = self.backend.endpoint_configs.get(config_name)
        if config is None:
            arn = self.ext.arn("endpoint-config", config_name)
            raise ValidationError(message=f"Could not find endpoint configuration '{arn}'.")
        if endpoint.endpoint_status not in ("InService", "Failed"):
            raise ValidationError(
                message=f"Cannot update in-progress endpoint '{endpoint.arn}' (status {endpoint.endpoint_status})."
            )
        # The current configuration keeps serving until the new one is deployed.
        endpoint.__dict__[PENDING] = {
            "config": config_name,
            "variants": copy.deepcopy(config.production_variants),
            "started": utcnow(),
        }
        endpoint.failure_reason = None
        endpoint.endpoint_status = "Updating"
        track_endpoint(self.ext, name, "Updating")
        return ActionResult({"EndpointArn": endpoint.arn})

    # -------------------------------------------------------------- inference components

    def create_inference_component(self) -> ActionResult:
        spec = self.p("Specification") or (self.p("Specifications") or [{}])[0]
        endpoint = self.backend.endpoints.get(self.p("EndpointName"))  # create_ic says when it is missing
        model = spec.get("ModelName")
        if endpoint is not None and model and model not in self.backend._models:
            raise ValidationError(message=f"Could not find model '{self.ext.arn('model', model)}'.")
        variant = self.p("VariantName")
        if endpoint is not None and variant:
            variants = [v["VariantName"] for v in endpoint.production_variants or []]
            if variants and variant not in variants:
                raise ValidationError(
                    message=f"Variant {variant} does not exist in endpoint {self.p('EndpointName')}: "
                    f"it has {', '.join(variants)}."
                )
        rec = create_ic(
            self.ext,
            self.p("InferenceComponentName"),
            self.p("EndpointName"),
            variant=self.p("VariantName"),
            spec=spec,
            copies=int((self.p("RuntimeConfig") or {}).get("CopyCount", 1)),
            tags=self.p("Tags"),
            fail_reason=self.fail_reason,
        )
        return ActionResult({"InferenceComponentArn": rec["InferenceComponentArn"]})

    def describe_inference_component(self) -> ActionResult:
        return self.describe_record(IC, self.p("InferenceComponentName"), _ic_missing)

    def list_inference_components(self) -> ActionResult:
        params: dict[str, Any] = dict(self.params)
        records = filter_sort(
            self.ext.store(IC).values(),
            params,
            name_key="InferenceComponentName",
            status_key="InferenceComponentStatus",
            equals={"EndpointNameEquals": "EndpointName", "VariantNameEquals": "VariantName"},
        )
        items, token = page(records, params)
        return ActionResult({"InferenceComponents": [public(r) for r in items], "NextToken": token})

    def update_inference_component(self) -> ActionResult:
        name = self.p("InferenceComponentName")
        rec = self.record(IC, name, _ic_missing)
        desired = int(rec["RuntimeConfig"]["DesiredCopyCount"])
        if self.p("RuntimeConfig"):
            desired = int(self.p("RuntimeConfig")["CopyCount"])
        scale_ic(self.ext, name, desired)
        spec = self.p("Specification") or (self.p("Specifications") or [None])[0]
        if spec:
            rec["Specification"] = copy.deepcopy(spec)
        if self.p("DeploymentConfig"):
            rec["LastDeploymentConfig"] = self.p("DeploymentConfig")
        return ActionResult({"InferenceComponentArn": rec["InferenceComponentArn"]})

    def update_inference_component_runtime_config(self) -> ActionResult:
        name = self.p("InferenceComponentName")
        desired = int(self.p("DesiredRuntimeConfig")["CopyCount"])
        rec = scale_ic(self.ext, name, desired)
        return ActionResult({"InferenceComponentArn": rec["InferenceComponentArn"]})

    def delete_inference_component(self) -> EmptyResult:
        name = self.p("InferenceComponentName")
        rec = self.record(IC, name, _ic_missing)
        state = self.ext

        def apply(status: str) -> None:
            if status == GONE:
                state.store(IC).pop(name, None)
            elif name in state.store(IC):
                state.store(IC)[name]["InferenceComponentStatus"] = status

        rec["InferenceComponentStatus"] = "Deleting"
        state.track(IC, name, {"Deleting": GONE}, "Deleting", apply)
        return EmptyResult()
