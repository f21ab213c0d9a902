"""Curated training, MLflow and monitoring types."""

from __future__ import annotations

from smtui.catalog.curated._common import NAME, age, status
from smtui.catalog.derive import Curation
from smtui.catalog.types import Column, Jump, ParentSpec


def _monitoring_definition(alias: str, title: str) -> Curation:
    """The four monitoring job-definition types share one shape."""
    return Curation(
        title=title,
        aliases=(alias,),
        group="Monitoring",
        columns=(Column("MonitoringJobDefinitionName", NAME), Column("EndpointName", "ENDPOINT"), age()),
        jumps=(
            Jump("e", "Endpoint", "endpoints", describe_from="EndpointName"),
            Jump(
                "s",
                "Monitoring schedules",
                "monitoring-schedules",
                list_params=(("MonitoringJobDefinitionName", "MonitoringJobDefinitionName"),),
            ),
        ),
    )


# Which job-definition type a schedule's MonitoringType points at.
_DEFINITION_TYPES = (
    ("DataQuality", "data-quality-job-definitions"),
    ("ModelQuality", "model-quality-job-definitions"),
    ("ModelBias", "model-bias-job-definitions"),
    ("ModelExplainability", "model-explainability-job-definitions"),
)

WORKLOADS: dict[str, Curation] = {
    # --- Training ---------------------------------------------------------------------------
    "ListTrainingJobs": Curation(
        aliases=("tj", "training"),
        group="Training",
        columns=(
            Column("TrainingJobName", NAME),
            status("TrainingJobStatus"),
            Column("SecondaryStatus", "SECONDARY"),
            Column("TrainingEndTime", "ENDED", "time"),
            age(),
        ),
        jumps=(
            # ListModels cannot filter by artifact: keep models whose primary container
            # serves this job's output (the UI describes candidate models to compare).
            Jump(
                "m",
                "Models from this job",
                "models",
                client_filter=(("PrimaryContainer.ModelDataUrl", "ModelArtifacts.S3ModelArtifacts"),),
            ),
        ),
    ),
    "ListProcessingJobs": Curation(
        aliases=("pj",),
        group="Training",
        columns=(
            Column("ProcessingJobName", NAME),
            status("ProcessingJobStatus"),
            Column("ProcessingEndTime", "ENDED", "time"),
            age(),
        ),
    ),
    "ListTransformJobs": Curation(
        aliases=("trj", "tf"),
        group="Training",
        columns=(
            Column("TransformJobName", NAME),
            status("TransformJobStatus"),
            Column("TransformEndTime", "ENDED", "time"),
            age(),
        ),
        jumps=(Jump("m", "Model", "models", describe_from="ModelName"),),
    ),
    "ListHyperParameterTuningJobs": Curation(
        title="Hyperparameter tuning jobs",
        aliases=("hpo", "tuning"),
        group="Training",
        columns=(
            Column("HyperParameterTuningJobName", NAME),
            status("HyperParameterTuningJobStatus"),
            Column("Strategy", "STRATEGY"),
            Column("TrainingJobStatusCounters.Completed", "DONE", "number"),
            Column("TrainingJobStatusCounters.InProgress", "RUNNING", "number"),
            age(),
        ),
    ),
    "ListPipelines": Curation(
        aliases=("pl",),
        group="Training",
        columns=(Column("PipelineName", NAME), Column("LastExecutionTime", "LAST RUN", "time"), age()),
        jumps=(Jump("e", "Executions", "pipeline-executions", list_params=(("PipelineName", "PipelineName"),)),),
        extra_actions=(("start", "StartPipelineExecution"),),
    ),
    "ListPipelineExecutions": Curation(
        aliases=("pe",),
        group="Training",
        key_field="PipelineExecutionArn",
        columns=(
            Column("PipelineExecutionDisplayName", NAME),
            status("PipelineExecutionStatus"),
            Column("StartTime", "STARTED", "time"),
            Column("PipelineExecutionFailureReason", "REASON"),
        ),
        parent=ParentSpec("pipelines", (("PipelineName", "PipelineName"),)),
        time_field="StartTime",
        jumps=(Jump("p", "Pipeline", "pipelines", describe_from="<list>.PipelineName"),),
    ),
    "ListExperiments": Curation(
        aliases=("exp",),
        group="Training",
        columns=(Column("ExperimentName", NAME), Column("DisplayName", "DISPLAY"), age()),
        jumps=(Jump("t", "Trials", "trials", list_params=(("ExperimentName", "ExperimentName"),)),),
    ),
    # --- MLflow -----------------------------------------------------------------------------
    "ListMlflowTrackingServers": Curation(
        title="MLflow tracking servers",
        aliases=("mlflow", "ml", "ts"),
        group="MLflow",
        columns=(
            Column("TrackingServerName", NAME),
            status("TrackingServerStatus"),
            Column("IsActive", "ACTIVE"),
            Column("MlflowVersion", "VERSION"),
            age(),
        ),
        # The first thing an MLflow user wants from a tracking server: its UI, through a
        # short-lived presigned URL (smtui/ui/screens/presigned.py; never a form).
        extra_actions=(("open-ui", "CreatePresignedMlflowTrackingServerUrl"),),
    ),
    "ListMlflowApps": Curation(
        title="MLflow apps",
        aliases=("mlapp",),
        group="MLflow",
        columns=(Column("Name", NAME), status("Status"), Column("MlflowVersion", "VERSION"), age()),
        extra_actions=(("open-ui", "CreatePresignedMlflowAppUrl"),),
    ),
    # --- Monitoring -------------------------------------------------------------------------
    "ListModelQualityJobDefinitions": _monitoring_definition("mq", "Model quality job definitions"),
    "ListDataQualityJobDefinitions": _monitoring_definition("dq", "Data quality job definitions"),
    "ListModelBiasJobDefinitions": _monitoring_definition("mb", "Model bias job definitions"),
    "ListModelExplainabilityJobDefinitions": _monitoring_definition("mx", "Model explainability job definitions"),
    "ListMonitoringSchedules": Curation(
        aliases=("ms",),
        group="Monitoring",
        columns=(
            Column("MonitoringScheduleName", NAME),
            status("MonitoringScheduleStatus"),
            Column("MonitoringType", "TYPE"),
            Column("EndpointName", "ENDPOINT"),
            age(),
        ),
        jumps=(
            *(
                Jump(
                    "j",
                    "Job definition",
                    target,
                    describe_from="MonitoringJobDefinitionName",
                    when=(("MonitoringType", monitoring_type),),
                )
                for monitoring_type, target in _DEFINITION_TYPES
            ),
            Jump("e", "Endpoint", "endpoints", describe_from="EndpointName"),
        ),
    ),
}
