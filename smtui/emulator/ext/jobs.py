"""Training, processing and transform jobs: moving statuses, Stop*, and correct List*.

moto's List{Training,Processing,Transform}Jobs cut the page before filtering and ignore
SortBy/SortOrder; the overrides here filter, then sort, then paginate, as SageMaker does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from smtui.emulator.ext.base import ActionResult, EmptyResult, ExtBase, ValidationError
from smtui.emulator.ext.state import (
    ExtState,
    Failer,
    filter_sort,
    listed,
    page,
    public,
    register_finder,
    utcnow,
)

TJ = "training-job"
PJ = "processing-job"
XJ = "transform-job"

TRAINING_STEPS = {
    "Starting": "Downloading",
    "Downloading": "Training",
    "Training": "Uploading",
    "Uploading": "Completed",
    "Stopping": "Stopped",
}
MESSAGES = {
    "Starting": "Preparing the instances for training",
    "Downloading": "Downloading input data",
    "Training": "Training image download completed. Training in progress.",
    "Uploading": "Uploading generated training model",
    "Completed": "Training job completed",
    "Stopping": "Stopping the training job",
    "Stopped": "The training job was stopped",
    "Failed": "Training job failed",
    "MaxRuntimeExceeded": "Job exceeded the maximum allowed runtime",
}
_PRIMARY = {
    "Completed": "Completed",
    "Stopping": "Stopping",
    "Stopped": "Stopped",
    "Failed": "Failed",
    "MaxRuntimeExceeded": "Stopped",
}
_TERMINAL = ("Completed", "Stopped", "Failed", "MaxRuntimeExceeded")


def set_training_status(job: Any, secondary: str, reason: str | None = None, *, fresh: bool = False) -> None:
    """Move a moto training job to a secondary status, recording the transition as AWS does."""
    now = utcnow()
    transitions: list[dict[str, Any]] = [] if fresh else list(job.secondary_status_transitions or [])
    if transitions and transitions[-1].get("Status") not in _TERMINAL:
        transitions[-1]["EndTime"] = now
    entry: dict[str, Any] = {
        "Status": secondary,
        "StartTime": now,
        "StatusMessage": reason or MESSAGES[secondary],
    }
    if secondary in _TERMINAL:
        entry["EndTime"] = now
    transitions.append(entry)
    job.secondary_status_transitions = transitions
    job.secondary_status = secondary
    job.training_job_status = _PRIMARY.get(secondary, "InProgress")
    job.last_modified_time = now
    job.training_end_time = now if secondary in _TERMINAL else None
    if secondary == "Failed":
        job.failure_reason = reason
    if secondary in ("Starting", "Downloading"):
        job.final_metric_data_list = None
        job.training_start_time = job.creation_time


def _training_failer(state: ExtState, name: str) -> Failer:
    def fail(reason: str) -> None:
        job = state.backend.training_jobs.get(name)
        if job is not None:
            set_training_status(job, "Failed", reason)
        state.untrack(TJ, name)

    return fail


def track_training(state: ExtState, name: str, initial: str, fail_reason: str | None = None) -> None:
    """Walk a training job through its secondary statuses."""

    def apply(status: str) -> None:
        job = state.backend.training_jobs.get(name)
        if job is not None and job.secondary_status != status:
            set_training_status(job, status)

    job = state.backend.training_jobs[name]
    if initial == "Starting" or job.secondary_status != initial:
        set_training_status(job, initial, fresh=initial == "Starting")
    state.track(TJ, name, TRAINING_STEPS, initial, apply, fail=_training_failer(state, name), fail_reason=fail_reason)


def _simple_job(
    state: ExtState, kind: str, store_attr: str, status_attr: str, end_attr: str
) -> tuple[Callable[[str, str, str | None], None], Callable[[str], Failer | None]]:
    """Track/fail helpers for jobs with one status field (processing, transform)."""

    def set_status(job: Any, status: str, reason: str | None = None) -> None:
        now = utcnow()
        setattr(job, status_attr, status)
        job.last_modified_time = now
        setattr(job, end_attr, now if status in _TERMINAL else None)
        job.failure_reason = reason

    def failer(name: str) -> Failer | None:
        if name not in getattr(state.backend, store_attr):
            return None

        def fail(reason: str) -> None:
            job = getattr(state.backend, store_attr).get(name)
            if job is not None:
                set_status(job, "Failed", reason)
            state.untrack(kind, name)

        return fail

    def track(name: str, initial: str, fail_reason: str | None) -> None:
        def apply(status: str) -> None:
            job = getattr(state.backend, store_attr).get(name)
            if job is not None:
                set_status(job, status)

        steps = {"InProgress": "Completed", "Stopping": "Stopped"}
        state.track(kind, name, steps, initial, apply, fail=failer(name), fail_reason=fail_reason)

    return track, failer


def processing(
    state: ExtState,
) -> tuple[Callable[[str, str, str | None], None], Callable[[str], Failer | None]]:
    """Track/fail helpers for processing jobs."""
    return _simple_job(state, PJ, "processing_jobs", "processing_job_status", "processing_end_time")


def transform(
    state: ExtState,
) -> tuple[Callable[[str, str, str | None], None], Callable[[str], Failer | None]]:
    """Track/fail helpers for transform jobs."""
    return _simple_job(state, XJ, "transform_jobs", "transform_job_status", "transform_end_time")


@register_finder
def _find_training_job(state: ExtState, name: str) -> Failer | None:
    return _training_failer(state, name) if name in state.backend.training_jobs else None


@register_finder
def _find_processing_job(state: ExtState, name: str) -> Failer | None:
    return processing(state)[1](name)


@register_finder
def _find_transform_job(state: ExtState, name: str) -> Failer | None:
    return transform(state)[1](name)


def _summaries(jobs: Any, keys: dict[str, str]) -> list[dict[str, Any]]:
    return [{out: getattr(job, attr, None) for out, attr in keys.items()} for job in jobs]


class JobsMixin(ExtBase):
    """Training/processing/transform overlays."""

    def create_training_job(self) -> Any:
        if not self.p("ServerlessJobConfig"):
            # Optional in the model only because serverless jobs have neither; moto would
            # fail with a 500 on a missing algorithm, where SageMaker answers a 400.
            for member in ("AlgorithmSpecification", "ResourceConfig"):
                if not self.p(member):
                    raise ValidationError(
                        message=f"{member} is required for a training job without ServerlessJobConfig."
                    )
        elif not self.p("AlgorithmSpecification"):
            self.params["AlgorithmSpecification"] = {}  # moto writes into it
        result = super().create_training_job()
        track_training(self.ext, self.p("TrainingJobName"), "Starting", self.fail_reason)
        return result

    def describe_training_job(self) -> Any:
        self.ext.touch(TJ, self.p("TrainingJobName"))
        return super().describe_training_job()

    def stop_training_job(self) -> EmptyResult:
        name = self.p("TrainingJobName")
        job = self.backend.training_jobs.get(name)
        if job is None:
            raise ValidationError(message=f"Could not find training job '{self.ext.arn('training-job', name)}'.")
        if job.training_job_status != "InProgress":
            raise ValidationError(
                message=f"The request was rejected because the training job is in status {job.training_job_status}."
            )
        track_training(self.ext, name, "Stopping")
        return EmptyResult()

    def _job_list(self, kind: str, jobs: Any, keys: dict[str, str], name_key: str, status_key: str) -> ActionResult:
        params: dict[str, Any] = dict(self.params)

        def get(job: Any, key: str) -> Any:
            attr = keys.get(key)
            return None if attr is None else getattr(job, attr, None)

        if self.ext.filter_after_paging:
            order = {k: v for k, v in params.items() if k in ("SortBy", "SortOrder")}
            ordered = listed(
                self.ext,
                kind,
                jobs,
                order,
                lambda values, query: filter_sort(values, query, name_key=name_key, get=get),
            )
            window, token = page(ordered, params)
            items = filter_sort(window, params, name_key=name_key, status_key=status_key, get=get)
        else:
            records = listed(
                self.ext,
                kind,
                jobs,
                params,
                lambda values, query: filter_sort(values, query, name_key=name_key, status_key=status_key, get=get),
            )
            items, token = page(records, params)
        return ActionResult({kind: [public(r) for r in _summaries(items, keys)], "NextToken": token})

    def list_training_jobs(self) -> ActionResult:
        keys = {
            "TrainingJobName": "training_job_name",
            "TrainingJobArn": "arn",
            "CreationTime": "creation_time",
            "TrainingEndTime": "training_end_time",
            "LastModifiedTime": "last_modified_time",
            "TrainingJobStatus": "training_job_status",
            "SecondaryStatus": "secondary_status",
        }
        jobs = self.backend.training_jobs
        return self._job_list("TrainingJobSummaries", jobs, keys, "TrainingJobName", "TrainingJobStatus")

    # ------------------------------------------------------------------ processing

    def create_processing_job(self) -> Any:
        result = super().create_processing_job()
        name = self.p("ProcessingJobName")
        self.backend.processing_jobs[name].processing_end_time = None
        processing(self.ext)[0](name, "InProgress", self.fail_reason)
        return result

    def describe_processing_job(self) -> Any:
        self.ext.touch(PJ, self.p("ProcessingJobName"))
        return super().describe_processing_job()

    def stop_processing_job(self) -> ActionResult:
        name = self.p("ProcessingJobName")
        job = self.backend.processing_jobs.get(name)
        if job is None or job.processing_job_status != "InProgress":
            return super().stop_processing_job()
        processing(self.ext)[0](name, "Stopping", None)
        return EmptyResult()

    def list_processing_jobs(self) -> ActionResult:
        keys = {
            "ProcessingJobName": "processing_job_name",
            "ProcessingJobArn": "arn",
            "CreationTime": "creation_time",
            "ProcessingEndTime": "processing_end_time",
            "LastModifiedTime": "last_modified_time",
            "ProcessingJobStatus": "processing_job_status",
            "FailureReason": "failure_reason",
        }
        jobs = self.backend.processing_jobs
        return self._job_list("ProcessingJobSummaries", jobs, keys, "ProcessingJobName", "ProcessingJobStatus")

    # ------------------------------------------------------------------ transform

    def create_transform_job(self) -> Any:
        result = super().create_transform_job()
        name = self.p("TransformJobName")
        self.backend.transform_jobs[name].failure_reason = None
        transform(self.ext)[0](name, "InProgress", self.fail_reason)
        return result

    def describe_transform_job(self) -> Any:
        self.ext.touch(XJ, self.p("TransformJobName"))
        return super().describe_transform_job()

    def stop_transform_job(self) -> EmptyResult:
        name = self.p("TransformJobName")
        job = self.backend.transform_jobs.get(name)
        if job is None:
            raise ValidationError(message=f"Could not find transform job '{self.ext.arn('transform-job', name)}'.")
        if job.transform_job_status == "InProgress":
            transform(self.ext)[0](name, "Stopping", None)
        return EmptyResult()

    def list_transform_jobs(self) -> ActionResult:
        keys = {
            "TransformJobName": "transform_job_name",
            "TransformJobArn": "arn",
            "CreationTime": "creation_time",
            "TransformEndTime": "transform_end_time",
            "LastModifiedTime": "last_modified_time",
            "TransformJobStatus": "transform_job_status",
            "FailureReason": "failure_reason",
        }
        jobs = self.backend.transform_jobs
        return self._job_list("TransformJobSummaries", jobs, keys, "TransformJobName", "TransformJobStatus")
