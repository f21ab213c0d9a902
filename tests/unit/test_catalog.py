"""The resource catalogue: derived from the model, curated on top, checked against the model."""

from __future__ import annotations

from collections import Counter

import pytest

from smtui.aws import model
from smtui.catalog import Catalog, Column, Jump, ResourceType, classify_status, default_catalog, value_at
from smtui.catalog.derive import list_describe_pairs
from smtui.catalog.types import ARN_NAME_SUFFIX, LIST_PREFIX, resolve

CATALOG = default_catalog()
ALL = CATALOG.all()
CURATED_NAMES = {
    "clusters",
    "cluster-nodes",
    "inference-components",
    "endpoints",
    "endpoint-configs",
    "models",
    "training-jobs",
    "processing-jobs",
    "transform-jobs",
    "hyper-parameter-tuning-jobs",
    "pipelines",
    "pipeline-executions",
    "mlflow-tracking-servers",
    "mlflow-apps",
    "model-quality-job-definitions",
    "data-quality-job-definitions",
    "model-bias-job-definitions",
    "model-explainability-job-definitions",
    "monitoring-schedules",
    "model-packages",
    "model-package-groups",
    "domains",
    "user-profiles",
    "spaces",
    "apps",
    "notebook-instances",
    "feature-groups",
    "experiments",
}


def shape_path(path: str) -> str:
    """The model path behind a source path: ``A[].B:name`` -> ``A[].B`` (prefix kept)."""
    return path.removesuffix(ARN_NAME_SUFFIX)


def _path_exists(rtype: ResourceType, path: str) -> bool:
    """Whether a source path of ``rtype`` names something its list request or records carry."""
    path = shape_path(path)
    if path.startswith(LIST_PREFIX):
        return path.removeprefix(LIST_PREFIX) in model.operation(rtype.list_op).input_shape.members
    summary = model.summary_shape(rtype.list_op)
    describe = model.operation(rtype.describe_op).output_shape
    return model.member_shape(summary, path) is not None or model.member_shape(describe, path) is not None


def test_every_list_describe_pair_becomes_a_type() -> None:
    assert len(list_describe_pairs()) == 72
    assert len(ALL) == 72
    assert {t.list_op for t in ALL} == {lo for lo, _ in list_describe_pairs()}


def test_pairing_rules_cover_es_and_ies() -> None:
    pairs = dict(list_describe_pairs())
    assert pairs["ListTrainingJobs"] == "DescribeTrainingJob"
    assert pairs["ListCodeRepositories"] == "DescribeCodeRepository"
    assert pairs["ListInferenceRecommendationsJobs"] == "DescribeInferenceRecommendationsJob"


@pytest.mark.parametrize("rtype", ALL, ids=lambda t: t.name)
def test_type_operations_and_keys_exist_in_model(rtype: ResourceType) -> None:
    ops = model.operation_names()
    assert rtype.list_op in ops and rtype.describe_op in ops
    assert rtype.items_key in model.operation(rtype.list_op).output_shape.members
    summary = model.summary_shape(rtype.list_op)
    assert rtype.key_field in summary.members
    if rtype.arn_field is not None:
        assert rtype.arn_field in summary.members
    if rtype.status_field is not None:
        assert model.member_shape(summary, rtype.status_field) is not None
    if rtype.time_field is not None:
        shape = model.member_shape(summary, rtype.time_field)
        assert shape is not None and shape.type_name == "timestamp"
    assert rtype.server_filters <= set(model.operation(rtype.list_op).input_shape.members)


@pytest.mark.parametrize("rtype", ALL, ids=lambda t: t.name)
def test_describe_params_cover_required_inputs_and_resolve(rtype: ResourceType) -> None:
    describe_input = model.operation(rtype.describe_op).input_shape
    params = {param for param, _ in rtype.describe_params}
    assert set(describe_input.required_members) <= params
    assert params <= set(describe_input.members)
    for _, source in rtype.describe_params:
        if source.startswith(LIST_PREFIX):
            param = source.removeprefix(LIST_PREFIX)
            parent_params = {p for p, _ in rtype.parent.params} if rtype.parent else set()
            assert param in parent_params or param in rtype.required_inputs, (rtype.name, source)
        else:
            assert model.member_shape(model.summary_shape(rtype.list_op), shape_path(source)) is not None


