"""Moving statuses for resources moto keeps still: notebook instances, domains, pipeline
executions and hyperparameter tuning jobs.

moto creates each of them in its final state (InService, Succeeded, Completed), so a client
never sees Pending, Executing or InProgress, and no failure can happen. Here each walks its
statuses through :mod:`smtui.emulator.lifecycle` (paced like every other kind) and can be
made to fail: with ``emulator.fail(name, reason)``, or by an ``smtui:fail`` tag on its Create
(for an execution, on its pipeline, since StartPipelineExecution takes no tags).
"""

from __future__ import annotations

from typing import Any

from moto.sagemaker.utils import get_pipeline_execution_from_arn

from smtui.emulator.ext.base import (
    ActionResult,
    ConflictException,
    EmptyResult,
    ExtBase,
    ResourceInUseException,
    ResourceNotFound,
    ValidationError,
)
from smtui.emulator.ext.state import ExtState, Failer, fail_tag, register_finder, utcnow
from smtui.emulator.lifecycle import GONE

__all__ = ["MovingMixin", "track_domain", "track_execution", "track_notebook", "track_tuning"]

NB = "notebook-instance"
DOMAIN = "domain"
PE = "pipeline-execution"
HPO = "hyper-parameter-tuning-job"

_NB_STEPS = {"Pending": "InService", "Stopping": "Stopped", "Updating": "Stopped", "Deleting": GONE}
_DOMAIN_STEPS = {"Pending": "InService", "Updating": "InService", "Deleting": GONE}
_DOMAIN_FAILED = {"Updating": "Update_Failed", "Deleting": "Delete_Failed"}
_PE_STEPS = {"Executing": "Succeeded", "Stopping": "Stopped"}
_HPO_STEPS = {"InProgress": "Completed", "Stopping": "Stopped"}
_HPO_TERMINAL = ("Completed", "Stopped", "Failed")


def _notebook_failer(state: ExtState, name: str) -> Failer:
    def fail(reason: str) -> None:
        notebook = state.backend.notebook_instances.get(name)
        if notebook is not None:
            notebook.status = "Failed"
            notebook.failure_reason = reason
            notebook.last_modified_time = utcnow()
        state.untrack(NB, name)

    return fail


def track_notebook(state: ExtState, name: str, initial: str, fail_reason: str | None = None) -> None:
    """Walk a notebook instance from ``initial`` (Pending, Stopping, Updating, Deleting)."""

    def apply(status: str) -> None:
        notebook = state.backend.notebook_instances.get(name)
        if notebook is None:
            return
        if status == GONE:
            del state.backend.notebook_instances[name]
            return
        notebook.status = status
        notebook.last_modified_time = utcnow()
        if status in ("Pending", "InService"):
            notebook.failure_reason = None

    state.track(NB, name, _NB_STEPS, initial, apply, fail=_notebook_failer(state, name), fail_reason=fail_reason)


def _domain_failer(state: ExtState, domain_id: str) -> Failer:
    def fail(reason: str) -> None:
        domain = state.backend.domains.get(domain_id)
        if domain is not None:
            domain.status = _DOMAIN_FAILED.get(domain.status, "Failed")
            domain.failure_reason = reason
        state.untrack(DOMAIN, domain_id)

    return fail


def track_domain(state: ExtState, domain_id: str, initial: str, fail_reason: str | None = None) -> None:
    """Walk a domain from ``initial`` (Pending, Updating, Deleting)."""

    def apply(status: str) -> None:
        domain = state.backend.domains.get(domain_id)
        if domain is None:
            return
        if status == GONE:
            del state.backend.domains[domain_id]
            return
        domain.status = status

    state.track(
        DOMAIN, domain_id, _DOMAIN_STEPS, initial, apply, fail=_domain_failer(state, domain_id), fail_reason=fail_reason
    )


def _execution(state: ExtState, arn: str) -> Any:
    """A pipeline execution by ARN, or None."""
    for pipeline in state.backend.pipelines.values():
        execution = pipeline.pipeline_executions.get(arn)
        if execution is not None:
            return execution
    return None


