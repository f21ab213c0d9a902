"""The record families (:mod:`smtui.emulator.ext.records`) of the types moto lacks.

Lineage (actions, artifacts, contexts, lineage groups), Studio images and configs, edge,
human-in-the-loop, hubs, AI jobs, HyperPod task governance, training plans and sessions,
partner apps. Each row says only what the shapes cannot: the keys, the ARN, the status
member and the status a Create* lands in, the parent of a child type.
"""

from __future__ import annotations

from typing import Any

from smtui.emulator.ext.base import ActionResult, ExtBase, ResourceNotFound
from smtui.emulator.ext.records import Family, Parent, family, new_id, project_page
from smtui.emulator.ext.state import ExtState, filter_sort


def _in_store(kind: str, member: str) -> Any:
    def exists(state: ExtState, value: str) -> bool:
        return any(str(r.get(member)) == value for r in state.store(kind).values())

    return exists


def _model_card_exists(state: ExtState, name: str) -> bool:
    return name in state.backend.model_cards


def _one(name: str, *, arn: str | None = None, **kw: Any) -> Family:
    """A family named by ``<Noun>Name`` with the usual ops (``Action`` -> ListActions, ...)."""
    noun = kw.pop("noun")
    plural = kw.pop("plural", f"{noun}s")
    key = kw.pop("name_key", f"{noun}Name")
    return family(
        Family(
            kind=name,
            list_op=f"List{plural}",
            describe_op=f"Describe{noun}",
            keys=((key, key),),
            name_key=key,
            arn_key=kw.pop("arn_key", f"{noun}Arn"),
            arn=arn,
            **kw,
        )
    )


# ------------------------------------------------------------------ lineage

ACTION = _one(
    "action",
    noun="Action",
    arn="action/{ActionName}",
    status_key="Status",
    ready="Completed",
    create_op="CreateAction",
    delete_op="DeleteAction",
)
CONTEXT = _one(
    "context", noun="Context", arn="context/{ContextName}", create_op="CreateContext", delete_op="DeleteContext"
)
ARTIFACT = family(
    Family(
        kind="artifact",
        list_op="ListArtifacts",
        describe_op="DescribeArtifact",
        keys=(("ArtifactArn", "ArtifactArn"),),
        name_key="ArtifactName",
        arn_key="ArtifactArn",
        create_op="CreateArtifact",
        delete_op="DeleteArtifact",
        # An artifact's ARN carries a digest of its source, not its (optional) name.
        generated=(("ArtifactArn", lambda state, rec: state.arn("artifact", new_id(size=32)(state, rec))),),
    )
)
LINEAGE_GROUP = _one("lineage-group", noun="LineageGroup", arn="lineage-group/{LineageGroupName}")

# ------------------------------------------------------------------ Studio and notebooks

APP_IMAGE_CONFIG = _one(
    "app-image-config",
    noun="AppImageConfig",
    arn="app-image-config/{AppImageConfigName}",
    create_op="CreateAppImageConfig",
    delete_op="DeleteAppImageConfig",
)
STUDIO_LCC = _one(
    "studio-lifecycle-config",
    noun="StudioLifecycleConfig",
    arn="studio-lifecycle-config/{StudioLifecycleConfigName}",
    create_op="CreateStudioLifecycleConfig",
    delete_op="DeleteStudioLifecycleConfig",
)
IMAGE = _one(
    "image",
    noun="Image",
    arn="image/{ImageName}",
    status_key="ImageStatus",
    ready="CREATED",
    create_op="CreateImage",
    delete_op="DeleteImage",
)
IMAGE_VERSION = family(
    Family(
        kind="image-version",
        list_op="ListImageVersions",
        describe_op="DescribeImageVersion",
        keys=(("ImageName", "_ImageName"), ("Version", "Version"), ("Alias", "_Alias")),
        name_key="Version",
        arn_key="ImageVersionArn",
        arn="image-version/{_ImageName}/{Version}",
        status_key="ImageVersionStatus",
        ready="CREATED",
        latest="Version",
        parent=Parent("ImageName", "_ImageName", _in_store("image", "ImageName"), "Image"),
    )
)
CODE_REPOSITORY = _one(
    "code-repository",
    noun="CodeRepository",
    plural="CodeRepositories",
    arn="code-repository/{CodeRepositoryName}",
    create_op="CreateCodeRepository",
    delete_op="DeleteCodeRepository",
)
ALGORITHM = _one(
    "algorithm",
    noun="Algorithm",
    arn="algorithm/{AlgorithmName}",
    status_key="AlgorithmStatus",
    ready="Completed",
    delete_op="DeleteAlgorithm",
)