@pytest.mark.parametrize("rtype", ALL, ids=lambda t: t.name)
def test_columns_exist_in_shapes(rtype: ResourceType) -> None:
    """Catches typos in curated column keys: each must walk through the model's shapes."""
    summary = model.summary_shape(rtype.list_op)
    describe = model.operation(rtype.describe_op).output_shape
    assert rtype.columns, rtype.name
    for column in rtype.columns:
        shape = describe if column.from_describe else summary
        target = model.member_shape(shape, column.key)
        assert target is not None, (rtype.name, column.key)
        assert column.kind in {"text", "status", "time", "number", "copies", "counts"}
        if column.kind == "counts":
            assert target.type_name == "list"
            for member in column.extra:
                assert member in target.member.members, (rtype.name, member)
        elif column.kind == "copies":
            assert all(model.member_shape(shape, key) is not None for key in column.extra)
        elif column.kind == "time":
            assert target.type_name == "timestamp", (rtype.name, column.key)
        if column.kind == "status":
            assert column.key == rtype.status_field


def test_curated_set_and_column_choices() -> None:
    assert {t.name for t in CATALOG.curated()} >= CURATED_NAMES
    ic = CATALOG.get("ic")
    copies = next(c for c in ic.columns if c.kind == "copies")
    assert copies.from_describe and copies.extra == ("RuntimeConfig.CurrentCopyCount",)
    nodes = CATALOG.get("nodes")
    assert nodes.status_field == "InstanceStatus.Status" and nodes.key_field == "InstanceId"
    assert any(c.kind == "counts" for c in CATALOG.get("hp").columns)


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("hp", "clusters"),
        ("clusters", "clusters"),
        ("nodes", "cluster-nodes"),
        ("hpn", "cluster-nodes"),
        ("ic", "inference-components"),
        ("ep", "endpoints"),
        ("epc", "endpoint-configs"),
        ("mo", "models"),
        ("models", "models"),
        ("tj", "training-jobs"),
        ("pj", "processing-jobs"),
        ("trj", "transform-jobs"),
        ("tf", "transform-jobs"),
        ("hpo", "hyper-parameter-tuning-jobs"),
        ("pl", "pipelines"),
        ("pe", "pipeline-executions"),
        ("mlflow", "mlflow-tracking-servers"),
        ("ts", "mlflow-tracking-servers"),
        ("mlapp", "mlflow-apps"),
        ("mq", "model-quality-job-definitions"),
        ("dq", "data-quality-job-definitions"),
        ("mb", "model-bias-job-definitions"),
        ("mx", "model-explainability-job-definitions"),
        ("ms", "monitoring-schedules"),
        ("mp", "model-packages"),
        ("mpg", "model-package-groups"),
        ("dom", "domains"),
        ("up", "user-profiles"),
        ("sp", "spaces"),
        ("app", "apps"),
        ("nb", "notebook-instances"),
        ("fg", "feature-groups"),
        ("exp", "experiments"),
        ("TrainingJob", "training-jobs"),
    ],
)
def test_aliases_resolve(alias: str, name: str) -> None:
    assert CATALOG.get(alias).name == name


def test_aliases_and_names_are_unique() -> None:
    words = Counter(word.lower() for t in ALL for word in t.all_names)
    assert [w for w, n in words.items() if n > 1] == []


def test_catalog_rejects_a_shared_alias() -> None:
    a, b = CATALOG.get("ep"), CATALOG.get("ic")
    clash = ResourceType(**{**b.__dict__, "aliases": ("ep",)})
    with pytest.raises(ValueError, match="'ep'"):
        Catalog([a, clash])


def test_every_name_is_reachable() -> None:
    for rtype in ALL:
        assert CATALOG.get(rtype.name) is rtype
        assert CATALOG.complete(rtype.name)[0] is rtype


