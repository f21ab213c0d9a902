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
- ``/aws/sagemaker/studio``, streams ``[domain-id]/[user-profile-name]/[app-type]/[app-name]``.
  Lifecycle scripts write under the app's stream name plus ``/LifecycleConfigOnStart``, and an
  app in a space has the space's name in the second place: "search the log streams using the
  following format: ``domain-id/space-name/app-type/default/LifecycleConfigOnStart``" (Debug
  lifecycle configurations, https://docs.aws.amazon.com/sagemaker/latest/dg/jl-lcc-debug.html;
  the Code Editor page, code-editor-use-lifecycle-configurations-studio-debug.html, too). Studio's
  administration whitepaper: "SageMaker creates a single log group for Studio, under
  /aws/sagemaker/studio. Each user profile and app has their own log stream under this log
  group, and lifecycle configuration scripts have their own log stream as well", e.g.
  ``<domain-id>/studio-user/JupyterServer/default`` and ``.../default/LifecycleConfigOnStart``
  (https://docs.aws.amazon.com/whitepapers/latest/sagemaker-studio-admin-best-practices/logging-and-monitoring.html,
  which writes them with the group's name in front). So an app (ListApps) reads
  ``[domain-id]/[space-or-user-profile]/[app-type]/[app-name]``: its own stream and its
  lifecycle streams. No trailing ``/``, as the app's own stream has none; an app whose name
  extends this one's (``default``, ``default-2``) would be read too, but Studio names a space's
  apps ``default``, one per type. A space or a user profile reads every stream under
  ``[domain-id]/[its-name]/``, its apps'.

(Endpoint streams also include ``/data-log`` for asynchronous inference and
``/[container-name]`` for inference pipelines; an endpoint's prefix is "", so all are read.)

Two sources are not in that table:

- inference components write to ``/aws/sagemaker/InferenceComponents/[InferenceComponentName]``.
  No AWS page found names this log group or its streams; public code that reads component
  logs uses exactly this group (and takes whatever streams it holds). Do not confuse it with
  the CloudWatch *metrics* namespace of the same name (enhanced metrics,
  https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch-enhanced-metrics.html).
  The stream names are unconfirmed, which is why the prefix is "" (every stream of the group);
- HyperPod clusters write lifecycle-script output to
  ``/aws/sagemaker/Clusters/[cluster-name]/[cluster-id]``, one stream per node named
  ``LifecycleConfig/[instance-group-name]/[instance-id]``. AWS's HyperPod AMI release notes
  (Slurm, "Troubleshooting upgrade failures") say so: "All SageMaker HyperPod events and logs
  are stored under the log group: /aws/sagemaker/Clusters/[ClusterName]/[ClusterID]. Look
  specifically at the log stream LifecycleConfig/[instance-group-name]/[instance-id]"; so does
  awslabs/ai-on-sagemaker-hyperpod (website/docs/02-common/troubleshooting-guide.md).
  ``[cluster-id]`` is the last segment of the cluster's ARN, a 12-character id, not the name
  (the API reference patterns the ARN as ``...:cluster/[a-z0-9]{12}``,
  https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ClusterEventSummary.html);
  HyperPod tooling takes ``ClusterArn.split("/")[-1]``.
  The same group also holds the health-monitoring agent's per-node streams (Xid and other
  detections), "separate log streams named SagemakerHealthMonitoringAgent for each node"
  (https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-hyperpod-eks-resiliency-health-monitoring-agent.html;
  ``SagemakerHealthMonitoringAgent/[instance-group-name]/[instance-id]`` in the awslabs guide).
  The ``LifecycleConfig/`` prefix below does not read them.

Templates name fields of the row: ``{name}`` (the row's key), ``{cluster}`` / ``{cluster_id}``
(the HyperPod cluster's name and id), ``{group}`` / ``{instance}`` (a node's instance group and
id), ``{domain}`` / ``{owner}`` / ``{app_type}`` (a Studio row's domain id, the space or user
profile it belongs to, and an app's type). The service fills them (:mod:`smtui.service.logs`).
"""

from __future__ import annotations

from dataclasses import dataclass

DOCS = "https://docs.aws.amazon.com/sagemaker/latest/dg/logging-cloudwatch.html"
STUDIO = "/aws/sagemaker/studio"
"""Studio's one log group, for every domain, user profile, space and app of the account."""
STUDIO_DOCS = "https://docs.aws.amazon.com/sagemaker/latest/dg/jl-lcc-debug.html"


HEALTH_AGENT = "SagemakerHealthMonitoringAgent"
"""The stream prefix of HyperPod's health-monitoring agent (sagemaker-hyperpod-eks-resiliency-
health-monitoring-agent.html: "separate log streams named SagemakerHealthMonitoringAgent for
each node"), ``<prefix>/<instance-group>/<instance-id>``."""


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
    """Follow even when failed: a HyperPod node in Failure still runs and logs (its health
    agent's Xid errors); a failed endpoint or job has written its last line."""
    docs: str = DOCS
    also: tuple[str, ...] = ()
    """More stream prefixes of the same resource in the same group: a HyperPod node's health
    agent writes its GPU (Xid) errors to ``SagemakerHealthMonitoringAgent/<group>/<instance>``,
    beside the ``LifecycleConfig/`` stream, and at 3 a.m. that is the line people came for."""


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
        also=(f"{HEALTH_AGENT}/",),
    ),
    "cluster-nodes": LogSource(
        "/aws/sagemaker/Clusters/{cluster}/{cluster_id}", "LifecycleConfig/{group}/{instance}",
        "this node has written no lifecycle logs yet", serving=True, follow_failed=True,
        also=(f"{HEALTH_AGENT}/{{group}}/{{instance}}",),
    ),
    "notebook-instances": LogSource(
        "/aws/sagemaker/NotebookInstances", "{name}/", "the notebook instance has written no logs yet", serving=True
    ),
    "apps": LogSource(
        STUDIO, "{domain}/{owner}/{app_type}/{name}", "the app has written no logs yet (it may still be starting)",
        serving=True, docs=STUDIO_DOCS,
    ),
    "spaces": LogSource(
        STUDIO, "{domain}/{name}/", "no app in this space has written logs yet", serving=True, docs=STUDIO_DOCS
    ),
    "user-profiles": LogSource(
        STUDIO, "{domain}/{name}/", "no app of this user profile has written logs yet", serving=True,
        docs=STUDIO_DOCS,
    ),
}  # fmt: skip


def log_source(type_name: str) -> LogSource | None:
    """The type's log source, or None when it writes no logs smtui knows of."""
    return LOG_SOURCES.get(type_name)