def _execution_failer(state: ExtState, arn: str) -> Failer:
    def fail(reason: str) -> None:
        execution = _execution(state, arn)
        if execution is not None:
            execution.pipeline_execution_status = "Failed"
            execution.pipeline_execution_failure_reason = reason
            execution.last_modified_time = utcnow()
        state.untrack(PE, arn)

    return fail


def track_execution(state: ExtState, arn: str, initial: str, fail_reason: str | None = None) -> None:
    """Walk a pipeline execution from Executing (or Stopping) to its end."""

    def apply(status: str) -> None:
        execution = _execution(state, arn)
        if execution is not None:
            execution.pipeline_execution_status = status
            execution.last_modified_time = utcnow()

    state.track(PE, arn, _PE_STEPS, initial, apply, fail=_execution_failer(state, arn), fail_reason=fail_reason)


def _tuning_failer(state: ExtState, name: str) -> Failer:
    def fail(reason: str) -> None:
        job = state.backend.hyper_parameter_tuning_jobs.get(name)
        if job is not None:
            job.hyper_parameter_tuning_job_status = "Failed"
            job.failure_reason = reason
            job.last_modified_time = job.hyper_parameter_tuning_end_time = utcnow()
        state.untrack(HPO, name)

    return fail


def track_tuning(state: ExtState, name: str, initial: str, fail_reason: str | None = None) -> None:
    """Walk a tuning job from InProgress (or Stopping) to its end."""

    def apply(status: str) -> None:
        job = state.backend.hyper_parameter_tuning_jobs.get(name)
        if job is None:
            return
        job.hyper_parameter_tuning_job_status = status
        job.last_modified_time = utcnow()
        job.hyper_parameter_tuning_end_time = job.last_modified_time if status in _HPO_TERMINAL else None

    state.track(HPO, name, _HPO_STEPS, initial, apply, fail=_tuning_failer(state, name), fail_reason=fail_reason)


@register_finder
def _find_notebook_instance(state: ExtState, name: str) -> Failer | None:
    return _notebook_failer(state, name) if name in state.backend.notebook_instances else None


@register_finder
def _find_domain(state: ExtState, name: str) -> Failer | None:
    return _domain_failer(state, name) if name in state.backend.domains else None


@register_finder
def _find_pipeline_execution(state: ExtState, name: str) -> Failer | None:
    return _execution_failer(state, name) if _execution(state, name) is not None else None


@register_finder
def _find_hyper_parameter_tuning_job(state: ExtState, name: str) -> Failer | None:
    return _tuning_failer(state, name) if name in state.backend.hyper_parameter_tuning_jobs else None


def _body(answer: Any) -> dict[str, Any] | None:
    result = getattr(answer, "result", None)
    return result if isinstance(result, dict) else None


