"""The describe tree updates in place: keyed by path, in model order, ticking its ages."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets.tree import TreeNode

from smtui.ui.widgets.detail_tree import DetailTree


def outline(node: TreeNode[Any]) -> list[Any]:
    return [(str(child.label), child.allow_expand, outline(child)) for child in node.children]


KEYS = st.sampled_from(["A", "B", "Status", "Env", "Items", "x", "y"])
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
DETAILS = st.dictionaries(KEYS, VALUES, max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DETAILS, DETAILS)
def test_an_update_in_place_looks_exactly_like_a_fresh_tree(before: dict[str, Any], after: dict[str, Any]) -> None:
    updated = DetailTree("root")
    updated.show(Text("root"), before)
    updated.show(Text("root"), after)
    fresh = DetailTree("root")
    fresh.show(Text("root"), after)
    assert outline(updated.root) == outline(fresh.root)
    assert set(updated.nodes) == set(fresh.nodes)


class TreeApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DetailTree("root", id="tree")


async def test_cursor_and_expansion_survive_an_update_and_keys_keep_model_order() -> None:
    app = TreeApp()
    async with app.run_test(size=(80, 20)) as pilot:
        tree = app.query_one(DetailTree)
        first = {"Name": "job", "Status": "InProgress", "Spec": {"Image": "a", "Env": {"K": "v"}}, "Tags": ["t"]}
        tree.show(Text("root"), first)
        await pilot.pause()
        env = tree.nodes[("Spec", "Env")]
        env.expand()
        status = tree.nodes[("Status",)]
        tree.move_cursor(status)
        await pilot.pause()
        # A live update: Status changes, a key appears before it, Tags go away.
        second = {"Name": "job", "Reason": "why", "Status": "Failed", "Spec": {"Image": "a", "Env": {"K": "v"}}}
        tree.labels_rewritten = 0
        tree.show(Text("root"), second)
        await pilot.pause()
        assert tree.cursor_node is status and "Failed" in str(status.label)
        assert tree.nodes[("Spec", "Env")] is env and env.is_expanded
        assert [str(n.label).split(":")[0].split(" ")[0] for n in tree.root.children] == [
            "Name",
            "Reason",
            "Status",
            "Spec",
        ]
        assert tree.labels_rewritten == 1  # only Status: unchanged labels are not rewritten


async def test_timestamps_tick_and_an_unchanged_tick_rewrites_nothing() -> None:
    app = TreeApp()
    async with app.run_test(size=(80, 20)) as pilot:
        tree = app.query_one(DetailTree)
        when = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=58.6)
        tree.show(Text("root"), {"CreationTime": when, "Name": "x"})
        await pilot.pause()
        label = str(tree.nodes[("CreationTime",)].label)
        assert "58s ago" in label
        assert tree.tick() == 0
        time.sleep(1.6)
        assert tree.tick() == 1
        assert "1m ago" in str(tree.nodes[("CreationTime",)].label)
        assert tree.tick() == 0
