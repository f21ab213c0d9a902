"""Where each resource type writes its CloudWatch logs: data, read by the logs view.

The names follow AWS's table of the log groups and streams SageMaker AI sends to CloudWatch
Logs, https://docs.aws.amazon.com/sagemaker/latest/dg/logging-cloudwatch.html :

- ``/aws/sagemaker/TrainingJobs``, streams ``[training-job-name]/algo-[instance-number-in-cluster]-[epoch_timestamp]``
- ``/aws/sagemaker/ProcessingJobs``, streams ``[processing-job-name]/[hostname]-[epoch_timestamp]``
- ``/aws/sagemaker/TransformJobs``, streams ``[transform-job-name]/[instance-id]-[epoch_timestamp]``
  (plus ``/data-log`` and per-container streams under the same prefix)
- ``/aws/sagemaker/Endpoints/[EndpointName]``, streams ``[production-variant-name]/[instance-id]``
- ``/aws/sagemaker/NotebookInstances``, streams ``[notebook-instance-name]/[LifecycleConfigHook]``
  and ``[notebook-instance-name]/jupyter.log``

Two sources are not in that table:

- inference components write to ``/aws/sagemaker/InferenceComponents/[InferenceComponentName]``
  (the group SageMaker creates for each component; streams are per variant and instance);
- HyperPod clusters write lifecycle-script output to
  ``/aws/sagemaker/Clusters/[cluster-name]/[cluster-id]``, one stream per node named
  ``LifecycleConfig/[instance-group-name]/[instance-id]``; ``[cluster-id]`` is the last
  segment of the cluster's ARN.

Neither page could be read here to confirm those two, so they rest on AWS's own samples and
HyperPod tooling, which read exactly these names (``aws logs get-log-events --log-group-name
/aws/sagemaker/Clusters/NAME/ID --log-stream-name LifecycleConfig/GROUP/INSTANCE``). Check them
first if a real account shows no logs for a component or a cluster.

Templates name fields of the row: ``{name}`` (the row's key), ``{cluster}`` / ``{cluster_id}``
(the HyperPod cluster's name and id), ``{group}`` / ``{instance}`` (a node's instance group and
id). The service fills them (:mod:`smtui.service.logs`).
"""

from __future__ import annotations

from dataclasses import dataclass

DOCS = "https://docs.aws.amazon.com/sagemaker/latest/dg/logging-cloudwatch.html"


@dataclass(frozen=True)
class LogSource:
    """One type's log group and which of its streams belong to one resource.

    ``stream_prefix`` "" means every stream of the group is the resource's (endpoints have a
    group each). ``serving`` types run until deleted, so their logs are followed while they
    are healthy too (a job is followed only while it is in transition). ``empty`` says why
    there is nothing yet, in the words of the type.
    """

    group: str
    stream_prefix: str
    empty: str
    serving: bool = False
    follow_failed: bool = False
    """Follow even when failed: a HyperPod node in Failure still runs and logs (Xid errors);
    a failed endpoint or job has written its last line."""
    docs: str = DOCS


LOG_SOURCES: dict[str, LogSource] = {
    "training-jobs": LogSource(
        "/aws/sagemaker/TrainingJobs", "{name}/", "the job has not started writing logs (it may still be starting)"
    ),
    "processing-jobs": LogSource(
        "/aws/sagemaker/ProcessingJobs", "{name}/", "the job has not started writing logs (it may still be starting)"
    ),
    "transform-jobs": LogSource(
        "/aws/sagemaker/TransformJobs", "{name}/", "the job has not started writing logs (it may still be starting)"
    ),
    "endpoints": LogSource(
        "/aws/sagemaker/Endpoints/{name}", "", "the endpoint has written no logs yet (its instances may be starting)",
        serving=True,
    ),
    "inference-components": LogSource(
        "/aws/sagemaker/InferenceComponents/{name}", "", "the component has written no logs yet (no copy is running)",
        serving=True,
    ),
    "clusters": LogSource(
        "/aws/sagemaker/Clusters/{cluster}/{cluster_id}", "LifecycleConfig/",
        "no node has written lifecycle logs yet", serving=True, follow_failed=True,
    ),
    "cluster-nodes": LogSource(
        "/aws/sagemaker/Clusters/{cluster}/{cluster_id}", "LifecycleConfig/{group}/{instance}",
        "this node has written no lifecycle logs yet", serving=True, follow_failed=True,
    ),
    "notebook-instances": LogSource(
        "/aws/sagemaker/NotebookInstances", "{name}/", "the notebook instance has written no logs yet", serving=True
    ),
}  # fmt: skip


def log_source(type_name: str) -> LogSource | None:
    """The type's log source, or None when it writes no logs smtui knows of."""
    return LOG_SOURCES.get(type_name)
