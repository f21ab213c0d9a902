"""The describe tree: a Describe* response as a collapsible tree that updates in place.

A live update must not move the user. Rebuilding the tree on every poll put the cursor on
another field (so Ctrl+Y copied a value nobody picked), collapsed what was open and reshuffled
the keys. Here every node is keyed by its path in the response: an update rewrites the labels
that changed, inserts new keys at their place in model order and removes the keys that went,
so cursor, expansion and scroll stay where they were. Timestamps read "(3m ago)" and tick.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from smtui.text import printable
from smtui.ui.format import scalar, timestamp
from smtui.ui.theme import rich_name

Path = tuple[str, ...]
LabelFor = Callable[[str, Any], Text]


def default_label(key: str, value: Any) -> Text:
    text = Text()
    text.append(f"{key}: ", style=rich_name("key"))
    text.append(timestamp(value) if isinstance(value, dt.datetime) else scalar(value))
    return text


class DetailTree(Tree[Any]):
    """A tree of a nested response, reconciled by path on each :meth:`show`."""

    def __init__(self, label: str = "…", *, leaf_label: LabelFor = default_label, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.leaf_label = leaf_label
        self.nodes: dict[Path, TreeNode[Any]] = {}
        self._shown: dict[Path, str] = {}  # the plain text of each label, to rewrite only what changed
        self._times: dict[Path, tuple[str, dt.datetime]] = {}  # leaves that show "(… ago)"
        self.labels_rewritten = 0
        """For tests: how many labels an update or a tick rewrote."""

    def show(self, root_label: Text, value: Any) -> None:
        """Show ``value`` (a mapping or a list), keeping cursor and expansion."""
        if str(root_label) != str(self.root.label):
            self.root.set_label(root_label)
        seen: set[Path] = set()
        self._sync(self.root, (), value, seen)
        for path in sorted((p for p in self.nodes if p not in seen), key=len):
            if path in self.nodes:
                self._drop(path)
        self.root.expand()

    def _drop(self, path: Path) -> None:
        """Remove the node at ``path`` and forget it and everything below it."""
        node = self.nodes[path]
        for known in [p for p in self.nodes if p[: len(path)] == path]:
            del self.nodes[known]
            self._shown.pop(known, None)
            self._times.pop(known, None)
        node.remove()

    def tick(self) -> int:
        """Rewrite the timestamps whose "(… ago)" moved on; returns how many."""
        count = 0
        for path, (key, when) in self._times.items():
            label = self.leaf_label(key, when)
            if str(label) != self._shown.get(path):
                self._shown[path] = str(label)
                self.nodes[path].set_label(label)
                count += 1
        self.labels_rewritten += count
        return count

    def _sync(self, parent: TreeNode[Any], path: Path, value: Any, seen: set[Path]) -> None:
        items: list[tuple[str, Any]]
        if isinstance(value, Mapping):
            items = [(printable(str(k)), v) for k, v in value.items()]  # map keys are user data too
        else:
            items = [(f"[{i}]", v) for i, v in enumerate(value)]
        previous: TreeNode[Any] | None = None
        for key, child in items:
            here = (*path, key)
            seen.add(here)
            branch = isinstance(child, (Mapping, list)) and bool(child)
            node = self.nodes.get(here)
            if node is not None and bool(node.allow_expand) != branch:
                # A value turned from a leaf into a structure (or back): a new node.
                self._drop(here)
                node = None
            if branch:
                size = f"{{{len(child)}}}" if isinstance(child, Mapping) else f"[{len(child)}]"
                label = Text.assemble((f"{key} ", rich_name("key")), (size, rich_name("muted")))
                data: Any = child
            else:
                label = self.leaf_label(key, child)
                data = child.isoformat() if isinstance(child, dt.datetime) else scalar(child)
            if node is None:
                place: dict[str, Any] = {"after": previous} if previous is not None else {"before": 0}
                if not parent.children:
                    place = {}
                node = parent.add(label, data=data, allow_expand=branch, **place)
                self.nodes[here] = node
                self._shown[here] = str(label)
                if branch and not path:
                    node.expand()  # the first level opens when it appears; then it is the user's
            else:
                node.data = data
                if self._shown.get(here) != str(label):
                    self._shown[here] = str(label)
                    node.set_label(label)
                    self.labels_rewritten += 1
            if isinstance(child, dt.datetime):
                self._times[here] = (key, child)
            else:
                self._times.pop(here, None)
            if branch:
                self._sync(node, here, child, seen)
            previous = node
        # Keys stay in model order even when the response reorders them (rare): the nodes are
        # moved, not rebuilt, so the cursor and what is open stay. (textual is pinned exactly.)
        wanted = [self.nodes[(*path, key)] for key, _ in items]
        others = [n for n in parent._children if n not in wanted]
        if parent._children[: len(wanted)] != wanted:
            parent._children[:] = wanted + others
            self._invalidate()


__all__ = ["DetailTree", "default_label"]
