"""Hand-offs: what to paste elsewhere — the console page of a resource, the SSM command of a node.

Console paths are the SageMaker console's own routes (``#/endpoints/<name>``…). A type the
console has no page for opens its home page, and says so.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from smtui.aws.target import Target
from smtui.catalog import ResourceType

_CONSOLE_ROUTES: Mapping[str, str] = {
    "endpoints": "endpoints/{name}",
    "endpoint-configs": "endpointConfig/{name}",
    "models": "models/{name}",
    "inference-components": "inference-components/{name}",
    "training-jobs": "jobs/{name}",
    "processing-jobs": "processing-jobs/{name}",
    "transform-jobs": "transform-jobs/{name}",
    "hyper-parameter-tuning-jobs": "hyper-tuning-jobs/{name}",
    "notebook-instances": "notebook-instances/{name}",
    "clusters": "cluster-management/{name}",
    "cluster-nodes": "cluster-management/{cluster}",
    "model-package-groups": "model-registry/{name}",
    "pipelines": "pipelines/{name}",
    "domains": "studio/{name}",
}


def console_host(region: str) -> str:
    """The console's host for the region's partition."""
    if region.startswith("cn-"):
        return f"https://{region}.console.amazonaws.cn"
    if region.startswith("us-gov-"):
        return f"https://{region}.console.amazonaws-us-gov.com"
    return f"https://{region}.console.aws.amazon.com"


@dataclass(frozen=True)
class ConsoleLink:
    """A console URL, and whether it is the resource's own page or only the service's home."""

    url: str
    exact: bool


def console_url(
    target: Target, rtype: ResourceType, record: Mapping[str, Any], list_params: Mapping[str, Any] | None = None
) -> ConsoleLink:
    """The SageMaker console page of ``record``."""
    region = target.region
    home = f"{console_host(region)}/sagemaker/home?region={region}#/"
    route = _CONSOLE_ROUTES.get(rtype.name)
    if route is None:
        return ConsoleLink(home, exact=False)
    params = dict(list_params or {})
    name = rtype.key_of(record, params)
    cluster = record.get("ClusterName") or params.get("ClusterName") or ""
    return ConsoleLink(home + route.format(name=quote(str(name), safe=""), cluster=quote(str(cluster), safe="")), True)


def cluster_id(cluster_arn: str) -> str:
    """The id at the end of a cluster ARN (``arn:…:cluster/abc123`` -> ``abc123``)."""
    return cluster_arn.rsplit("/", 1)[-1]


def ssm_target(cluster_arn: str, group: str, instance_id: str) -> str:
    """The SSM target of a HyperPod node: ``sagemaker-cluster:<cluster-id>_<group>-<instance-id>``."""
    return f"sagemaker-cluster:{cluster_id(cluster_arn)}_{group}-{instance_id}"


def ssm_command(target: Target, cluster_arn: str, group: str, instance_id: str) -> str:
    """The ``aws ssm start-session`` command for a node, on the current profile and region."""
    parts = ["aws", "ssm", "start-session", "--target", ssm_target(cluster_arn, group, instance_id)]
    parts += ["--region", target.region]
    if target.profile:
        parts += ["--profile", target.profile]
    return shlex.join(parts)