# ------------------------------------------------------------------ hubs

HUB = _one(
    "hub",
    noun="Hub",
    arn="hub/{HubName}",
    status_key="HubStatus",
    ready="InService",
    create_op="CreateHub",
    delete_op="DeleteHub",
)
HUB_CONTENT = family(
    Family(
        kind="hub-content",
        list_op="ListHubContents",
        describe_op="DescribeHubContent",
        keys=(
            ("HubName", "HubName"),
            ("HubContentType", "HubContentType"),
            ("HubContentName", "HubContentName"),
            ("HubContentVersion", "HubContentVersion"),
        ),
        name_key="HubContentName",
        arn_key="HubContentArn",
        arn="hub-content/{HubName}/{HubContentType}/{HubContentName}/{HubContentVersion}",
        status_key="HubContentStatus",
        ready="Available",
        latest="HubContentVersion",
        parent=Parent("HubName", "HubName", _in_store("hub", "HubName"), "Hub"),
    )
)

# ------------------------------------------------------------------ edge

DEVICE_FLEET = _one(
    "device-fleet",
    noun="DeviceFleet",
    # The model's DeviceFleetArn pattern is an IAM-style ARN without a region.
    arn="arn:aws:iam::{account}:device-fleet/{DeviceFleetName}",
    create_op="CreateDeviceFleet",
    delete_op="DeleteDeviceFleet",
)
DEVICE = family(
    Family(
        kind="device",
        list_op="ListDevices",
        describe_op="DescribeDevice",
        keys=(("DeviceFleetName", "DeviceFleetName"), ("DeviceName", "DeviceName")),
        name_key="DeviceName",
        arn_key="DeviceArn",
        # The model's DeviceArn pattern allows no digit in the region: none is given.
        arn="arn:aws:sagemaker::{account}:device-fleet/{DeviceFleetName}/device/{DeviceName}",
        created_key="RegistrationTime",
    )
)
EDGE_PLAN = _one(
    "edge-deployment-plan",
    noun="EdgeDeploymentPlan",
    arn="arn:aws:sagemaker::{account}:edge-deployment/{EdgeDeploymentPlanName}",
    delete_op="DeleteEdgeDeploymentPlan",
)
EDGE_PACKAGING_JOB = _one(
    "edge-packaging-job",
    noun="EdgePackagingJob",
    arn="arn:aws:sagemaker::{account}:edge-packaging-job/{EdgePackagingJobName}",
    status_key="EdgePackagingJobStatus",
)

# ------------------------------------------------------------------ human in the loop

FLOW_DEFINITION = _one(
    "flow-definition",
    noun="FlowDefinition",
    arn="flow-definition/{FlowDefinitionName}",
    status_key="FlowDefinitionStatus",
    ready="Active",
    delete_op="DeleteFlowDefinition",
)
HUMAN_TASK_UI = _one(
    "human-task-ui",
    noun="HumanTaskUi",
    arn="human-task-ui/{HumanTaskUiName}",
    delete_op="DeleteHumanTaskUi",
)
LABELING_JOB = _one(
    "labeling-job", noun="LabelingJob", arn="labeling-job/{LabelingJobName}", status_key="LabelingJobStatus"
)
WORKFORCE = _one("workforce", noun="Workforce", arn="workforce/{WorkforceName}", wrap="Workforce")
WORKTEAM = _one(
    "workteam",
    noun="Workteam",
    arn="workteam/private-crowd/{WorkteamName}",
    wrap="Workteam",
    delete_op="DeleteWorkteam",
)
SUBSCRIBED_WORKTEAM = family(
    Family(
        kind="subscribed-workteam",
        list_op="ListSubscribedWorkteams",
        describe_op="DescribeSubscribedWorkteam",
        keys=(("WorkteamArn", "WorkteamArn"),),
        name_key="ListingId",
        arn_key=None,
        wrap="SubscribedWorkteam",
    )
)

# ------------------------------------------------------------------ inference and AI jobs

