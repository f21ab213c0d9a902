"""Start-up: the modules the UI imports before its first frame leave botocore and aiohttp unloaded.

Importing aiobotocore (aiohttp under it) and the heavy half of botocore (session, client,
model, utils) costs several tenths of a second; the first frame needs none of them, so they
load on first use, off the event loop (see the issue "Start-up" and
``tests/perf/bench_startup.py``). One top-level import in the wrong place brings them all back
and nothing else would notice, so each case imports a module in a fresh interpreter and
lists what came with it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from smtui.aws.errors import Unreachable, translate

# aiobotocore and aiohttp, and the parts of botocore that pull in urllib3 and the models.
# ``botocore`` itself is small (the forms use its ``xform_name``), so it is not listed.
HEAVY = (
    "aiohttp",
    "aiobotocore",
    "botocore.session",
    "botocore.client",
    "botocore.model",
    "botocore.utils",
    "urllib3",
)


def _loaded_after(statement: str, names: tuple[str, ...], env: dict[str, str] | None = None) -> list[str]:
    probe = f"import sys\n{statement}\nprint(' '.join(n for n in {names!r} if n in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60, env=env)
    return out.stdout.split()


def test_errors_import_neither_botocore_nor_aiohttp() -> None:
    # The error types are imported by every layer, the UI included: not even botocore's package.
    assert _loaded_after("import smtui.aws.errors", ("botocore", *HEAVY)) == []


@pytest.mark.parametrize(
    "module",
    [
        "smtui.aws.client",
        "smtui.aws.model",
        "smtui.catalog",
        "smtui.live",
        "smtui.service",
        "smtui.cli",
        "smtui.ui.app",
    ],
)
def test_start_up_path_leaves_heavy_modules_unloaded(module: str) -> None:
    assert _loaded_after(f"import {module}", HEAVY) == []


def test_building_the_service_leaves_aiobotocore_unloaded() -> None:
    # The app builds its Service (and its clients) before the first frame; the session waits.
    statement = (
        "from smtui.aws.target import Target\n"
        "from smtui.service import Service\n"
        "Service(Target(region='us-east-1', endpoint_url='http://127.0.0.1:9'))"
    )
    assert _loaded_after(statement, HEAVY) == []


def test_region_on_the_command_line_needs_no_botocore_session() -> None:
    # With --region and no profile there is no AWS config to read before the app starts.
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_PROFILE", "SMTUI_PROFILE")}
    statement = (
        "from smtui.cli import build_parser, resolve\n"
        "from smtui.config import Settings\n"
        "assert resolve(build_parser().parse_args(['--region', 'eu-west-1']), Settings()).region == 'eu-west-1'"
    )
    assert _loaded_after(statement, HEAVY, env) == []


def test_aiohttp_errors_still_translate_once_loaded() -> None:
    # errors.py looks aiohttp up lazily; once loaded (it is, whenever a client exists) its
    # connection errors must still read as a dropped connection.
    import aiohttp

    for exc in (aiohttp.ServerDisconnectedError(), aiohttp.ClientConnectionError("reset")):
        error = translate(exc)
        assert isinstance(error, Unreachable)
        assert error.code == "ConnectionDropped"
    # A plain timeout is not a dropped connection.
    assert translate(TimeoutError()).code == ""
