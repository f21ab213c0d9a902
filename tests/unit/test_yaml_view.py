"""The describe view's YAML loads back as exactly what was dumped (issue 11's findings)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from smtui.aws.model import operation
from smtui.catalog import ResourceType
from smtui.text import CONTROL
from smtui.ui.format import to_yaml
from tests.unit.test_properties import JSONISH, TYPES, from_shape


def same(dumped: Any, loaded: Any) -> bool:
    """Equal as YAML can say it: NaN equals NaN, tuples are lists, instants compare as instants."""
    if isinstance(dumped, dict):
        return (
            isinstance(loaded, dict)
            and list(map(str, dumped)) == list(loaded)
            and all(same(v, loaded[str(k)]) for k, v in dumped.items())
        )
    if isinstance(dumped, (list, tuple)):
        return isinstance(loaded, list) and len(dumped) == len(loaded) and all(map(same, dumped, loaded))
    if isinstance(dumped, float) and math.isnan(dumped):
        return isinstance(loaded, float) and math.isnan(loaded)
    if isinstance(dumped, bool) or isinstance(loaded, bool):
        return dumped is loaded
    if isinstance(dumped, dt.datetime):
        return (
            isinstance(loaded, dt.datetime) and loaded == dumped and (loaded.tzinfo is None) == (dumped.tzinfo is None)
        )
    return type(dumped) is type(loaded) and bool(dumped == loaded)


@pytest.mark.parametrize(
    "text", ["true", "123", "null", "yes", "no", "on", "2024-01-01", "- x", "~", "0x1f", "1e3", ": a", "#c", "'", '"']
)
def test_strings_that_look_like_other_types_stay_strings(text: str) -> None:
    dumped = {"Environment": {"FLAG": text}, "HyperParameters": {"epochs": text}}
    assert yaml.safe_load(to_yaml(dumped)) == dumped


def test_unsafe_characters_are_escapes_in_the_yaml() -> None:
    dumped = {"k": "a\x1b]52;c;aGk=\x07b", "bidi": "x\u202ey", "tab": "a\tb", "\x1bkey": "v"}
    text = to_yaml(dumped)
    assert not CONTROL.search(text.replace("\n", "")) and "\u202e" not in text
    assert yaml.safe_load(text) == dumped


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(JSONISH)
def test_any_jsonish_value_round_trips(value: Any) -> None:
    assert same({"k": value}, yaml.safe_load(to_yaml({"k": value})))


@pytest.mark.parametrize("rtype", TYPES)
def test_describe_responses_round_trip_through_the_yaml_view(rtype: ResourceType) -> None:
    shape = operation(rtype.describe_op).output_shape

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(from_shape(shape))
    def check(detail: dict[str, Any]) -> None:
        text = to_yaml(detail)
        assert not CONTROL.search(text.replace("\n", ""))
        assert same(detail, yaml.safe_load(text) if text.strip() != "{}" else {})

    check()