INFERENCE_EXPERIMENT = family(
    Family(
        kind="inference-experiment",
        list_op="ListInferenceExperiments",
        describe_op="DescribeInferenceExperiment",
        keys=(("Name", "Name"),),
        name_key="Name",
        arn_key="Arn",
        arn="inference-experiment/{Name}",
        status_key="Status",
        delete_op="DeleteInferenceExperiment",
    )
)
RECOMMENDATIONS_JOB = family(
    Family(
        kind="inference-recommendations-job",
        list_op="ListInferenceRecommendationsJobs",
        describe_op="DescribeInferenceRecommendationsJob",
        keys=(("JobName", "JobName"),),
        name_key="JobName",
        arn_key="JobArn",
        arn="inference-recommendations-job/{JobName}",
        status_key="Status",
    )
)
OPTIMIZATION_JOB = _one(
    "optimization-job",
    noun="OptimizationJob",
    arn="optimization-job/{OptimizationJobName}",
    status_key="OptimizationJobStatus",
    delete_op="DeleteOptimizationJob",
)
AI_WORKLOAD_CONFIG = _one(
    "ai-workload-config",
    noun="AIWorkloadConfig",
    arn="ai-workload-config/{AIWorkloadConfigName}",
    delete_op="DeleteAIWorkloadConfig",
)
AI_BENCHMARK_JOB = _one(
    "ai-benchmark-job",
    noun="AIBenchmarkJob",
    arn="ai-benchmark-job/{AIBenchmarkJobName}",
    status_key="AIBenchmarkJobStatus",
    delete_op="DeleteAIBenchmarkJob",
)
AI_RECOMMENDATION_JOB = _one(
    "ai-recommendation-job",
    noun="AIRecommendationJob",
    arn="ai-recommendation-job/{AIRecommendationJobName}",
    status_key="AIRecommendationJobStatus",
    delete_op="DeleteAIRecommendationJob",
)
JOB = family(
    Family(
        kind="job",
        list_op="ListJobs",
        describe_op="DescribeJob",
        keys=(("JobName", "JobName"), ("JobCategory", "JobCategory")),
        name_key="JobName",
        arn_key="JobArn",
        arn="job/{JobCategory}/{JobName}",
        status_key="JobStatus",
        delete_op="DeleteJob",
    )
)
JOB_SCHEMA_VERSION = family(
    Family(
        kind="job-schema-version",
        list_op="ListJobSchemaVersions",
        describe_op="DescribeJobSchemaVersion",
        keys=(("JobCategory", "JobCategory"), ("JobConfigSchemaVersion", "JobConfigSchemaVersion")),
        name_key="JobConfigSchemaVersion",
        arn_key=None,
        latest="JobConfigSchemaVersion",
    )
)
MODEL_CARD_EXPORT_JOB = family(
    Family(
        kind="model-card-export-job",
        list_op="ListModelCardExportJobs",
        describe_op="DescribeModelCardExportJob",
        keys=(("ModelCardExportJobArn", "ModelCardExportJobArn"),),
        name_key="ModelCardExportJobName",
        arn_key="ModelCardExportJobArn",
        arn="model-card/{ModelCardName}/export-job/{ModelCardExportJobName}",
        status_key="Status",
        created_key="CreatedAt",
        parent=Parent("ModelCardName", "ModelCardName", _model_card_exists, "Model card"),
    )
)

# ------------------------------------------------------------------ HyperPod task governance, training

