"""Session fixtures shared by every test: a fake AWS environment and the local emulator."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from smtui.emulator.server import EmulatorServer

_FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}
_UNSET = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SAGEMAKER",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)


@pytest.fixture(autouse=True, scope="session")
def fake_aws_env() -> Iterator[None]:
    """Fake credentials and empty config files, so the user's real AWS setup never leaks in;
    a private state directory, so nothing is written to the user's."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="smtui-aws-") as tmp:
        empty = os.path.join(tmp, "empty")
        open(empty, "w").close()
        for name in _UNSET:
            os.environ.pop(name, None)
        os.environ.update(_FAKE_ENV, AWS_CONFIG_FILE=empty, AWS_SHARED_CREDENTIALS_FILE=empty)
        # The journal (and anything else under the state directory) stays out of the user's.
        os.environ["XDG_STATE_HOME"] = os.path.join(tmp, "state")
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


@pytest.fixture(scope="session")
def emulator(fake_aws_env: None) -> Iterator[EmulatorServer]:
    """One emulator per test session (per xdist worker), immediate pacing, on 127.0.0.1."""
    pytest.importorskip("moto")
    from smtui.emulator.server import EmulatorServer

    server = EmulatorServer(pace="immediate").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def emu(emulator: EmulatorServer) -> EmulatorServer:
    """The session emulator, reset to empty (no resources, faults or counts; immediate pace)."""
    if not emulator.running:
        emulator.resume()
    emulator.reset()
    return emulator


@pytest.fixture(scope="session")
def aio_session(fake_aws_env: None) -> Any:
    """One aiobotocore session: it caches the 3 MB SageMaker model, so clients are cheap."""
    from aiobotocore.session import get_session

    return get_session()


@pytest.fixture
async def sm(emu: EmulatorServer, aio_session: Any) -> AsyncIterator[Any]:
    """A real aiobotocore SageMaker client talking HTTP to the emulator (never stubbed)."""
    from aiobotocore.config import AioConfig

    config = AioConfig(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=10)
    async with aio_session.create_client(
        "sagemaker", endpoint_url=emu.url, region_name="us-east-1", config=config
    ) as client:
        yield client