def test_get_unknown_raises_with_hint() -> None:
    with pytest.raises(KeyError, match="training-jobs"):
        CATALOG.get("trainingjbs")
    assert CATALOG.find("nope-nothing") is None


def test_complete_ranks_exact_alias_then_fuzzy() -> None:
    assert CATALOG.complete("ic")[0].name == "inference-components"
    assert CATALOG.complete("trn")[0].name == "training-jobs"
    assert CATALOG.complete("endp")[0].name == "endpoints"
    assert CATALOG.complete("mlf")[0].name == "mlflow-tracking-servers"
    assert len(CATALOG.complete("e", limit=3)) == 3
    assert CATALOG.complete("zzzz") == []


@pytest.mark.parametrize("rtype", ALL, ids=lambda t: t.name)
def test_jumps_reference_valid_targets_and_params(rtype: ResourceType) -> None:
    keys = Counter(j.key for j in rtype.jumps)
    for jump in rtype.jumps:
        target = CATALOG.get(jump.target)
        assert target.name == jump.target
        modes = [bool(jump.list_params), jump.describe_from is not None, bool(jump.client_filter)]
        assert sum(modes) == 1, (rtype.name, jump)
        if keys[jump.key] > 1:
            assert jump.when, f"{rtype.name}: jumps sharing {jump.key!r} need conditions"
        target_inputs = model.operation(target.list_op).input_shape.members
        for param, source in jump.list_params:
            assert param in target_inputs, (rtype.name, param)
            assert _path_exists(rtype, source), (rtype.name, source)
        if jump.describe_from is not None:
            assert _path_exists(rtype, jump.describe_from), (rtype.name, jump.describe_from)
            # A describe jump names one resource, so the target must be described by one key.
            assert len([s for _, s in target.describe_params if not s.startswith(LIST_PREFIX)]) == 1
        for target_path, source in jump.client_filter:
            assert _path_exists(target, target_path), (target.name, target_path)
            assert _path_exists(rtype, source), (rtype.name, source)
        for source, _ in jump.when:
            assert _path_exists(rtype, source)


def test_required_jumps() -> None:
    def jump(type_name: str, target: str) -> Jump:
        return next(j for j in CATALOG.get(type_name).jumps if j.target == target)

    assert jump("endpoints", "endpoint-configs").describe_from == "EndpointConfigName"
    assert jump("endpoint-configs", "models").describe_from == "ProductionVariants[].ModelName"
    assert jump("endpoints", "inference-components").list_params == (("EndpointNameEquals", "EndpointName"),)
    assert jump("clusters", "cluster-nodes").list_params == (("ClusterName", "ClusterName"),)
    assert jump("training-jobs", "models").client_filter
    assert jump("pipelines", "pipeline-executions").list_params
    assert jump("inference-components", "endpoints").describe_from == "EndpointName"
    assert jump("cluster-nodes", "clusters").describe_from == "<list>.ClusterName"
    assert jump("model-package-groups", "model-packages").list_params
    for target in ("user-profiles", "spaces", "apps"):
        assert jump("domains", target).list_params == (("DomainIdEquals", "DomainId"),)


def test_monitoring_schedule_jumps_to_the_definition_of_its_type() -> None:
    schedule = CATALOG.get("ms")
    row = {"MonitoringType": "ModelBias", "MonitoringJobDefinitionName": "bias-def"}
    chosen = next(j for j in schedule.jumps if j.key == "j" and j.applies(row))
    assert chosen.target == "model-bias-job-definitions"
    assert chosen.describe_names(row) == ["bias-def"]


def test_jump_helpers_build_requests_and_filters() -> None:
    to_ic = next(j for j in CATALOG.get("ep").jumps if j.target == "inference-components")
    assert to_ic.list_request({"EndpointName": "prod"}) == {"EndpointNameEquals": "prod"}
    to_models = next(j for j in CATALOG.get("epc").jumps if j.target == "models")
    config = {"ProductionVariants": [{"ModelName": "a"}, {"ModelName": "b"}, {"ModelName": "a"}]}
    assert to_models.describe_names(config) == ["a", "b"]
    from_job = next(j for j in CATALOG.get("tj").jumps if j.target == "models")
    job = {"ModelArtifacts": {"S3ModelArtifacts": "s3://b/model.tar.gz"}}
    assert from_job.matches({"PrimaryContainer": {"ModelDataUrl": "s3://b/model.tar.gz"}}, job)
    assert not from_job.matches({"PrimaryContainer": {"ModelDataUrl": "s3://b/other.tar.gz"}}, job)
    assert not from_job.matches({}, job)


