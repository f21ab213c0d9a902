"""The demo account's resources of the less-travelled types: lineage, Studio images and
configs, hubs, edge, human review, AI jobs, task governance, training plans, partner apps,
and the moto-held AutoML/compilation jobs, model cards, trials and trial components.

Every type in the catalogue opens with data in the demo; these are its long tail, linked to
the estate :mod:`smtui.emulator.demo` builds (the fraud detector, the Llama fine-tunes, the
HyperPod clusters) so that what a user finds here makes sense next to the rest.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from smtui.emulator.ext import families as fam
from smtui.emulator.ext.records import add_record
from smtui.emulator.ext.state import ExtState, utcnow
from smtui.emulator.seed import BUCKET, IMAGE, ROLE

ACCOUNT_PREFIX = "arn:aws:sagemaker:us-east-1:123456789012"
LLM = "meta-textgeneration-llama-3-8b"
ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
S3_MODEL = f"{BUCKET}/models/llama3-8b-chat-ft/model.tar.gz"


def _ago(hours: float) -> dt.datetime:
    return utcnow() - dt.timedelta(hours=hours)


def seed_catalogue(state: ExtState) -> dict[str, list[str]]:
    """Seed every long-tail type; returns the names made, per type."""
    made: dict[str, list[str]] = {}
    made.update(_lineage(state))
    made.update(_studio(state))
    made.update(_hubs(state))
    made.update(_edge(state))
    made.update(_human(state))
    made.update(_ai_jobs(state))
    made.update(_governance(state))
    made.update(_moto_held(state))
    return made


def _lineage(state: ExtState) -> dict[str, list[str]]:
    group = add_record(
        state,
        fam.LINEAGE_GROUP,
        {
            "LineageGroupName": "fraud-detector-lineage",
            "DisplayName": "fraud-detector",
            "Description": "Data, training and deployment lineage of fraud-detector",
        },
    )
    source = {
        "SourceUri": f"{BUCKET}/datasets/fraud/2024-11/",
        "SourceTypes": [{"SourceIdType": "S3ETag", "Value": "9b2cf535f27731c974343645a3985328"}],
    }
    dataset = add_record(
        state,
        fam.ARTIFACT,
        {
            "ArtifactName": "fraud-train-2024-11",
            "ArtifactType": "DataSet",
            "Source": source,
            "Properties": {"rows": "48210331"},
            "LineageGroupArn": group["LineageGroupArn"],
        },
    )
    add_record(
        state,
        fam.ARTIFACT,
        {
            "ArtifactName": "fraud-detector-v7-model",
            "ArtifactType": "Model",
            "Source": {"SourceUri": f"{BUCKET}/models/fraud-detector/v7.tar.gz"},
            "LineageGroupArn": group["LineageGroupArn"],
        },
    )
    actions = []
    for name, kind, status in (
        ("fraud-detector-v7-deploy", "ModelDeployment", "Completed"),
        ("fraud-detector-v8-approval", "ApprovalAction", "InProgress"),
    ):
        add_record(
            state,
            fam.ACTION,
            {
                "ActionName": name,
                "ActionType": kind,
                "Status": status,
                "Source": {"SourceUri": f"{ACCOUNT_PREFIX}:endpoint/fraud-detector-v7-prod", "SourceType": "ARN"},
                "Description": f"{kind} of fraud-detector",
                "LineageGroupArn": group["LineageGroupArn"],
            },
        )
        actions.append(name)
    add_record(
        state,
        fam.CONTEXT,
        {
            "ContextName": "fraud-detector-v7-prod-context",
            "ContextType": "Endpoint",
            "Source": {"SourceUri": f"{ACCOUNT_PREFIX}:endpoint/fraud-detector-v7-prod"},
            "Description": "The production endpoint of fraud-detector v7",
            "LineageGroupArn": group["LineageGroupArn"],
        },
    )
    return {
        "lineage_groups": ["fraud-detector-lineage"],
        "artifacts": [str(dataset["ArtifactArn"])],
        "actions": actions,
        "contexts": ["fraud-detector-v7-prod-context"],
    }


def _studio(state: ExtState) -> dict[str, list[str]]:
    add_record(
        state,
        fam.IMAGE,
        {
            "ImageName": "ml-platform-pytorch",
            "DisplayName": "ML platform PyTorch",
            "Description": "The team's JupyterLab image (PyTorch 2.3, CUDA 12.1)",
            "RoleArn": ROLE,
        },
    )
    for version, hours in ((1, 24 * 30), (2, 24 * 9), (3, 20)):
        add_record(
            state,
            fam.IMAGE_VERSION,
            {
                "_ImageName": "ml-platform-pytorch",
                "ImageArn": f"{ACCOUNT_PREFIX}:image/ml-platform-pytorch",
                "Version": version,
                "BaseImage": f"{ECR}/ml-platform-pytorch:v{version}",
                "ContainerImage": f"{ECR}/ml-platform-pytorch@sha256:{version:064x}",
                "JobType": "NOTEBOOK_KERNEL",
                "Processor": "GPU",
                "MLFramework": "PyTorch 2.3",
                "ProgrammingLang": "Python 3.11",
                "CreationTime": _ago(hours),
                "LastModifiedTime": _ago(hours),
            },
        )
    add_record(
        state,
        fam.APP_IMAGE_CONFIG,
        {
            "AppImageConfigName": "ml-platform-pytorch-jupyterlab",
            "JupyterLabAppImageConfig": {
                "ContainerConfig": {"ContainerEnvironmentVariables": {"PIP_INDEX_URL": "https://pypi.internal/simple"}}
            },
        },
    )
    add_record(
        state,
        fam.STUDIO_LCC,
        {
            "StudioLifecycleConfigName": "install-internal-tools",
            "StudioLifecycleConfigAppType": "JupyterLab",
            "StudioLifecycleConfigContent": "IyEvYmluL2Jhc2gKcGlwIGluc3RhbGwgLS1xdWlldCBzbXR1aQo=",
        },
    )
    add_record(
        state,
        fam.CODE_REPOSITORY,
        {
            "CodeRepositoryName": "fraud-detector-repo",
            "GitConfig": {"RepositoryUrl": "https://github.com/example-org/fraud-detector", "Branch": "main"},
        },
    )
    state.backend.create_notebook_instance_lifecycle_config(
        "nb-install-conda-envs", [{"Content": "IyEvYmluL2Jhc2gKY29uZGEgZW52IHVwZGF0ZQo="}], []
    )
    add_record(
        state,
        fam.ALGORITHM,
        {
            "AlgorithmName": "fraud-xgb-custom",
            "AlgorithmDescription": "XGBoost with the fraud team's feature transforms",
            "TrainingSpecification": {
                "TrainingImage": IMAGE,
                "SupportedTrainingInstanceTypes": ["ml.m5.4xlarge", "ml.g5.2xlarge"],
                "TrainingChannels": [
                    {"Name": "train", "SupportedContentTypes": ["text/csv"], "SupportedInputModes": ["File"]}
                ],
            },
            "AlgorithmStatusDetails": {"ValidationStatuses": [{"Name": "fraud-xgb-validation", "Status": "Completed"}]},
            "CertifyForMarketplace": False,
        },
    )
    return {
        "images": ["ml-platform-pytorch"],
        "app_image_configs": ["ml-platform-pytorch-jupyterlab"],
        "studio_lifecycle_configs": ["install-internal-tools"],
        "code_repositories": ["fraud-detector-repo"],
        "notebook_instance_lifecycle_configs": ["nb-install-conda-envs"],
        "algorithms": ["fraud-xgb-custom"],
    }


def _hubs(state: ExtState) -> dict[str, list[str]]:
    add_record(
        state,
        fam.HUB,
        {
            "HubName": "genai-curated-models",
            "HubDisplayName": "GenAI curated models",
            "HubDescription": "Foundation models approved for use by the GenAI platform team",
            "S3StorageConfig": {"S3OutputPath": f"{BUCKET}/hubs/genai-curated-models"},
        },
    )
    hub_arn = f"{ACCOUNT_PREFIX}:hub/genai-curated-models"
    contents = []
    for name, version in ((LLM, "2.1.0"), (LLM, "2.2.0"), ("huggingface-llm-mistral-7b-instruct", "1.0.3")):
        add_record(
            state,
            fam.HUB_CONTENT,
            {
                "HubName": "genai-curated-models",
                "HubArn": hub_arn,
                "HubContentName": name,
                "HubContentType": "Model",
                "HubContentVersion": version,
                "DocumentSchemaVersion": "2.2.0",
                "HubContentDisplayName": name,
                "HubContentDocument": json.dumps({"Url": "https://huggingface.co", "MinSdkVersion": "2.200.0"}),
            },
        )
        contents.append(name)
    return {"hubs": ["genai-curated-models"], "hub_contents": contents}


def _edge(state: ExtState) -> dict[str, list[str]]:
    add_record(
        state,
        fam.DEVICE_FLEET,
        {
            "DeviceFleetName": "store-cameras-east",
            "Description": "In-store cameras running the shelf detector",
            "OutputConfig": {"S3OutputLocation": f"{BUCKET}/edge/store-cameras-east"},
            "RoleArn": ROLE,
            "IotRoleAlias": "arn:aws:iam::123456789012:rolealias/SageMakerEdge-store-cameras-east",
        },
    )
    devices = []
    for i, hours in ((1, 0.05), (2, 0.1), (3, 30.0)):
        name = f"cam-nyc-{i:03d}"
        add_record(
            state,
            fam.DEVICE,
            {
                "DeviceName": name,
                "DeviceFleetName": "store-cameras-east",
                "Description": f"Shelf camera {i}, Manhattan store",
                "IotThingName": f"smtui-{name}",
                "RegistrationTime": _ago(24 * 40),
                "LatestHeartbeat": _ago(hours),
                "Models": [
                    {
                        "ModelName": "shelf-detector",
                        "ModelVersion": "1.4",
                        "LatestSampleTime": _ago(hours),
                        "LatestInference": _ago(hours),
                    }
                ],
            },
        )
        devices.append(name)
    add_record(
        state,
        fam.EDGE_PACKAGING_JOB,
        {
            "EdgePackagingJobName": "shelf-detector-v14-pkg",
            "EdgePackagingJobStatus": "COMPLETED",
            "CompilationJobName": "shelf-detector-v14-neo",
            "ModelName": "shelf-detector",
            "ModelVersion": "1.4",
            "RoleArn": ROLE,
            "OutputConfig": {"S3OutputLocation": f"{BUCKET}/edge/packages"},
            "ModelArtifact": f"{BUCKET}/edge/packages/shelf-detector-1.4.tar.gz",
        },
    )
    add_record(
        state,
        fam.EDGE_PLAN,
        {
            "EdgeDeploymentPlanName": "shelf-detector-v14-rollout",
            "DeviceFleetName": "store-cameras-east",
            "ModelConfigs": [{"ModelHandle": "shelf-detector", "EdgePackagingJobName": "shelf-detector-v14-pkg"}],
            "Stages": [
                {
                    "StageName": "canary",
                    "DeviceSelectionConfig": {"DeviceSubsetType": "SELECTION", "DeviceNames": ["cam-nyc-001"]},
                    "DeploymentConfig": {"FailureHandlingPolicy": "ROLLBACK_ON_FAILURE"},
                    "DeploymentStatus": {
                        "StageStatus": "DEPLOYED",
                        "EdgeDeploymentSuccessInStage": 1,
                        "EdgeDeploymentPendingInStage": 0,
                        "EdgeDeploymentFailedInStage": 0,
                    },
                },
                {
                    "StageName": "fleet",
                    "DeviceSelectionConfig": {"DeviceSubsetType": "PERCENTAGE", "Percentage": 100},
                    "DeploymentConfig": {"FailureHandlingPolicy": "ROLLBACK_ON_FAILURE"},
                    "DeploymentStatus": {
                        "StageStatus": "INPROGRESS",
                        "EdgeDeploymentSuccessInStage": 1,
                        "EdgeDeploymentPendingInStage": 1,
                        "EdgeDeploymentFailedInStage": 0,
                    },
                },
            ],
            "EdgeDeploymentSuccess": 2,
            "EdgeDeploymentPending": 1,
            "EdgeDeploymentFailed": 0,
        },
    )
    return {
        "device_fleets": ["store-cameras-east"],
        "devices": devices,
        "edge_packaging_jobs": ["shelf-detector-v14-pkg"],
        "edge_deployment_plans": ["shelf-detector-v14-rollout"],
    }


def _human(state: ExtState) -> dict[str, list[str]]:
    add_record(
        state,
        fam.WORKFORCE,
        {
            "WorkforceName": "default",
            "SubDomain": "abcd1234efgh.labeling.us-east-1.sagemaker.aws",
            "CognitoConfig": {"UserPool": "us-east-1_aBcDeFgHi", "ClientId": "1example23456789"},
            "LastUpdatedDate": _ago(24 * 60),
            "CreateDate": _ago(24 * 200),
            "Status": "Active",
        },
    )
    team = add_record(
        state,
        fam.WORKTEAM,
        {
            "WorkteamName": "fraud-reviewers",
            "Description": "Analysts who review flagged transactions",
            "WorkforceArn": f"{ACCOUNT_PREFIX}:workforce/default",
            "MemberDefinitions": [
                {
                    "CognitoMemberDefinition": {
                        "UserPool": "us-east-1_aBcDeFgHi",
                        "UserGroup": "fraud-reviewers",
                        "ClientId": "1example23456789",
                    }
                }
            ],
            "SubDomain": "abcd1234efgh.labeling.us-east-1.sagemaker.aws",
            "CreateDate": _ago(24 * 120),
            "LastUpdatedDate": _ago(24 * 3),
        },
    )
    vendor_arn = "arn:aws:sagemaker:us-east-1:394669845002:workteam/vendor-crowd/acme-labeling"
    add_record(
        state,
        fam.SUBSCRIBED_WORKTEAM,
        {
            "WorkteamArn": vendor_arn,
            "MarketplaceTitle": "ACME image and text labeling",
            "SellerName": "ACME Data Services",
            "MarketplaceDescription": "Managed workforce for bounding boxes and text classification",
            "ListingId": "prodview-acme0labeling",
        },
    )
    ui = add_record(
        state,
        fam.HUMAN_TASK_UI,
        {
            "HumanTaskUiName": "fraud-review-ui",
            "HumanTaskUiStatus": "Active",
            "UiTemplate": {"Url": f"{BUCKET}/a2i/fraud-review-ui.liquid.html", "ContentSha256": "0" * 64},
        },
    )
    add_record(
        state,
        fam.FLOW_DEFINITION,
        {
            "FlowDefinitionName": "fraud-low-confidence-review",
            "HumanLoopConfig": {
                "WorkteamArn": team["WorkteamArn"],
                "HumanTaskUiArn": ui["HumanTaskUiArn"],
                "TaskTitle": "Review a flagged transaction",
                "TaskDescription": "Is this transaction fraudulent?",
                "TaskCount": 1,
            },
            "OutputConfig": {"S3OutputPath": f"{BUCKET}/a2i/output"},
            "RoleArn": ROLE,
        },
    )
    counters = {"TotalLabeled": 9120, "HumanLabeled": 4210, "MachineLabeled": 4910, "Unlabeled": 880}
    jobs = (("claims-doc-classify-nov", "InProgress", 6), ("receipts-ocr-boxes-v2", "Completed", 80))
    for name, status, hours in jobs:
        add_record(
            state,
            fam.LABELING_JOB,
            {
                "LabelingJobName": name,
                "LabelingJobStatus": status,
                "LabelAttributeName": "label",
                "LabelCounters": counters,
                "JobReferenceCode": f"{name[:8]}-ref-0001",
                "InputConfig": {
                    "DataSource": {"S3DataSource": {"ManifestS3Uri": f"{BUCKET}/labeling/{name}.manifest"}}
                },
                "OutputConfig": {"S3OutputPath": f"{BUCKET}/labeling/{name}/output"},
                "RoleArn": ROLE,
                "WorkteamArn": team["WorkteamArn"],
                "HumanTaskConfig": {
                    "WorkteamArn": team["WorkteamArn"],
                    "UiConfig": {"UiTemplateS3Uri": f"{BUCKET}/labeling/{name}/template.liquid"},
                    "PreHumanTaskLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:PRE-TextMultiClass",
                    "TaskTitle": f"Label {name}",
                    "TaskDescription": "Pick the one label that fits",
                    "NumberOfHumanWorkersPerDataObject": 1,
                    "TaskTimeLimitInSeconds": 600,
                },
                "CreationTime": _ago(hours),
                "LastModifiedTime": _ago(hours / 2),
            },
        )
    return {
        "workforces": ["default"],
        "workteams": ["fraud-reviewers"],
        "subscribed_workteams": [vendor_arn],
        "human_task_uis": ["fraud-review-ui"],
        "flow_definitions": ["fraud-low-confidence-review"],
        "labeling_jobs": ["claims-doc-classify-nov", "receipts-ocr-boxes-v2"],
    }


def _ai_jobs(state: ExtState) -> dict[str, list[str]]:
    add_record(
        state,
        fam.INFERENCE_EXPERIMENT,
        {
            "Name": "fraud-v8-shadow",
            "Type": "ShadowMode",
            "Status": "Running",
            "Description": "fraud-detector v8 shadows v7 on 10% of production traffic",
            "RoleArn": ROLE,
            "EndpointMetadata": {
                "EndpointName": "fraud-detector-v7-prod",
                "EndpointConfigName": "fraud-detector-v7-prod-config",
                "EndpointStatus": "InService",
            },
            "ModelVariants": [
                {
                    "ModelName": name,
                    "VariantName": variant,
                    "InfrastructureConfig": {
                        "InfrastructureType": "RealTimeInference",
                        "RealTimeInferenceConfig": {"InstanceType": "ml.c5.2xlarge", "InstanceCount": 1},
                    },
                    "Status": "InService",
                }
                for name, variant in (("fraud-detector-v7", "production"), ("fraud-detector-v7", "shadow"))
            ],
            "ShadowModeConfig": {
                "SourceModelVariantName": "production",
                "ShadowModelVariants": [{"ShadowModelVariantName": "shadow", "SamplingPercentage": 10}],
            },
        },
    )
    add_record(
        state,
        fam.RECOMMENDATIONS_JOB,
        {
            "JobName": "llama3-8b-chat-instance-reco",
            "JobDescription": "Which instance serves llama3-8b-chat cheapest at p95 < 800 ms",
            "JobType": "Default",
            "RoleArn": ROLE,
            "Status": "COMPLETED",
            "CompletionTime": _ago(20),
            "InputConfig": {"ModelName": "llama3-8b-chat"},
            "InferenceRecommendations": [
                {
                    "Metrics": {"CostPerHour": 1.515, "CostPerInference": 0.00002, "MaxInvocations": 1200},
                    "EndpointConfiguration": {
                        "EndpointName": "reco-llama3-8b-g5-2xl",
                        "VariantName": "AllTraffic",
                        "InstanceType": "ml.g5.2xlarge",
                    },
                    "ModelConfiguration": {},
                }
            ],
        },
    )
    add_record(
        state,
        fam.OPTIMIZATION_JOB,
        {
            "OptimizationJobName": "llama3-70b-awq-int4",
            "OptimizationJobStatus": "COMPLETED",
            "ModelSource": {"S3": {"S3Uri": f"{BUCKET}/models/llama3-70b-instruct/"}},
            "DeploymentInstanceType": "ml.p4d.24xlarge",
            "OptimizationTypes": ["Quantization"],
            "OptimizationConfigs": [{"ModelQuantizationConfig": {"OverrideEnvironment": {"OPTION_QUANTIZE": "awq"}}}],
            "OutputConfig": {"S3OutputLocation": f"{BUCKET}/models/llama3-70b-instruct-awq/"},
            "RoleArn": ROLE,
            "StoppingCondition": {"MaxRuntimeInSeconds": 36000},
            "OptimizationStartTime": _ago(30),
            "OptimizationEndTime": _ago(27),
        },
    )
    workload = add_record(state, fam.AI_WORKLOAD_CONFIG, {"AIWorkloadConfigName": "chat-p95-800ms"})
    add_record(
        state,
        fam.AI_BENCHMARK_JOB,
        {
            "AIBenchmarkJobName": "llama3-8b-chat-g5-bench",
            "AIBenchmarkJobStatus": "Completed",
            "BenchmarkTarget": {"Endpoint": {"Identifier": "genai-shared-g5"}},
            "OutputConfig": {"S3OutputLocation": f"{BUCKET}/benchmarks/llama3-8b-chat-g5"},
            "AIWorkloadConfigIdentifier": workload["AIWorkloadConfigName"],
            "RoleArn": ROLE,
        },
    )
    add_record(
        state,
        fam.AI_RECOMMENDATION_JOB,
        {
            "AIRecommendationJobName": "llama3-8b-chat-serving-reco",
            "AIRecommendationJobStatus": "InProgress",
            "ModelSource": {"S3": {"S3Uri": S3_MODEL}},
            "OutputConfig": {"S3OutputLocation": f"{BUCKET}/recommendations/llama3-8b-chat"},
            "AIWorkloadConfigIdentifier": workload["AIWorkloadConfigName"],
            "RoleArn": ROLE,
        },
    )
    schema = '{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}'
    versions = []
    for category in ("AgentRFT", "AgentRFTEvaluation"):
        for version in ("1.0.0", "1.1.0"):
            add_record(
                state,
                fam.JOB_SCHEMA_VERSION,
                {"JobCategory": category, "JobConfigSchemaVersion": version, "JobConfigSchema": schema},
            )
            versions.append(f"{category}/{version}")
    transitions = [
        {"Status": s, "StartTime": _ago(h)} for s, h in (("Starting", 5), ("Downloading", 4.8), ("Training", 4.5))
    ]
    add_record(
        state,
        fam.JOB,
        {
            "JobName": "support-agent-rft-v3",
            "JobCategory": "AgentRFT",
            "JobConfigSchemaVersion": "1.1.0",
            "RoleArn": ROLE,
            "JobStatus": "InProgress",
            "SecondaryStatus": "Training",
            "JobSecondaryStatus": "Training",
            "SecondaryStatusTransitions": transitions,
            "CreationTime": _ago(5),
        },
    )
    return {
        "inference_experiments": ["fraud-v8-shadow"],
        "inference_recommendations_jobs": ["llama3-8b-chat-instance-reco"],
        "optimization_jobs": ["llama3-70b-awq-int4"],
        "ai_workload_configs": ["chat-p95-800ms"],
        "ai_benchmark_jobs": ["llama3-8b-chat-g5-bench"],
        "ai_recommendation_jobs": ["llama3-8b-chat-serving-reco"],
        "job_schema_versions": versions,
        "jobs": ["support-agent-rft-v3"],
    }


def _governance(state: ExtState) -> dict[str, list[str]]:
    clusters = state.backend.clusters
    cluster = next(iter(clusters.values()), None)
    cluster_arn = cluster.arn if cluster is not None else None
    add_record(
        state,
        fam.SCHEDULER_CONFIG,
        {
            "ClusterSchedulerConfigId": "scfg0abc1def",
            "ClusterSchedulerConfigVersion": 2,
            "Name": "llm-pretrain-priorities",
            "Status": "Created",
            "ClusterArn": cluster_arn,
            "Description": "Pretraining preempts evaluation; fair share between teams",
            "SchedulerConfig": {
                "PriorityClasses": [{"Name": "pretrain", "Weight": 90}, {"Name": "eval", "Weight": 10}],
                "FairShare": "Enabled",
            },
        },
    )
    quotas = []
    for qid, team, count in (("cq0research1", "research", 6), ("cq0genai0002", "genai", 2)):
        add_record(
            state,
            fam.COMPUTE_QUOTA,
            {
                "ComputeQuotaId": qid,
                "Name": f"{team}-p5-quota",
                "ComputeQuotaVersion": 1,
                "Status": "Created",
                "ClusterArn": cluster_arn,
                "ComputeQuotaConfig": {
                    "ComputeQuotaResources": [{"InstanceType": "ml.p5.48xlarge", "Count": count}],
                    "ResourceSharingConfig": {"Strategy": "LendAndBorrow", "BorrowLimit": 50},
                },
                "ComputeQuotaTarget": {"TeamName": team, "FairShareWeight": 50},
                "ActivationState": "Enabled",
            },
        )
        quotas.append(qid)
    plan_start = utcnow() + dt.timedelta(days=3)
    add_record(
        state,
        fam.TRAINING_PLAN,
        {
            "TrainingPlanName": "llama4-pretrain-dec",
            "Status": "Scheduled",
            "StatusMessage": "Reserved capacity starts in 3 days",
            "DurationHours": 336,
            "DurationMinutes": 0,
            "StartTime": plan_start,
            "EndTime": plan_start + dt.timedelta(days=14),
            "UpfrontFee": "1270080.00",
            "CurrencyCode": "USD",
            "TotalInstanceCount": 16,
            "AvailableInstanceCount": 16,
            "InUseInstanceCount": 0,
            "TargetResources": ["training-job", "hyperpod-cluster"],
            "ReservedCapacitySummaries": [],
        },
    )
    add_record(
        state,
        fam.TRAINING_SESSION,
        {
            "TrainingSessionName": "alice-llama3-debug",
            "TrainingSessionStatus": "Running",
        },
    )
    add_record(
        state,
        fam.PARTNER_APP,
        {
            "Name": "cometexperiments",
            "Type": "comet",
            "Status": "Available",
            "ExecutionRoleArn": ROLE,
            "Tier": "small",
            "Version": "1.0",
            "BaseUrl": "https://comet-experiments.partner-app.us-east-1.sagemaker.aws",
            "AuthType": "IAM",
            "LastModifiedTime": _ago(48),
        },
    )
    return {
        "cluster_scheduler_configs": ["scfg0abc1def"],
        "compute_quotas": quotas,
        "training_plans": ["llama4-pretrain-dec"],
        "training_sessions": ["alice-llama3-debug"],
        "partner_apps": ["comet-experiments"],
    }


def _moto_held(state: ExtState) -> dict[str, list[str]]:
    """Types moto stores itself: seeded through its backend so its own handlers answer."""
    backend: Any = state.backend
    backend.create_auto_ml_job_v2(
        auto_ml_job_name="churn-autopilot-nov",
        auto_ml_job_input_data_config=[
            {
                "ChannelType": "training",
                "ContentType": "text/csv;header=present",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"{BUCKET}/datasets/churn/"}},
            }
        ],
        output_data_config={"S3OutputPath": f"{BUCKET}/autopilot/churn"},
        auto_ml_problem_type_config={
            "TabularJobConfig": {
                "TargetAttributeName": "churned",
                "ProblemType": "BinaryClassification",
                "CompletionCriteria": {"MaxCandidates": 50, "MaxAutoMLJobRuntimeInSeconds": 14400},
            }
        },
        role_arn=ROLE,
        tags=[],
        security_config=None,
        auto_ml_job_objective={"MetricName": "F1"},
        model_deploy_config=None,
        data_split_config=None,
    )
    automl = backend.auto_ml_jobs["churn-autopilot-nov"]
    automl.auto_ml_job_status, automl.auto_ml_job_secondary_status = "Completed", "Completed"
    automl.creation_time, automl.end_time = _ago(50), _ago(46)
    automl.auto_ml_job_artifacts = {
        "CandidateDefinitionNotebookLocation": f"{BUCKET}/autopilot/churn/notebooks/candidates.ipynb",
        "DataExplorationNotebookLocation": f"{BUCKET}/autopilot/churn/notebooks/data-exploration.ipynb",
    }
    best = "churn-autopilot-nov-trial-t1-017"
    automl._smtui_best = {
        "CandidateName": best,
        "FinalAutoMLJobObjectiveMetric": {"MetricName": "F1", "Value": 0.874, "Type": "Maximize"},
        "ObjectiveStatus": "Succeeded",
        "CandidateSteps": [
            {
                "CandidateStepType": "AWS::SageMaker::TrainingJob",
                "CandidateStepArn": f"{ACCOUNT_PREFIX}:training-job/{best}",
                "CandidateStepName": best,
            }
        ],
        "CandidateStatus": "Completed",
        "CreationTime": _ago(49),
        "EndTime": _ago(47),
        "LastModifiedTime": _ago(47),
    }
    backend.create_compilation_job(
        compilation_job_name="shelf-detector-v14-neo",
        role_arn=ROLE,
        output_config={"S3OutputLocation": f"{BUCKET}/neo/shelf-detector", "TargetDevice": "jetson_xavier"},
        stopping_condition={"MaxRuntimeInSeconds": 900},
        model_package_version_arn=None,
        input_config={
            "S3Uri": f"{BUCKET}/models/shelf-detector/1.4.tar.gz",
            "DataInputConfig": '{"input0": [1, 3, 640, 640]}',
            "Framework": "PYTORCH",
        },
        vpc_config=None,
        tags=[],
    )
    content = json.dumps({"model_overview": {"model_description": "Gradient-boosted fraud classifier"}})
    backend.create_model_card(
        model_card_name="fraud-detector-v7-card",
        security_config=None,
        content=content,
        model_card_status="Approved",
        tags=[],
    )
    add_record(
        state,
        fam.MODEL_CARD_EXPORT_JOB,
        {
            "ModelCardExportJobName": "fraud-detector-v7-card-pdf",
            "ModelCardName": "fraud-detector-v7-card",
            "ModelCardVersion": 1,
            "Status": "Completed",
            "OutputConfig": {"S3OutputPath": f"{BUCKET}/model-cards/exports"},
            "ExportArtifacts": {"S3ExportArtifacts": f"{BUCKET}/model-cards/exports/fraud-detector-v7-card.pdf"},
        },
    )
    trials = []
    for trial, experiment in (
        ("fraud-xgb-depth-sweep", "fraud-detector-experiments"),
        ("llama3-lora-rank-16", "llama3-finetune-sweeps"),
    ):
        backend.create_trial(trial_name=trial, experiment_name=experiment)
        trials.append(trial)
    components = []
    for component, trial, params in (
        ("fraud-xgb-depth-6", "fraud-xgb-depth-sweep", {"max_depth": {"NumberValue": 6}}),
        ("fraud-xgb-depth-8", "fraud-xgb-depth-sweep", {"max_depth": {"NumberValue": 8}}),
        ("llama3-lora-r16-lr2e-4", "llama3-lora-rank-16", {"lora_r": {"NumberValue": 16}}),
    ):
        backend.create_trial_component(
            trial_component_name=component,
            trial_name=trial,
            status={"PrimaryStatus": "Completed", "Message": "Finished"},
            start_time=_ago(30),
            end_time=_ago(28),
            display_name=component,
            parameters=params,
            input_artifacts={"train": {"Value": f"{BUCKET}/datasets/{trial}/train/"}},
            output_artifacts={"model": {"Value": f"{BUCKET}/models/{component}/model.tar.gz"}},
            metadata_properties=None,
        )
        backend.associate_trial_component(trial, component)
        components.append(component)
    return {
        "auto_ml_jobs": ["churn-autopilot-nov"],
        "compilation_jobs": ["shelf-detector-v14-neo"],
        "model_cards": ["fraud-detector-v7-card"],
        "model_card_export_jobs": ["fraud-detector-v7-card-pdf"],
        "trials": trials,
        "trial_components": components,
    }
