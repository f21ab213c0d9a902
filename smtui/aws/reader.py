"""A long-lived read-only client of another AWS service (CloudWatch, CloudWatch Logs).

Built like the SageMaker client (same session, retry policy and timeouts, see
:mod:`smtui.aws.client`), created on first use (so a user who never opens the view that needs
it never needs its permissions), and closed explicitly. Only the operations in ``READS`` are
sent; every error is translated once into :class:`~smtui.aws.errors.AwsError`, after the
credentials in use are noted for by-value redaction, so an error that echoes them is masked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from smtui.aws.client import READ_TIMEOUT, LazySession, client_config, note_credentials
from smtui.aws.errors import AwsError, translate
from smtui.aws.target import Target

if TYPE_CHECKING:
    from aiobotocore.session import AioSession


class ReadOnlyClient:
    """One ``SERVICE`` client for one :class:`Target`; subclasses name the service and reads."""

    SERVICE: ClassVar[str] = ""
    READS: ClassVar[frozenset[str]] = frozenset()
    ATTEMPTS: ClassVar[int | None] = None
    """botocore attempts per call (None: the client module's default)."""

    def __init__(self, target: Target, *, read_timeout: float = READ_TIMEOUT) -> None:
        self.target = target
        self.read_timeout = read_timeout
        self._sessions = LazySession(target, (self.SERVICE,))
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None
        self.calls = 0

    @property
    def _session(self) -> AioSession:
        return self._sessions.get()

    async def client(self) -> Any:
        if self._client is None:
            extra = {} if self.ATTEMPTS is None else {"attempts": self.ATTEMPTS}
            session = await self._sessions.ready()
            try:
                self._client = await self._stack.enter_async_context(
                    session.create_client(
                        self.SERVICE,
                        region_name=self.target.region,
                        endpoint_url=self.target.endpoint_url,
                        config=client_config(read_timeout=self.read_timeout, **extra),
                    )
                )
            except Exception as exc:  # profile/region problems surface here
                raise translate(exc, profile=self.target.profile) from exc
        return self._client

    async def call(self, operation: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Call one read by its model name (``FilterLogEvents``, ``GetMetricData``)."""
        if operation not in self.READS:
            raise ValueError(f"{operation} is not a {self.SERVICE} read smtui sends")
        from botocore import xform_name

        client = await self.client()
        self.calls += 1
        try:
            result: dict[str, Any] = await getattr(client, xform_name(operation))(**dict(params or {}))
        except AwsError:
            raise
        except Exception as exc:
            await note_credentials(self._session)
            raise self.translated(
                translate(exc, profile=self.target.profile, operation=operation, emulator=self.target.emulator)
            ) from exc
        result.pop("ResponseMetadata", None)
        return result

    def translated(self, error: AwsError) -> AwsError:
        """A subclass's chance to word an error for its view (the permission it needs)."""
        return error

    async def close(self) -> None:
        self._client = None
        await self._stack.aclose()
