"""Service-model helpers: read-only classification, doc text, list-operation metadata."""

from __future__ import annotations

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
        "CreatePresignedDomainUrl",
        "CreatePresignedMlflowTrackingServerUrl",
        "CreatePresignedNotebookInstanceUrl",
    ],
)
def test_reads_and_presigned_urls_are_not_mutating(op: str) -> None:
    assert not model.is_mutating(op)
    assert op not in model.mutating_operations()


def test_unknown_operation_fails_closed() -> None:
    assert model.is_mutating("ListNothingAtAll")


def test_every_create_update_delete_is_mutating() -> None:
    for op in model.operation_names():
        if op.startswith(("Create", "Update", "Delete", "Stop", "Start")) and "Presigned" not in op:
            assert model.is_mutating(op), op


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
