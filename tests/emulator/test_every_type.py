"""Every catalogue type lists at least one resource in the demo account, and describes it.

The walk follows the catalogue as the UI does: a child type is listed through each of its
parent's rows, a List* parameter only the user can give is tried with every value of its
enum, and the Describe* request is built from the listed row by the type itself. Run this
file with ``-s`` to see the table of which type answered what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError

from smtui.aws.model import enum_values, operation
from smtui.aws.validation import validate
from smtui.catalog import ResourceType, default_catalog
from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer


@dataclass
class Probe:
    """What one type answered."""

    name: str
    listed: int = 0
    described: bool = False
    error: str | None = None
    list_params: dict[str, Any] = field(default_factory=dict)
    row: dict[str, Any] = field(default_factory=dict)
    describe: dict[str, Any] = field(default_factory=dict)


def _body(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


async def _list(sm: Any, rtype: ResourceType, params: dict[str, Any]) -> list[dict[str, Any]]:
    response = await getattr(sm, xform_name(rtype.list_op))(**params)
    return list(response.get(rtype.items_key) or [])


async def _rows(
    sm: Any, rtype: ResourceType, types: dict[str, ResourceType]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The first non-empty page of ``rtype`` the UI could reach, and the request that got it."""
    base: dict[str, Any] = dict(rtype.list_defaults)
    candidates: list[dict[str, Any]] = [base]
    if rtype.parent is not None:
        parent = types[rtype.parent.type_name]
        parents, _ = await _rows(sm, parent, types)
        candidates = [{**base, **rtype.parent.list_request(p)} for p in parents]
    shape = operation(rtype.list_op).input_shape
    for name in rtype.required_inputs:
        values = enum_values(shape.members.get(name))
        candidates = [{**c, name: v} for c in candidates for v in values]
    for params in candidates:
        rows = await _list(sm, rtype, params)
        if rows:
            return rows, params
    return [], candidates[0] if candidates else base


async def probe(sm: Any, rtype: ResourceType, types: dict[str, ResourceType]) -> Probe:
    result = Probe(rtype.name)
    try:
        rows, params = await _rows(sm, rtype, types)
        result.listed, result.list_params = len(rows), params
        if not rows:
            return result
        result.row = rows[0]
        request = rtype.describe_request(rows[0], params)
        result.describe = _body(await getattr(sm, xform_name(rtype.describe_op))(**request))
        result.described = True
    except ClientError as exc:
        result.error = f"{exc.response['Error'].get('Code')}: {exc.response['Error'].get('Message')}"
    except ParamValidationError as exc:
        result.error = f"the listed row cannot be described: {exc}"
    return result


async def probe_all(sm: Any) -> list[Probe]:
    types = {t.name: t for t in default_catalog().all()}
    return [await probe(sm, t, types) for t in types.values()]


def shape_problems(found: Probe, rtype: ResourceType) -> list[str]:
    """Where the listed row and the describe answer break their botocore output shapes."""
    out: list[str] = []
    summary = operation(rtype.list_op).output_shape.members[rtype.items_key].member
    out += [f"list {p.aws_text()}" for p in validate(found.row, summary)]
    if found.described:
        out += [f"describe {p.aws_text()}" for p in validate(found.describe, operation(rtype.describe_op).output_shape)]
    return out


# The types whose demo data and handlers live in smtui/emulator/ext/records.py, families.py
# and demo_catalogue.py: every answer they give must fit its botocore output shape.
_RECORD_WORDS = """actions ai-benchmark-jobs ai-recommendation-jobs ai-workload-configs algorithms app-image-configs
    artifacts auto-ml-jobs cluster-scheduler-configs code-repositories compilation-jobs compute-quotas
    contexts device-fleets devices edge-deployment-plans edge-packaging-jobs flow-definitions
    hub-contents hubs human-task-uis image-versions images inference-experiments
    inference-recommendations-jobs job-schema-versions jobs labeling-jobs lineage-groups
    model-card-export-jobs model-cards notebook-instance-lifecycle-configs optimization-jobs
    partner-apps studio-lifecycle-configs subscribed-workteams training-plans training-sessions
    trial-components trials workforces workteams"""
RECORD_TYPES = frozenset(_RECORD_WORDS.split())


async def _inherited(sm: Any, problem: str) -> bool:
    """Whether a problem is the demo cluster's own ARN, quoted by a type that points at it.

    Task-governance records hold the ARN DescribeCluster gives; while that ARN breaks the
    cluster pattern, so does the quote, and the fix belongs to the cluster family."""
    if "at 'clusterArn'" not in problem:
        return False
    clusters = (await sm.list_clusters())["ClusterSummaries"]
    return any(f"'{c['ClusterArn']}'" in problem for c in clusters)


@pytest.fixture
async def demo(sm: Any, emu: EmulatorServer) -> Any:
    seed_demo(emu)
    return sm


async def test_every_catalogue_type_lists_and_describes_demo_data(demo: Any) -> None:
    found = await probe_all(demo)
    assert len(found) == 72
    print()
    for f in found:
        mark = "ok" if f.listed and f.described else "--"
        print(f"{mark} {f.name:40} listed={f.listed:3} described={f.described} {f.error or ''}")
    types = {t.name: t for t in default_catalog().all()}
    for f in found:
        for problem in shape_problems(f, types[f.name]):
            print(f"   shape {f.name}: {problem}")
    missing = [f.name for f in found if not (f.listed and f.described)]
    print(f"{72 - len(missing)}/72 list and describe")
    assert not missing, missing


async def test_record_types_answer_within_their_shapes(demo: Any) -> None:
    types = {t.name: t for t in default_catalog().all()}
    assert set(types) >= RECORD_TYPES
    problems = {}
    for name in sorted(RECORD_TYPES):
        found = await probe(demo, types[name], types)
        assert found.listed and found.described, (name, found.error)
        own = [p for p in shape_problems(found, types[name]) if not await _inherited(demo, p)]
        if own:
            problems[name] = own
    assert not problems, problems
