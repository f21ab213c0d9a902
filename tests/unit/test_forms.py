"""The form engine: fields from the model, client-side limits, request building, prefill."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from smtui.aws.errors import ResourceConflict, ValidationFailed
from smtui.aws.model import mutating_operations, operation
from smtui.catalog import default_catalog
from smtui.forms.fields import root_field
from smtui.forms.model import FormModel
from smtui.forms.values import build, to_state

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"


def model_with(op: str, state: dict[str, Any]) -> FormModel:
    model = FormModel(op)
    model.load(state)
    return model


def problem_at(model: FormModel, *path: Any) -> Any:
    found = [p for p in model.problems() if p.path == tuple(path)]
    assert found, f"no problem at {path}: {model.problems()}"
    return found[0]


# ------------------------------------------------------------------ every kind of limit
def test_missing_required_member_is_rejected_as_required() -> None:
    model = model_with("CreateMlflowTrackingServer", {"ArtifactStoreUri": "s3://b/a", "RoleArn": ROLE})
    problem = problem_at(model, "TrackingServerName")
    assert problem.kind == "required"
    assert "required" in problem.message


def test_too_long_string_is_rejected_naming_the_maximum_length() -> None:
    model = model_with("CreateMlflowTrackingServer", {"TrackingServerName": "a" * 257})
    problem = problem_at(model, "TrackingServerName")
    assert problem.kind == "length"
    assert "256" in problem.message


def test_string_breaking_the_pattern_is_rejected_naming_the_pattern() -> None:
    model = model_with("CreateMlflowTrackingServer", {"TrackingServerName": "-leading-dash"})
    problem = problem_at(model, "TrackingServerName")
    assert problem.kind == "pattern"
    assert "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}" in problem.message


def test_value_outside_the_enum_is_rejected_listing_the_choices() -> None:
    model = model_with("CreateMlflowTrackingServer", {"TrackingServerSize": "Huge"})
    problem = problem_at(model, "TrackingServerSize")
    assert problem.kind == "enum"
    assert "Small" in problem.message


def test_numbers_outside_their_range_are_rejected_naming_the_bound() -> None:
    state = {
        "Specification": {
            "ComputeResourceRequirements": {"MinMemoryRequiredInMb": "64", "NumberOfCpuCoresRequired": "0.1"},
            "StartupParameters": {"ModelDataDownloadTimeoutInSeconds": "4000"},
        }
    }
    model = model_with("CreateInferenceComponent", state)
    spec = ("Specification", "ComputeResourceRequirements")
    assert problem_at(model, *spec, "MinMemoryRequiredInMb").message == "must be at least 128"
    assert problem_at(model, *spec, "NumberOfCpuCoresRequired").message == "must be at least 0.25"
    timeout = problem_at(model, "Specification", "StartupParameters", "ModelDataDownloadTimeoutInSeconds")
    assert (timeout.kind, timeout.message) == ("range", "must be at most 3600")


def test_too_many_list_items_are_rejected_naming_the_list_limit() -> None:
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    model = model_with("CreateEndpoint", {"Tags": tags})
    problem = problem_at(model, "Tags")
    assert problem.kind == "list-size"
    assert "50" in problem.message


def test_an_empty_list_item_is_reported_rather_than_silently_dropped() -> None:
    model = model_with("CreateTrainingJob", {"InputDataConfig": [{}]})
    assert problem_at(model, "InputDataConfig", 0).kind == "required"


@pytest.mark.parametrize(
    ("path", "raw", "words"),
    [
        (("RuntimeConfig", "CopyCount"), "two", "whole number"),
        (("Specification", "ComputeResourceRequirements", "NumberOfCpuCoresRequired"), "lots", "number"),
    ],
)
def test_unparsable_numbers_are_reported_and_kept_as_typed(path: tuple[str, ...], raw: str, words: str) -> None:
    model = FormModel("CreateInferenceComponent")
    model.set(path, raw)
    problems = [p for p in model.problems() if p.path == path]
    assert len(problems) == 1  # not also "is required"
    assert words in problems[0].message
    assert model.get(path) == raw


def test_unparsable_timestamp_is_reported() -> None:
    model = model_with("CreateTrialComponent", {"TrialComponentName": "t", "StartTime": "yesterday"})
    assert problem_at(model, "StartTime").kind == "type"


def test_a_valid_form_has_no_problems() -> None:
    state = {"TrackingServerName": "mlflow-1", "ArtifactStoreUri": "s3://bucket/mlflow", "RoleArn": ROLE}
    assert model_with("CreateMlflowTrackingServer", state).problems() == []


# ------------------------------------------------------------------ building requests
def test_request_builds_nested_structures_lists_maps_tags_and_numbers() -> None:
    model = FormModel("CreateInferenceComponent")
    model.set(("InferenceComponentName",), "ic-1")
    model.set(("EndpointName",), "ep")
    model.set(("Specification", "ModelName"), "m")
    model.set(("Specification", "ComputeResourceRequirements", "MinMemoryRequiredInMb"), "1024")
    model.set(("Specification", "ComputeResourceRequirements", "NumberOfCpuCoresRequired"), "0.5")
    env = ("Specification", "Container", "Environment")
    entry = model.add_item(env)
    model.set_map_key((*env, entry), "HF_MODEL_ID")
    model.set((*env, entry), "meta/llama")
    tag = model.add_item(("Tags",))
    model.set(("Tags", tag, "Key"), "team")
    model.set(("Tags", tag, "Value"), "")  # an empty tag value is legal and is sent
    model.set(("RuntimeConfig", "CopyCount"), "2")
    assert model.problems() == []
    assert model.request() == {
        "InferenceComponentName": "ic-1",
        "EndpointName": "ep",
        "Specification": {
            "ModelName": "m",
            "Container": {"Environment": {"HF_MODEL_ID": "meta/llama"}},
            "ComputeResourceRequirements": {"NumberOfCpuCoresRequired": 0.5, "MinMemoryRequiredInMb": 1024},
        },
        "RuntimeConfig": {"CopyCount": 2},
        "Tags": [{"Key": "team", "Value": ""}],
    }


def test_empty_fields_and_sections_are_left_out_of_the_request() -> None:
    state = {"EndpointName": "ep", "EndpointConfigName": "", "DeploymentConfig": {"RollingUpdatePolicy": {}}}
    assert model_with("CreateEndpoint", state).request() == {"EndpointName": "ep"}


def test_timestamps_parse_from_iso_and_epoch_as_utc() -> None:
    field = root_field("CreateTrialComponent")
    value, problems = build(field, {"TrialComponentName": "t", "StartTime": "2025-01-31T12:00:00Z"})
    assert problems == []
    assert value["StartTime"] == dt.datetime(2025, 1, 31, 12, tzinfo=dt.UTC)
    value, _ = build(field, {"TrialComponentName": "t", "EndTime": "0"})
    assert value["EndTime"] == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def test_booleans_are_sent_only_when_set() -> None:
    model = model_with("CreateMlflowTrackingServer", {"AutomaticModelRegistration": False})
    assert model.request() == {"AutomaticModelRegistration": False}
    assert model_with("CreateMlflowTrackingServer", {"AutomaticModelRegistration": None}).request() == {}


def test_duplicate_map_keys_are_reported() -> None:
    state = {"Environment": [["A", "1"], ["A", "2"]]}
    model = model_with("CreateTrainingJob", state)
    assert any(p.kind == "duplicate" and p.path == ("Environment", 1) for p in model.problems())


def test_a_request_survives_the_round_trip_through_form_state() -> None:
    request = {
        "EndpointConfigName": "cfg",
        "ProductionVariants": [
            {
                "VariantName": "AllTraffic",
                "ModelName": "m",
                "InitialInstanceCount": 2,
                "InstanceType": "ml.g5.xlarge",
            }
        ],
        "Tags": [{"Key": "a", "Value": "b"}],
        "EnableNetworkIsolation": True,
    }
    field = root_field("CreateEndpointConfig")
    rebuilt, problems = build(field, to_state(field, request))
    assert problems == []
    assert rebuilt == request


# ------------------------------------------------------------------ the field tree
def test_fields_carry_documentation_limits_and_required_marks() -> None:
    root = root_field("CreateInferenceComponent")
    name = root.child("InferenceComponentName")
    assert name is not None and name.required
    assert "<p>" not in name.doc and name.doc
    spec = root.child("Specification")
    assert spec is not None and spec.kind == "structure" and not spec.required
    instance_type = spec.child("InstanceType")
    assert instance_type is not None and instance_type.kind == "enum"
    assert len(instance_type.enum) > 200  # every instance type, for the searchable picker
    tags = root.child("Tags")
    assert tags is not None and tags.is_tags and "50 items" in tags.limits()


def test_client_tokens_are_not_asked_for() -> None:
    assert root_field("CreateEndpoint").child("ClientToken") is None
    assert all(c.name != "ClientToken" for c in root_field("CreateMlflowTrackingServer").children)


def test_every_mutating_operation_of_the_catalogue_gets_a_form() -> None:
    ops = {op for rtype in default_catalog().all() for _, op in rtype.actions} & mutating_operations()
    assert len(ops) > 50
    for op in sorted(ops):
        model = FormModel(op)
        problems = model.problems()  # an empty form only lacks its required members
        shape = operation(op).input_shape
        required = set(shape.required_members) if shape is not None else set()
        assert {p.path[0] for p in problems} == required, op


# ------------------------------------------------------------------ prefill
def test_update_cluster_prefills_instance_counts_from_the_described_cluster() -> None:
    record = {
        "ClusterName": "train",
        "ClusterStatus": "InService",
        "InstanceGroups": [
            {
                "InstanceGroupName": "workers",
                "CurrentCount": 2,
                "TargetCount": 4,
                "InstanceType": "ml.p5.48xlarge",
                "ExecutionRole": ROLE,
                "LifeCycleConfig": {"SourceS3Uri": "s3://b/lc", "OnCreate": "on_create.sh"},
            }
        ],
    }
    model = FormModel("UpdateCluster")
    model.prefill(record)
    assert model.problems() == []
    group = model.request()["InstanceGroups"][0]
    assert group["InstanceCount"] == 4
    assert group["InstanceType"] == "ml.p5.48xlarge"
    assert "CurrentCount" not in group
    assert not model.changed


def test_copy_count_form_prefills_the_desired_copies() -> None:
    model = FormModel("UpdateInferenceComponentRuntimeConfig")
    model.prefill({"InferenceComponentName": "ic-1", "RuntimeConfig": {"DesiredCopyCount": 3, "CurrentCopyCount": 1}})
    assert model.request() == {"InferenceComponentName": "ic-1", "DesiredRuntimeConfig": {"CopyCount": 3}}


def test_a_plain_delete_needs_no_form() -> None:
    model = FormModel("DeleteCluster")
    model.prefill({"ClusterName": "train", "ClusterStatus": "InService"})
    assert model.is_complete_without_input()
    assert model.request() == {"ClusterName": "train"}


def test_create_forms_start_from_curated_defaults_not_from_the_selected_record() -> None:
    model = FormModel("CreateInferenceComponent")
    model.prefill({"InferenceComponentName": "other", "EndpointName": "ep", "VariantName": "AllTraffic"})
    request = model.request()
    assert "InferenceComponentName" not in request
    assert request["EndpointName"] == "ep"
    assert request["RuntimeConfig"] == {"CopyCount": 1}


def test_changing_a_value_marks_the_form_changed() -> None:
    model = FormModel("CreateEndpoint")
    model.prefill(None)
    assert not model.changed
    model.set(("EndpointName",), "ep")
    assert model.changed


# ------------------------------------------------------------------ server errors
def test_a_validation_exception_path_is_tied_back_to_its_field() -> None:
    model = model_with("CreateInferenceComponent", {"Tags": [{"Key": "a", "Value": "b"}, {"Key": "x"}]})
    message = (
        "2 validation errors detected: Value 'x' at 'tags.2.member.value' failed to satisfy constraint: "
        "Member must not be null; Value '64' at 'specification.computeResourceRequirements."
        "minMemoryRequiredInMb' failed to satisfy constraint: "
        "Member must have value greater than or equal to 128"
    )
    model.set_server_error(ValidationFailed(message, code="ValidationException"))
    paths = [p.path for p in model.server_problems]
    assert paths == [
        ("Tags", 1, "Value"),
        ("Specification", "ComputeResourceRequirements", "MinMemoryRequiredInMb"),
    ]
    assert "greater than or equal to 128" in model.server_problems[1].message
    assert ("Tags", 1, "Value") in model.problems_by_path()


def test_a_map_key_in_a_server_path_maps_to_its_entry() -> None:
    model = model_with("CreateTrainingJob", {"Environment": [["A", "1"], ["BAD", "2"]]})
    model.set_server_error(
        ValidationFailed("Value '2' at 'environment.BAD' failed to satisfy constraint: Member must be short")
    )
    assert model.state_path(model.server_problems[0].path) == ("Environment", 1)


def test_already_exists_conflict_points_at_the_name_field() -> None:
    model = model_with("CreateEndpoint", {"EndpointName": "ep", "EndpointConfigName": "cfg"})
    model.set_server_error(ResourceConflict('Cannot create already existing endpoint "arn:...:endpoint/ep".'))
    assert [p.path for p in model.server_problems] == [("EndpointName",)]


def test_an_error_naming_a_member_points_at_it() -> None:
    model = model_with("CreateEndpoint", {"EndpointName": "ep", "EndpointConfigName": "cfg"})
    model.set_server_error(ValidationFailed("Could not find endpoint configuration 'cfg'."))
    assert [p.path for p in model.server_problems] == [("EndpointConfigName",)]


def test_editing_a_field_clears_the_server_complaint_about_it_only() -> None:
    model = model_with("CreateEndpoint", {"EndpointName": "ep", "EndpointConfigName": "cfg"})
    model.set_server_error(
        ValidationFailed(
            "Value 'ep' at 'endpointName' failed to satisfy constraint: x; "
            "Value 'cfg' at 'endpointConfigName' failed to satisfy constraint: y"
        )
    )
    model.clear_server_error([("EndpointName",)])
    assert [p.path for p in model.server_problems] == [("EndpointConfigName",)]


def test_already_exists_naming_the_value_points_at_the_name_field() -> None:
    state = {"TrackingServerName": "mlflow-1", "ArtifactStoreUri": "s3://b/m", "RoleArn": ROLE}
    model = model_with("CreateMlflowTrackingServer", state)
    model.set_server_error(ValidationFailed("Tracking server mlflow-1 already exists."))
    assert [p.path for p in model.server_problems] == [("TrackingServerName",)]


def test_a_limit_error_is_not_pinned_on_the_name_field() -> None:
    model = model_with("CreateEndpoint", {"EndpointName": "ep", "EndpointConfigName": "cfg"})
    model.set_server_error(ResourceConflict("The account-level service limit for ml.g5.xlarge is 0."))
    assert model.server_problems == []


def test_an_open_ended_integer_shows_the_wire_limit_it_is_checked_against() -> None:
    """Found by a review: CopyCount's hint said "≥ 0", which invited 99999999999999999999."""
    model = FormModel("UpdateInferenceComponentRuntimeConfig")
    copies = model.root.at(("DesiredRuntimeConfig", "CopyCount"))
    assert copies is not None and copies.limits() == f"0–{2**31 - 1}"
    model.set(("InferenceComponentName",), "ic")
    model.set(("DesiredRuntimeConfig", "CopyCount"), str(2**31))
    assert any(str(2**31 - 1) in p.message for p in model.problems())  # the message names the limit
