"""No value a user can type or paste breaks smtui or the emulator: every curated form, with
extreme values in its fields, gives a message (a problem next to the field, or an outcome
from SageMaker's emulator), never a hang, a crash or unbounded memory growth.

The values are what a 3 a.m. paste produces: numbers far past 32 and 64 bits, negatives,
non-finite floats, a megabyte of text, control characters, bidi overrides and other Unicode.
Whatever passes the client's checks is sent, through the real aiobotocore client over HTTP.
"""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smtui.aws.target import Target
from smtui.emulator.seed import seed_demo
from smtui.emulator.server import EmulatorServer
from smtui.forms.curated import CURATED, form_def
from smtui.forms.fields import FieldSpec, Path
from smtui.forms.model import FormModel
from smtui.service import Service

OPS = sorted(CURATED)
MEGABYTE = "x" * 1_000_000
NUMBERS = ["2147483647", "2147483648", "-2147483649", "9223372036854775808", "-1", "0", "1" + "0" * 400]
FLOATS = ["nan", "inf", "-inf", "1e309", "-1e309", "1e-400", "-0.0"]
TEXTS = [MEGABYTE, "\x1b[2J\x1b]52;c;eA==\x07", "\u202eevil\u202c", "\x00\x7f\x9b", "👩\u200d👩\u200d👧", "宽" * 5000]
LIMIT_SECONDS = 5.0
"""A form's checks and one send, together, take far less; more means something grew per unit."""


def leaves(spec: FieldSpec, path: Path = (), depth: int = 0) -> Iterator[tuple[Path, FieldSpec]]:
    """The scalar fields a user types into, two structures deep (lists and maps are skipped)."""
    for child in spec.children:
        here = (*path, child.name)
        if child.is_scalar and child.kind != "boolean":
            yield here, child
        elif child.kind == "structure" and depth < 2:
            yield from leaves(child, here, depth + 1)


def extreme(kind: str) -> st.SearchStrategy[str]:
    if kind == "integer":
        return st.one_of(st.sampled_from(NUMBERS), st.integers(-(2**80), 2**80).map(str))
    if kind == "float":
        return st.one_of(st.sampled_from(FLOATS), st.floats(allow_nan=True, allow_infinity=True).map(repr))
    return st.one_of(st.sampled_from(TEXTS), st.text(max_size=64))


@pytest.fixture
def loop_and_service(emu: EmulatorServer) -> Iterator[tuple[asyncio.AbstractEventLoop, Service]]:
    seed_demo(emu)
    loop = asyncio.new_event_loop()
    target = Target(region="us-east-1", endpoint_url=emu.url, static_credentials=("testing", "testing"))
    service = Service(target, read_timeout=10)
    try:
        yield loop, service
    finally:
        loop.run_until_complete(service.close())
        loop.close()


def attempt(loop: asyncio.AbstractEventLoop, service: Service, op: str, values: dict[Path, str]) -> str:
    """Fill ``op``'s form with ``values`` as typed text, check it, send it if it passes; what the
    user would read. Fails the test on a hang or an exception."""
    model = FormModel(op, form_def(op))
    model.prefill(None)
    for path, text in values.items():
        model.set(path, text)
    started = time.monotonic()
    problems = model.problems()
    if problems:
        said = f"{problems[0].path}: {problems[0].message}"
    else:
        outcome = loop.run_until_complete(asyncio.wait_for(service.submit(op, model.request()), LIMIT_SECONDS * 2))
        said = outcome.message
    assert time.monotonic() - started < LIMIT_SECONDS, (op, {p: v[:40] for p, v in values.items()})
    assert said.strip(), op
    return said


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_every_curated_form_with_the_worst_values_gives_a_message(
    loop_and_service: tuple[asyncio.AbstractEventLoop, Service], emu: EmulatorServer
) -> None:
    """All 30 curated forms, each field at once at its kind's worst: the biggest numbers,
    non-finite floats, a megabyte paste. Nothing hangs, and the emulator's memory stays flat."""
    loop, service = loop_and_service
    assert len(OPS) >= 30
    before = rss_mb()
    for op in OPS:
        fields = list(leaves(FormModel(op, form_def(op)).root))
        for worst in (NUMBERS[-1], NUMBERS[0], FLOATS[0], MEGABYTE, TEXTS[1]):
            values = {
                path: (worst if spec.kind in ("integer", "float") or not worst[0].isdigit() else NUMBERS[3])
                for path, spec in fields
            }
            attempt(loop, service, op, values)
    # A copy count of 2**31-1 must not become 2**31 objects: the process (emulator included)
    # may hold the megabyte pastes it parsed, not gigabytes.
    assert rss_mb() - before < 400, f"grew {rss_mb() - before:.0f} MB"
    counts = emu.faults.request_counts()
    assert counts["mutating"] > 0, "the values that pass the client's checks must reach the emulator"
    assert counts["total"] < len(OPS) * 5 * 3


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_extreme_values_in_any_curated_form_give_a_message(
    loop_and_service: tuple[asyncio.AbstractEventLoop, Service], data: st.DataObject
) -> None:
    loop, service = loop_and_service
    op = data.draw(st.sampled_from(OPS), label="op")
    fields = list(leaves(FormModel(op, form_def(op)).root))
    chosen = data.draw(st.lists(st.sampled_from(fields), max_size=4, unique_by=lambda f: f[0]), label="fields")
    values: dict[Path, Any] = {
        path: data.draw(extreme(spec.kind), label=".".join(map(str, path))) for path, spec in chosen
    }
    attempt(loop, service, op, values)