def test_children_have_parents_and_parent_params_are_list_inputs() -> None:
    children = [t for t in ALL if t.parent is not None]
    assert {"cluster-nodes", "pipeline-executions", "image-versions"} <= {t.name for t in children}
    assert {t.name for t in CATALOG.children_of("clusters")} == {"cluster-nodes", "cluster-events"}
    for child in children:
        assert child.parent is not None
        parent = CATALOG.get(child.parent.type_name)
        inputs = model.operation(child.list_op).input_shape.members
        for param, field in child.parent.params:
            assert param in inputs
            assert field in model.summary_shape(parent.list_op).members
    # Every required list input is supplied by a parent or declared for the UI to ask.
    for rtype in ALL:
        supplied = {p for p, _ in rtype.parent.params} if rtype.parent else set()
        assert set(model.required_list_params(rtype.list_op)) == supplied | set(rtype.required_inputs)


def test_describe_request_and_key_for_child_rows() -> None:
    nodes = CATALOG.get("nodes")
    row = {"InstanceId": "i-123", "InstanceGroupName": "workers", "InstanceStatus": {"Status": "Failure"}}
    assert nodes.describe_request(row, {"ClusterName": "c1"}) == {"ClusterName": "c1", "NodeId": "i-123"}
    assert nodes.key_of(row) == "i-123"
    assert nodes.status_of(row) == "Failure" and nodes.health("Failure") == "failed"
    apps = CATALOG.get("apps")
    app = {"DomainId": "d-1", "UserProfileName": "ann", "AppType": "JupyterLab", "AppName": "default"}
    assert apps.describe_request(app) == {
        "DomainId": "d-1",
        "UserProfileName": "ann",
        "AppType": "JupyterLab",
        "AppName": "default",
    }
    assert apps.key_of(app) != apps.key_of({**app, "UserProfileName": "bob"})
    sessions = CATALOG.get("training-sessions")
    arn = "arn:aws:sagemaker:us-east-1:123456789012:training-session/my-session"
    assert sessions.describe_request({"TrainingSessionArn": arn}) == {"TrainingSessionName": "my-session"}


@pytest.mark.parametrize(
    ("type_name", "status", "health"),
    [
        ("endpoints", "InService", "healthy"),
        ("endpoints", "Creating", "transitional"),
        ("endpoints", "SystemUpdating", "transitional"),
        ("endpoints", "RollingBack", "transitional"),
        ("endpoints", "Failed", "failed"),
        ("endpoints", "UpdateRollbackFailed", "failed"),
        ("endpoints", "OutOfService", "failed"),
        ("training-jobs", "Completed", "healthy"),
        ("training-jobs", "InProgress", "transitional"),
        ("training-jobs", "Stopped", "unknown"),
        ("cluster-nodes", "Running", "healthy"),
        ("cluster-nodes", "Pending", "transitional"),
        ("cluster-nodes", "DeepHealthCheckInProgress", "transitional"),
        ("cluster-nodes", "NotFound", "failed"),
        ("cluster-nodes", "ShuttingDown", "transitional"),
        ("domains", "Update_Failed", "failed"),
        ("image-versions", "CREATE_FAILED", "failed"),
        ("compilation-jobs", "INPROGRESS", "transitional"),
        ("pipeline-executions", "Executing", "transitional"),
        ("pipeline-executions", "CompletedWithFailures", "failed"),
        ("pipeline-executions", "Succeeded", "healthy"),
        ("mlflow-tracking-servers", "Created", "healthy"),
        ("mlflow-tracking-servers", "StopFailed", "failed"),
        ("clusters", "InService", "healthy"),
        ("feature-groups", "CreateFailed", "failed"),
        ("endpoints", None, "unknown"),
        ("endpoints", "SomeFutureFailed", "failed"),
    ],
)
def test_health_classification(type_name: str, status: str | None, health: str) -> None:
    assert CATALOG.get(type_name).health(status) == health


