"""Cells from records: status sorts by severity, columns carry their keys and priorities."""

from __future__ import annotations

from smtui.catalog import default_catalog
from smtui.ui.rows import age_key, build_row, table_columns


def test_status_sorts_failed_then_transitional_then_healthy_then_by_name() -> None:
    nodes = default_catalog().get("cluster-nodes")
    records = [
        {"InstanceId": "i-b", "InstanceStatus": {"Status": "Running"}},
        {"InstanceId": "i-a", "InstanceStatus": {"Status": "Running"}},
        {"InstanceId": "i-c", "InstanceStatus": {"Status": "Pending"}},
        {"InstanceId": "i-0", "InstanceStatus": {"Status": "DeepHealthCheckInProgress"}},
        {"InstanceId": "i-d", "InstanceStatus": {"Status": "Failure"}},
    ]
    index = [c.key for c in nodes.columns].index("InstanceStatus.Status")
    rows = [build_row(nodes, r, {"ClusterName": "x"}) for r in records]
    ordered = sorted(rows, key=lambda r: (r.sort_values[index], r.key))
    assert [r.key for r in ordered] == ["i-d", "i-0", "i-c", "i-a", "i-b"]
    assert nodes.sort_by == "InstanceStatus.Status"


def test_table_columns_are_keyed_and_keep_name_status_age() -> None:
    catalog = default_catalog()
    for rtype in catalog.all():
        if not rtype.curated:
            continue
        columns = table_columns(rtype)
        assert [c.key for c in columns] == [c.key for c in rtype.columns]
        droppable = [c.drop for c in columns if c.drop is not None]
        for spec, col in zip(rtype.columns, columns, strict=True):
            # The age: AGE, or the first time column of a type without one (STARTED).
            if spec.kind == "status" or spec.key in (age_key(rtype), rtype.key_field):
                assert col.drop is None, (rtype.name, spec.title)
            elif spec.kind == "time":
                # ENDED, UPDATED: dropped only after every other droppable column.
                assert col.drop == min(droppable), (rtype.name, spec.title)
    events = table_columns(catalog.get("cluster-events"))
    by_key = {c.key: c for c in events}
    description, instance = by_key["Description"].drop, by_key["InstanceId"].drop
    assert description is not None and instance is not None and description < instance


def test_a_type_without_an_age_column_keeps_its_first_time_column() -> None:
    """Pipeline executions have STARTED and no AGE: at 80 columns STARTED dropped, and nothing
    on screen said which run was the newest."""
    rtype = default_catalog().get("pipeline-executions")
    columns = {c.title: c for c in table_columns(rtype)}
    assert age_key(rtype) == "StartTime"
    assert columns["STARTED"].drop is None
    assert columns["REASON"].drop is not None
    # Where AGE exists it is the one kept, and the other time columns drop.
    endpoints = {c.title: c for c in table_columns(default_catalog().get("endpoints"))}
    assert endpoints["AGE"].drop is None and endpoints["UPDATED"].drop is not None
