"""Help names keys by binding id; each id it names must be a real binding."""

from __future__ import annotations

from smtui.ui.screens.help import KEYS, default_keys, key_display, key_refs, resolve_keys


def test_every_key_help_names_is_a_binding() -> None:
    bound = default_keys()
    named = [ref for _, rows in KEYS for key, _ in rows for ref in key_refs(key)]
    assert len(named) > 40
    assert sorted(set(named) - bound.keys()) == []


def test_keys_read_as_a_user_types_them() -> None:
    assert key_display("down,j") == "↓ j"
    assert key_display("ctrl+d") == "Ctrl+D"
    assert key_display("question_mark") == "?"
    assert key_display("f1") == "F1"
    assert key_display("G,end") == "G End"
    assert resolve_keys("{list.filter} or {nope.none}", {"list.filter": "f"}) == "f or (unbound)"