SCHEDULER_CONFIG = family(
    Family(
        kind="cluster-scheduler-config",
        list_op="ListClusterSchedulerConfigs",
        describe_op="DescribeClusterSchedulerConfig",
        keys=(
            ("ClusterSchedulerConfigId", "ClusterSchedulerConfigId"),
            ("ClusterSchedulerConfigVersion", "ClusterSchedulerConfigVersion"),
        ),
        name_key="Name",
        arn_key="ClusterSchedulerConfigArn",
        arn="cluster-scheduler-config/{ClusterSchedulerConfigId}",
        status_key="Status",
        latest="ClusterSchedulerConfigVersion",
        generated=(("ClusterSchedulerConfigId", new_id()),),
        delete_op="DeleteClusterSchedulerConfig",
    )
)
COMPUTE_QUOTA = family(
    Family(
        kind="compute-quota",
        list_op="ListComputeQuotas",
        describe_op="DescribeComputeQuota",
        keys=(("ComputeQuotaId", "ComputeQuotaId"), ("ComputeQuotaVersion", "ComputeQuotaVersion")),
        name_key="Name",
        arn_key="ComputeQuotaArn",
        arn="compute-quota/{ComputeQuotaId}",
        status_key="Status",
        latest="ComputeQuotaVersion",
        generated=(("ComputeQuotaId", new_id()),),
        delete_op="DeleteComputeQuota",
    )
)
TRAINING_PLAN = _one("training-plan", noun="TrainingPlan", arn="training-plan/{TrainingPlanName}", status_key="Status")
TRAINING_SESSION = family(
    Family(
        kind="training-session",
        list_op="ListTrainingSessions",
        describe_op="DescribeTrainingSession",
        keys=(("TrainingSessionName", "TrainingSessionName"),),
        name_key="TrainingSessionName",
        arn_key="TrainingSessionArn",
        arn="training-session/{TrainingSessionName}",
        status_key="TrainingSessionStatus",
        wrap="TrainingSessionDetail",
        delete_op="DeleteTrainingSession",
    )
)
PARTNER_APP = family(
    Family(
        kind="partner-app",
        list_op="ListPartnerApps",
        describe_op="DescribePartnerApp",
        keys=(("Arn", "Arn"),),
        name_key="Name",
        arn_key="Arn",
        status_key="Status",
        generated=(("Arn", lambda state, rec: state.arn("partner-app", new_id("app-", 12, upper=True)(state, rec))),),
        delete_op="DeletePartnerApp",
    )
)


class MotoListsMixin(ExtBase):
    """Operations moto lacks on types it does store: list notebook lifecycle configs, and
    describe an AutoML job in the (V1) form the catalogue reads."""

    def list_notebook_instance_lifecycle_configs(self) -> ActionResult:
        params = dict(self.params)
        configs = [
            {
                "NotebookInstanceLifecycleConfigName": c.notebook_instance_lifecycle_config_name,
                "NotebookInstanceLifecycleConfigArn": c.arn,
                "CreationTime": c.creation_time,
                "LastModifiedTime": c.last_modified_time,
            }
            for c in self.backend.notebook_instance_lifecycle_configurations.values()
        ]
        records = filter_sort(configs, params, name_key="NotebookInstanceLifecycleConfigName")
        return project_page("ListNotebookInstanceLifecycleConfigs", records, params)

    def describe_auto_ml_job(self) -> ActionResult:
        name = str(self.p("AutoMLJobName"))
        job = self.backend.auto_ml_jobs.get(name)
        if job is None:
            raise ResourceNotFound(message=f"Could not find AutoML job with name {name}.")
        return ActionResult(automl_v1(job))


def automl_v1(job: Any) -> dict[str, Any]:
    """An AutoML job (held by moto in its V2 form) as DescribeAutoMLJob answers it.

    A V2 tabular job's channels carry the target column in its problem config; V1 repeats
    it on every channel. moto's canned best candidate (placeholder strings) is left out:
    the demo's jobs set their own through ``_smtui_best``.
    """
    config = job.auto_ml_problem_type_config or {}
    tabular = config.get("TabularJobConfig") or {}
    channels = [
        {
            "DataSource": channel.get("DataSource"),
            "ContentType": channel.get("ContentType"),
            "ChannelType": channel.get("ChannelType"),
            "TargetAttributeName": tabular.get("TargetAttributeName", "label"),
        }
        for channel in job.auto_ml_job_input_data_config
    ]
    out: dict[str, Any] = {
        "AutoMLJobName": job.auto_ml_job_name,
        "AutoMLJobArn": job.arn,
        "InputDataConfig": channels,
        "OutputDataConfig": job.output_data_config,
        "RoleArn": job.role_arn,
        "AutoMLJobObjective": job.auto_ml_job_objective,
        "ProblemType": tabular.get("ProblemType"),
        "AutoMLJobConfig": {"CompletionCriteria": tabular.get("CompletionCriteria")}
        if tabular.get("CompletionCriteria")
        else None,
        "CreationTime": job.creation_time,
        "EndTime": job.end_time if job.auto_ml_job_status in ("Completed", "Failed", "Stopped") else None,
        "LastModifiedTime": job.last_modified_time,
        "FailureReason": job.failure_reason or None,
        "AutoMLJobStatus": job.auto_ml_job_status,
        "AutoMLJobSecondaryStatus": job.auto_ml_job_secondary_status,
        "BestCandidate": getattr(job, "_smtui_best", None),
        "AutoMLJobArtifacts": job.auto_ml_job_artifacts,
    }
    return {k: v for k, v in out.items() if v is not None}