class MovingMixin(ExtBase):
    """Create/Start/Stop/Delete overlays that set the statuses moving."""

    # ------------------------------------------------------------------ notebook instances

    def _nb(self) -> Any:
        name = self.p("NotebookInstanceName")
        notebook = self.backend.notebook_instances.get(name)
        if notebook is None:
            raise ValidationError(message=f"RecordNotFound: notebook instance {name} does not exist.")
        return notebook

    def _nb_require(self, notebook: Any, allowed: tuple[str, ...], verb: str) -> None:
        if notebook.status not in allowed:
            raise ValidationError(
                message=f"Status ({notebook.status}) not in ([{', '.join(allowed)}]). "
                f"Unable to transition to ({verb}) for Notebook Instance ({notebook.arn})"
            )

    def create_notebook_instance(self) -> Any:
        answer = super().create_notebook_instance()
        name = self.p("NotebookInstanceName")
        track_notebook(self.ext, name, "Pending", self.fail_reason)
        return answer

    def describe_notebook_instance(self) -> Any:
        self.ext.touch(NB, self.p("NotebookInstanceName"))
        answer = super().describe_notebook_instance()
        body = _body(answer)
        reason = getattr(self.backend.notebook_instances.get(self.p("NotebookInstanceName")), "failure_reason", None)
        if body is not None and reason:
            body["FailureReason"] = reason
        return answer

    def start_notebook_instance(self) -> EmptyResult:
        notebook = self._nb()
        self._nb_require(notebook, ("Stopped", "Failed"), "Pending")
        track_notebook(self.ext, notebook.notebook_instance_name, "Pending")
        return EmptyResult()

    def stop_notebook_instance(self) -> EmptyResult:
        notebook = self._nb()
        self._nb_require(notebook, ("InService",), "Stopping")
        track_notebook(self.ext, notebook.notebook_instance_name, "Stopping")
        return EmptyResult()

    def delete_notebook_instance(self) -> EmptyResult:
        notebook = self._nb()
        self._nb_require(notebook, ("Stopped", "Failed"), "Deleting")
        track_notebook(self.ext, notebook.notebook_instance_name, "Deleting")
        return EmptyResult()

    # ------------------------------------------------------------------ domains

    def create_domain(self) -> Any:
        domain_id = f"d-{self.p('DomainName')}"  # moto's ids: one domain per name
        if domain_id in self.backend.domains:
            raise ResourceInUseException(f"Domain {self.p('DomainName')} already exists ({domain_id}).")
        answer = super().create_domain()
        track_domain(self.ext, domain_id, "Pending", self.fail_reason)
        return answer

    def describe_domain(self) -> Any:
        self.ext.touch(DOMAIN, self.p("DomainId"))
        return super().describe_domain()

    def delete_domain(self) -> EmptyResult:
        domain_id = self.p("DomainId")
        domain = self.backend.domains.get(domain_id)
        if domain is None:
            raise ResourceNotFound(message=f"Domain {domain_id} does not exist.")
        if domain.status == "Deleting":
            raise ResourceInUseException(f"Domain {domain_id} is already being deleted.")
        track_domain(self.ext, domain_id, "Deleting")
        return EmptyResult()

    # ------------------------------------------------------------------ pipeline executions

    def start_pipeline_execution(self) -> Any:
        answer = super().start_pipeline_execution()
        body = _body(answer)
        pipeline = self.backend.pipelines.get(self.p("PipelineName"))
        if body is not None and pipeline is not None:
            track_execution(self.ext, body["PipelineExecutionArn"], "Executing", fail_tag(pipeline.tags))
        return answer

    def describe_pipeline_execution(self) -> Any:
        self.ext.touch(PE, self.p("PipelineExecutionArn"))
        answer = super().describe_pipeline_execution()
        body = _body(answer)
        execution = _execution(self.ext, self.p("PipelineExecutionArn"))
        if body is not None and execution is not None:
            # moto answers "" whatever happened; the reason is the execution's own.
            body.pop("FailureReason", None)
            if execution.pipeline_execution_failure_reason:
                body["FailureReason"] = execution.pipeline_execution_failure_reason
        return answer

    def stop_pipeline_execution(self) -> ActionResult:
        arn = self.p("PipelineExecutionArn")
        try:
            execution = get_pipeline_execution_from_arn(self.backend.pipelines, arn)
        except Exception as exc:
            raise ResourceNotFound(message=f"Pipeline execution {arn} does not exist.") from exc
        if execution.pipeline_execution_status != "Executing":
            raise ConflictException(
                f"Pipeline execution {arn} is {execution.pipeline_execution_status}; only Executing can be stopped."
            )
        track_execution(self.ext, arn, "Stopping")
        return ActionResult({"PipelineExecutionArn": arn})

    # ------------------------------------------------------------------ tuning jobs

    def create_hyper_parameter_tuning_job(self) -> Any:
        answer = super().create_hyper_parameter_tuning_job()
        track_tuning(self.ext, self.p("HyperParameterTuningJobName"), "InProgress", self.fail_reason)
        return answer

    def describe_hyper_parameter_tuning_job(self) -> Any:
        self.ext.touch(HPO, self.p("HyperParameterTuningJobName"))
        return super().describe_hyper_parameter_tuning_job()

    def stop_hyper_parameter_tuning_job(self) -> EmptyResult:
        name = self.p("HyperParameterTuningJobName")
        job = self.backend.hyper_parameter_tuning_jobs.get(name)
        if job is None:
            raise ResourceNotFound(message=f"Could not find hyper-parameter tuning job '{name}'.")
        if job.hyper_parameter_tuning_job_status != "InProgress":
            raise ValidationError(
                message=f"The hyper-parameter tuning job {name} is {job.hyper_parameter_tuning_job_status}; "
                "only an InProgress job can be stopped."
            )
        track_tuning(self.ext, name, "Stopping")
        return EmptyResult()
