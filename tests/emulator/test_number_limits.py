"""Numbers within range: the wire type bounds every number, in the client and the emulator.

Found by a new user: a copy count of 99999999999999999999 passed client validation; once it
was applied while the list still showed 4/4, and once the emulator grew to 23 GB (it made a
step per copy) until the kernel killed it.
"""

from __future__ import annotations

import math
import resource
from typing import Any

import pytest
from botocore.exceptions import ClientError

from smtui.aws.validation import validate_operation
from smtui.emulator.server import EmulatorServer
from tests.emulator.helpers import make_endpoint, make_ic

INT_MAX, LONG_MAX = 2**31 - 1, 2**63 - 1


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (INT_MAX + 1, "must be at most 2147483647"),
        (99999999999999999999, "must be at most 2147483647"),
        (-1, "must be at least 0"),
    ],
)
def test_an_integer_beyond_32_bits_is_refused_naming_the_limit(value: int, said: str) -> None:
    problems = validate_operation(
        "UpdateInferenceComponentRuntimeConfig",
        {"InferenceComponentName": "ic", "DesiredRuntimeConfig": {"CopyCount": value}},
    )
    assert [p.message for p in problems] == [said]


def test_the_biggest_32_bit_integer_is_accepted() -> None:
    params = {"InferenceComponentName": "ic", "DesiredRuntimeConfig": {"CopyCount": INT_MAX}}
    assert validate_operation("UpdateInferenceComponentRuntimeConfig", params) == []


def test_a_long_beyond_64_bits_and_a_float_that_is_not_finite_are_refused() -> None:
    too_long = validate_operation("DescribePipeline", {"PipelineName": "p", "PipelineVersionId": LONG_MAX + 1})
    assert [p.message for p in too_long] == ["must be at most 9223372036854775807"]
    assert validate_operation("DescribePipeline", {"PipelineName": "p", "PipelineVersionId": LONG_MAX}) == []
    for bad in (math.inf, -math.inf, math.nan):
        problems = validate_operation(
            "CreateAutoMLJobV2", {"DataSplitConfig": {"ValidationFraction": bad}, "AutoMLJobName": "a"}
        )
        assert any(p.message == "must be a finite number" for p in problems), (bad, problems)


async def test_the_emulator_refuses_a_copy_count_beyond_32_bits(sm: Any) -> None:
    await make_endpoint(sm)
    await make_ic(sm, "ic-a")
    with pytest.raises(ClientError) as err:
        await sm.update_inference_component_runtime_config(
            InferenceComponentName="ic-a", DesiredRuntimeConfig={"CopyCount": INT_MAX + 1}
        )
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert "2147483647" in err.value.response["Error"]["Message"]


async def test_scaling_to_the_biggest_copy_count_takes_few_steps_and_little_memory(
    sm: Any, emu: EmulatorServer
) -> None:
    await make_endpoint(sm)
    await make_ic(sm, "ic-a")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    await sm.update_inference_component_runtime_config(
        InferenceComponentName="ic-a", DesiredRuntimeConfig={"CopyCount": INT_MAX}
    )
    ic = await sm.describe_inference_component(InferenceComponentName="ic-a")
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert ic["RuntimeConfig"] == {"DesiredCopyCount": INT_MAX, "CurrentCopyCount": INT_MAX}
    assert ic["InferenceComponentStatus"] == "InService"
    assert grown_kib < 50 * 1024  # a step per copy would need gigabytes


def test_the_scale_form_names_the_limit_as_it_is_typed() -> None:
    from smtui.forms.model import FormModel

    form = FormModel("UpdateInferenceComponentRuntimeConfig")
    form.set(("InferenceComponentName",), "ic")
    form.set(("DesiredRuntimeConfig", "CopyCount"), "99999999999999999999")
    assert [(p.path, p.message) for p in form.problems()] == [
        (("DesiredRuntimeConfig", "CopyCount"), "must be at most 2147483647")
    ]
    form.set(("DesiredRuntimeConfig", "CopyCount"), "9" * 1_000_000)  # a 1 MB paste: a message, at once
    assert any(p.path == ("DesiredRuntimeConfig", "CopyCount") for p in form.problems())
