"""The one place that builds SageMaker clients.

Retry policy, chosen on purpose: SageMaker's List* APIs have low, fixed rate limits (a couple of
requests per second for some), and smtui has its own poller that backs off with jitter and tells
the user it is doing so. So botocore's own retries are kept short — ``standard`` mode, 3 attempts
in total, which retries throttles, 5xx and dropped connections with capped exponential backoff —
and anything that still fails surfaces quickly as a typed :mod:`smtui.aws.errors` error instead of
the UI hanging for a minute inside botocore.

That holds for **reads only**. A mutating call goes through a second client with botocore's
retries off (one attempt): a read timeout or a dropped connection after the request left may
mean it was applied, and retrying a create blindly sends it again. What to do after such a
failure is decided, once, by the write workflow (:mod:`smtui.service.actions`).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncGenerator, Mapping
from typing import Any

import botocore.loaders
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession, get_session
from botocore import xform_name

from smtui.aws.errors import AwsError, translate
from smtui.aws.guard import install_read_only_guard
from smtui.aws.model import is_mutating
from smtui.aws.pager import Page, stream_pages
from smtui.aws.target import Target
from smtui.logs import note_secrets

__all__ = ["CLIENT_CONFIG", "RETRY_CONFIG", "SageMaker", "Target", "client_config", "make_session"]

RETRY_CONFIG: dict[str, Any] = {"mode": "standard", "total_max_attempts": 3}
"""botocore retry settings for every client smtui builds (see the module docstring for why)."""

CONNECT_TIMEOUT = 5
READ_TIMEOUT = 30


def client_config(*, attempts: int = 3, read_timeout: float = READ_TIMEOUT) -> AioConfig:
    """The botocore configuration of a client (``attempts`` counts the first one)."""
    return AioConfig(
        retries={**RETRY_CONFIG, "total_max_attempts": attempts},
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=read_timeout,
        max_pool_connections=10,
        user_agent_extra="smtui",
    )


CLIENT_CONFIG = client_config()


@functools.cache
def _shared_loader() -> Any:
    """One botocore data loader for every session: it caches the parsed 3 MB SageMaker model,
    which each new session would otherwise parse again (about a second on this class of host)."""
    return botocore.loaders.create_loader()


def make_session(target: Target) -> AioSession:
    session = get_session()
    session.register_component("data_loader", _shared_loader())
    if target.profile:
        session.set_config_variable("profile", target.profile)
    if target.static_credentials:
        key, secret = target.static_credentials
        note_secrets((key, secret, target.static_token))
        session.set_credentials(key, secret, target.static_token)
    return session


async def note_credentials(session: AioSession) -> None:
    """Hand the credentials ``session`` signs with to the by-value redaction (:mod:`smtui.logs`).

    They are read again before each error is translated: refreshable credentials (SSO, an
    assumed role) change, and the error in hand may echo the new ones. Reading them costs
    nothing once resolved (botocore caches them); failing to is not this function's business.
    """
    try:
        credentials = await session.get_credentials()
        if credentials is None:
            return
        frozen = await credentials.get_frozen_credentials()
    except Exception:  # no credentials at all: the call itself says so
        return
    note_secrets((frozen.access_key, frozen.secret_key, frozen.token))


class SageMaker:
    """A long-lived SageMaker client for one :class:`Target`, created lazily and closed explicitly.

    Every call goes through :meth:`call` or :meth:`pages`, which translate errors into
    :class:`~smtui.aws.errors.AwsError` once, so callers catch one type. Mutating operations
    use a client that never retries (see the module docstring). ``read_timeout`` is for tests
    and slow links.
    """

    def __init__(self, target: Target, *, read_timeout: float = READ_TIMEOUT) -> None:
        self.target = target
        self.read_timeout = read_timeout
        self._session = make_session(target)
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None
        self._writer: Any = None
        self.calls = 0

    def _translate(self, exc: BaseException, operation: str) -> AwsError:
        return translate(exc, profile=self.target.profile, operation=operation, emulator=self.target.emulator)

    async def _make(self, attempts: int) -> Any:
        try:
            client = await self._stack.enter_async_context(
                self._session.create_client(
                    "sagemaker",
                    region_name=self.target.region,
                    endpoint_url=self.target.endpoint_url,
                    config=client_config(attempts=attempts, read_timeout=self.read_timeout),
                )
            )
        except Exception as exc:  # profile/region problems surface here
            raise translate(exc, profile=self.target.profile) from exc
        await note_credentials(self._session)
        if self.target.read_only:
            install_read_only_guard(client)
        return client

    async def client(self) -> Any:
        """The reading client (botocore retries throttles and transport errors)."""
        if self._client is None:
            self._client = await self._make(attempts=int(RETRY_CONFIG["total_max_attempts"]))
        return self._client

    async def writer(self) -> Any:
        """The client for mutating calls: one attempt, never a silent second send."""
        if self._writer is None:
            self._writer = await self._make(attempts=1)
        return self._writer

    async def call(self, operation: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Call one SageMaker operation by its model name (``DescribeEndpoint``)."""
        client = await (self.writer() if is_mutating(operation) else self.client())
        method = getattr(client, xform_name(operation))
        self.calls += 1
        try:
            result: dict[str, Any] = await method(**dict(params or {}))
        except AwsError:
            raise
        except Exception as exc:
            await note_credentials(self._session)
            raise self._translate(exc, operation) from exc
        result.pop("ResponseMetadata", None)
        return result

    async def pages(
        self,
        operation: str,
        params: Mapping[str, Any] | None = None,
        *,
        filters: Mapping[str, Any] | None = None,
        page_size: int | None = None,
        max_pages: int | None = None,
    ) -> AsyncGenerator[Page, None]:
        """Stream pages of a List* operation as they arrive (see :func:`stream_pages`)."""
        client = await self.client()
        try:
            # aclosing: when the caller stops early, the page requested ahead is cancelled now,
            # not whenever the abandoned generator happens to be collected.
            async with contextlib.aclosing(
                stream_pages(client, operation, params, filters=filters, page_size=page_size, max_pages=max_pages)
            ) as pages:
                async for page in pages:
                    self.calls += 1
                    yield page
        except AwsError:
            raise
        except Exception as exc:
            await note_credentials(self._session)
            raise self._translate(exc, operation) from exc

    async def account_id(self) -> str | None:
        """The account behind the credentials, or None when STS cannot say (shown in the header)."""
        try:
            async with self._session.create_client(
                "sts",
                region_name=self.target.region,
                endpoint_url=self.target.endpoint_url,
                config=CLIENT_CONFIG,
            ) as sts:
                ident = await sts.get_caller_identity()
        except Exception:
            return None
        account = ident.get("Account")
        return str(account) if account else None

    async def close(self) -> None:
        self._client = self._writer = None
        await self._stack.aclose()
