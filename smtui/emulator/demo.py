"""The demo account: a realistic SageMaker estate, and a thread that keeps it moving."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from smtui.emulator.demo_catalogue import seed_catalogue
from smtui.emulator.ext.inference import create_ic
from smtui.emulator.ext.mlflow import create_mlflow_app, create_tracking_server
from smtui.emulator.ext.state import ExtState, ext
from smtui.emulator.ext.studio import APP, PROJECT, SCHEDULE, SPACE, USER, create_record
from smtui.emulator.logs_seed import seed_logs
from smtui.emulator.metrics_seed import seed_metrics
from smtui.emulator.seed import (
    BUCKET,
    ROLE,
    SERVE_IMAGE,
    _ic_spec,
    add_cluster,
    add_endpoint,
    add_model,
    add_training_job,
    fail_node,
    settled,
    state_of,
)

MOVING_IC = "mistral-7b-summarizer"
MOVING_JOB = "llama3-8b-sft-nightly"
CYCLING_CLUSTER = "inference-bench-trn1"
FLAKY_CLUSTER = "research-eks-g5"


def seed_demo(target: Any) -> dict[str, list[str]]:
    """Populate us-east-1 / 123456789012 with a plausible account; returns names per type."""
    state = state_of(target)
    made: dict[str, list[str]] = {}
    with settled():
        made.update(_inference(state))
        made.update(_training(state))
        made.update(_clusters(state))
        made.update(_mlops(state))
        made.update(_studio(state))
        made.update(seed_catalogue(state))
        _link_model_to_its_job(state, "fraud-detector-v7", "fraud-detector-v7-xgb")
        state.sync()
    seed_logs(state)
    seed_metrics(state)
    return made


SECOND_REGION = "eu-west-1"


def seed_second_region(server: Any, region: str = SECOND_REGION) -> dict[str, list[str]]:
    """A smaller second region of the same account, so ``:region us-east-1,eu-west-1`` (and
    ``--regions``) show one list across two regions in the demo."""
    state = ext(server.backend(region=region))
    with settled():
        add_endpoint(state, "fraud-detector-v7-eu", "fraud-detector-v7", instance_type="ml.c6i.2xlarge", count=2)
        add_endpoint(
            state,
            "search-rerank-eu",
            "bge-reranker-v2",
            status="Failed",
            reason="CapacityError: Unable to provision requested ML compute capacity in eu-west-1b.",
        )
        jobs = ["fraud-detector-v7-xgb-eu", "churn-xgb-v13-eu"]
        add_training_job(state, jobs[0], created_minutes_ago=90)
        add_training_job(
            state,
            jobs[1],
            created_minutes_ago=30,
            status="Failed",
            reason="ClientError: no data in s3://eu-data/churn/",
        )
        state.sync()
    return {"endpoints": ["fraud-detector-v7-eu", "search-rerank-eu"], "training-jobs": jobs}


def _link_model_to_its_job(state: ExtState, model: str, job_prefix: str) -> None:
    """Serve the newest completed ``job_prefix`` job's artifacts from ``model``, as a real
    deployment would, so the training job -> model jump leads somewhere in the demo."""
    backend = state.backend
    jobs = sorted(
        (
            j
            for n, j in backend.training_jobs.items()
            if n.startswith(job_prefix) and j.training_job_status == "Completed"
        ),
        key=lambda j: j.creation_time,
    )
    if jobs and model in backend._models:
        backend._models[model].primary_container["ModelDataUrl"] = jobs[-1].model_artifacts["S3ModelArtifacts"]


def _inference(state: ExtState) -> dict[str, list[str]]:
    for model in (
        "llama3-70b-instruct",
        "llama3-8b-chat",
        "mistral-7b-v03",
        "bge-large-en-v15",
        "fraud-detector-v7",
        "churn-xgb-v12",
        "sdxl-turbo",
    ):
        add_model(state, model)
    endpoints = {
        "llama3-70b-prod": ("llama3-70b-instruct", "ml.p4d.24xlarge", 2, "InService", None),
        "genai-shared-g5": ("llama3-8b-chat", "ml.g5.48xlarge", 2, "InService", None),
        "fraud-detector-v7-prod": ("fraud-detector-v7", "ml.c6i.2xlarge", 3, "InService", None),
        "churn-scoring-staging": (
            "churn-xgb-v12",
            "ml.m5.xlarge",
            1,
            "Failed",
            "CapacityError: Unable to provision requested ML compute capacity. "
            "Please retry using a different ML instance type.",
        ),
        "embeddings-bge-dev": ("bge-large-en-v15", "ml.g5.2xlarge", 1, "InService", None),
    }
    for name, (model, itype, count, status, reason) in endpoints.items():
        add_endpoint(state, name, model, instance_type=itype, count=count, status=status, reason=reason)
    ics = [
        ("llama3-70b-ic", "llama3-70b-prod", "llama3-70b-instruct", 2, 8, 262144),
        ("llama3-8b-chat-ic", "genai-shared-g5", "llama3-8b-chat", 4, 1, 24576),
        (MOVING_IC, "genai-shared-g5", "mistral-7b-v03", 2, 1, 16384),
        ("bge-embeddings-ic", "embeddings-bge-dev", "bge-large-en-v15", 1, 1, 4096),
        ("sdxl-turbo-ic", "genai-shared-g5", "sdxl-turbo", 1, 1, 32768),
    ]
    for name, endpoint, model, copies, gpus, memory in ics:
        create_ic(state, name, endpoint, spec=_ic_spec(model, memory, gpus), copies=copies)
    state.sync()
    state.fail("sdxl-turbo-ic", "Insufficient accelerator memory on ml.g5.48xlarge to place 1 copy.")
    return {"endpoints": list(endpoints), "inference_components": [i[0] for i in ics]}


_FAILURES = [
    "AlgorithmError: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.50 GiB "
    "(GPU 0; 22.19 GiB total capacity)",
    "ClientError: Data download failed: Access Denied (s3://sagemaker-us-east-1-123456789012/datasets/"
    "claims-2024/train/part-0001.parquet)",
    "CapacityError: Unable to provision requested ML compute capacity. Please retry using a different "
    "ML instance type.",
    "InternalServerError: We encountered an internal error.  Please try again.",
]


def _training(state: ExtState) -> dict[str, list[str]]:
    names: list[str] = []
    rng = random.Random(42)
    bases = [
        "llama3-8b-sft",
        "mistral-7b-dpo",
        "fraud-detector-v7-xgb",
        "churn-xgb-hpo",
        "bge-finetune",
        "sdxl-lora-brand",
        "whisper-large-asr",
        "recsys-two-tower",
    ]
    for i in range(36):
        base = bases[i % len(bases)]
        name = f"{base}-2024-11-{1 + i % 28:02d}-{rng.randint(10, 23)}-{rng.randint(10, 59)}"
        add_training_job(
            state,
            name,
            created_minutes_ago=60 * 24 * (36 - i) / 3,
            instance_type=rng.choice(["ml.g5.12xlarge", "ml.p4d.24xlarge", "ml.m5.4xlarge"]),
        )
        names.append(name)
    special = [
        (MOVING_JOB, "Training", None, "ml.p4d.24xlarge", 4),
        ("mistral-7b-dpo-exp42", "Downloading", None, "ml.p5.48xlarge", 2),
        ("whisper-large-asr-v3-ft", "Starting", None, "ml.g5.12xlarge", 1),
        ("bge-finetune-hardneg", "Uploading", None, "ml.g5.2xlarge", 1),
        ("recsys-two-tower-nightly", "Training", None, "ml.g5.48xlarge", 2),
        ("sdxl-lora-brand-v3", "Stopping", None, "ml.g5.8xlarge", 1),
        ("fraud-detector-v8-xgb", "Stopped", None, "ml.m5.4xlarge", 1),
        ("llama3-70b-sft-oom", "Failed", _FAILURES[0], "ml.p4d.24xlarge", 8),
        ("claims-classifier-v2", "Failed", _FAILURES[1], "ml.m5.2xlarge", 1),
        ("mixtral-8x7b-pretrain", "Failed", _FAILURES[2], "ml.p5.48xlarge", 16),
        ("churn-xgb-v13", "MaxRuntimeExceeded", None, "ml.m5.xlarge", 1),
    ]
    for j, (name, status, reason, itype, count) in enumerate(special):
        add_training_job(
            state,
            name,
            status=status,
            reason=reason,
            instance_type=itype,
            count=count,
            created_minutes_ago=90 - j * 5,
        )
        names.append(name)
    backend = state.backend
    proc = []
    for name, status in (
        ("fraud-features-daily-2024-11-20", "Completed"),
        ("churn-eval-baseline", "Completed"),
        ("claims-dedupe-preprocess", "InProgress"),
        ("llm-eval-mtbench", "Failed"),
    ):
        _processing(state, name, status)
        proc.append(name)
    xform = []
    for name, status in (
        ("fraud-batch-score-2024-11-20", "Completed"),
        ("churn-batch-monthly", "InProgress"),
        ("embeddings-backfill", "Failed"),
    ):
        job = backend.create_transform_job(
            transform_job_name=name,
            model_name="fraud-detector-v7",
            max_concurrent_transforms=4,
            model_client_config=None,
            max_payload_in_mb=6,
            batch_strategy="MultiRecord",
            environment={},
            transform_input={
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"{BUCKET}/batch/{name}/in/"}}
            },
            transform_output={"S3OutputPath": f"{BUCKET}/batch/{name}/out/"},
            data_capture_config=None,
            transform_resources={"InstanceType": "ml.m5.2xlarge", "InstanceCount": 2},
            data_processing=None,
            tags=[],
            experiment_config=None,
        )
        job.transform_job_status = status
        job.failure_reason = "ClientError: Model container exited with code 137 (OOM)" if status == "Failed" else None
        xform.append(name)
    hpo = []
    for name, status in (("churn-xgb-hpo-nov", "Completed"), ("fraud-lgbm-hpo-v7", "InProgress")):
        backend.create_hyper_parameter_tuning_job(
            hyper_parameter_tuning_job_name=name,
            hyper_parameter_tuning_job_config={
                "Strategy": "Bayesian",
                "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 4},
            },
            training_job_definition={
                "StaticHyperParameters": {"objective": "binary:logistic"},
                "AlgorithmSpecification": {"TrainingImage": IMAGE_XGBOOST, "TrainingInputMode": "File"},
                "RoleArn": ROLE,
                "OutputDataConfig": {"S3OutputPath": f"{BUCKET}/hpo/{name}/"},
                "ResourceConfig": {"InstanceType": "ml.m5.4xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
                "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
            },
            training_job_definitions=None,
            warm_start_config=None,
            tags=[],
            autotune=None,
        )
        backend.hyper_parameter_tuning_jobs[name].hyper_parameter_tuning_job_status = status
        hpo.append(name)
    return {"training_jobs": names, "processing_jobs": proc, "transform_jobs": xform, "hpo_jobs": hpo}


IMAGE_SKLEARN = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
IMAGE_XGBOOST = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


def _processing(state: ExtState, name: str, status: str) -> None:
    job = state.backend.create_processing_job(
        app_specification={"ImageUri": IMAGE_SKLEARN, "ContainerEntrypoint": ["python3", "process.py"]},
        experiment_config=None,
        network_config=None,
        processing_inputs=[],
        processing_job_name=name,
        processing_output_config=None,
        role_arn=ROLE,
        tags=[],
        stopping_condition={"MaxRuntimeInSeconds": 3600},
    )
    # moto's backend takes no ProcessingResources; the model requires them.
    job.processing_resources = {
        "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 30}
    }
    job.processing_job_status = status
    if status == "InProgress":
        job.processing_end_time = None
    job.failure_reason = "AlgorithmError: ValueError: judge model endpoint timed out" if status == "Failed" else None


def _clusters(state: ExtState) -> dict[str, list[str]]:
    add_cluster(
        state,
        "llm-pretrain-p5",
        [
            ("controller", "ml.m5.12xlarge", 1),
            ("login", "ml.m5.4xlarge", 1),
            ("gpu-workers", "ml.p5.48xlarge", 8),
        ],
    )
    fail_node(
        state,
        "llm-pretrain-p5",
        "gpu-workers",
        "Node health check failed: NVIDIA GPU Xid 79 (GPU has fallen off the bus). Replacement scheduled.",
    )
    add_cluster(
        state,
        FLAKY_CLUSTER,
        [("system", "ml.m5.2xlarge", 2), ("g5-workers", "ml.g5.8xlarge", 4)],
        orchestrator="eks",
    )
    add_cluster(state, CYCLING_CLUSTER, [("trn1-workers", "ml.trn1.32xlarge", 2)])
    return {"clusters": ["llm-pretrain-p5", FLAKY_CLUSTER, CYCLING_CLUSTER]}


def _mlops(state: ExtState) -> dict[str, list[str]]:
    backend = state.backend
    definition = json.dumps(
        {
            "Version": "2020-12-01",
            "Steps": [
                {"Name": "Preprocess", "Type": "Processing"},
                {"Name": "Train", "Type": "Training"},
                {"Name": "Evaluate", "Type": "Processing"},
                {"Name": "RegisterModel", "Type": "RegisterModel"},
            ],
        }
    )
    pipelines = ["fraud-detector-train-pipeline", "churn-monthly-retrain", "llm-eval-pipeline"]
    for p in pipelines:
        backend.create_pipeline(
            pipeline_name=p,
            pipeline_display_name=p,
            pipeline_definition=definition,
            pipeline_definition_s3_location=None,
            pipeline_description=f"{p} (demo)",
            role_arn=ROLE,
            tags=[],
            parallelism_configuration=None,
        )
        for k, status in enumerate(("Succeeded", "Succeeded", "Failed", "Executing")):
            arn = backend.start_pipeline_execution(p, f"{p}-run-{k + 1}", [], "demo run", None, f"tok-{p}-{k}")
            execution = backend.pipelines[p].pipeline_executions[arn["PipelineExecutionArn"]]
            execution.pipeline_execution_status = status
            # Runs a few hours apart, so their steps have a history (the timeline shows it).
            execution.start_time = execution.creation_time = execution.start_time - dt.timedelta(hours=4 - k)
            if status == "Failed":
                execution.pipeline_execution_failure_reason = "Step Train failed: AlgorithmError: loss is NaN"
    create_tracking_server(
        state, "mlflow-research", artifact_store_uri=f"{BUCKET}/mlflow/research", role_arn=ROLE, size="Medium"
    )
    create_tracking_server(
        state, "mlflow-prod", artifact_store_uri=f"{BUCKET}/mlflow/prod", role_arn=ROLE, size="Large"
    )
    create_tracking_server(state, "mlflow-sandbox", artifact_store_uri=f"{BUCKET}/mlflow/sandbox", role_arn=ROLE)
    state.sync()
    state.store("mlflow-tracking-server")["mlflow-sandbox"].update(TrackingServerStatus="Stopped", IsActive="Inactive")
    create_mlflow_app(state, "team-genai-mlflow", artifact_store_uri=f"{BUCKET}/mlflow-apps/genai", role_arn=ROLE)
    create_mlflow_app(state, "fraud-mlflow", artifact_store_uri=f"{BUCKET}/mlflow-apps/fraud", role_arn=ROLE)
    groups = ["fraud-detector", "churn-xgb", "llama3-8b-chat-ft"]
    for g in groups:
        backend.create_model_package_group(g, f"Versions of {g}")
        for v, approval in enumerate(("Approved", "Rejected", "PendingManualApproval")):
            backend.create_model_package(
                model_package_name=None,
                model_package_group_name=g,
                model_package_description=f"{g} v{v + 1}",
                inference_specification={
                    "Containers": [{"Image": SERVE_IMAGE, "ModelDataUrl": f"{BUCKET}/models/{g}/v{v + 1}.tar.gz"}],
                    "SupportedContentTypes": ["application/json"],
                    "SupportedResponseMIMETypes": ["application/json"],
                },
                validation_specification=None,
                source_algorithm_specification=None,
                certify_for_marketplace=False,
                tags=[],
                model_approval_status=approval,
                metadata_properties=None,
                model_metrics=None,
                client_token=None,
                customer_metadata_properties=None,
                drift_check_baselines=None,
                domain=None,
                task=None,
                sample_payload_url=None,
                additional_inference_specifications=None,
            )
    job_defs = _monitoring(state)
    backend.create_feature_group(
        "customers-fg",
        "customer_id",
        "event_time",
        [
            {"FeatureName": "customer_id", "FeatureType": "String"},
            {"FeatureName": "event_time", "FeatureType": "String"},
        ],
        {"S3StorageConfig": {"S3Uri": f"{BUCKET}/feature-store"}},
        ROLE,
        [],
    )
    backend.create_feature_group(
        "transactions-fg",
        "txn_id",
        "event_time",
        [
            {"FeatureName": "txn_id", "FeatureType": "String"},
            {"FeatureName": "event_time", "FeatureType": "String"},
        ],
        {"S3StorageConfig": {"S3Uri": f"{BUCKET}/feature-store"}},
        ROLE,
        [],
    )
    for e in ("fraud-detector-experiments", "llama3-finetune-sweeps", "churn-ablation"):
        backend.create_experiment(e)
    create_record(
        state,
        PROJECT,
        "fraud-mlops",
        "fraud-mlops",
        {"ProjectId": "p-fraudmlops01", "ProjectDescription": "Build/deploy for fraud-detector"},
    )
    create_record(
        state,
        PROJECT,
        "genai-platform",
        "genai-platform",
        {"ProjectId": "p-genaiplat002", "ProjectDescription": "Shared GenAI endpoints"},
    )
    return {
        "pipelines": pipelines,
        "mlflow_tracking_servers": ["mlflow-research", "mlflow-prod", "mlflow-sandbox"],
        "mlflow_apps": ["team-genai-mlflow", "fraud-mlflow"],
        "model_package_groups": groups,
        "projects": ["fraud-mlops", "genai-platform"],
        **job_defs,
    }


def _monitoring(state: ExtState) -> dict[str, list[str]]:
    backend = state.backend
    resources = {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20}}
    endpoint_input = {"EndpointInput": {"EndpointName": "fraud-detector-v7-prod", "LocalPath": "/opt/ml/processing/in"}}
    output = {"MonitoringOutputs": [{"S3Output": {"S3Uri": f"{BUCKET}/monitoring", "LocalPath": "/opt/ml/out"}}]}
    app = {"ImageUri": "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"}
    # Bias and explainability analyses need their analysis config, quality ones ground truth.
    clarify = {**app, "ConfigUri": f"{BUCKET}/monitoring/clarify/analysis_config.json"}
    truth = {"GroundTruthS3Input": {"S3Uri": f"{BUCKET}/monitoring/ground-truth/"}}
    backend.create_data_quality_job_definition(
        account_id=state.account_id,
        job_definition_name="fraud-v7-data-quality",
        role_arn=ROLE,
        job_resources=resources,
        data_quality_app_specification=app,
        data_quality_job_input=endpoint_input,
        data_quality_job_output_config=output,
    )
    backend.create_model_quality_job_definition(
        "fraud-v7-model-quality", None, app, {**endpoint_input, **truth}, output, resources, None, ROLE, None, []
    )
    backend.create_model_bias_job_definition(
        account_id=state.account_id,
        job_definition_name="fraud-v7-bias",
        role_arn=ROLE,
        job_resources=resources,
        model_bias_app_specification=clarify,
        model_bias_job_input={**endpoint_input, **truth},
        model_bias_job_output_config=output,
    )
    backend.create_model_explainability_job_definition(
        "fraud-v7-explainability", None, clarify, endpoint_input, output, resources, None, ROLE, None, []
    )
    schedules = []
    for name, kind, definition in (
        ("fraud-v7-data-quality-hourly", "DataQuality", "fraud-v7-data-quality"),
        ("fraud-v7-model-quality-daily", "ModelQuality", "fraud-v7-model-quality"),
        ("fraud-v7-bias-weekly", "ModelBias", "fraud-v7-bias"),
    ):
        config = {
            "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
            "MonitoringJobDefinitionName": definition,
            "MonitoringType": kind,
        }
        create_record(
            state,
            SCHEDULE,
            name,
            name,
            {
                "MonitoringScheduleConfig": config,
                "MonitoringType": kind,
                "EndpointName": "fraud-detector-v7-prod",
                "MonitoringJobDefinitionName": definition,
            },
        )
        schedules.append(name)
    state.sync()
    state.store("monitoring-schedule")["fraud-v7-bias-weekly"]["MonitoringScheduleStatus"] = "Stopped"
    return {
        "job_definitions": [
            "fraud-v7-data-quality",
            "fraud-v7-model-quality",
            "fraud-v7-bias",
            "fraud-v7-explainability",
        ],
        "monitoring_schedules": schedules,
    }


def _studio(state: ExtState) -> dict[str, list[str]]:
    backend = state.backend
    backend.create_domain(
        "ml-platform",
        "IAM",
        {"ExecutionRole": ROLE},
        ["subnet-0a1b2c3d"],
        "vpc-0demo",
        None,
        [],
        None,
        None,
        None,
        None,
        None,
    )
    domain = "d-ml-platform"
    users = ["alice-data-scientist", "bob-ml-engineer", "carol-analyst"]
    for user in users:
        create_record(state, USER, f"{domain}/{user}", user, {"DomainId": domain}, arn_path=f"{domain}/{user}")
    spaces = ["alice-jupyterlab", "fraud-team-shared", "bob-code-editor"]
    for space in spaces:
        create_record(state, SPACE, f"{domain}/{space}", space, {"DomainId": domain}, arn_path=f"{domain}/{space}")
    apps = [("alice-jupyterlab", "JupyterLab", "default"), ("bob-code-editor", "CodeEditor", "default")]
    for space, app_type, app in apps:
        create_record(
            state,
            APP,
            f"{domain}/{space}/{app_type}/{app}",
            app,
            {
                "DomainId": domain,
                "SpaceName": space,
                "AppType": app_type,
                "ResourceSpec": {"InstanceType": "ml.t3.medium"},
            },
            arn_path=f"{domain}/{space}/{app_type.lower()}/{app}",
        )
    backend.create_notebook_instance("nb-data-exploration", "ml.t3.large", ROLE)
    backend.create_notebook_instance("nb-legacy-tf1", "ml.m5.xlarge", ROLE)
    backend.stop_notebook_instance("nb-legacy-tf1")
    return {
        "domains": [domain],
        "user_profiles": users,
        "spaces": spaces,
        "apps": [a[0] for a in apps],
        "notebook_instances": ["nb-data-exploration", "nb-legacy-tf1"],
    }
