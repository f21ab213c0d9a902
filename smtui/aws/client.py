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

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncGenerator, Mapping
from typing import TYPE_CHECKING, Any

from smtui.aws.errors import AwsError, translate
from smtui.aws.guard import install_read_only_guard
from smtui.aws.model import is_mutating, shared_loader
from smtui.aws.pager import Page, stream_pages
from smtui.aws.target import Target
from smtui.logs import note_secrets

if TYPE_CHECKING:
    # aiobotocore (and aiohttp under it) takes about a quarter of a second to import; the UI
    # imports this module before its first frame, so they load on the first client instead.
    from aiobotocore.config import AioConfig
    from aiobotocore.session import AioSession

__all__ = ["RETRY_CONFIG", "SageMaker", "Target", "client_config", "make_session"]

RETRY_CONFIG: dict[str, Any] = {"mode": "standard", "total_max_attempts": 3}
"""botocore retry settings for every client smtui builds (see the module docstring for why)."""

CONNECT_TIMEOUT = 5
READ_TIMEOUT = 30


def client_config(*, attempts: int = 3, read_timeout: float = READ_TIMEOUT) -> AioConfig:
    """The botocore configuration of a client (``attempts`` counts the first one)."""
    from aiobotocore.config import AioConfig

    return AioConfig(
        retries={**RETRY_CONFIG, "total_max_attempts": attempts},
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=read_timeout,
        max_pool_connections=10,
        user_agent_extra="smtui",
    )


def parse_timestamp(value: Any) -> dt.datetime:
    """botocore's timestamp parser, fast for the epoch numbers SageMaker's JSON sends.

    botocore turns each into a datetime in dateutil's tzlocal, in Python: three per row, it was
    a sixth of the CPU of listing 20,000 jobs. The same instant in the same local offset comes
    from the C implementation here; anything else (ISO 8601 strings) goes to botocore.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, dt.UTC).astimezone()
        except (OverflowError, OSError, ValueError):
            pass
    from botocore.utils import parse_timestamp as botocore_parse

    parsed: dt.datetime = botocore_parse(value)
    return parsed


def make_session(target: Target) -> AioSession:
    from aiobotocore.session import get_session

    session = get_session()
    session.register_component("data_loader", shared_loader())
    session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=parse_timestamp)
    if target.profile:
        session.set_config_variable("profile", target.profile)
    if target.static_credentials:
        key, secret = target.static_credentials
        note_secrets((key, secret, target.static_token))
        session.set_credentials(key, secret, target.static_token)
    return session


class LazySession:
    """The session of one client, made on first use and, from the event loop, in a thread.

    Not in the client's constructor: the app builds its clients before the first frame, and a
    session needs aiobotocore imported (a quarter of a second). Not on the event loop either:
    the import, and the model files a first client reads (``services`` are loaded into the
    shared loader's cache), would freeze the screen for as long. Concurrent first callers (the
    account and the first list) share one thread and one session.
    """

    def __init__(self, target: Target, services: tuple[str, ...]) -> None:
        self.target = target
        self.services = tuple(name for name in services if name)
        self._session: AioSession | None = None
        self._pending: asyncio.Future[AioSession] | None = None

    def get(self) -> AioSession:
        """The session, made here and now if no call has made it yet."""
        if self._session is None:
            self._session = make_session(self.target)
        return self._session

    def _make_warm(self) -> AioSession:
        session = make_session(self.target)
        for service in self.services:
            # Only a head start: whatever fails here fails again, and is reported, when the
            # client is created.
            with contextlib.suppress(Exception):
                session.warm_up_loader_caches(service)
        return session

    async def ready(self) -> AioSession:
        """The session, made in a thread if need be, without blocking the event loop."""
        if self._session is not None:
            return self._session
        loop = asyncio.get_running_loop()
        pending = self._pending
        if pending is None or pending.get_loop() is not loop:
            pending = self._pending = loop.run_in_executor(None, self._make_warm)
            pending.add_done_callback(self._settle)
        # Shielded: one caller giving up must not cancel the others' wait.
        session = await asyncio.shield(pending)
        return self._session if self._session is not None else session

    def _settle(self, done: asyncio.Future[AioSession]) -> None:
        # A callback rather than code after the await: the session is kept even when every
        # caller waiting for it was cancelled meanwhile.
        if self._pending is done:
            self._pending = None  # a failed attempt is retried by the next call
        if not done.cancelled() and done.exception() is None and self._session is None:
            self._session = done.result()


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
        self._sessions = LazySession(target, ("sagemaker", "sts"))
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None
        self._writer: Any = None
        self.calls = 0

    @property
    def _session(self) -> AioSession:
        return self._sessions.get()

    def _translate(self, exc: BaseException, operation: str) -> AwsError:
        return translate(exc, profile=self.target.profile, operation=operation, emulator=self.target.emulator)

    async def _make(self, attempts: int) -> Any:
        session = await self._sessions.ready()
        try:
            client = await self._stack.enter_async_context(
                session.create_client(
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
        from botocore import xform_name

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
            session = await self._sessions.ready()
            async with session.create_client(
                "sts",
                region_name=self.target.region,
                endpoint_url=self.target.endpoint_url,
                config=client_config(),
            ) as sts:
                ident = await sts.get_caller_identity()
        except Exception:
            return None
        account = ident.get("Account")
        return str(account) if account else None

    async def close(self) -> None:
        self._client = self._writer = None
        await self._stack.aclose()
