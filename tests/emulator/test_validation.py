"""The shared validator: each kind of limit, and AWS's wording."""

from __future__ import annotations

from smtui.aws.validation import Problem, aws_message, aws_path, compiled_pattern, validate_operation

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"


def _server(**overrides: object) -> dict[str, object]:
    params: dict[str, object] = {
        "TrackingServerName": "ok-name",
        "ArtifactStoreUri": "s3://bucket/x",
        "RoleArn": ROLE,
    }
    params.update(overrides)
    return params


def test_valid_input_has_no_problems() -> None:
    assert validate_operation("CreateMlflowTrackingServer", _server()) == []


def test_required_member() -> None:
    problems = validate_operation("CreateMlflowTrackingServer", {"TrackingServerName": "x"})
    assert {(p.path, p.kind) for p in problems} == {
        (("ArtifactStoreUri",), "required"),
        (("RoleArn",), "required"),
    }
    assert "Value null at 'artifactStoreUri' failed to satisfy constraint: Member must not be null" in aws_message(
        problems
    )


def test_enum_and_pattern_use_aws_wording() -> None:
    problems = validate_operation(
        "CreateMlflowTrackingServer", _server(TrackingServerName="bad_name!", TrackingServerSize="Huge")
    )
    assert aws_message(problems) == (
        "2 validation errors detected: Value 'bad_name!' at 'trackingServerName' "
        "failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}; "
        "Value 'Huge' at 'trackingServerSize' failed to satisfy constraint: "
        "Member must satisfy enum value set: [Small, Medium, Large]"
    )
    assert [p.kind for p in problems] == ["pattern", "enum"]


def test_string_length_names_the_limit() -> None:
    problems = validate_operation(
        "CreateInferenceComponent", {"InferenceComponentName": "a" * 64, "EndpointName": "ep"}
    )
    assert len(problems) == 1
    assert problems[0].kind == "length"
    assert problems[0].message == "must be at most 63 characters"
    assert "Member must have length less than or equal to 63" in problems[0].aws_text()


def test_nested_range_path() -> None:
    params = {
        "InferenceComponentName": "ic",
        "EndpointName": "ep",
        "Specification": {"ComputeResourceRequirements": {"MinMemoryRequiredInMb": 5}},
    }
    [problem] = validate_operation("CreateInferenceComponent", params)
    assert problem.path == ("Specification", "ComputeResourceRequirements", "MinMemoryRequiredInMb")
    assert problem.kind == "range"
    assert problem.message == "must be at least 128"
    assert aws_path(problem.path) == "specification.computeResourceRequirements.minMemoryRequiredInMb"
    assert "Member must have value greater than or equal to 128" in problem.aws_text()


def test_max_value_and_list_size() -> None:
    problems = validate_operation("ListTrainingJobs", {"MaxResults": 500})
    assert [(p.kind, p.message) for p in problems] == [("range", "must be at most 100")]
    specs = [{"ModelName": "m"}] * 6
    problems = validate_operation(
        "CreateInferenceComponent",
        {"InferenceComponentName": "ic", "EndpointName": "ep", "Specifications": specs},
    )
    assert [(p.kind, p.path) for p in problems] == [("list-size", ("Specifications",))]


def test_list_member_paths_are_one_based_like_aws() -> None:
    problems = validate_operation(
        "CreateMlflowTrackingServer", _server(Tags=[{"Key": "ok", "Value": "v"}, {"Key": "k"}])
    )
    assert [p.path for p in problems] == [("Tags", 1, "Value")]
    assert "at 'tags.2.member.value'" in aws_message(problems)


def test_types() -> None:
    problems = validate_operation("ListTrainingJobs", {"MaxResults": "ten", "NameContains": 3})
    assert {p.kind for p in problems} == {"type"}
    assert len(problems) == 2


def test_unicode_property_patterns_use_regex_module() -> None:
    # Tag keys use \p{L}; the stdlib re module cannot compile them.
    ok = validate_operation("CreateMlflowTrackingServer", _server(Tags=[{"Key": "équipe", "Value": "x"}]))
    assert ok == []
    bad = validate_operation("CreateMlflowTrackingServer", _server(Tags=[{"Key": "bad!key", "Value": "x"}]))
    assert [p.kind for p in bad] == ["pattern"]


def test_uncompilable_patterns_are_skipped() -> None:
    assert compiled_pattern("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*") is None


def test_problem_is_frozen_and_single_error_wording() -> None:
    problem = Problem(("A",), "required", "is required", "Member must not be null")
    assert aws_message([problem]).startswith("1 validation error detected: Value null at 'a'")
