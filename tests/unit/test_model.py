"""Service-model helpers: read-only classification, doc text, list-operation metadata."""

from __future__ import annotations

import re

import pytest

from smtui.aws import model


def test_service_model_is_sagemaker_and_cached() -> None:
    assert model.service_model().service_name == "sagemaker"
    assert model.service_model() is model.service_model()
    assert model.operation("ListTrainingJobs").name == "ListTrainingJobs"


@pytest.mark.parametrize(
    "op",
    [
        "CreateEndpoint",
        "UpdateEndpoint",
        "DeleteEndpoint",
        "StopTrainingJob",
        "StartNotebookInstance",
        "AddTags",
        "DeleteTags",
        "RegisterDevices",
        "AssociateTrialComponent",
        "BatchRebootClusterNodes",
        "BatchReplaceClusterNodes",
        "RetryPipelineExecution",
        "SendPipelineExecutionStepSuccess",
        "UpdateInferenceComponentRuntimeConfig",
        "PutModelPackageGroupPolicy",
        "StartClusterHealthCheck",
        "BatchAddClusterNodes",
        "ImportHubContent",
        "ExtendTrainingPlan",
        # A presigned URL signs its holder into Studio, a notebook or MLflow with write access.
        "CreatePresignedDomainUrl",
        "CreatePresignedMlflowTrackingServerUrl",
        "CreatePresignedNotebookInstanceUrl",
        "CreatePartnerAppPresignedUrl",
        "CreateHubContentPresignedUrls",
    ],
)
def test_writes_are_mutating(op: str) -> None:
    assert model.is_mutating(op)
    assert op in model.mutating_operations()


@pytest.mark.parametrize(
    "op",
    [
        "ListTrainingJobs",
        "DescribeEndpoint",
        "GetModelPackageGroupPolicy",
        "Search",
        "BatchDescribeModelPackage",
        "QueryLineage",
        "RenderUiTemplate",
        "SearchTrainingPlanOfferings",
        "GetSearchSuggestions",
        "GetScalingConfigurationRecommendation",
        "DescribeClusterNode",
    ],
)
def test_reads_are_not_mutating(op: str) -> None:
    assert not model.is_mutating(op)
    assert op not in model.mutating_operations()


def test_unknown_operation_fails_closed() -> None:
    assert model.is_mutating("ListNothingAtAll")


def test_every_create_update_delete_is_mutating() -> None:
    for op in model.operation_names():
        if op.startswith(("Create", "Update", "Delete", "Stop", "Start")):
            assert model.is_mutating(op), op


# Every verb the SageMaker model uses, sorted by hand into reads and writes. An operation with
# a verb in neither set (a botocore update brought a new kind) fails the test below, so a
# person decides which side it is on before the guard silently picks one.
_READ_VERBS = frozenset({"List", "Describe", "Get", "Search", "BatchDescribe", "Query", "Render"})
_WRITE_VERBS = frozenset(
    {
        "Create",
        "Update",
        "Delete",
        "Start",
        "Stop",
        "Add",
        "Attach",
        "Detach",
        "Associate",
        "Disassociate",
        "Register",
        "Deregister",
        "Enable",
        "Disable",
        "Extend",
        "Import",
        "Put",
        "Retry",
        "Send",
        "BatchAdd",
        "BatchDelete",
        "BatchReboot",
        "BatchReplace",
    }
)


def _verb(op: str) -> str:
    words = re.findall(r"[A-Z][a-z]*", op)
    return "".join(words[:2]) if words[0] == "Batch" else words[0]


def test_every_operation_of_the_model_is_classified() -> None:
    names = model.operation_names()
    assert len(names) > 300  # the whole SageMaker model, not a stub
    unsorted = sorted(op for op in names if _verb(op) not in _READ_VERBS | _WRITE_VERBS)
    assert not unsorted, f"new verbs: decide whether each reads or writes: {unsorted}"
    wrong = sorted(op for op in names if model.is_mutating(op) != (_verb(op) in _WRITE_VERBS))
    assert not wrong, wrong
    assert model.mutating_operations() == {op for op in names if _verb(op) in _WRITE_VERBS}
    # Both sides are well populated: neither rule degenerated into "everything".
    assert 100 < len(model.mutating_operations()) < len(names) - 100


def test_strip_html_paragraphs_lists_and_code() -> None:
    html = (
        "<p>Lists <code>TrainingJob</code> items &amp; more.</p>"
        "<ul><li><p>first <b>one</b></p></li><li>second</li></ul>"
        "<note><p>Filtered <i>after</i> paging.</p></note>"
    )
    assert model.strip_html(html) == (
        "Lists TrainingJob items & more.\n\n• first one\n• second\n\nFiltered after paging."
    )


def test_strip_html_on_real_doc_has_no_tags() -> None:
    text = model.strip_html(model.operation("ListTrainingJobs").documentation)
    assert "<" not in text and "StatusEquals" in text
    assert model.strip_html("") == ""


def test_list_items_key_and_summary_shape() -> None:
    assert model.list_items_key("ListTrainingJobs") == "TrainingJobSummaries"
    assert model.list_items_key("ListInferenceComponents") == "InferenceComponents"
    assert "TrainingJobStatus" in model.summary_shape("ListTrainingJobs").members


def test_server_filters() -> None:
    filters = model.server_filters("ListInferenceComponents")
    assert {"NameContains", "StatusEquals", "EndpointNameEquals", "SortBy", "CreationTimeAfter"} <= filters
    assert "MaxResults" not in filters and "NextToken" not in filters
    # A required parent name is not a filter.
    assert "ClusterName" not in model.server_filters("ListClusterNodes")
    assert model.server_filters("ListDomains") == frozenset()


def test_page_size() -> None:
    assert model.page_size_param("ListTrainingJobs") == "MaxResults"
    assert model.max_page_size("ListTrainingJobs") == 100
    assert model.max_page_size("ListClusterNodes") == 100


def test_member_shape_walks_structures_and_lists() -> None:
    describe = model.operation("DescribeEndpointConfig").output_shape
    shape = model.member_shape(describe, "ProductionVariants[].ModelName")
    assert shape is not None and shape.type_name == "string"
    assert model.member_shape(describe, "ProductionVariants.ModelName") is None
    assert model.member_shape(describe, "Nope") is None
    status = model.member_shape(model.summary_shape("ListClusterNodes"), "InstanceStatus.Status")
    assert "Failure" in model.enum_values(status)