@pytest.mark.parametrize("rtype", [t for t in ALL if t.status_field], ids=lambda t: t.name)
def test_status_sets_partition_the_enum(rtype: ResourceType) -> None:
    assert rtype.status_field is not None
    enum = set(model.enum_values(model.member_shape(model.summary_shape(rtype.list_op), rtype.status_field)))
    sets = (rtype.transitional, rtype.failed, rtype.healthy)
    assert all(s <= enum for s in sets)
    assert not (rtype.transitional & rtype.failed or rtype.transitional & rtype.healthy or rtype.failed & rtype.healthy)
    # Every type that reports failure must say which value that is.
    if any("fail" in v.lower() for v in enum):
        assert rtype.failed


def test_classify_status_vocabulary() -> None:
    assert classify_status("IN_PROGRESS") == "transitional"
    assert classify_status("DeleteFailed") == "failed"
    assert classify_status("Running") == "healthy"
    assert classify_status("Deleted") == "unknown"
    assert classify_status("") == "unknown"


def test_actions_come_from_mutating_ops() -> None:
    for rtype in ALL:
        verbs = [verb for verb, _ in rtype.actions]
        assert len(verbs) == len(set(verbs)), rtype.name
        for _, op in rtype.actions:
            assert model.is_mutating(op), (rtype.name, op)
    endpoints = CATALOG.get("ep")
    assert endpoints.action("delete") == "DeleteEndpoint" and endpoints.action("create") == "CreateEndpoint"
    assert CATALOG.get("tj").action("stop") == "StopTrainingJob"
    assert CATALOG.get("nodes").action("reboot") == "BatchRebootClusterNodes"
    assert CATALOG.get("models").action("stop") is None


def test_groups_are_known() -> None:
    assert {t.group for t in ALL} <= {
        "HyperPod",
        "Inference",
        "Training",
        "MLflow",
        "Monitoring",
        "Studio",
        "Other",
    }
    assert CATALOG.get("hp").group == "HyperPod" and CATALOG.get("mlflow").group == "MLflow"


def test_generated_type_default_columns() -> None:
    hubs = CATALOG.get("hubs")
    assert not hubs.curated
    titles = [c.title for c in hubs.columns]
    assert titles[0] == "NAME" and titles[1] == "STATUS" and titles[-1] == "AGE"
    assert len(titles) <= 6
    assert not any(c.key.endswith("Arn") for c in hubs.columns)


def test_value_at_and_resolve() -> None:
    record = {"A": {"B": 1}, "L": [{"M": "x"}, {"M": "y"}, {}], "N": [{"O": [{"P": 1}, {"P": 2}]}]}
    assert value_at(record, "A.B") == 1
    assert value_at(record, "A.C") is None
    assert value_at(record, "Missing.Deep") is None
    assert value_at(record, "L[].M") == ["x", "y"]
    assert value_at(record, "N[].O[].P") == [1, 2]
    assert value_at(None, "A") is None
    assert resolve("<list>.ClusterName", {}, {"ClusterName": "c"}) == "c"
    assert resolve("Arn:name", {"Arn": "arn:aws:sagemaker:r:1:app/x/y"}) == "y"


def test_column_defaults() -> None:
    column = Column("X", "X")
    assert (column.kind, column.width, column.extra, column.from_describe) == ("text", None, (), False)


def test_no_jump_shares_the_logs_key() -> None:
    """l opens the logs of a type that has them, so a jump on l there is unreachable (notebook
    instances' lifecycle config was; help listed it anyway)."""
    clashes = [
        (rtype.name, jump.label)
        for rtype in default_catalog().all()
        if rtype.logs is not None
        for jump in rtype.jumps
        if jump.key == "l"
    ]
    assert clashes == []
