"""moto's own answers, corrected to their output shapes.

moto fills some members with placeholders (``FakeTrainingJobArn``), leaves out required ones
(ModelPackageName of a versioned package, a group's CreatedBy, a processing job's
ProcessingResources) or builds values outside the model's patterns (an SSO application ARN
for an IAM domain). Each override here keeps moto's answer and fixes only those members;
the shape test (tests/emulator/test_shapes.py) walks the demo account to find the next one.
"""

from __future__ import annotations

from typing import Any

from smtui.emulator.ext.base import ExtBase
from smtui.emulator.ext.clusters import epoch_of
from smtui.emulator.ext.state import moto_page

__all__ = ["CorrectionsMixin"]

_PLACEHOLDER_ARN = "FakeTrainingJobArn"


def _result(answer: Any) -> dict[str, Any] | None:
    """The dict inside moto's ActionResult, to correct in place (None if it holds an object)."""
    result = getattr(answer, "result", None)
    return result if isinstance(result, dict) else None


class CorrectionsMixin(ExtBase):
    """Overrides of moto handlers whose answers break their output shape."""

    def describe_model_package(self) -> Any:
        answer = super().describe_model_package()
        body = _result(answer)
        if body is not None:
            # A versioned package is named after its group; the statuses name the package
            # (a 63-character name, not its ARN).
            name = body.get("ModelPackageName") or body.get("ModelPackageGroupName")
            body["ModelPackageName"] = name
            details = body.get("ModelPackageStatusDetails") or {}
            for key in ("ValidationStatuses", "ImageScanStatuses"):
                for status in details.get(key) or []:
                    status["Name"] = name
        return answer

    def describe_model_package_group(self) -> Any:
        answer = super().describe_model_package_group()
        body = _result(answer)
        if body is not None and "CreatedBy" not in body:
            group = self.backend.model_package_groups.get(body.get("ModelPackageGroupName"))
            body["CreatedBy"] = dict(getattr(group, "created_by", None) or {})
        return answer

    def list_pipeline_executions(self) -> Any:
        """moto answers every execution, oldest first, with the reason ``"None"`` (a str of
        None) on each one that did not fail, and ignores the sort, time filters and paging.
        SageMaker lists newest first by default and pages; a reason is there only on failure."""
        answer = super().list_pipeline_executions()
        body = _result(answer)
        if body is None:
            return answer
        items = list(body.get("PipelineExecutionSummaries") or [])
        for item in items:
            if item.get("PipelineExecutionFailureReason") in (None, "", "None"):
                item.pop("PipelineExecutionFailureReason", None)
        after, before = self.p("CreatedAfter"), self.p("CreatedBefore")
        items = [
            i
            for i in items
            if (after is None or epoch_of(i.get("StartTime")) > epoch_of(after))
            and (before is None or epoch_of(i.get("StartTime")) < epoch_of(before))
        ]
        by_arn = self.p("SortBy") == "PipelineExecutionArn"
        items.sort(
            key=lambda i: str(i.get("PipelineExecutionArn")) if by_arn else epoch_of(i.get("StartTime")),
            reverse=(self.p("SortOrder") or "Descending") == "Descending",
        )
        params = {k: self.p(k) for k in ("PipelineName", "CreatedAfter", "CreatedBefore", "SortBy", "SortOrder")}
        page, token = moto_page(
            items,
            {**params, "MaxResults": self.p("MaxResults"), "NextToken": self.p("NextToken")},
            unique="PipelineExecutionArn",
            default=50,
        )
        body["PipelineExecutionSummaries"] = page
        if token:
            body["NextToken"] = token
        return answer

    def describe_domain(self) -> Any:
        answer = super().describe_domain()
        body = _result(answer)
        if body is not None and body.get("AuthMode") != "SSO":
            # Only an IAM Identity Center domain has an SSO application.
            body.pop("SingleSignOnManagedApplicationInstanceId", None)
            body.pop("SingleSignOnApplicationArn", None)
        return answer

    def create_feature_group(self) -> Any:
        # An online-only group has no OfflineStoreConfig, which the model allows; moto writes
        # into it regardless and answered an HTML 500. It gets a stand-in, dropped afterwards.
        offline = self.p("OfflineStoreConfig")
        if offline is None:
            self.params["OfflineStoreConfig"] = {"S3StorageConfig": {"S3Uri": "s3://smtui-offline-store-unused"}}
        answer = super().create_feature_group()
        group = self._feature_group(self.p("FeatureGroupName"))
        if group is not None:
            if offline is None:
                group.offline_store_config = None
            group.online_store_config = self.p("OnlineStoreConfig")  # moto drops it
        return answer

    def _feature_group(self, name: Any) -> Any:
        return next((g for g in self.backend.feature_groups.values() if g.feature_group_name == name), None)

    def describe_feature_group(self) -> Any:
        answer = super().describe_feature_group()
        body = _result(answer)
        if body is not None:
            # Required by the model (feature definitions page through it); one page here.
            body.setdefault("NextToken", "")
            if body.get("OfflineStoreConfig") is None:
                body.pop("OfflineStoreConfig", None)
            online = getattr(self._feature_group(body.get("FeatureGroupName")), "online_store_config", None)
            if online:
                body["OnlineStoreConfig"] = online
        return answer

    def describe_auto_ml_job_v2(self) -> Any:
        return self._automl_answer(super().describe_auto_ml_job_v2())

    @staticmethod
    def _automl_answer(answer: Any) -> Any:
        body = _result(answer)
        if body is not None:
            # moto invents a best candidate of "string" placeholders, and a deploy result
            # for an endpoint nobody asked for; no candidate ran here.
            body.pop("BestCandidate", None)
            if not body.get("ModelDeployConfig"):
                body.pop("ModelDeployResult", None)
        return answer

    def create_auto_ml_job_v2(self) -> Any:
        # ProblemType and CompletionCriteria are optional (SageMaker infers the one and has
        # defaults for the other); moto indexes both and answered an HTML 500. moto sees blank
        # ones, and the stored config loses them again.
        config = self.p("AutoMLProblemTypeConfig")
        blanks: list[tuple[dict[str, Any], str]] = []
        for job_config in config.values() if isinstance(config, dict) else ():
            if not isinstance(job_config, dict):
                continue
            for member, blank in (("CompletionCriteria", {}), ("ProblemType", "")):
                if member not in job_config and (member != "ProblemType" or "TargetAttributeName" in job_config):
                    job_config[member] = blank
                    blanks.append((job_config, member))
        try:
            return super().create_auto_ml_job_v2()
        finally:
            for job_config, member in blanks:
                job_config.pop(member, None)

    def describe_hyper_parameter_tuning_job(self) -> Any:
        answer = super().describe_hyper_parameter_tuning_job()
        body = _result(answer)
        if body is not None:
            # moto invents a best training job that does not exist; none ran here.
            for key in ("BestTrainingJob", "OverallBestTrainingJob"):
                best = body.get(key)
                if isinstance(best, dict) and best.get("TrainingJobArn") == _PLACEHOLDER_ARN:
                    body.pop(key)
            if not body.get("FailureReason"):
                body.pop("FailureReason", None)
        return answer

    def create_processing_job(self) -> Any:
        answer = super().create_processing_job()
        job = self.backend.processing_jobs.get(self.p("ProcessingJobName"))
        if job is not None:
            job.processing_resources = self.p("ProcessingResources")  # moto drops it
        return answer

    def describe_processing_job(self) -> Any:
        answer = super().describe_processing_job()
        body = _result(answer)
        job = self.backend.processing_jobs.get(self.p("ProcessingJobName"))
        if body is not None and job is not None and getattr(job, "processing_resources", None):
            body["ProcessingResources"] = job.processing_resources
        return answer
